"""Personal iCalendar feeds of a user's review and action dates.

Each user may create one secret feed address to subscribe to from Outlook
or Google Calendar. Only a SHA-256 hash of its token is stored, so the
address is shown once; replacing or turning off the feed revokes it.
"""

import hashlib
import logging
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from core.extensions import db
from core.forms import RegisterForm
from core.policy import READERS, allow, public
from core.timeutil import utc_now
from register.models import CalendarFeed
from register.reminders import record_link
from register.reviews import ItemFilter, ReviewItem, review_items

bp = Blueprint("calendar", __name__)

log = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def feed_for(user) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue_feed(user) -> str:
    """Create or replace the user's feed and return its new token. The caller commits."""
    token = secrets.token_urlsafe(32)
    feed = feed_for(user) or CalendarFeed(user=user)
    feed.token_hash = hash_token(token)
    feed.last_used_at = None
    db.session.add(feed)
    return token


def escape_text(value: str) -> str:
    """Escape a TEXT value as RFC 5545 section 3.3.11 requires."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    parts, current = [], ""
    for character in line:
        limit = 75 if not parts else 74
        if len((current + character).encode("utf-8")) > limit:
            parts.append(current)
            current = character
        else:
            current += character
    parts.append(current)
    return "\r\n ".join(parts)


def event_lines(item: ReviewItem, stamp: str, host: str) -> list[str]:
    noun = "Review" if item.source.is_review() else "Action"
    end = item.due_on + timedelta(days=1)
    return [
        "BEGIN:VEVENT",
        f"UID:{item.kind}-{item.record_id}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape_text(f'{noun} due: {item.title}')}",
        "DESCRIPTION:"
        + escape_text(f"{item.kind_label} in {item.project_name}.\n{record_link(item)}"),
        f"URL:{record_link(item)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def render_calendar(items: list[ReviewItem]) -> str:
    host = urlsplit(current_app.config["REGISTER_BASE_URL"]).hostname or "privacy-register"
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Privacy register//Review dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Privacy register reviews",
    ]
    for item in items:
        lines.extend(event_lines(item, stamp, host))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# NOTE: the token is part of the path, so a web server's access log records
# it. Turn off access logging for /calendar/feed/ or treat the log as secret.
@bp.route("/calendar/feed/<token>.ics")
@public
def feed(token: str):
    """Return the feed owner's review and action dates as iCalendar, or 404 for a bad token."""
    if not TOKEN_PATTERN.match(token):
        abort(404)
    entry = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token))
    )
    if entry is None or not entry.user.is_active:
        abort(404)
    items, _ = review_items(where=ItemFilter(owner_id=entry.user_id), count=False)
    entry.last_used_at = utc_now()
    db.session.commit()
    response = Response(render_calendar(items), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/calendar")
@allow(*READERS)
def settings():
    """Show whether the user has a calendar feed, with buttons to create or revoke it."""
    return render_template(
        "register/calendar.html", feed=feed_for(current_user), form=RegisterForm(), address=None
    )


@bp.route("/calendar", methods=["POST"])
@allow(*READERS)
def create():
    """Create the user's feed address, replacing and revoking any earlier one."""
    form = RegisterForm()
    if not form.validate_on_submit():
        return redirect(url_for("calendar.settings"))
    token = issue_feed(current_user)
    db.session.commit()
    log.info("calendar feed issued user_id=%s", current_user.id)
    address = current_app.config["REGISTER_BASE_URL"].rstrip("/") + url_for(
        "calendar.feed", token=token
    )
    # The address is shown on this response only: it is not stored in a
    # recoverable form, and putting it in the session would copy it to a cookie.
    return render_template(
        "register/calendar.html", feed=feed_for(current_user), form=RegisterForm(), address=address
    )


@bp.route("/calendar/revoke", methods=["POST"])
@allow(*READERS)
def revoke():
    """Turn off the user's feed, so its address stops working at once."""
    form = RegisterForm()
    entry = feed_for(current_user)
    if form.validate_on_submit() and entry is not None:
        db.session.delete(entry)
        db.session.commit()
        log.info("calendar feed revoked user_id=%s", current_user.id)
        flash("Calendar feed turned off. Its address no longer works.", "success")
    return redirect(url_for("calendar.settings"))

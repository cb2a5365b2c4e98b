"""Review reminder emails: one digest per owner of records due soon or overdue."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, render_template
from sqlalchemy import select

from core import mail
from core.auth.models import User
from core.extensions import db
from register.reviews import ReviewItem, review_items

log = logging.getLogger(__name__)


@dataclass
class Digest:
    owner: User
    items: list[ReviewItem]

    def overdue(self, today: date) -> list[ReviewItem]:
        return [item for item in self.items if item.next_review_on < today]


@dataclass
class RunSummary:
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)
    skipped: list[Digest] = field(default_factory=list)


def collect_digests(today: date) -> list[Digest]:
    """Group the records due within the reminder window, or overdue, by owner."""
    until = today + timedelta(days=current_app.config["REGISTER_REMINDER_DAYS"])
    items, _ = review_items(until=until)
    by_owner: dict[int, list[ReviewItem]] = defaultdict(list)
    for item in items:
        by_owner[item.owner_id].append(item)
    owners = db.session.scalars(select(User).where(User.id.in_(by_owner))).all()
    return [Digest(owner, by_owner[owner.id]) for owner in sorted(owners, key=lambda u: u.name)]


def record_link(item: ReviewItem) -> str:
    """Return the item's page under the configured public base URL."""
    urls = current_app.url_map.bind("localhost")
    path = urls.build(item.source.endpoint, {item.source.id_arg: item.page_id})
    return current_app.config["REGISTER_BASE_URL"].rstrip("/") + path


def compose(digest: Digest, today: date) -> mail.Mail:
    overdue = digest.overdue(today)
    count = len(digest.items)
    subject = f"Privacy register: {count} review{'s' if count != 1 else ''} due"
    if overdue:
        subject += f", {len(overdue)} overdue"
    context = {"digest": digest, "today": today, "overdue": overdue, "link": record_link}
    return mail.Mail(
        to=(digest.owner.email,),
        subject=subject,
        text=render_template("emails/reminder_digest.txt", **context),
        html=render_template("emails/reminder_digest.html", **context),
    )


def send_reminders(today: date, dry_run: bool = False) -> RunSummary:
    """Send one digest to each owner with reviews due; raise MailError if the server fails."""
    summary = RunSummary()
    digests = collect_digests(today)
    active = [digest for digest in digests if digest.owner.is_active]
    summary.skipped = [digest for digest in digests if not digest.owner.is_active]
    for digest in summary.skipped:
        log.warning("reminder skipped: owner user_id=%s is deactivated", digest.owner.id)
    if dry_run or not active:
        summary.sent = active if dry_run else []
        return summary
    with mail.connect() as connection:
        for digest in active:
            try:
                connection.send(compose(digest, today))
            except mail.MailError as error:
                log.error("reminder failed user_id=%s: %s", digest.owner.id, error)
                summary.failed.append((digest, str(error)))
            else:
                log.info("reminder sent user_id=%s items=%s", digest.owner.id, len(digest.items))
                summary.sent.append(digest)
    return summary

"""Personal calendar feeds: secret, revocable, and valid iCalendar."""

import hashlib
import re
from datetime import date, timedelta

import pytest

from core.extensions import db
from register.calendar import escape_text, fold
from register.models import CalendarFeed


def create_address(client) -> str:
    page = client.post("/calendar").get_data(as_text=True)
    match = re.search(r"https://register\.example\.org(/calendar/feed/[A-Za-z0-9_-]+\.ics)", page)
    assert match, page
    return match.group(1)


def test_feed_lists_own_dates(world, make_dpia, login, client):
    mine = make_dpia(date(2026, 7, 1), title="Dorothy; grading, and logs")
    make_dpia(date(2026, 7, 2), owner=world.other_lead, title="Someone else's record")
    path = create_address(login(world.lead))
    client.post("/sign-out")

    response = client.get(path)

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:dpia-{mine.id}@register.example.org" in body
    assert "DTSTART;VALUE=DATE:20260701\r\n" in body
    assert "DTEND;VALUE=DATE:20260702\r\n" in body
    assert "SUMMARY:Review due: Dorothy\\; grading\\, and logs\r\n" in body
    assert f"URL:https://register.example.org/dpias/{mine.id}" in body
    assert "Someone else" not in body


def test_token_stored_hashed(world, login):
    path = create_address(login(world.lead))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.scalar(db.select(CalendarFeed))
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash


def test_replace_revokes_old_address(world, login, client):
    lead = login(world.lead)
    old = create_address(lead)
    new = create_address(lead)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_turn_off_revokes(world, login, client):
    lead = login(world.lead)
    path = create_address(lead)
    response = lead.post("/calendar/revoke")
    assert response.status_code == 302
    assert db.session.scalar(db.select(CalendarFeed)) is None
    assert client.get(path).status_code == 404


def test_deactivated_user_feed_stops(world, login, client):
    path = create_address(login(world.lead))
    world.lead.is_active = False
    db.session.commit()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["short", "A" * 43, "%00" * 30, "x" * 500, "../../etc/passwd"],
)
def test_bad_token_not_found(app, client, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_settings_page_needs_sign_in(app, client):
    response = client.get("/calendar")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_action_dates_in_feed(world, make_dpia, login, client):
    from register.models import Review, ReviewAction

    dpia = make_dpia(world.today + timedelta(days=100), owner=world.dpo)
    db.session.add(
        Review(
            record_kind="dpia",
            record_id=dpia.id,
            project_id=world.dorothy.id,
            record_title=dpia.title,
            review_type="ad_hoc",
            trigger="complaint",
            reviewer=world.dpo,
            reviewed_on=world.today,
            is_processing_as_recorded=False,
            findings="A complaint showed footage kept too long.",
            is_risk_changed=False,
            outcome="minor_update",
            is_dpo_consulted=True,
            next_review_on=dpia.next_review_on,
            recorded_by=world.dpo,
            actions=[
                ReviewAction(
                    description="Delete footage past its retention date",
                    owner=world.lead,
                    due_on=date(2026, 9, 1),
                )
            ],
        )
    )
    db.session.commit()
    body = client.get(create_address(login(world.lead))).get_data(as_text=True)
    assert "SUMMARY:Action due: Delete footage past its retention date\r\n" in body
    assert "DTSTART;VALUE=DATE:20260901\r\n" in body


def test_escape_and_fold():
    assert escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(parts) == line

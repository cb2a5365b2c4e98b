"""Reminder digests sent through a real SMTP server on loopback."""

import socket
from datetime import timedelta

from core.extensions import db
from dpia.models import Dpia, PbdAssessment


def add_dated(world):
    records = [
        Dpia(
            project=world.dorothy,
            decision=world.decision,
            title="Dorothy DPIA",
            owner=world.lead,
            next_review_on=world.today - timedelta(days=3),
        ),
        PbdAssessment(
            project=world.dorothy,
            assessor=world.lead,
            assessed_on=world.today,
            decision=world.decision,
            title="Dorothy design stage",
            owner=world.lead,
            next_review_on=world.today + timedelta(days=20),
        ),
        PbdAssessment(
            project=world.dorothy,
            assessor=world.lead,
            assessed_on=world.today,
            decision=world.decision,
            title="Far future",
            owner=world.lead,
            next_review_on=world.today + timedelta(days=31),
        ),
        Dpia(
            project=world.kestrel,
            decision=world.other_decision,
            title="Kestrel <DPIA>",
            owner=world.other_lead,
            next_review_on=world.today + timedelta(days=30),
        ),
    ]
    db.session.add_all(records)
    db.session.commit()
    return records


def test_one_digest_per_owner(runner, world, smtp_server):
    records = add_dated(world)
    result = runner.invoke(args=["reminders", "send", "--today", world.today.isoformat()])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 failed, 0 skipped" in result.output
    by_recipient = {tuple(rcpt): message for rcpt, message in smtp_server.messages}
    assert set(by_recipient) == {("lead@example.org",), ("lead2@example.org",)}

    lead_mail = by_recipient[("lead@example.org",)]
    assert lead_mail["Subject"] == "Privacy register: 2 items due, 1 overdue"
    text = lead_mail.get_body(("plain",)).get_content()
    assert "Dorothy DPIA" in text
    assert "Dorothy design stage" in text
    assert "Far future" not in text
    assert f"https://register.example.org/dpias/{records[0].id}" in text
    assert f"https://register.example.org/assessments/{records[1].id}" in text
    html = lead_mail.get_body(("html",)).get_content()
    assert f'href="https://register.example.org/dpias/{records[0].id}"' in html

    kestrel_html = by_recipient[("lead2@example.org",)].get_body(("html",)).get_content()
    assert "Kestrel &lt;DPIA&gt;" in kestrel_html


def test_dry_run_sends_nothing(runner, world, smtp_server):
    add_dated(world)
    result = runner.invoke(
        args=["reminders", "send", "--dry-run", "--today", world.today.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "would send to lead@example.org: 2 item(s)" in result.output
    assert "Dorothy DPIA" in result.output
    assert smtp_server.messages == []


def test_unreachable_server_exits_non_zero(app, runner, world):
    add_dated(world)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app.config["MAIL_PORT"] = closed_port
    result = runner.invoke(args=["reminders", "send", "--today", world.today.isoformat()])
    assert result.exit_code != 0
    assert f"could not connect to the mail server 127.0.0.1:{closed_port}" in result.output


def test_bad_today_option_rejected(runner, world):
    result = runner.invoke(args=["reminders", "send", "--today", "2021-02-30"])
    assert result.exit_code == 2
    assert "is not a date in the form YYYY-MM-DD" in result.output


def test_nothing_due_sends_nothing(runner, world, smtp_server):
    result = runner.invoke(args=["reminders", "send", "--today", world.today.isoformat()])
    assert result.exit_code == 0
    assert "0 sent, 0 failed, 0 skipped" in result.output
    assert smtp_server.messages == []


def test_sent_digest_recorded_in_audit_trail(runner, world, smtp_server):
    from core.audit import AuditEvent

    add_dated(world)
    result = runner.invoke(args=["reminders", "send", "--today", world.today.isoformat()])
    assert result.exit_code == 0, result.output
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "reminder_sent")
    ).all()
    assert len(events) == len(smtp_server.messages)
    assert {event.record_id for event in events} == {world.lead.id, world.other_lead.id}

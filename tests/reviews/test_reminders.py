"""The reminder job against a real SMTP server on loopback: each reminder goes out once."""

import logging
import threading
from datetime import UTC, date, datetime, timedelta

from core.extensions import db
from register.reminders import send_reminders, today_at
from tests.conftest import counted_queries
from tests.reviews.conftest import body_html, body_text, ledger, subject, summary_of, take

DAY = date(2026, 3, 2)
LEAD = "lead@example.org"
OTHER_LEAD = "lead2@example.org"
DPO = "dpo@example.org"
MAILBOX = "dpo-team@example.org"


def single(title: str, state: str = "due", noun: str = "review") -> str:
    return f"Privacy register: {noun} {state}: {title}"


def test_digest_lists_each_item_once(app, world, make_dpia, smtp_server):
    soon = make_dpia(DAY + timedelta(days=7), title="Dorothy online investigation")
    later = make_dpia(DAY + timedelta(days=30), title="Dorothy case system")
    make_dpia(DAY + timedelta(days=31), title="Not yet due")

    summary = send_reminders(DAY)

    messages = take(smtp_server)
    assert summary_of(messages) == [((LEAD,), "Privacy register: 2 items due")]
    assert len(summary.sent) == 1
    assert summary.failed == []
    message = messages[0][1]
    assert message["To"] == LEAD
    assert message["From"] == "register@example.org"
    text = body_text(message)
    assert "Dear Liam Hart," in text
    assert f"https://register.example.org/dpias/{soon.id}" in text
    assert f"https://register.example.org/dpias/{later.id}" in text
    assert "due in 7 days, on 9 March 2026" in text
    assert "due in 30 days, on 1 April 2026" in text
    assert "Not yet due" not in text
    html = body_html(message)
    assert f'href="https://register.example.org/dpias/{soon.id}"' in html
    assert ledger() == [
        ("dpia", soon.id, soon.next_review_on, "before-30", LEAD, "sent"),
        ("dpia", soon.id, soon.next_review_on, "before-7", LEAD, "sent"),
        ("dpia", later.id, later.next_review_on, "before-30", LEAD, "sent"),
    ]


def test_second_run_same_day_sends_nothing(app, world, make_dpia, smtp_server):
    make_dpia(DAY + timedelta(days=7))
    send_reminders(DAY)
    assert len(take(smtp_server)) == 1

    summary = send_reminders(DAY)

    assert take(smtp_server) == []
    assert summary.sent == []
    assert summary.failed == []


def test_three_missed_days_caught_up_once(app, world, make_dpia, smtp_server):
    seven_days = make_dpia(DAY + timedelta(days=1 + 7), title="Seven days on day one")
    thirty_days = make_dpia(DAY + timedelta(days=2 + 30), title="Thirty days on day two")
    due = make_dpia(DAY + timedelta(days=3), title="Due on day three")
    send_reminders(DAY)
    assert summary_of(take(smtp_server)) == [((LEAD,), "Privacy register: 2 items due")]

    # The job does not run on days one to three.
    send_reminders(DAY + timedelta(days=4))

    messages = take(smtp_server)
    assert summary_of(messages) == [((LEAD,), "Privacy register: 3 items due, 1 overdue")]
    text = body_text(messages[0][1])
    assert text.count("Seven days on day one") == 1
    assert text.count("Thirty days on day two") == 1
    assert text.count("Due on day three") == 1
    stages = [(row[1], row[3]) for row in ledger() if row[5] == "sent"]
    assert (seven_days.id, "before-7") in stages
    assert (thirty_days.id, "before-30") in stages
    assert (due.id, "due") in stages

    send_reminders(DAY + timedelta(days=5))
    assert take(smtp_server) == []


def test_refused_then_back_sends_once(app, world, make_dpia, smtp_server, closed_port, runner):
    dpia = make_dpia(DAY + timedelta(days=7))
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = closed_port

    result = runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])

    assert result.exit_code == 1
    assert "0 sent, 1 failed, 0 skipped" in result.output
    assert take(smtp_server) == []
    assert ledger() == [
        ("dpia", dpia.id, dpia.next_review_on, "before-30", LEAD, "failed"),
        ("dpia", dpia.id, dpia.next_review_on, "before-7", LEAD, "failed"),
    ]
    rows = db.session.scalars(db.select(db.Model.registry._class_registry["Reminder"])).all()
    assert {row.attempts for row in rows} == {1}
    assert all("could not connect to the mail server" in row.last_error for row in rows)

    app.config["MAIL_PORT"] = port
    result = runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])

    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed, 0 skipped" in result.output
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]
    rows = db.session.scalars(db.select(db.Model.registry._class_registry["Reminder"])).all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 2)}

    runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])
    assert take(smtp_server) == []


def test_hanging_server_times_out(app, world, make_dpia, smtp_server, hanging_server):
    make_dpia(DAY + timedelta(days=7))
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=hanging_server, MAIL_TIMEOUT=0.5)

    summary = send_reminders(DAY)

    assert len(summary.failed) == 1
    assert "timed out" in summary.failed[0][1]
    assert {row[5] for row in ledger()} == {"failed"}

    app.config["MAIL_PORT"] = port
    send_reminders(DAY)
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]
    send_reminders(DAY)
    assert take(smtp_server) == []


def test_moved_date_sends_for_new_date_only(app, world, make_dpia, smtp_server):
    dpia = make_dpia(DAY + timedelta(days=7))
    send_reminders(DAY)
    assert len(take(smtp_server)) == 1

    dpia.next_review_on = DAY + timedelta(days=60)
    db.session.commit()
    send_reminders(DAY + timedelta(days=1))
    assert take(smtp_server) == []

    dpia.next_review_on = DAY + timedelta(days=5)
    db.session.commit()
    send_reminders(DAY + timedelta(days=1))
    messages = take(smtp_server)
    assert summary_of(messages) == [((LEAD,), single("Dorothy online investigation"))]
    assert "due in 4 days, on 7 March 2026" in body_text(messages[0][1])


def test_moved_date_cancels_failed_reminder(app, world, make_dpia, smtp_server, closed_port):
    dpia = make_dpia(DAY + timedelta(days=7))
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = closed_port
    send_reminders(DAY)
    dpia.next_review_on = DAY + timedelta(days=100)
    db.session.commit()
    app.config["MAIL_PORT"] = port

    summary = send_reminders(DAY)

    assert take(smtp_server) == []
    assert summary.cancelled == 2
    assert {row[5] for row in ledger()} == {"cancelled"}


def test_owner_change_mails_new_owner_only(app, world, make_dpia, smtp_server, closed_port):
    dpia = make_dpia(DAY + timedelta(days=7))
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = closed_port
    send_reminders(DAY)
    dpia.owner = world.other_lead
    db.session.commit()
    app.config["MAIL_PORT"] = port

    send_reminders(DAY)

    messages = take(smtp_server)
    assert summary_of(messages) == [((OTHER_LEAD,), single("Dorothy online investigation"))]
    assert "Dear Priya Shah," in body_text(messages[0][1])
    rows = ledger()
    assert [row[5] for row in rows if row[4] == LEAD] == ["cancelled", "cancelled"]
    assert [row[5] for row in rows if row[4] == OTHER_LEAD] == ["sent", "sent"]


def test_owner_change_after_send(app, world, make_dpia, smtp_server):
    dpia = make_dpia(DAY + timedelta(days=7))
    send_reminders(DAY)
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]
    dpia.owner = world.other_lead
    db.session.commit()

    send_reminders(DAY + timedelta(days=1))

    assert summary_of(take(smtp_server)) == [
        ((OTHER_LEAD,), single("Dorothy online investigation"))
    ]


def test_overdue_copies_dpo_mailbox_from_first(app, world, make_dpia, smtp_server):
    dpia = make_dpia(DAY)
    send_reminders(DAY)
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]

    send_reminders(DAY + timedelta(days=6))
    assert take(smtp_server) == []

    send_reminders(DAY + timedelta(days=7))
    messages = take(smtp_server)
    overdue = single("Dorothy online investigation", "overdue")
    assert summary_of(messages) == [((MAILBOX,), overdue), ((LEAD,), overdue)]
    mailbox_copy = dict((rcpts[0], message) for rcpts, message in messages)[MAILBOX]
    assert "Hello," in body_text(mailbox_copy)
    assert "Owner: Liam Hart" in body_text(mailbox_copy)

    send_reminders(DAY + timedelta(days=13))
    assert take(smtp_server) == []
    send_reminders(DAY + timedelta(days=14))
    assert summary_of(take(smtp_server)) == [((MAILBOX,), overdue), ((LEAD,), overdue)]
    assert ("dpia", dpia.id, DAY, "overdue-2", MAILBOX, "sent") in ledger()


def test_two_roles_on_one_item_mailed_once(app, world, make_dpia, smtp_server):
    app.config["REGISTER_DPO_MAILBOX"] = DPO
    make_dpia(DAY - timedelta(days=7), owner=world.dpo, title="Owned by the DPO")
    make_dpia(DAY - timedelta(days=7), owner=world.lead, title="Owned by the lead")

    send_reminders(DAY)

    messages = take(smtp_server)
    assert summary_of(messages) == [
        ((DPO,), "Privacy register: 2 items due, 2 overdue"),
        ((LEAD,), single("Owned by the lead", "overdue")),
    ]
    text = body_text(dict((rcpts[0], m) for rcpts, m in messages)[DPO])
    assert text.count("Owned by the DPO") == 1
    assert text.count("Owned by the lead") == 1


def test_bst_run_after_midnight_uses_london_date(app, world, make_dpia, smtp_server):
    make_dpia(date(2026, 7, 1))
    send_reminders(date(2026, 6, 30))
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]

    # 23:59 BST on 30 June: nothing new.
    send_reminders(today_at(datetime(2026, 6, 30, 22, 59, tzinfo=UTC)))
    assert take(smtp_server) == []

    # 00:30 BST on 1 July is still 30 June in UTC.
    today = today_at(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert today == date(2026, 7, 1)
    send_reminders(today)
    messages = take(smtp_server)
    assert summary_of(messages) == [((LEAD,), single("Dorothy online investigation"))]
    assert "due today, 1 July 2026" in body_text(messages[0][1])


def test_gmt_changeover_dates(app, world, make_dpia, smtp_server):
    make_dpia(date(2026, 11, 1))
    send_reminders(date(2026, 10, 31))
    take(smtp_server)

    # Clocks went back on 25 October: 23:30 UTC on 31 October is 23:30 GMT.
    late = today_at(datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    assert late == date(2026, 10, 31)
    send_reminders(late)
    assert take(smtp_server) == []

    send_reminders(today_at(datetime(2026, 11, 1, 0, 30, tzinfo=UTC)))
    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]


def test_spring_changeover_dates(app):
    # Clocks go forward at 01:00 UTC on 29 March 2026.
    assert today_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 28)
    assert today_at(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == date(2026, 3, 29)
    assert today_at(datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == date(2026, 3, 30)


def test_subject_header_injection(app, world, make_dpia, smtp_server):
    make_dpia(DAY + timedelta(days=7), title="Quarterly check\r\nBcc: attacker@example.com")

    send_reminders(DAY)

    messages = take(smtp_server)
    assert len(messages) == 1
    recipients, message = messages[0]
    assert recipients == [LEAD]
    assert len(message.get_all("Subject")) == 1
    assert subject(message) == (
        "Privacy register: review due: Quarterly check Bcc: attacker@example.com"
    )
    assert message.get_all("Bcc") is None
    assert message.get_all("To") == [LEAD]


def test_subject_non_ascii_encoded(app, world, make_dpia, smtp_server):
    title = "Überprüfung – café data"
    make_dpia(DAY + timedelta(days=7), title=title)

    send_reminders(DAY)

    messages = take(smtp_server)
    assert len(messages) == 1
    message = messages[0][1]
    assert len(message.get_all("Subject")) == 1
    assert subject(message) == single(title)
    raw = message.as_bytes()
    header = raw.split(b"\n\n", 1)[0]
    subject_lines = [line for line in header.split(b"\n") if line.lower().startswith(b"subject:")]
    assert len(subject_lines) == 1
    assert b"=?utf-8?" in header.lower()
    assert raw.isascii()


def test_dry_run_sends_and_writes_nothing(app, world, make_dpia, smtp_server, runner):
    make_dpia(DAY + timedelta(days=7))

    result = runner.invoke(args=["reminders", "send", "--dry-run", "--today", DAY.isoformat()])

    assert result.exit_code == 0, result.output
    assert "would send to lead@example.org: 1 item(s)" in result.output
    assert "1 to send, 0 failed, 0 skipped" in result.output
    assert take(smtp_server) == []
    assert ledger() == []


def test_cli_rejects_bad_date(app, runner):
    result = runner.invoke(args=["reminders", "send", "--today", "2026-02-30"])
    assert result.exit_code == 2
    assert "not a date in the form YYYY-MM-DD" in result.output


def test_deactivated_owner_goes_to_mailbox(app, world, make_dpia, smtp_server):
    make_dpia(DAY + timedelta(days=7))
    world.lead.is_active = False
    db.session.commit()

    send_reminders(DAY)

    messages = take(smtp_server)
    assert summary_of(messages) == [((MAILBOX,), single("Dorothy online investigation"))]
    assert "Owner: Liam Hart" in body_text(messages[0][1])


def test_deactivated_owner_skipped(app, world, make_dpia, smtp_server, runner):
    app.config["REGISTER_DPO_MAILBOX"] = ""
    make_dpia(DAY + timedelta(days=7))
    world.lead.is_active = False
    db.session.commit()

    result = runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])

    assert result.exit_code == 0
    assert "0 sent, 0 failed, 1 skipped" in result.output
    assert take(smtp_server) == []
    assert {row[5] for row in ledger()} == {"skipped"}


def test_log_has_ids_not_content(app, world, make_dpia, smtp_server, caplog):
    dpia = make_dpia(DAY + timedelta(days=7), title="Secret operation name")
    with caplog.at_level(logging.INFO, logger="register.reminders"):
        send_reminders(DAY)
    sent = [record.getMessage() for record in caplog.records if "reminder sent" in record.message]
    assert len(sent) == 1
    assert f"user_id={world.lead.id}" in sent[0]
    assert f"items=dpia:{dpia.id}" in sent[0]
    assert "Secret operation name" not in caplog.text
    assert LEAD not in caplog.text


def test_review_action_reminds_its_owner(app, world, make_dpia, smtp_server, login):
    from register.models import Review, ReviewAction

    dpia = make_dpia(DAY + timedelta(days=200))
    review = Review(
        record_kind="dpia",
        record_id=dpia.id,
        project_id=world.dorothy.id,
        record_title=dpia.title,
        review_type="scheduled",
        trigger="scheduled",
        reviewer=world.dpo,
        reviewed_on=DAY - timedelta(days=10),
        is_processing_as_recorded=True,
        findings="Retention rule not yet automated.",
        is_risk_changed=False,
        outcome="minor_update",
        is_dpo_consulted=True,
        next_review_on=dpia.next_review_on,
        recorded_by=world.dpo,
        actions=[
            ReviewAction(
                description="Automate the retention rule",
                owner=world.other_lead,
                due_on=DAY + timedelta(days=7),
            )
        ],
    )
    db.session.add(review)
    db.session.commit()

    send_reminders(DAY)

    messages = take(smtp_server)
    assert summary_of(messages) == [
        ((OTHER_LEAD,), single("Automate the retention rule", noun="action"))
    ]
    assert f"https://register.example.org/reviews/{review.id}" in body_text(messages[0][1])


def test_concurrent_runs_send_once(app, world, make_dpia, smtp_server):
    for number in range(5):
        make_dpia(DAY + timedelta(days=7), title=f"Lead's record {number}")
        make_dpia(DAY - timedelta(days=7), owner=world.other_lead, title=f"Overdue {number}")
    barrier = threading.Barrier(4)
    summaries, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                summaries.append(send_reminders(DAY))
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert summary_of(take(smtp_server)) == [
        ((MAILBOX,), "Privacy register: 5 items due, 5 overdue"),
        ((OTHER_LEAD,), "Privacy register: 5 items due, 5 overdue"),
        ((LEAD,), "Privacy register: 5 items due"),
    ]
    assert sum(len(summary.sent) for summary in summaries) == 3
    assert {row[5] for row in ledger()} == {"sent"}


def test_abandoned_claim_sent_later(app, world, make_dpia, smtp_server):
    from register import reminder_ledger
    from register.models import Reminder

    make_dpia(DAY + timedelta(days=7))
    # A run that claimed its reminders and stopped before sending them.
    planned = reminder_ledger.plan(DAY)
    reminder_ledger.insert_missing(planned)
    reminder_ledger.claim(planned, DAY)

    send_reminders(DAY)
    assert take(smtp_server) == []

    for row in db.session.scalars(db.select(Reminder)):
        row.claimed_at = row.claimed_at - timedelta(minutes=61)
    db.session.commit()
    send_reminders(DAY)

    assert summary_of(take(smtp_server)) == [((LEAD,), single("Dorothy online investigation"))]
    assert {row[5] for row in ledger()} == {"sent"}


def test_configured_offsets_and_repeat(app, world, make_dpia, smtp_server):
    app.config.update(REGISTER_REMINDER_OFFSETS="14,1", REGISTER_REMINDER_REPEAT_DAYS=3)
    dpia = make_dpia(DAY + timedelta(days=14))
    sent_on = []
    for offset in range(0, 22):
        today = DAY + timedelta(days=offset)
        if take_count(smtp_server, today):
            sent_on.append(offset)

    assert sent_on == [0, 13, 17, 20]
    stages = [row[3] for row in ledger() if row[1] == dpia.id and row[4] == LEAD]
    assert stages == ["before-1", "before-14", "overdue-1", "overdue-2"]


def take_count(mailbox, today) -> int:
    send_reminders(today)
    return len([rcpts for rcpts, _ in take(mailbox) if rcpts == [LEAD]])


def test_rejected_recipient_retried_alone(app, world, make_dpia, picky_smtp_server, runner):
    make_dpia(DAY + timedelta(days=7), title="Lead's record")
    make_dpia(DAY + timedelta(days=7), owner=world.other_lead, title="Other lead's record")
    picky_smtp_server.rejected.add(OTHER_LEAD)

    result = runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])

    assert result.exit_code == 1
    assert "1 sent, 1 failed, 0 skipped" in result.output
    assert summary_of(take(picky_smtp_server)) == [((LEAD,), single("Lead's record"))]
    assert {row[5] for row in ledger() if row[4] == OTHER_LEAD} == {"failed"}

    picky_smtp_server.rejected.clear()
    result = runner.invoke(args=["reminders", "send", "--today", DAY.isoformat()])

    assert result.exit_code == 0
    assert summary_of(take(picky_smtp_server)) == [((OTHER_LEAD,), single("Other lead's record"))]


def test_send_queries_do_not_grow_with_items(app, world, make_dpia, smtp_server):
    """A digest costs the same queries for 2 items as for 10, and each run commits its ledger."""
    counts = []
    for items in (2, 10):
        dpias = [
            make_dpia(DAY + timedelta(days=7 + number), title=f"DPIA {items}-{number}")
            for number in range(items)
        ]
        with counted_queries() as statements:
            summary = send_reminders(DAY)
        assert len(summary.sent) == 1
        assert len(summary.sent[0].lines) == items
        assert {row[-1] for row in ledger()} == {"sent"}
        counts.append(len(statements))
        # Undated DPIAs drop out of the next run, which then sends the new ones alone.
        for dpia in dpias:
            dpia.next_review_on = None
        db.session.commit()
    assert counts[1] == counts[0]

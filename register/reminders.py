"""Review reminder emails: one digest per recipient per run, each reminder sent once.

The ledger (register.reminder_ledger) decides what is due and claims it;
this module groups the claimed reminders by recipient, renders one email
for each from templates, sends it and records the outcome.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app, render_template

from core import mail
from core.audit import record_event
from core.auth.models import User
from core.timeutil import local_zone
from register import reminder_ledger as ledger
from register.models import Reminder
from register.reviews import ReviewItem

log = logging.getLogger(__name__)


def today_at(moment: datetime | None = None) -> date:
    """Return the calendar date in REGISTER_TIMEZONE at `moment` (default now).

    At 00:30 BST on 1 July the server's UTC date is still 30 June, but the
    reminders for 1 July must go out then.
    """
    moment = moment or datetime.now(UTC)
    return moment.astimezone(local_zone()).date()


@dataclass
class DigestLine:
    """One item in a digest, with the ids of the ledger rows it settles.

    The ids are copied when the digest is grouped, because each commit
    expires the rows and reading an id again would reload its row.
    """

    item: ReviewItem
    reminder_ids: list[int | None] = field(default_factory=list)

    def days_left(self, today: date) -> int:
        return (self.item.due_on - today).days


@dataclass
class Digest:
    """Everything one recipient hears about in one run."""

    recipient: str
    user: User | None
    lines: list[DigestLine]

    @property
    def reminder_ids(self) -> list[int | None]:
        return [reminder_id for line in self.lines for reminder_id in line.reminder_ids]

    def overdue(self, today: date) -> list[DigestLine]:
        return [line for line in self.lines if line.item.due_on < today]

    def log_ids(self) -> str:
        return ",".join(str(reminder_id) for reminder_id in self.reminder_ids)

    def log_items(self) -> str:
        return ",".join(f"{line.item.kind}:{line.item.record_id}" for line in self.lines)


@dataclass
class RunSummary:
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)
    skipped: list[Digest] = field(default_factory=list)
    cancelled: int = 0


def group_digests(pairs) -> list[Digest]:
    """Group (ledger row, planned reminder) pairs into one digest per recipient.

    An item reaches a recipient once per digest, however many of its
    stages or roles are being settled.
    """
    digests: dict[str, Digest] = {}
    lines: dict[tuple[str, tuple], DigestLine] = {}
    for row, planned in pairs:
        digest = digests.setdefault(row.recipient, Digest(row.recipient, planned.user, []))
        item_key = (planned.item.kind, planned.item.record_id, planned.item.due_on)
        line = lines.get((row.recipient, item_key))
        if line is None:
            line = lines[(row.recipient, item_key)] = DigestLine(planned.item)
            digest.lines.append(line)
        line.reminder_ids.append(row.id)
    for digest in digests.values():
        digest.lines.sort(key=lambda line: (line.item.due_on, line.item.kind, line.item.record_id))
    return sorted(digests.values(), key=lambda digest: digest.recipient)


def record_link(item: ReviewItem) -> str:
    """Return the item's page under the configured public base URL."""
    urls = current_app.url_map.bind("localhost")
    path = urls.build(item.source.endpoint, {item.source.id_arg: item.page_id})
    return current_app.config["REGISTER_BASE_URL"].rstrip("/") + path


def item_noun(item: ReviewItem) -> str:
    return "action" if not item.source.is_review() else "review"


def subject_for(digest: Digest, today: date) -> str:
    """Return the subject. core.mail turns any line break in a title into a space."""
    if len(digest.lines) == 1:
        line = digest.lines[0]
        state = "overdue" if line.days_left(today) < 0 else "due"
        return f"Privacy register: {item_noun(line.item)} {state}: {line.item.title}"
    count = len(digest.lines)
    overdue = len(digest.overdue(today))
    subject = f"Privacy register: {count} items due"
    if overdue:
        subject += f", {overdue} overdue"
    return subject


def compose(digest: Digest, today: date) -> mail.Mail:
    context = {
        "digest": digest,
        "today": today,
        "overdue": digest.overdue(today),
        "link": record_link,
        "noun": item_noun,
        "is_dpo_mailbox": digest.recipient
        == current_app.config["REGISTER_DPO_MAILBOX"].strip().lower(),
    }
    return mail.Mail(
        to=(digest.recipient,),
        subject=subject_for(digest, today),
        text=render_template("emails/reminder_digest.txt", **context),
        html=render_template("emails/reminder_digest.html", **context),
    )


def preview(today: date) -> list[Digest]:
    """Return the digests a run would send today, changing nothing."""
    planned = ledger.plan(today)
    done = ledger.existing_keys(set(planned), ("sent", "claimed", "skipped"))
    pairs = [
        (Reminder(id=None, recipient=reminder.recipient), reminder)
        for key, reminder in sorted(planned.items())
        if key not in done
    ]
    return group_digests(pairs)


def send_reminders(today: date, dry_run: bool = False) -> RunSummary:
    """Send each recipient one digest of their reminders due today or earlier.

    Reminders already sent are not sent again, and failed ones are retried
    by the next run. With `dry_run`, nothing is written or sent and
    `sent` lists what would go out.
    """
    summary = RunSummary()
    if dry_run:
        summary.sent = preview(today)
        return summary
    planned = ledger.plan(today)
    ledger.insert_missing(planned)
    token, summary.cancelled = ledger.claim(planned, today)
    digests = group_digests(ledger.planned_for(ledger.claimed_rows(token), planned))
    active = []
    for digest in digests:
        if digest.user is not None and not digest.user.is_active:
            ledger.mark(digest.reminder_ids, "skipped", "the recipient's account is deactivated")
            log.warning(
                "reminder skipped: account deactivated user_id=%s reminder_ids=%s",
                digest.user.id,
                digest.log_ids(),
            )
            summary.skipped.append(digest)
        else:
            active.append(digest)
    if not active:
        return summary
    try:
        with mail.connect() as connection:
            for digest in active:
                _send_one(connection, digest, today, summary)
    except mail.MailError as error:
        # The connection failed: every digest not yet settled is marked failed.
        for digest in active:
            if digest not in summary.sent and all(d is not digest for d, _ in summary.failed):
                _record_failure(digest, str(error), summary)
    return summary


def _send_one(connection, digest: Digest, today: date, summary: RunSummary) -> None:
    try:
        connection.send(compose(digest, today))
    except mail.MailError as error:
        _record_failure(digest, str(error), summary)
        return
    # Written with the ledger's commit below, so the trail and the ledger agree.
    record_event(
        "reminder_sent",
        digest.user,
        summary=(
            f"Reminder digest sent to {digest.recipient}: {len(digest.reminder_ids)} reminder(s)"
        ),
    )
    ledger.mark(digest.reminder_ids, "sent")
    log.info(
        "reminder sent user_id=%s reminder_ids=%s items=%s",
        digest.user.id if digest.user else None,
        digest.log_ids(),
        digest.log_items(),
    )
    summary.sent.append(digest)


def _record_failure(digest: Digest, error: str, summary: RunSummary) -> None:
    ledger.mark(digest.reminder_ids, "failed", error)
    log.error(
        "reminder failed user_id=%s reminder_ids=%s: %s",
        digest.user.id if digest.user else None,
        digest.log_ids(),
        error,
    )
    summary.failed.append((digest, error))

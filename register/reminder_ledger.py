"""The reminder ledger: which reminders are due, and claiming them so each goes out once.

Every reminder is a row keyed by (record kind, record id, due date, stage,
recipient) under a unique constraint. A run first plans the rows that
today's items call for and inserts the missing ones, then claims the
unsent ones in a transaction that serialises concurrent runs: row locks
with SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite. Rows are marked
sent only after the mail server accepted the message.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.auth.models import User
from core.config import reminder_offsets
from core.extensions import db
from core.timeutil import utc_now
from register.models import REMINDER_STATUSES, Reminder
from register.reviews import ItemFilter, ReviewItem, review_items

CLAIMABLE = ("pending", "failed")

# (record kind, record id, due date, stage, recipient): the ledger's unique key.
Key = tuple[str, int, date, str, str]


@dataclass(frozen=True)
class PlannedReminder:
    item: ReviewItem
    stage: str
    send_on: date
    recipient: str
    user: User | None

    @property
    def key(self) -> Key:
        item = self.item
        return (item.kind, item.record_id, item.due_on, self.stage, self.recipient)


def stages_due(due_on: date, today: date, offsets, repeat_days: int) -> list[tuple[str, date]]:
    """Return the stages of one due date whose send date is today or earlier.

    Before the due date there is one stage per offset ("before-30",
    "before-7", "due"). After it, overdue reminders go out every
    `repeat_days` days; only the latest of them is returned, because an
    overdue reminder that was never sent is replaced by the next one.
    """
    stages = []
    for offset in offsets:
        send_on = due_on - timedelta(days=offset)
        if send_on <= today:
            stages.append(("due" if offset == 0 else f"before-{offset}", send_on))
    repeats = (today - due_on).days // repeat_days
    if repeats >= 1:
        stages.append((f"overdue-{repeats}", due_on + timedelta(days=repeats * repeat_days)))
    return stages


def plan(today: date) -> dict[Key, PlannedReminder]:
    """Return every reminder that today's items call for, sent or not, by ledger key.

    The owner receives every stage. The DPO mailbox, when configured,
    receives the overdue ones, and every stage of items whose owner's
    account is deactivated. One address in two roles on an item
    appears once per stage.
    """
    config = current_app.config
    offsets = reminder_offsets(config["REGISTER_REMINDER_OFFSETS"])
    repeat_days = config["REGISTER_REMINDER_REPEAT_DAYS"]
    mailbox = config["REGISTER_DPO_MAILBOX"].strip().lower()
    until = today + timedelta(days=max(offsets))
    items, _ = review_items(where=ItemFilter(until=until), count=False)
    owner_ids = {item.owner_id for item in items if item.owner_id is not None}
    users = {
        user.id: user for user in db.session.scalars(select(User).where(User.id.in_(owner_ids)))
    }
    by_email = {user.email.lower(): user for user in users.values()}
    if mailbox and mailbox not in by_email:
        by_email[mailbox] = db.session.scalar(select(User).where(User.email == mailbox))

    planned: dict[Key, PlannedReminder] = {}
    for item in items:
        owner = users.get(item.owner_id)
        owner_address = owner.email.lower() if owner is not None else None
        if owner is not None and not owner.is_active and mailbox:
            # Nobody reads a deactivated account's mail, so the DPO mailbox
            # takes its reminders. Without a mailbox they are skipped.
            owner_address = mailbox
        for stage, send_on in stages_due(item.due_on, today, offsets, repeat_days):
            recipients = [owner_address] if owner_address else []
            if mailbox and stage.startswith("overdue-"):
                recipients.append(mailbox)
            for recipient in recipients:
                reminder = PlannedReminder(item, stage, send_on, recipient, by_email.get(recipient))
                planned.setdefault(reminder.key, reminder)
    return planned


def existing_keys(keys, statuses: tuple[str, ...]) -> set[Key]:
    """Return the `keys` that the ledger contains with one of `statuses`."""
    found = set()
    kinds = {key[0] for key in keys}
    ids = {key[1] for key in keys}
    if not keys:
        return found
    rows = db.session.execute(
        select(
            Reminder.record_kind,
            Reminder.record_id,
            Reminder.due_on,
            Reminder.stage,
            Reminder.recipient,
        ).where(
            Reminder.record_kind.in_(kinds),
            Reminder.record_id.in_(ids),
            Reminder.status.in_(statuses),
        )
    )
    for row in rows:
        if tuple(row) in keys:
            found.add(tuple(row))
    return found


def insert_missing(planned: dict[Key, PlannedReminder]) -> None:
    """Add a pending ledger row for each planned reminder the ledger lacks, and commit.

    A concurrent run may insert the same rows, so the unique constraint and
    ON CONFLICT DO NOTHING keep one of each.
    """
    missing = set(planned) - existing_keys(set(planned), REMINDER_STATUSES)
    if missing:
        insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        values = [
            {
                "record_kind": key[0],
                "record_id": key[1],
                "due_on": key[2],
                "stage": key[3],
                "recipient": key[4],
                "recipient_user_id": planned[key].user.id if planned[key].user else None,
                "send_on": planned[key].send_on,
                "status": "pending",
                "attempts": 0,
                "last_error": "",
                "created_at": utc_now(),
                "updated_at": utc_now(),
            }
            for key in sorted(missing)
        ]
        db.session.execute(insert(Reminder).on_conflict_do_nothing(), values)
    db.session.commit()


def _row_key(row: Reminder) -> Key:
    return (row.record_kind, row.record_id, row.due_on, row.stage, row.recipient)


def claim(planned: dict[Key, PlannedReminder], today: date) -> tuple[str, int]:
    """Claim every unsent reminder due today or earlier for this run, and commit.

    Rows that today's plan no longer contains (the item's date or owner
    changed, or a later overdue reminder replaced them) are cancelled in
    the same transaction. A claim left by a run that stopped before it
    finished becomes claimable again after REGISTER_REMINDER_CLAIM_MINUTES.
    Returns the claim token and how many rows were cancelled.
    """
    token = secrets.token_hex(16)
    stale = utc_now() - timedelta(minutes=current_app.config["REGISTER_REMINDER_CLAIM_MINUTES"])
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # Takes the write lock now, so a second run waits here until this
        # claim commits and then finds the rows already claimed.
        db.session.execute(text("BEGIN IMMEDIATE"))
    claimable = or_(
        Reminder.status.in_(CLAIMABLE),
        (Reminder.status == "claimed") & (Reminder.claimed_at < stale),
    )
    rows = db.session.execute(
        select(
            Reminder.id,
            Reminder.record_kind,
            Reminder.record_id,
            Reminder.due_on,
            Reminder.stage,
            Reminder.recipient,
        )
        .where(claimable, Reminder.send_on <= today)
        .order_by(Reminder.id)
        .with_for_update(skip_locked=True)
    ).all()
    keep, cancel = [], []
    for row in rows:
        key = (row.record_kind, row.record_id, row.due_on, row.stage, row.recipient)
        (keep if key in planned else cancel).append(row.id)
    now = utc_now()
    for chunk in _chunks(cancel):
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(chunk), claimable)
            .values(status="cancelled", claim_token=None, updated_at=now)
        )
    for chunk in _chunks(keep):
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(chunk), claimable)
            .values(status="claimed", claim_token=token, claimed_at=now, updated_at=now)
        )
    db.session.commit()
    return token, len(cancel)


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def claimed_rows(token: str) -> list[Reminder]:
    return list(
        db.session.scalars(
            select(Reminder).where(Reminder.claim_token == token).order_by(Reminder.id)
        )
    )


def planned_for(rows: list[Reminder], planned: dict[Key, PlannedReminder]):
    """Pair each claimed row with its planned reminder."""
    return [(row, planned[_row_key(row)]) for row in rows if _row_key(row) in planned]


def mark(ids: list[int], status: str, error: str = "") -> None:
    """Record the outcome of one send for the rows with these ids, and commit.

    One UPDATE per 500 rows, whatever the number of items, in place of a
    flush of each row. Like the claim, it writes the ledger without the ORM,
    so ledger rows get no row-change audit entries. The trail records each
    sent digest as a `reminder_sent` event instead.
    """
    now = utc_now()
    values = {"status": status, "claim_token": None, "last_error": error[:2000], "updated_at": now}
    if status in ("sent", "failed"):
        values["attempts"] = Reminder.attempts + 1
    if status == "sent":
        values["sent_at"] = now
    for chunk in _chunks(ids):
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(chunk))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()

"""The audit trail: an append-only record of who changed what and when.

Every insert, update and delete of a model is written to `audit_events` by
a flush hook, on the same connection and in the same transaction as the
change, so a change whose audit entry cannot be written is rolled back with
it. Events that are not row changes (sign-in, export, reminder sent) go in
through `record_event`.
"""

import contextvars
import datetime as dt
import decimal
import getpass
from contextlib import contextmanager

from flask import g, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import DDL, JSON, ForeignKey, Integer, String, event, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.properties import ColumnProperty, RelationshipProperty

from core.extensions import db
from core.timeutil import utc_now
from core.types import UTCDateTime

ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "archive": "Archived",
    "restore": "Restored",
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_out": "Signed out",
    "password_change": "Changed password",
    "two_factor": "Changed two-factor sign-in",
    "export": "Exported",
    "reminder_sent": "Reminder sent",
    "attachment_removed": "Removed attachment",
    "backup": "Backup written",
}

# Columns that change on every save and would only repeat the event's time.
NOISE_COLUMNS = frozenset({"created_at", "updated_at", "version_id"})
HIDDEN = "(not shown)"

_cli_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_actor", default=None)


class AuditTrailError(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class AuditEvent(db.Model):
    """One entry of the audit trail. Rows are only ever inserted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(30), index=True)
    record_type: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(45))

    actor = relationship("User", foreign_keys=[actor_id])

    __table_args__ = (db.Index("ix_audit_events_record", "record_type", "record_id"),)

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def record_label(self) -> str:
        if not self.record_type:
            return ""
        return f"{self.record_type.replace('_', ' ')} {self.record_id}"


# Databases refuse UPDATE and DELETE of audit rows too, so a stray SQL
# statement cannot rewrite history. The migration creates the same triggers.
SQLITE_TRIGGERS = [
    DDL(
        f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END"
    ).execute_if(dialect="sqlite")
    for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events cannot be changed or deleted'; END; "
    "$$ LANGUAGE plpgsql"
).execute_if(dialect="postgresql")
POSTGRESQL_TRIGGER = DDL(
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
).execute_if(dialect="postgresql")

for _ddl in [*SQLITE_TRIGGERS, POSTGRESQL_FUNCTION, POSTGRESQL_TRIGGER]:
    event.listen(AuditEvent.__table__, "after_create", _ddl)


@contextmanager
def acting_as(label: str):
    """Attribute changes made outside a request (CLI, jobs) to `label`."""
    token = _cli_actor.set(label)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def remember_actor() -> None:
    """Store who is signed in for this request; registered as a before-request hook.

    The flush hook reads it from `g` instead of `current_user`, because
    loading the user in the middle of a flush would query the database.
    """
    from flask_login import current_user

    if current_user.is_authenticated:
        g.audit_actor = (current_user.id, current_user.email)


def current_actor() -> tuple[int | None, str, str | None]:
    """Return (user id, label, address) for the change being made now."""
    address = request.remote_addr if has_request_context() else None
    if has_request_context() and g.get("audit_actor"):
        user_id, email = g.audit_actor
        return user_id, email, address
    label = _cli_actor.get()
    if label:
        return None, label, address
    if has_request_context():
        return None, "anonymous", address
    return None, _command_line_label(), address


def _command_line_label() -> str:
    """Name the operating-system account that ran a command, as the best actor known."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def set_request_actor(user) -> None:
    """Attribute the rest of this request's changes to `user`, who just signed in."""
    g.audit_actor = (user.id, user.email)


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "id"):
        return value.id
    return str(value)


def _is_audited(obj) -> bool:
    return not isinstance(obj, AuditEvent) and getattr(obj, "__audited__", True)


def _hidden_columns(obj) -> frozenset:
    return frozenset(getattr(obj, "__audit_hidden__", ()))


def _changed_fields(obj, mode: str) -> dict:
    """Return {field: [old, new]} for a new, changed or deleted object."""
    state = inspect(obj)
    hidden = _hidden_columns(obj)
    changes = {}
    column_keys = set()
    for prop in state.mapper.attrs:
        if isinstance(prop, ColumnProperty):
            column_keys.add(prop.key)
    for prop in state.mapper.attrs:
        key = prop.key
        if key in NOISE_COLUMNS:
            continue
        if isinstance(prop, ColumnProperty):
            if mode == "update":
                history = state.attrs[key].history
                if not history.has_changes():
                    continue
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
            elif mode == "create":
                old, new = None, state.dict.get(key)
            else:
                old, new = state.dict.get(key), None
            if key in hidden:
                old, new = (
                    (HIDDEN if old is not None else None),
                    (HIDDEN if new is not None else None),
                )
            changes[key] = [_plain(old), _plain(new)]
        elif isinstance(prop, RelationshipProperty) and mode == "update":
            local = {column.key for column in prop.local_columns}
            if not prop.uselist and local & column_keys and local & set(changes):
                continue
            if not prop.uselist and prop.direction.name != "MANYTOONE":
                continue
            if prop.uselist and prop.secondary is None:
                continue
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            if prop.uselist:
                before = [*history.unchanged, *history.deleted]
                after = [*history.unchanged, *history.added]
                old = sorted(_plain(item) for item in before)
                new = sorted(_plain(item) for item in after)
            else:
                old = _plain(history.deleted[0]) if history.deleted else None
                new = _plain(history.added[0]) if history.added else None
            if old != new:
                changes[key] = [old, new]
    if mode == "create":
        keys = {column.key for column in state.mapper.primary_key}
        changes = {
            key: value
            for key, value in changes.items()
            if value[1] not in (None, "") and key not in keys
        }
    return changes


def record_types() -> list[str]:
    """Return the table names that audit events can name as their record type, sorted.

    They come from the mapped models, because a DISTINCT over the trail
    would read every event. A type may have no events yet.
    """
    names = set()
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        if table is not AuditEvent.__table__ and getattr(mapper.class_, "__audited__", True):
            names.add(table.name)
    return sorted(names)


def describe(obj) -> str:
    text = str(obj)
    if text.startswith("<"):
        return ""
    return text[:300]


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_audit_rows(session, flush_context, instances):
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTrailError("audit events cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes_to_audit_rows(orm_execute_state):
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        mapper = orm_execute_state.bind_mapper
        if mapper is not None and mapper.class_ is AuditEvent:
            raise AuditTrailError("audit events cannot be changed or deleted")


@event.listens_for(Session, "after_flush")
def _write_row_changes(session, flush_context):
    """Insert one audit row per created, changed or deleted object.

    History and the new, dirty and deleted sets still show the flushed
    changes here, and new objects already have their ids.
    """
    rows = []
    for mode, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _is_audited(obj):
                continue
            if mode == "update" and not session.is_modified(obj):
                continue
            changes = _changed_fields(obj, mode)
            if mode == "update" and not changes:
                continue
            rows.append((mode, obj, changes))
    if not rows:
        return
    actor_id, label, address = current_actor()
    now = utc_now()
    values = []
    for mode, obj, changes in rows:
        state = inspect(obj)
        identity = state.mapper.primary_key_from_instance(obj)
        values.append(
            {
                "occurred_at": now,
                "actor_id": actor_id,
                "actor_label": label[:254],
                "action": getattr(obj, "_audit_action", None) or mode,
                "record_type": state.mapper.local_table.name,
                "record_id": identity[0] if len(identity) == 1 else None,
                "summary": describe(obj),
                "changes": changes,
                "address": address,
            }
        )
        if hasattr(obj, "_audit_action"):
            del obj._audit_action
    session.connection().execute(AuditEvent.__table__.insert(), values)


def record_event(
    action: str,
    record=None,
    *,
    summary: str = "",
    user=None,
    label: str | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    """Add an event that is not a row change, such as a sign-in or an export.

    The event is written with the session's next flush, so it commits or
    rolls back with the rest of the request's work. `user` overrides the
    current actor (for example the account that just failed to sign in).
    """
    actor_id, actor_label, address = current_actor()
    if user is not None:
        actor_id, actor_label = user.id, user.email
    if label is not None:
        actor_label = label
    audit_event = AuditEvent(
        occurred_at=utc_now(),
        actor_id=actor_id,
        actor_label=actor_label[:254],
        action=action,
        summary=summary[:300] or (describe(record) if record is not None else ""),
        changes=changes,
        address=address,
    )
    if record is not None:
        state = inspect(record)
        audit_event.record_type = state.mapper.local_table.name
        audit_event.record_id = state.identity[0] if state.identity else None
    db.session.add(audit_event)
    return audit_event


def history_of(record, limit: int = 50) -> list[AuditEvent]:
    """Return the newest audit events about `record`, newest first."""
    state = inspect(record)
    if not state.identity:
        return []
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.record_type == state.mapper.local_table.name,
                AuditEvent.record_id == state.identity[0],
            )
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def record_type_of(record) -> str:
    return inspect(record).mapper.local_table.name

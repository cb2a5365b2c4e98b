"""The audit trail as a list, for the roles that may open the audit page."""

import json
from datetime import timedelta

from sqlalchemy import Select, select

from core.audit import ACTIONS, AuditEvent
from core.audit_views import start_of_local_day
from core.auth.models import Role
from register.exports.lists.base import (
    Column,
    Filter,
    RegisterList,
    choice_filter,
    date_filter,
    id_filter,
    text_filter,
)


def _audit_query() -> Select:
    return select(AuditEvent).order_by(AuditEvent.id.desc())


# Length of the audit table's record_type column.
MAX_RECORD_TYPE = 60


def _apply_record_type(query: Select, raw: str) -> Select | None:
    if len(raw) > MAX_RECORD_TYPE:
        return None
    return query.where(AuditEvent.record_type == raw)


def _changes(event: AuditEvent) -> str:
    if not event.changes:
        return ""
    return json.dumps(event.changes, ensure_ascii=False, sort_keys=True)


AUDIT = RegisterList(
    name="audit",
    model=AuditEvent,
    title="Audit trail",
    query=_audit_query,
    roles=(Role.DPO, Role.AUDITOR),
    columns=(
        Column("Id", lambda e: e.id),
        Column("When", lambda e: e.occurred_at),
        Column("Who", lambda e: e.actor_label),
        Column("Action", lambda e: e.action_label),
        Column("Record type", lambda e: e.record_type),
        Column("Record id", lambda e: e.record_id),
        Column("Summary", lambda e: e.summary),
        Column("Changes as JSON (field: [before, after])", _changes),
        Column("Address", lambda e: e.address),
    ),
    filters=(
        text_filter(
            "actor", "Only events whose actor contains this text", AuditEvent.actor_label, 254
        ),
        choice_filter("action", "Only events of this action", AuditEvent.action, ACTIONS),
        Filter(
            "record_type",
            "Only events about records of this type, such as dpias",
            _apply_record_type,
            {"type": "string", "maxLength": MAX_RECORD_TYPE},
        ),
        id_filter("record_id", "Only events about the record with this id", AuditEvent.record_id),
        date_filter(
            "since",
            "Only events on or after this day in the register's time zone (YYYY-MM-DD)",
            lambda day: AuditEvent.occurred_at >= start_of_local_day(day),
        ),
        date_filter(
            "until",
            "Only events on or before this day in the register's time zone (YYYY-MM-DD)",
            lambda day: AuditEvent.occurred_at < start_of_local_day(day + timedelta(days=1)),
        ),
    ),
)

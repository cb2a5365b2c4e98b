"""The stored action flags of privacy-by-design items, kept in step with their inputs.

An item's `is_current_action` is true when it has an action, it counts in
its assessment's checklist, and no later stage has replaced its
assessment. Its `is_open_action` is true when, in addition, the action is
not done. The actions page, its count and the action reminders filter on
the flags through their indexes, rather than joining each action to its
assessment to exclude replaced stages.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, and_, event, exists, inspect, or_, select, update
from sqlalchemy.orm import Session

from dpia.pbd_checklist import CHECKLIST, OPEN_ACTION_STATUSES
from dpia.pbd_models import PbdAssessment, PbdItem

# Session.info key under which a flush leaves the assessments it refreshed.
_REFRESHED_KEY = "pbd_refreshed_assessment_ids"


def current_action_value():
    """Return `is_current_action` for each row of pbd_items, as a correlated SQL expression."""
    items = PbdItem.__table__
    assessments = PbdAssessment.__table__
    later = assessments.alias("later_stage")
    part3_codes = [entry.code for entry in CHECKLIST if entry.is_law_enforcement]
    is_law_enforcement = (
        select(assessments.c.is_law_enforcement)
        .where(assessments.c.id == items.c.assessment_id)
        .scalar_subquery()
    )
    return and_(
        items.c.action != "",
        or_(items.c.code.not_in(part3_codes), is_law_enforcement),
        ~exists().where(later.c.previous_id == items.c.assessment_id),
    )


def open_action_value():
    """Return `is_open_action` for each row of pbd_items, as a correlated SQL expression."""
    items = PbdItem.__table__
    return and_(current_action_value(), items.c.action_status.in_(OPEN_ACTION_STATUSES))


def refresh_open_actions(connection: Connection, assessment_ids: Iterable[int] | None = None):
    """Recompute both flags of the items of these assessments, or of every item when None."""
    items = PbdItem.__table__
    current = current_action_value()
    is_open = open_action_value()
    # Writing updated_at back to itself stops its onupdate default from
    # marking items as edited when only the derived flags changed.
    statement = (
        update(items)
        .where(or_(items.c.is_current_action != current, items.c.is_open_action != is_open))
        .values(
            is_current_action=current,
            is_open_action=is_open,
            updated_at=items.c.updated_at,
        )
    )
    if assessment_ids is not None:
        ids = sorted(set(assessment_ids))
        if not ids:
            return
        statement = statement.where(items.c.assessment_id.in_(ids))
    connection.execute(statement)


def _changed_assessment_ids(session: Session) -> set[int]:
    """Return the assessments whose items' flags the pending changes may alter."""
    ids: set[int] = set()
    for record in (*session.new, *session.dirty, *session.deleted):
        if isinstance(record, PbdItem):
            ids.add(record.assessment_id)
        elif isinstance(record, PbdAssessment):
            ids.add(record.id)
            # A new or moved later stage replaces its previous assessment, and
            # deleting one makes the previous assessment current again.
            history = inspect(record).attrs.previous_id.history
            ids.update(history.added, history.unchanged, history.deleted)
    ids.discard(None)
    return ids


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, flush_context) -> None:
    ids = _changed_assessment_ids(session)
    if ids:
        refresh_open_actions(session.connection(), ids)
        session.info[_REFRESHED_KEY] = ids


@event.listens_for(Session, "after_flush_postexec")
def _expire_refreshed_flags(session: Session, flush_context) -> None:
    """Expire the loaded flags that the flush rewrote, so they reload from the database."""
    ids = session.info.pop(_REFRESHED_KEY, None)
    if not ids:
        return
    for record in list(session.identity_map.values()):
        if isinstance(record, PbdItem) and record.assessment_id in ids:
            session.expire(record, ["is_current_action", "is_open_action"])

"""Privacy-by-design assessment changes that views, commands and the demo data share."""

from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from core.auth.models import User
from core.extensions import db
from dpia.pbd_checklist import CHECKLIST, OPEN_ACTION_STATUSES, checklist_for
from dpia.pbd_models import PbdAssessment, PbdItem


class PbdWorkflowError(Exception):
    """A change that the assessment's current state does not allow."""


def applicable_items(assessment: PbdAssessment) -> list[PbdItem]:
    return assessment.applicable_items


def is_applicable_item():
    """Return a condition true for items that count in their assessment's checklist."""
    part3_codes = [entry.code for entry in CHECKLIST if entry.is_law_enforcement]
    return or_(PbdAssessment.is_law_enforcement, PbdItem.code.not_in(part3_codes))


def has_open_action():
    """Return a condition true for items with an action still to do; join the assessment."""
    return and_(
        PbdItem.action != "",
        PbdItem.action_status.in_(OPEN_ACTION_STATUSES),
        is_applicable_item(),
    )


def add_missing_items(assessment: PbdAssessment) -> None:
    """Give the assessment an empty item for each checklist point it lacks."""
    present = {item.code for item in assessment.items}
    for position, entry in enumerate(checklist_for(assessment.is_law_enforcement)):
        if entry.code not in present:
            assessment.items.append(PbdItem(code=entry.code, position=position))


def approval_problems(assessment: PbdAssessment) -> list[str]:
    """Return why the assessment cannot be approved yet; empty when it can."""
    items = applicable_items(assessment)
    problems = []
    unanswered = [item.title for item in items if not item.status]
    if unanswered:
        problems.append(f"Answer every item first. Not answered: {', '.join(unanswered)}")
    missing = [item.title for item in items if item.needs_action and not item.has_action]
    if missing:
        problems.append(
            "Every item that is not met or partly met needs an action with an owner "
            f"and a due date. Without one: {', '.join(missing)}"
        )
    return problems


def approve(assessment: PbdAssessment, approved_on: date, next_review_on: date, dpo: User) -> None:
    if assessment.is_approved:
        raise PbdWorkflowError("This assessment is already approved")
    problems = approval_problems(assessment)
    if problems:
        raise PbdWorkflowError(". ".join(problems))
    if next_review_on <= approved_on:
        raise PbdWorkflowError("The next review date must be after the date of approval")
    assessment.status = "approved"
    assessment.approved_on = approved_on
    assessment.approved_by = dpo
    assessment.next_review_on = next_review_on


def later_stage(assessment: PbdAssessment) -> PbdAssessment | None:
    """Return the assessment that starts from this one, if a later stage has begun."""
    query = select(PbdAssessment).where(PbdAssessment.previous_id == assessment.id)
    return db.session.scalar(query)


def is_current_assessment():
    """Return a condition true for assessments that no later stage has replaced.

    Actions of a replaced assessment were copied to the later stage, so
    only the latest stage's actions count as open work.
    """
    later = aliased(PbdAssessment)
    # An uncorrelated subquery runs once. A correlated NOT EXISTS ran once per
    # row, and SQLite scanned the table each time because its statistics show
    # previous_id as almost always NULL, so they rate the index as unselective.
    replaced = select(later.previous_id).where(later.previous_id.is_not(None))
    return PbdAssessment.id.not_in(replaced)


def start_next_stage(
    previous: PbdAssessment,
    *,
    title: str,
    stage: str,
    assessor_id: int,
    assessed_on: date,
    next_review_on: date,
) -> PbdAssessment:
    """Return a new draft assessment for a later stage, starting from `previous`'s answers.

    The earlier assessment is left exactly as it was.
    """
    if later_stage(previous) is not None:
        raise PbdWorkflowError("A later stage already starts from this assessment")
    assessment = PbdAssessment(
        previous=previous,
        project_id=previous.project_id,
        decision_id=previous.decision_id,
        dpia_id=previous.dpia_id,
        owner_id=previous.owner_id,
        title=title,
        stage=stage,
        assessor_id=assessor_id,
        assessed_on=assessed_on,
        next_review_on=next_review_on,
        status="draft",
        summary="",
        system_or_component=previous.system_or_component,
        is_law_enforcement=previous.is_law_enforcement,
        techniques=list(previous.techniques or []),
        other_techniques=previous.other_techniques,
        is_retention_automated=previous.is_retention_automated,
        retention_notes=previous.retention_notes,
        items=[item.copy() for item in previous.items],
    )
    add_missing_items(assessment)
    return assessment


def actions_in_projects(project_ids):
    """Return a condition keeping the checklist items of assessments of these projects."""
    assessments = select(PbdAssessment.id).where(PbdAssessment.project_id.in_(project_ids))
    return PbdItem.assessment_id.in_(assessments)


def action_rows() -> Select:
    """Return the open, dated actions of current assessments as review-source rows.

    Each action is reminded to its owner like a review; its page is the
    assessment's page. The project is read by a subquery, not a join, so a
    count of the rows reads one index of items.
    """
    project_id = select(PbdAssessment.project_id).where(PbdAssessment.id == PbdItem.assessment_id)
    return select(
        PbdItem.id.label("record_id"),
        PbdItem.assessment_id.label("page_id"),
        func.substr(PbdItem.action, 1, 200).label("title"),
        project_id.scalar_subquery().label("project_id"),
        PbdItem.action_owner_id.label("owner_id"),
        PbdItem.action_due_on.label("due_on"),
    ).where(
        PbdItem.is_open_action,
        PbdItem.action_due_on.is_not(None),
        PbdItem.action_owner_id.is_not(None),
    )

"""Lists of privacy-by-design assessments, their checklist items and their actions."""

from sqlalchemy import Select, case, exists, select
from sqlalchemy.orm import contains_eager, joinedload, subqueryload

from core.projects.access import restrict_to_visible
from core.timeutil import local_today
from dpia.pbd_checklist import ITEM_STATUSES, OPEN_ACTION_STATUSES, STAGES
from dpia.pbd_models import PBD_STATUSES, PbdAssessment, PbdItem
from dpia.pbd_workflow import has_open_action, is_applicable_item, is_current_assessment
from register.exports.lists.base import (
    Column,
    Filter,
    RegisterList,
    choice_filter,
    condition_filter,
    id_filter,
    name_of,
    project_filters,
    project_name_filter,
)


def _assessments_query() -> Select:
    query = select(PbdAssessment).options(
        joinedload(PbdAssessment.project),
        joinedload(PbdAssessment.decision),
        joinedload(PbdAssessment.owner),
        joinedload(PbdAssessment.assessor),
        joinedload(PbdAssessment.approved_by),
        joinedload(PbdAssessment.dpia),
        subqueryload(PbdAssessment.items),
    )
    return restrict_to_visible(query, PbdAssessment.project_id).order_by(
        PbdAssessment.next_review_on.is_(None), PbdAssessment.next_review_on, PbdAssessment.id
    )


def _items_query() -> Select:
    query = (
        select(PbdItem)
        .join(PbdItem.assessment)
        .options(
            contains_eager(PbdItem.assessment).joinedload(PbdAssessment.project),
            joinedload(PbdItem.action_owner),
        )
        .where(is_applicable_item())
    )
    return restrict_to_visible(query, PbdAssessment.project_id).order_by(
        PbdAssessment.id, PbdItem.position
    )


def _is_overdue_action(today):
    return PbdItem.action_status.in_(OPEN_ACTION_STATUSES) & (PbdItem.action_due_on < today)


def _actions_query() -> Select:
    """Select the actions of current assessments, overdue first, as the actions page does."""
    query = (
        select(PbdItem)
        .join(PbdItem.assessment)
        .options(
            contains_eager(PbdItem.assessment).joinedload(PbdAssessment.project),
            joinedload(PbdItem.action_owner),
        )
    )
    overdue_first = case((_is_overdue_action(local_today()), 0), else_=1)
    return restrict_to_visible(query, PbdAssessment.project_id).order_by(
        overdue_first, PbdItem.action_due_on.is_(None), PbdItem.action_due_on, PbdItem.id
    )


def _has_open_actions():
    return exists().where(PbdItem.assessment_id == PbdAssessment.id, has_open_action())


def _action_is_overdue(item: PbdItem) -> bool:
    due = item.action_due_on
    return item.has_open_action and due is not None and due < local_today()


def _apply_show(query: Select, raw: str) -> Select | None:
    if raw == "open":
        return query.where(PbdItem.is_open_action)
    if raw == "all":
        return query.where(PbdItem.action != "", is_applicable_item(), is_current_assessment())
    return None


def _principles(item: PbdItem) -> str:
    return "; ".join(item.checklist_item.principle_labels)


ASSESSMENTS = RegisterList(
    name="assessments",
    model=PbdAssessment,
    title="Privacy-by-design assessments",
    query=_assessments_query,
    columns=(
        Column("Id", lambda a: a.id),
        Column("Assessment", lambda a: a.title),
        Column("Project", lambda a: a.project.name),
        Column("Decision", lambda a: a.decision.reference),
        Column("DPIA", lambda a: a.dpia.title if a.dpia is not None else None),
        Column("System or component", lambda a: a.system_or_component),
        Column("Stage", lambda a: a.stage_label),
        Column("Status", lambda a: a.status_label),
        Column("Law-enforcement processing", lambda a: a.is_law_enforcement),
        Column("Open actions", lambda a: len(a.open_actions)),
        Column("Assessor", lambda a: name_of(a.assessor)),
        Column("Assessed on", lambda a: a.assessed_on),
        Column("Approved by", lambda a: name_of(a.approved_by)),
        Column("Approved on", lambda a: a.approved_on),
        Column("Owner", lambda a: name_of(a.owner)),
        Column("Next review", lambda a: a.next_review_on),
        Column("Techniques", lambda a: "; ".join(a.technique_labels)),
        Column("Summary", lambda a: a.summary),
    ),
    filters=(
        *project_filters(PbdAssessment, PBD_STATUSES),
        choice_filter("stage", "Only assessments at this stage", PbdAssessment.stage, STAGES),
        condition_filter(
            "open_actions",
            "Only assessments with (yes) or without (no) open actions",
            {
                "yes": _has_open_actions,
                "no": lambda: ~_has_open_actions(),
            },
        ),
    ),
)

ASSESSMENT_ITEMS = RegisterList(
    name="assessment_items",
    model=PbdItem,
    title="Privacy-by-design items",
    query=_items_query,
    columns=(
        Column("Id", lambda i: i.id),
        Column("Assessment id", lambda i: i.assessment.id),
        Column("Assessment", lambda i: i.assessment.title),
        Column("Project", lambda i: i.assessment.project.name),
        Column("Stage", lambda i: i.assessment.stage_label),
        Column("Item code", lambda i: i.code),
        Column("Item", lambda i: i.title),
        Column("Principles", _principles),
        Column("Status", lambda i: i.status_label),
        Column("Reason not applicable", lambda i: i.not_applicable_reason),
        Column("Evidence", lambda i: i.evidence),
        Column("Evidence link", lambda i: i.evidence_link),
        Column("Action", lambda i: i.action),
        Column("Action owner", lambda i: name_of(i.action_owner)),
        Column("Action due", lambda i: i.action_due_on),
        Column("Action status", lambda i: i.action_status_label),
    ),
    filters=(
        id_filter("assessment", "Only items of the assessment with this id", PbdItem.assessment_id),
        id_filter("project", "Only items of the project with this id", PbdAssessment.project_id),
        project_name_filter(PbdAssessment.project_id),
        condition_filter(
            "status",
            "Only items with this answer, or not_answered for items without one",
            {key: (lambda key=key: PbdItem.status == key) for key in ITEM_STATUSES}
            | {"not_answered": lambda: PbdItem.status == ""},
        ),
    ),
)

ASSESSMENT_ACTIONS = RegisterList(
    name="assessment_actions",
    model=PbdItem,
    title="Privacy-by-design actions",
    query=_actions_query,
    columns=(
        Column("Id", lambda i: i.id),
        Column("Due", lambda i: i.action_due_on),
        Column("Overdue", _action_is_overdue),
        Column("Action", lambda i: i.action),
        Column("Item", lambda i: i.title),
        Column("Item status", lambda i: i.status_label),
        Column("Assessment id", lambda i: i.assessment.id),
        Column("Assessment", lambda i: i.assessment.title),
        Column("Project", lambda i: i.assessment.project.name),
        Column("Owner", lambda i: name_of(i.action_owner)),
        Column("Status", lambda i: i.action_status_label),
    ),
    filters=(
        Filter(
            "show",
            "Which actions: open ones (the default) or all, done ones included",
            _apply_show,
            {"type": "string", "enum": ["open", "all"]},
            default="open",
        ),
        id_filter("project", "Only actions of the project with this id", PbdAssessment.project_id),
        project_name_filter(PbdAssessment.project_id),
    ),
)

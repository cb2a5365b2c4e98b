"""Summaries of an assessment: counts by principle and changes since the earlier stage."""

from dataclasses import dataclass, field

from dpia.pbd_checklist import (
    ACTION_STATUSES,
    ITEM_STATUSES,
    PRINCIPLE_SHORT_LABELS,
    PRINCIPLES,
    TECHNIQUES,
)
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.pbd_workflow import applicable_items

# The statuses the chart and table count, in display order.
COUNTED_STATUSES = ("met", "partly_met", "not_met", "not_applicable", "")


@dataclass
class PrincipleSummary:
    code: str
    label: str
    short_label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED_STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summary_by_principle(assessment: PbdAssessment) -> list[PrincipleSummary]:
    """Count the items serving each principle by status; an item counts once per principle."""
    summaries = {
        code: PrincipleSummary(code, label, PRINCIPLE_SHORT_LABELS[code])
        for code, label in PRINCIPLES.items()
    }
    for item in applicable_items(assessment):
        status = item.status if item.status in ITEM_STATUSES else ""
        for code in item.checklist_item.principles:
            summaries[code].counts[status] += 1
    return list(summaries.values())


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class ItemChanges:
    item: PbdItem
    changes: list[Change]


def _item_values(item: PbdItem | None) -> dict[str, str]:
    if item is None:
        return {}
    return {
        "Status": ITEM_STATUSES.get(item.status, "Not answered"),
        "Reason it does not apply": item.not_applicable_reason,
        "Evidence": item.evidence,
        "Link to the evidence": item.evidence_link,
        "Action": item.action,
        "Action owner": item.action_owner.name if item.action_owner else "",
        "Action due date": f"{item.action_due_on:%d %B %Y}" if item.action_due_on else "",
        "Action status": ACTION_STATUSES.get(item.action_status, ""),
    }


def _differences(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    return [
        Change(label, before.get(label, ""), value)
        for label, value in after.items()
        if before.get(label, "") != value
    ]


def item_changes(assessment: PbdAssessment) -> list[ItemChanges]:
    """Return the items whose answers differ from the earlier stage's, in checklist order."""
    previous = assessment.previous
    if previous is None:
        return []
    result = []
    for item in applicable_items(assessment):
        changes = _differences(_item_values(previous.item(item.code)), _item_values(item))
        if changes:
            result.append(ItemChanges(item, changes))
    return result


def _detail_values(assessment: PbdAssessment) -> dict[str, str]:
    return {
        "System or component": assessment.system_or_component,
        "Law-enforcement processing": "Yes" if assessment.is_law_enforcement else "No",
        "Privacy-enhancing techniques": ", ".join(
            TECHNIQUES.get(code, code) for code in assessment.techniques or []
        ),
        "Other techniques": assessment.other_techniques,
        "Retention automated": "Yes" if assessment.is_retention_automated else "No",
        "How retention works": assessment.retention_notes,
    }


def detail_changes(assessment: PbdAssessment) -> list[Change]:
    """Return the assessment-wide answers that differ from the earlier stage's."""
    if assessment.previous is None:
        return []
    return _differences(_detail_values(assessment.previous), _detail_values(assessment))

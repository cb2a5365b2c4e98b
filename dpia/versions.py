"""Reviews of approved DPIAs: each review drafts a new version linked to the old."""

from core.auth.models import User
from dpia.history import StateChange
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.screening import Screening
from dpia.steps import DescriptionColumns, NecessityColumns
from dpia.workflow import WorkflowError, check_move, move

# Columns copied into the new version: the record's details and steps 1 to 4.
# Sign-off, advice and confirmation start empty, because the new version
# must be advised on and signed off again.
DETAIL_COLUMNS = (
    "project_id",
    "decision_id",
    "title",
    "processing_summary",
    "reference",
    "regime",
    "controller",
    "processors",
    "dpo_contact",
    "owner_id",
    "next_review_on",
)


def _step_columns() -> list[str]:
    names = []
    for mixin in (DescriptionColumns, NecessityColumns):
        names += [name for name in mixin.__annotations__]
    return names


def _copy_screening(screening: Screening | None) -> Screening | None:
    if screening is None:
        return None
    return Screening(
        project_id=screening.project_id,
        mandatory_cases=list(screening.mandatory_cases),
        ico_types=list(screening.ico_types),
        wp248_criteria=list(screening.wp248_criteria),
        involves_sharing=screening.involves_sharing,
        is_dpia_required=screening.is_dpia_required,
        rationale=screening.rationale,
        override_reason=screening.override_reason,
        decided_by_id=screening.decided_by_id,
        decided_at=screening.decided_at,
    )


def _copy_risk(risk: Risk) -> Risk:
    return Risk(
        source=risk.source,
        harm=risk.harm,
        likelihood=risk.likelihood,
        severity=risk.severity,
        computed_level=risk.computed_level,
        override_level=risk.override_level,
        override_reason=risk.override_reason,
        measures=[
            Measure(
                description=measure.description,
                effect=measure.effect,
                residual_level=measure.residual_level,
                is_approved=measure.is_approved,
                owner_id=measure.owner_id,
                due_on=measure.due_on,
                status=measure.status,
            )
            for measure in risk.measures
        ],
    )


def start_review(dpia: Dpia, reason: str, user: User) -> Dpia:
    """Draft the next version of an approved DPIA and supersede this one.

    The old version keeps its sign-off, advice and confirmation unchanged.
    """
    check_move(dpia, "superseded")
    if not reason.strip():
        raise WorkflowError(
            "Enter why the DPIA is being reviewed",
            {"reason": "Enter why the DPIA is being reviewed"},
        )
    new = Dpia(version=dpia.version + 1, previous=dpia, status="under_review")
    for name in (*DETAIL_COLUMNS, *_step_columns()):
        value = getattr(dpia, name)
        setattr(new, name, list(value) if isinstance(value, list) else value)
    new.screening = _copy_screening(dpia.screening)
    new.risks = [_copy_risk(risk) for risk in dpia.risks]
    new.history.append(
        StateChange(
            from_status="",
            to_status="under_review",
            comment=f"Review of version {dpia.version}: {reason.strip()}",
            changed_by=user,
        )
    )
    move(dpia, "superseded", user, f"Replaced by version {new.version}: {reason.strip()}")
    return new

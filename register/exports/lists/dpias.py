"""Lists of DPIAs, their risks and the measures against those risks."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, subqueryload

from core.projects.access import restrict_to_visible
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.views import REVIEW_FILTERS, SORTS, review_condition
from dpia.vocabulary import (
    DPIA_STATUSES,
    LIKELIHOODS,
    MEASURE_STATUSES,
    REGIMES,
    RISK_LEVELS,
    SEVERITIES,
)
from register.exports.lists.base import (
    Column,
    RegisterList,
    choice_filter,
    condition_filter,
    date_filter,
    id_filter,
    name_of,
    project_filters,
    project_name_filter,
    sort_filter,
)


def _dpias_query() -> Select:
    query = select(Dpia).options(
        joinedload(Dpia.project),
        joinedload(Dpia.decision),
        joinedload(Dpia.owner),
        joinedload(Dpia.signed_off_by),
        joinedload(Dpia.confirmed_by),
        joinedload(Dpia.screening),
        joinedload(Dpia.prior_consultation),
        subqueryload(Dpia.risks).subqueryload(Risk.measures),
    )
    return restrict_to_visible(query, Dpia.project_id).order_by(
        Dpia.next_review_on.is_(None), Dpia.next_review_on, Dpia.id
    )


def _risks_query() -> Select:
    query = (
        select(Risk)
        .join(Risk.dpia)
        .options(
            contains_eager(Risk.dpia).joinedload(Dpia.project),
            subqueryload(Risk.measures),
        )
    )
    return restrict_to_visible(query, Dpia.project_id).order_by(Dpia.id, Risk.id)


def _measures_query() -> Select:
    query = (
        select(Measure)
        .join(Measure.risk)
        .join(Risk.dpia)
        .options(
            contains_eager(Measure.risk).contains_eager(Risk.dpia).joinedload(Dpia.project),
            joinedload(Measure.owner),
        )
    )
    return restrict_to_visible(query, Dpia.project_id).order_by(Dpia.id, Risk.id, Measure.id)


def _level_label(level: str | None) -> str:
    return RISK_LEVELS.get(level or "", "No risks recorded")


def _screening_outcome(dpia: Dpia) -> str:
    if dpia.screening is None:
        return "Not screened"
    return "DPIA required" if dpia.screening.is_dpia_required else "DPIA not required"


def _prior_consultation(dpia: Dpia) -> str:
    """Return the state of the DPIA's prior consultation with the ICO, in words."""
    consultation = dpia.prior_consultation
    if consultation is not None:
        if consultation.advice_received_on is not None:
            return "Advice received"
        if consultation.accepted_on is not None:
            return "Accepted by the ICO, awaiting advice"
        if consultation.submitted_on is not None:
            return "Submitted to the ICO"
        return "Being prepared"
    if dpia.needs_prior_consultation:
        return "Required, not started"
    return "Not required"


def _risk_level():
    """Return the SQL expression of a risk's level: the DPO's level, else the matrix's."""
    return func.coalesce(func.nullif(Risk.override_level, ""), Risk.computed_level)


DPIAS = RegisterList(
    name="dpias",
    model=Dpia,
    title="DPIAs",
    query=_dpias_query,
    columns=(
        Column("Id", lambda d: d.id),
        Column("DPIA", lambda d: d.title),
        Column("Reference", lambda d: d.reference),
        Column("Version", lambda d: d.version),
        Column("Project", lambda d: d.project.name),
        Column("Decision", lambda d: d.decision.reference),
        Column("Law", lambda d: d.regime_label),
        Column("Status", lambda d: d.status_label),
        Column("Screening outcome", _screening_outcome),
        Column("Highest risk before measures", lambda d: _level_label(d.highest_inherent_level)),
        Column("Residual risk", lambda d: _level_label(d.residual_risk)),
        Column("Prior consultation with the ICO", _prior_consultation),
        Column("Outcome", lambda d: d.outcome_label),
        Column("Owner", lambda d: name_of(d.owner)),
        Column("Next review", lambda d: d.next_review_on),
        Column("DPO advice given on", lambda d: d.dpo_advice_on),
        Column("Signed off on", lambda d: d.signed_off_on),
        Column("Signed off by", lambda d: name_of(d.signed_off_by)),
        Column("Completion confirmed at", lambda d: d.confirmed_at),
        Column("Completion confirmed by", lambda d: name_of(d.confirmed_by)),
        Column("Summary of the processing", lambda d: d.processing_summary),
    ),
    filters=(
        *project_filters(Dpia, DPIA_STATUSES),
        choice_filter("regime", "Only DPIAs under this law", Dpia.regime, REGIMES),
        choice_filter(
            "residual",
            "Only DPIAs with this highest residual risk",
            Dpia.residual_risk,
            RISK_LEVELS,
        ),
        condition_filter(
            "review",
            "Only DPIAs whose next review is overdue, due soon, later or not set",
            {
                key: (lambda key=key: review_condition(Dpia.next_review_on, key))
                for key in REVIEW_FILTERS
            },
        ),
        sort_filter(
            "Order of the rows, as on the DPIAs page",
            {key: (*order, Dpia.id) for key, (_label, order) in SORTS.items()},
        ),
    ),
)

# The register keeps no numeric risk score: the risk matrix maps likelihood
# and severity straight to a level, so the levels are the scores exported.
RISKS = RegisterList(
    name="risks",
    model=Risk,
    title="DPIA risks",
    query=_risks_query,
    columns=(
        Column("Id", lambda r: r.id),
        Column("DPIA id", lambda r: r.dpia.id),
        Column("DPIA", lambda r: r.dpia.title),
        Column("DPIA status", lambda r: r.dpia.status_label),
        Column("Project", lambda r: r.dpia.project.name),
        Column("Source of risk", lambda r: r.source),
        Column("Harm to individuals", lambda r: r.harm),
        Column("Likelihood", lambda r: LIKELIHOODS[r.likelihood]),
        Column("Severity", lambda r: SEVERITIES[r.severity]),
        Column("Level from the risk matrix", lambda r: RISK_LEVELS[r.computed_level]),
        Column("Level set by the DPO", lambda r: RISK_LEVELS.get(r.override_level, "")),
        Column("Reason for the DPO's level", lambda r: r.override_reason),
        Column("Level before measures", lambda r: r.level_label),
        Column("Measures", lambda r: len(r.measures)),
        Column("Residual level after measures", lambda r: RISK_LEVELS[r.residual_level]),
    ),
    filters=(
        id_filter("dpia", "Only risks of the DPIA with this id", Risk.dpia_id),
        id_filter("project", "Only risks of DPIAs of the project with this id", Dpia.project_id),
        project_name_filter(Dpia.project_id),
        condition_filter(
            "level",
            "Only risks at this level before measures",
            {key: (lambda key=key: _risk_level() == key) for key in RISK_LEVELS},
        ),
    ),
)

MEASURES = RegisterList(
    name="measures",
    model=Measure,
    title="DPIA measures",
    query=_measures_query,
    columns=(
        Column("Id", lambda m: m.id),
        Column("Risk id", lambda m: m.risk.id),
        Column("Source of risk", lambda m: m.risk.source),
        Column("DPIA id", lambda m: m.risk.dpia.id),
        Column("DPIA", lambda m: m.risk.dpia.title),
        Column("Project", lambda m: m.risk.dpia.project.name),
        Column("Measure", lambda m: m.description),
        Column("Effect on the risk", lambda m: m.effect_label),
        Column("Residual level", lambda m: m.residual_label),
        Column("Approved", lambda m: m.is_approved),
        Column("Owner", lambda m: name_of(m.owner)),
        Column("Due", lambda m: m.due_on),
        Column("Status", lambda m: m.status_label),
    ),
    filters=(
        id_filter("dpia", "Only measures of the DPIA with this id", Risk.dpia_id),
        id_filter("project", "Only measures of DPIAs of the project with this id", Dpia.project_id),
        project_name_filter(Dpia.project_id),
        id_filter("risk", "Only measures against the risk with this id", Measure.risk_id),
        id_filter("owner", "Only measures owned by the user with this id", Measure.owner_id),
        choice_filter("status", "Only measures with this status", Measure.status, MEASURE_STATUSES),
        date_filter(
            "due_by",
            "Only measures due on or before this date (YYYY-MM-DD)",
            lambda day: Measure.due_on <= day,
        ),
    ),
)

"""Declarations of the register lists: the rows, filters and columns of each.

A list is declared once here and used by the CSV and XLSX downloads and by
the read API, so all three show the same records to the same user. A new
record type or a new column is one more entry, not new export code.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from core.projects.access import restrict_to_visible
from core.projects.filters import MAX_NAME_LENGTH, matching_project_ids
from core.projects.models import PARTY_KINDS, PROJECT_STATUSES, Decision, Party, Project
from dpia.models import DPIA_STATUSES, Dpia
from dpia.pbd_models import PBD_STATUSES, PbdAssessment
from dpia.views import REVIEW_FILTERS, review_condition
from sharing.choices import AGREEMENT_STATUSES
from sharing.models import Agreement, AgreementParty


@dataclass(frozen=True)
class Column:
    """One exported column: a header in plain words and how to read the value."""

    header: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Filter:
    """A query argument that narrows a list, such as `?status=draft`.

    `apply(query, value)` returns the narrowed query, or None when the value
    is not valid for this filter (the caller then reports it).
    """

    arg: str
    description: str
    apply: Callable[[Select, str], Select | None]
    # The argument's JSON schema, for the API description.
    schema: dict = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class RegisterList:
    """A register list as the pages, the downloads and the API see it."""

    name: str
    title: str
    model: type
    query: Callable[[], Select]
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = field(default=())

    def select(self, args: Mapping[str, str]) -> tuple[Select, dict[str, str]]:
        """Return the user's query narrowed by `args`, and a message per invalid filter."""
        query = self.query()
        problems = {}
        for item in self.filters:
            raw = args.get(item.arg, "")
            if not raw:
                continue
            narrowed = item.apply(query, raw)
            if narrowed is None:
                problems[item.arg] = f"{raw!r} is not a valid value for {item.arg}"
            else:
                query = narrowed
        return query, problems

    def row(self, record) -> list:
        return [column.value(record) for column in self.columns]


# Largest id a filter accepts: ids are 32-bit integers on PostgreSQL, which
# rejects a larger number in a comparison with an error.
MAX_FILTER_ID = 2**31 - 1


def choice_filter(arg: str, description: str, column, choices: Mapping[str, str]) -> Filter:
    """Return a filter matching `column` to one of `choices`' stored values."""

    def apply(query: Select, raw: str) -> Select | None:
        if raw not in choices:
            return None
        return query.where(column == raw)

    return Filter(arg, description, apply, {"type": "string", "enum": list(choices)})


def id_filter(arg: str, description: str, column) -> Filter:
    def apply(query: Select, raw: str) -> Select | None:
        if not (raw.isdigit() and raw.isascii()) or int(raw) > MAX_FILTER_ID:
            return None
        return query.where(column == int(raw))

    return Filter(
        arg, description, apply, {"type": "integer", "minimum": 0, "maximum": MAX_FILTER_ID}
    )


def review_filter(column) -> Filter:
    """Return the DPIA page's review date filter, such as `?review=due_soon`."""

    def apply(query: Select, raw: str) -> Select | None:
        if raw not in REVIEW_FILTERS:
            return None
        return query.where(review_condition(column, raw))

    return Filter(
        "review",
        "Only records whose next review is overdue, due soon (within the reminder window), "
        "later or not set",
        apply,
        {"type": "string", "enum": list(REVIEW_FILTERS)},
    )


def project_name_filter(column) -> Filter:
    """Return a filter for records of projects whose name contains the text, ignoring case."""

    def apply(query: Select, raw: str) -> Select | None:
        return query.where(column.in_(matching_project_ids(raw.strip()[:MAX_NAME_LENGTH])))

    return Filter("project_name", "Only records of projects whose name contains this text", apply)


def review_due_by_filter(column) -> Filter:
    """Return a filter for records whose review falls on or before an ISO date."""

    def apply(query: Select, raw: str) -> Select | None:
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            return None
        return query.where(column.is_not(None), column <= until)

    return Filter(
        "review_due_by",
        "Only records whose next review is on or before this date (YYYY-MM-DD)",
        apply,
        {"type": "string", "format": "date"},
    )


def _name(user) -> str | None:
    return user.name if user is not None else None


def _project_filters(model, statuses: Mapping[str, str]) -> tuple[Filter, ...]:
    return (
        choice_filter("status", "Only records with this status", model.status, statuses),
        id_filter("project", "Only records of the project with this id", model.project_id),
        id_filter("decision", "Only records under the decision with this id", model.decision_id),
        review_due_by_filter(model.next_review_on),
    )


def _decisions_query() -> Select:
    return select(Decision).order_by(Decision.reference_key)


def _projects_query() -> Select:
    query = select(Project).options(joinedload(Project.lead), selectinload(Project.decisions))
    return restrict_to_visible(query, Project.id).order_by(Project.name)


def _dpias_query() -> Select:
    query = select(Dpia).options(
        joinedload(Dpia.project), joinedload(Dpia.decision), joinedload(Dpia.owner)
    )
    return restrict_to_visible(query, Dpia.project_id).order_by(
        Dpia.next_review_on.is_(None), Dpia.next_review_on, Dpia.id
    )


def _assessments_query() -> Select:
    query = select(PbdAssessment).options(
        joinedload(PbdAssessment.project),
        joinedload(PbdAssessment.decision),
        joinedload(PbdAssessment.owner),
    )
    return restrict_to_visible(query, PbdAssessment.project_id).order_by(
        PbdAssessment.next_review_on.is_(None), PbdAssessment.next_review_on, PbdAssessment.id
    )


def _agreements_query() -> Select:
    query = select(Agreement).options(
        joinedload(Agreement.project),
        joinedload(Agreement.decision),
        joinedload(Agreement.owner),
        selectinload(Agreement.parties).selectinload(AgreementParty.party),
    )
    return restrict_to_visible(query, Agreement.project_id).order_by(Agreement.reference)


def _parties_query() -> Select:
    return select(Party).order_by(Party.kind, Party.name)


def _party_names(agreement: Agreement, role: str) -> str:
    return "; ".join(link.party.name for link in agreement.parties if link.role in (role, "both"))


DECISIONS = RegisterList(
    name="decisions",
    model=Decision,
    title="Decisions",
    query=_decisions_query,
    columns=(
        Column("Id", lambda d: d.id),
        Column("Reference", lambda d: d.reference),
        Column("Title", lambda d: d.title),
        Column("Decision maker", lambda d: d.decision_maker),
        Column("Issuing body", lambda d: d.issuing_body),
        Column("Date signed", lambda d: d.signed_on),
        Column("Summary", lambda d: d.summary),
        Column("Link", lambda d: d.link),
    ),
)

PROJECTS = RegisterList(
    name="projects",
    model=Project,
    title="Projects",
    query=_projects_query,
    columns=(
        Column("Id", lambda p: p.id),
        Column("Name", lambda p: p.name),
        Column("Owning unit", lambda p: p.owning_unit),
        Column("Lead", lambda p: p.lead.name),
        Column("Status", lambda p: p.status_label),
        Column("Decisions", lambda p: "; ".join(d.reference for d in p.decisions)),
        Column("Description", lambda p: p.description),
    ),
    filters=(
        choice_filter("status", "Only projects with this status", Project.status, PROJECT_STATUSES),
    ),
)

DPIAS = RegisterList(
    name="dpias",
    model=Dpia,
    title="DPIAs",
    query=_dpias_query,
    columns=(
        Column("Id", lambda d: d.id),
        Column("DPIA", lambda d: d.title),
        Column("Project", lambda d: d.project.name),
        Column("Decision", lambda d: d.decision.reference),
        Column("Status", lambda d: d.status_label),
        Column("Owner", lambda d: _name(d.owner)),
        Column("Next review", lambda d: d.next_review_on),
        Column("DPO advice given on", lambda d: d.dpo_advice_on),
        Column("Signed off on", lambda d: d.signed_off_on),
        Column("Completion confirmed at", lambda d: d.confirmed_at),
        Column("Summary of the processing", lambda d: d.processing_summary),
    ),
    filters=_project_filters(Dpia, DPIA_STATUSES)
    + (project_name_filter(Dpia.project_id), review_filter(Dpia.next_review_on)),
)

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
        Column("Status", lambda a: a.status_label),
        Column("Owner", lambda a: _name(a.owner)),
        Column("Next review", lambda a: a.next_review_on),
        Column("Summary", lambda a: a.summary),
    ),
    filters=_project_filters(PbdAssessment, PBD_STATUSES)
    + (project_name_filter(PbdAssessment.project_id),),
)

AGREEMENTS = RegisterList(
    name="agreements",
    model=Agreement,
    title="Data-sharing agreements",
    query=_agreements_query,
    columns=(
        Column("Id", lambda a: a.id),
        Column("Reference", lambda a: a.reference),
        Column("Title", lambda a: a.title),
        Column("Project", lambda a: a.project.name),
        Column("Decision", lambda a: a.decision.reference),
        Column("Scope", lambda a: a.scope_label),
        Column("Status", lambda a: a.status_label),
        Column("Disclosing parties", lambda a: _party_names(a, "discloser")),
        Column("Receiving parties", lambda a: _party_names(a, "recipient")),
        Column("Owner", lambda a: _name(a.owner)),
        Column("Next review", lambda a: a.next_review_on),
        Column("Purpose", lambda a: a.purpose),
    ),
    filters=_project_filters(Agreement, AGREEMENT_STATUSES),
)

PARTIES = RegisterList(
    name="parties",
    model=Party,
    title="Parties",
    query=_parties_query,
    columns=(
        Column("Id", lambda p: p.id),
        Column("Name", lambda p: p.name),
        Column("Kind", lambda p: p.kind_label),
        Column("Description", lambda p: p.description),
    ),
    filters=(choice_filter("kind", "Only parties of this kind", Party.kind, PARTY_KINDS),),
)


REGISTER_LISTS = {
    item.name: item for item in (DECISIONS, PROJECTS, DPIAS, ASSESSMENTS, AGREEMENTS, PARTIES)
}

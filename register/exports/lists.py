"""What each register list exports: its rows, the filters it honours and its columns.

A list is declared once here and used by the CSV and XLSX downloads and by
the read API, so all three show the same records to the same user. A new
record type or a new column is one more entry, not new export code.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from core.projects.access import restrict_to_visible
from core.projects.models import PARTY_KINDS, PROJECT_STATUSES, Decision, Party, Project
from dpia.models import DPIA_STATUSES, PBD_STATUSES, Dpia, PbdAssessment
from sharing.models import AGREEMENT_STATUSES, Agreement, AgreementParty


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


def equals(column, allowed: Mapping[str, str] | None = None):
    """Return a filter function matching `column` to the argument's text."""

    def apply(query: Select, raw: str) -> Select | None:
        if allowed is not None and raw not in allowed:
            return None
        return query.where(column == raw)

    return apply


def id_equals(column):
    def apply(query: Select, raw: str) -> Select | None:
        if not raw.isdigit() or len(raw) > 12:
            return None
        return query.where(column == int(raw))

    return apply


def review_due_by(column):
    """Return a filter for records whose review falls on or before an ISO date."""

    def apply(query: Select, raw: str) -> Select | None:
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            return None
        return query.where(column.is_not(None), column <= until)

    return apply


def _name(user) -> str | None:
    return user.name if user is not None else None


def _project_filters(model, statuses: Mapping[str, str]) -> tuple[Filter, ...]:
    return (
        Filter("status", "Only records with this status", equals(model.status, statuses)),
        Filter("project", "Only records of the project with this id", id_equals(model.project_id)),
        Filter(
            "decision", "Only records under the decision with this id", id_equals(model.decision_id)
        ),
        Filter(
            "review_due_by",
            "Only records whose next review is on or before this date (YYYY-MM-DD)",
            review_due_by(model.next_review_on),
        ),
    )


def _decisions_query() -> Select:
    return select(Decision).order_by(Decision.reference_key)


def _projects_query() -> Select:
    query = select(Project).options(selectinload(Project.lead), selectinload(Project.decisions))
    return restrict_to_visible(query, Project.id).order_by(Project.name)


def _dpias_query() -> Select:
    query = select(Dpia).options(
        selectinload(Dpia.project), selectinload(Dpia.decision), selectinload(Dpia.owner)
    )
    return restrict_to_visible(query, Dpia.project_id).order_by(
        Dpia.next_review_on.is_(None), Dpia.next_review_on, Dpia.id
    )


def _assessments_query() -> Select:
    query = select(PbdAssessment).options(
        selectinload(PbdAssessment.project),
        selectinload(PbdAssessment.decision),
        selectinload(PbdAssessment.owner),
    )
    return restrict_to_visible(query, PbdAssessment.project_id).order_by(
        PbdAssessment.next_review_on.is_(None), PbdAssessment.next_review_on, PbdAssessment.id
    )


def _agreements_query() -> Select:
    query = select(Agreement).options(
        selectinload(Agreement.project),
        selectinload(Agreement.decision),
        selectinload(Agreement.owner),
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
        Filter(
            "status",
            "Only projects with this status",
            equals(Project.status, PROJECT_STATUSES),
        ),
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
    filters=_project_filters(Dpia, DPIA_STATUSES),
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
    filters=_project_filters(PbdAssessment, PBD_STATUSES),
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
    filters=(Filter("kind", "Only parties of this kind", equals(Party.kind, PARTY_KINDS)),),
)


REGISTER_LISTS = {
    item.name: item for item in (DECISIONS, PROJECTS, DPIAS, ASSESSMENTS, AGREEMENTS, PARTIES)
}

"""Floors: each list page's rows fetched with one plain SQL query and rendered with its template.

A floor is what the page would cost if the app did nothing but run one
query and render, so a page's time divided by its floor's time shows what
the ORM, extra queries and request handling add. Each floor must select the
same rows in the same order as its view; a view that changes its order must
change its floor too. A page's total comes from `count(*) OVER ()` in the
same query.
"""

from collections.abc import Callable
from types import SimpleNamespace

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from core.auth.models import User
from core.extensions import db
from core.projects.models import PARTY_KINDS, PROJECT_STATUSES, Decision, Party, Project
from core.projects.models import project_decisions as links
from dpia.models import DPIA_STATUSES, PBD_STATUSES, Dpia, PbdAssessment
from sharing.models import AGREEMENT_STATUSES, Agreement, AgreementParty


class FloorPage(Pagination):
    """A page of rows that were fetched already, with the total the query returned."""

    def __init__(self, rows: list, total: int, page: int, per_page: int):
        self._rows = rows
        self._total = total
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        return self._rows

    def _query_count(self) -> int:
        return self._total


def _page(query: Select, page: int, per_page: int):
    """Run `query` once for one page; return its rows and the total from the window count."""
    query = query.add_columns(func.count().over().label("total"))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, (rows[0].total if rows else 0)


def dpias(page: int, per_page: int):
    query = (
        select(
            Dpia.id,
            Dpia.title,
            Dpia.status,
            Dpia.next_review_on,
            Project.name.label("project_name"),
            Decision.reference,
        )
        .join(Project, Project.id == Dpia.project_id)
        .join(Decision, Decision.id == Dpia.decision_id)
        .order_by(Dpia.next_review_on.is_(None), Dpia.next_review_on, Dpia.id)
    )
    rows, total = _page(query, page, per_page)
    items = [
        SimpleNamespace(
            id=row.id,
            title=row.title,
            status_label=DPIA_STATUSES.get(row.status, row.status),
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            decision=SimpleNamespace(reference=row.reference),
        )
        for row in rows
    ]
    return "dpia/dpias.html", {"page": FloorPage(items, total, page, per_page)}


def assessments(page: int, per_page: int):
    query = (
        select(
            PbdAssessment.id,
            PbdAssessment.title,
            PbdAssessment.status,
            PbdAssessment.next_review_on,
            Project.name.label("project_name"),
            Decision.reference,
        )
        .join(Project, Project.id == PbdAssessment.project_id)
        .join(Decision, Decision.id == PbdAssessment.decision_id)
        .order_by(
            PbdAssessment.next_review_on.is_(None),
            PbdAssessment.next_review_on,
            PbdAssessment.id,
        )
    )
    rows, total = _page(query, page, per_page)
    items = [
        SimpleNamespace(
            id=row.id,
            title=row.title,
            status_label=PBD_STATUSES.get(row.status, row.status),
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            decision=SimpleNamespace(reference=row.reference),
        )
        for row in rows
    ]
    return "dpia/assessments.html", {"page": FloorPage(items, total, page, per_page)}


# Names within one aggregated string are split on this character, which no
# generated name contains.
SEPARATOR = "\x1f"


def agreements(page: int, per_page: int):
    party_names = (
        select(func.aggregate_strings(Party.name, SEPARATOR))
        .join(AgreementParty, AgreementParty.party_id == Party.id)
        .where(AgreementParty.agreement_id == Agreement.id)
        .scalar_subquery()
    )
    query = (
        select(
            Agreement.id,
            Agreement.reference,
            Agreement.title,
            Agreement.scope,
            Agreement.status,
            Agreement.next_review_on,
            Project.name.label("project_name"),
            party_names.label("party_names"),
        )
        .join(Project, Project.id == Agreement.project_id)
        .order_by(Agreement.reference)
    )
    rows, total = _page(query, page, per_page)
    items = [
        SimpleNamespace(
            id=row.id,
            reference=row.reference,
            title=row.title,
            scope=row.scope,
            status_label=AGREEMENT_STATUSES.get(row.status, row.status),
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            parties=[
                SimpleNamespace(party=SimpleNamespace(name=name))
                for name in (row.party_names or "").split(SEPARATOR)
                if name
            ],
        )
        for row in rows
    ]
    return "sharing/agreements.html", {"page": FloorPage(items, total, page, per_page)}


def projects(page: int, per_page: int):
    references = (
        select(func.aggregate_strings(Decision.reference, SEPARATOR))
        .join(links, links.c.decision_id == Decision.id)
        .where(links.c.project_id == Project.id)
        .scalar_subquery()
    )
    query = (
        select(
            Project.id,
            Project.name,
            Project.owning_unit,
            Project.status,
            User.name.label("lead_name"),
            references.label("references"),
        )
        .join(User, User.id == Project.lead_id)
        .order_by(Project.name)
    )
    rows, total = _page(query, page, per_page)
    items = [
        SimpleNamespace(
            id=row.id,
            name=row.name,
            owning_unit=row.owning_unit,
            status_label=PROJECT_STATUSES.get(row.status, row.status),
            lead=SimpleNamespace(name=row.lead_name),
            decisions=[
                SimpleNamespace(reference=reference)
                for reference in sorted((row.references or "").split(SEPARATOR))
                if reference
            ],
        )
        for row in rows
    ]
    return "projects/projects.html", {"page": FloorPage(items, total, page, per_page)}


def decisions(page: int, per_page: int):
    query = select(
        Decision.id, Decision.reference, Decision.title, Decision.issuing_body, Decision.signed_on
    ).order_by(Decision.reference_key)
    rows, total = _page(query, page, per_page)
    return "projects/decisions.html", {"page": FloorPage(rows, total, page, per_page)}


def parties(page: int, per_page: int):
    query = select(Party.id, Party.name, Party.kind).order_by(Party.kind, Party.name)
    rows, total = _page(query, page, per_page)
    items = [
        SimpleNamespace(id=row.id, name=row.name, kind_label=PARTY_KINDS.get(row.kind, row.kind))
        for row in rows
    ]
    return "projects/parties.html", {"page": FloorPage(items, total, page, per_page)}


# List endpoint -> floor(page, per_page) returning (template, context).
FLOORS: dict[str, Callable] = {
    "dpia.dpias": dpias,
    "dpia.assessments": assessments,
    "sharing.agreements": agreements,
    "projects.projects": projects,
    "projects.decisions": decisions,
    "projects.parties": parties,
}

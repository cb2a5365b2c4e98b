"""Floors: each list page's rows fetched with one plain SQL query and rendered with its template.

A floor is what the page would cost if the app did nothing but run one
query and render. The benchmark serves each floor as a request, so a
page's time divided by its floor's time shows what the ORM and the page's
extra queries add. A page's total comes from a scalar subquery in the same
statement.

Each floor must select the same rows in the same order as its view, and
supply every attribute its template reads. Jinja renders a missing
attribute as empty, so a floor that falls behind its template gets cheaper
without failing.
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
from sharing.choices import AGREEMENT_STATUSES
from sharing.models import Agreement, AgreementParty


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


def _window(model, order, page: int, per_page: int):
    """Return a subquery of one page of `model`'s rows, in `order`, with the table's row count.

    Paging the table before joining keeps the database from joining every
    row it skips on the way to a deep page.
    """
    table = model.__table__
    total = select(func.count()).select_from(table).scalar_subquery()
    return (
        select(table, total.label("total"))
        .order_by(*order(table.c))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )


def _run(query: Select) -> tuple[list, int]:
    rows = db.session.execute(query).all()
    return rows, (rows[0].total if rows else 0)


def _by_review_date(columns):
    return [columns.next_review_on.asc().nulls_last(), columns.id]


def dpias(page: int, per_page: int):
    window = _window(Dpia, _by_review_date, page, per_page)
    query = (
        select(window, Project.name.label("project_name"), Decision.reference)
        .join(Project, Project.id == window.c.project_id)
        .join(Decision, Decision.id == window.c.decision_id)
        .order_by(*_by_review_date(window.c))
    )
    rows, total = _run(query)
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
    window = _window(PbdAssessment, _by_review_date, page, per_page)
    query = (
        select(window, Project.name.label("project_name"), Decision.reference)
        .join(Project, Project.id == window.c.project_id)
        .join(Decision, Decision.id == window.c.decision_id)
        .order_by(*_by_review_date(window.c))
    )
    rows, total = _run(query)
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
    window = _window(Agreement, lambda columns: [columns.reference], page, per_page)
    party_names = (
        select(func.aggregate_strings(Party.name, SEPARATOR))
        .join(AgreementParty, AgreementParty.party_id == Party.id)
        .where(AgreementParty.agreement_id == window.c.id)
        .scalar_subquery()
    )
    query = (
        select(window, Project.name.label("project_name"), party_names.label("party_names"))
        .join(Project, Project.id == window.c.project_id)
        .order_by(window.c.reference)
    )
    rows, total = _run(query)
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
    window = _window(Project, lambda columns: [columns.name], page, per_page)
    references = (
        select(func.aggregate_strings(Decision.reference, SEPARATOR))
        .join(links, links.c.decision_id == Decision.id)
        .where(links.c.project_id == window.c.id)
        .scalar_subquery()
    )
    query = (
        select(window, User.name.label("lead_name"), references.label("references"))
        .join(User, User.id == window.c.lead_id)
        .order_by(window.c.name)
    )
    rows, total = _run(query)
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
    window = _window(Decision, lambda columns: [columns.reference_key], page, per_page)
    rows, total = _run(select(window).order_by(window.c.reference_key))
    return "projects/decisions.html", {"page": FloorPage(rows, total, page, per_page)}


def parties(page: int, per_page: int):
    window = _window(Party, lambda columns: [columns.kind, columns.name], page, per_page)
    rows, total = _run(select(window).order_by(window.c.kind, window.c.name))
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

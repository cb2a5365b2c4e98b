"""Floors: each list page's rows fetched with one plain SQL query and rendered with its template.

A floor is what the page would cost if the app did nothing but run one
query and render. The benchmark serves each floor as a request, so a
page's time divided by its floor's time shows what the ORM and the page's
extra queries add. A page's total, its other counts and the choices of its
filter form come from scalar subqueries in the same statement.

Each floor must select the same rows in the same order as its view, build
the same filter form, and supply every attribute its template reads. Jinja
renders a missing attribute as empty, so a floor that falls behind its
template gets cheaper without failing. The row classes below borrow the
models' own properties, so labels are computed as the pages compute them.
"""

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, String, case, cast, func, literal, or_, select, union_all

from core.archive import ArchivableMixin
from core.audit import AuditEvent, record_types
from core.audit_views import AuditFilterForm
from core.auth.models import User
from core.extensions import db
from core.forms import RegisterForm
from core.projects.filters import project_filter
from core.projects.models import Decision, Party, Project
from core.projects.models import project_decisions as links
from core.reviewable import review_sources
from core.timeutil import local_today
from dpia.assessment_views import OPEN_ACTION_FILTERS, register_filters
from dpia.models import Dpia
from dpia.pbd_checklist import ACTION_STATUSES, CHECKLIST, OPEN_ACTION_STATUSES, STAGES
from dpia.pbd_item_views import action_parts
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.views import FilterForm as DpiaFilterForm
from register.reviews import ReviewItem, ReviewPage
from sharing import choices
from sharing.detail_forms import FilterForm as AgreementFilterForm
from sharing.models import Agreement, AgreementParty

# Values within one aggregated string are split on SEPARATOR, and the
# records of a list of choices on RECORD_SEPARATOR. No generated name or
# reference contains either character.
SEPARATOR = "\x1f"
RECORD_SEPARATOR = "\x1e"


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


class DpiaRow(SimpleNamespace):
    status_label = Dpia.status_label
    regime_label = Dpia.regime_label


class AssessmentRow(SimpleNamespace):
    status_label = PbdAssessment.status_label
    stage_label = PbdAssessment.stage_label


class AgreementRow(SimpleNamespace):
    is_processor_contract = Agreement.is_processor_contract
    label = Agreement.label
    effective_status = Agreement.effective_status


class ProjectRow(SimpleNamespace):
    status_label = Project.status_label
    is_archived = ArchivableMixin.is_archived


class DecisionRow(SimpleNamespace):
    is_archived = ArchivableMixin.is_archived


class PartyRow(SimpleNamespace):
    kind_label = Party.kind_label
    is_archived = ArchivableMixin.is_archived


class AgreementFilters(AgreementFilterForm):
    """The agreements page's filter form, given its party choices instead of querying them."""

    def __init__(self, *args, parties: list, **kwargs):
        RegisterForm.__init__(self, *args, **kwargs)
        self.party.choices = {"": "Any party"} | {str(p.id): p.name for p in parties}


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


def _choices(model, order):
    """Return a column that contains `model`'s ids and names, in `order`, on one row of the result.

    The other rows get NULL, so the list, which has one entry per project on
    the DPIA and assessment pages, crosses from the database once.
    """
    # NOTE: SQLite and PostgreSQL aggregate the rows of an ordered subquery in
    # its order in practice, but neither documents that guarantee.
    ordered = select(model.id, model.name).order_by(*order).subquery()
    aggregated = select(
        func.aggregate_strings(
            cast(ordered.c.id, String) + literal(SEPARATOR) + ordered.c.name,
            RECORD_SEPARATOR,
        )
    ).scalar_subquery()
    return case((func.row_number().over() == 1, aggregated)).label("choices")


def _split_pairs(text: str | None) -> list[tuple[int, str]]:
    """Return the (id, name) pairs of an aggregated string, sorted by id."""
    entries = (entry.split(SEPARATOR, 1) for entry in (text or "").split(RECORD_SEPARATOR) if entry)
    return sorted((int(number), name) for number, name in entries)


def _read_choices(rows) -> list[SimpleNamespace]:
    """Return the choices that _choices() put on one row, in the order the query gave them."""
    text = next((row.choices for row in rows if row.choices is not None), None) or ""
    entries = (entry.split(SEPARATOR, 1) for entry in text.split(RECORD_SEPARATOR) if entry)
    return [SimpleNamespace(id=int(number), name=name) for number, name in entries]


def _run(query: Select) -> tuple[list, int]:
    rows = db.session.execute(query).all()
    return rows, (rows[0].total if rows else 0)


def _by_review_date(columns):
    return [columns.next_review_on.asc().nulls_last(), columns.id]


def dpias(page: int, per_page: int):
    window = _window(Dpia, _by_review_date, page, per_page)
    query = (
        select(
            window,
            Project.name.label("project_name"),
            Decision.reference.label("decision_reference"),
        )
        .join(Project, Project.id == window.c.project_id)
        .join(Decision, Decision.id == window.c.decision_id)
        .order_by(*_by_review_date(window.c))
    )
    rows, total = _run(query)
    form = DpiaFilterForm(request.args)
    form.validate()
    items = [
        DpiaRow(
            id=row.id,
            title=row.title,
            version=row.version,
            status=row.status,
            regime=row.regime,
            residual_risk=row.residual_risk,
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            decision=SimpleNamespace(reference=row.decision_reference),
        )
        for row in rows
    ]
    return "dpia/dpias.html", {
        "page": FloorPage(items, total, page, per_page),
        "form": form,
        "project_filter": project_filter(),
    }


def _open_action_count(window):
    """Return a count of an assessment's open actions, as PbdAssessment.open_actions counts them."""
    part3_codes = [entry.code for entry in CHECKLIST if entry.is_law_enforcement]
    return (
        select(func.count())
        .select_from(PbdItem)
        .where(
            PbdItem.assessment_id == window.c.id,
            PbdItem.action != "",
            PbdItem.action_status.in_(OPEN_ACTION_STATUSES),
            or_(window.c.is_law_enforcement, PbdItem.code.not_in(part3_codes)),
        )
        .scalar_subquery()
    )


def assessments(page: int, per_page: int):
    window = _window(PbdAssessment, _by_review_date, page, per_page)
    query = (
        select(
            window,
            Project.name.label("project_name"),
            Decision.reference.label("decision_reference"),
            _open_action_count(window).label("open_action_count"),
        )
        .join(Project, Project.id == window.c.project_id)
        .join(Decision, Decision.id == window.c.decision_id)
        .order_by(*_by_review_date(window.c))
    )
    rows, total = _run(query)
    items = [
        AssessmentRow(
            id=row.id,
            title=row.title,
            status=row.status,
            stage=row.stage,
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            decision=SimpleNamespace(reference=row.decision_reference),
        )
        for row in rows
    ]
    return "dpia/assessments.html", {
        "page": FloorPage(items, total, page, per_page),
        "open_action_counts": {row.id: row.open_action_count for row in rows},
        "project_filter": project_filter(),
        "filters": register_filters(),
        "stages": STAGES,
        "open_action_filters": OPEN_ACTION_FILTERS,
    }


def _agreements_query(page: int, per_page: int) -> Select:
    """Return the agreements page's one query: its rows, parties, counts and party choices."""
    window = _window(Agreement, lambda columns: [columns.reference], page, per_page)
    # Each link's id goes with the party's name, so the names can be put in
    # the order the page shows them, by link id.
    party_names = (
        select(
            func.aggregate_strings(
                cast(AgreementParty.id, String) + literal(SEPARATOR) + Party.name,
                RECORD_SEPARATOR,
            )
        )
        .join(AgreementParty, AgreementParty.party_id == Party.id)
        .where(AgreementParty.agreement_id == window.c.id)
        .scalar_subquery()
    )
    contracts = (
        select(func.count())
        .select_from(Agreement)
        .where(Agreement.relationship_kind == choices.PROCESSOR)
        .scalar_subquery()
    )
    return (
        select(
            window,
            Project.name.label("project_name"),
            party_names.label("party_names"),
            contracts.label("contracts"),
            _choices(Party, [Party.name]),
        )
        .join(Project, Project.id == window.c.project_id)
        .order_by(window.c.reference)
    )


def agreements(page: int, per_page: int):
    rows, total = _run(_agreements_query(page, per_page))
    form = AgreementFilters(formdata=request.args, parties=_read_choices(rows))
    form.validate()
    contract_count = rows[0].contracts if rows else 0
    items = [
        AgreementRow(
            id=row.id,
            reference=row.reference,
            title=row.title,
            relationship_kind=row.relationship_kind,
            status=row.status,
            end_on=row.end_on,
            next_review_on=row.next_review_on,
            project=SimpleNamespace(name=row.project_name),
            parties=[
                SimpleNamespace(party=SimpleNamespace(name=name))
                for _, name in _split_pairs(row.party_names)
            ],
        )
        for row in rows
    ]
    return "sharing/agreements.html", {
        "page": FloorPage(items, total, page, per_page),
        "filters": form,
        "today": local_today(),
        "sharing_count": total - contract_count,
        "contract_count": contract_count,
    }


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
        ProjectRow(
            id=row.id,
            name=row.name,
            owning_unit=row.owning_unit,
            status=row.status,
            archived_at=row.archived_at,
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
    items = [
        DecisionRow(
            id=row.id,
            reference=row.reference,
            title=row.title,
            issuing_body=row.issuing_body,
            signed_on=row.signed_on,
            archived_at=row.archived_at,
        )
        for row in rows
    ]
    return "projects/decisions.html", {"page": FloorPage(items, total, page, per_page)}


def parties(page: int, per_page: int):
    window = _window(Party, lambda columns: [columns.kind, columns.name], page, per_page)
    rows, total = _run(select(window).order_by(window.c.kind, window.c.name))
    items = [
        PartyRow(id=row.id, name=row.name, kind=row.kind, archived_at=row.archived_at)
        for row in rows
    ]
    return "projects/parties.html", {"page": FloorPage(items, total, page, per_page)}


class AuditEventRow(SimpleNamespace):
    action_label = AuditEvent.action_label
    record_label = AuditEvent.record_label


def audit_events(page: int, per_page: int):
    window = _window(AuditEvent, lambda columns: [columns.id.desc()], page, per_page)
    rows, total = _run(select(window).order_by(window.c.id.desc()))
    items = [AuditEventRow(**row._mapping) for row in rows]
    return "audit/events.html", {
        "form": AuditFilterForm(request.args),
        "page": FloorPage(items, total, page, per_page),
        "record_types": record_types(),
    }


class ActionRow(SimpleNamespace):
    checklist_item = PbdItem.checklist_item
    title = PbdItem.title
    status_label = PbdItem.status_label
    action_status_label = PbdItem.action_status_label
    has_open_action = PbdItem.has_open_action


def _action_window(show_done: bool, page: int, per_page: int):
    """Return a subquery of one page of the actions page's item ids, and their total.

    The rows are those of the view's action_parts, with each item's due
    date and part number. Each part's LIMIT and OFFSET come from a common
    table expression of the parts' counts, so no count has to run first,
    and a part that starts after the page reads no rows.
    """
    by_due = [PbdItem.action_due_on.asc().nulls_last(), PbdItem.id]
    parts = action_parts(local_today(), show_done)
    counts = select(
        *(
            select(func.count())
            .select_from(ids.subquery())
            .scalar_subquery()
            .label(f"part_{number}")
            for number, ids in enumerate(parts)
        )
    ).cte("part_counts")
    start = (page - 1) * per_page
    windows = []
    for number, ids in enumerate(parts):
        before = select(sum(counts.c[:number], literal(0))).scalar_subquery()
        rows = (
            ids.add_columns(PbdItem.action_due_on, literal(number).label("part"))
            .order_by(*by_due)
            .limit(case((before < start + per_page, per_page), else_=0))
            .offset(case((before < start, start - before), else_=0))
            .subquery()
        )
        windows.append(select(rows))
    window = (windows[0] if len(windows) == 1 else union_all(*windows)).subquery()
    page_ids = (
        select(window)
        .order_by(window.c.part, window.c.action_due_on.asc().nulls_last(), window.c.id)
        .limit(per_page)
        .subquery()
    )
    total = select(sum(counts.c, literal(0))).scalar_subquery()
    return page_ids, total


def assessment_actions(page: int, per_page: int):
    """Return the actions page, with done actions or without: the view's rows, in one statement."""
    show_done = request.args.get("show") == "all"
    window, total = _action_window(show_done, page, per_page)
    owner = select(User.name).where(User.id == PbdItem.action_owner_id).scalar_subquery()
    query = (
        select(
            PbdItem.id,
            PbdItem.code,
            PbdItem.status,
            PbdItem.action,
            PbdItem.action_status,
            PbdItem.action_due_on,
            PbdItem.assessment_id,
            PbdAssessment.title.label("assessment_title"),
            Project.name.label("project_name"),
            Project.lead_id,
            owner.label("owner_name"),
            total.label("total"),
        )
        .join(window, window.c.id == PbdItem.id)
        .join(PbdItem.assessment)
        .join(Project, Project.id == PbdAssessment.project_id)
        .order_by(window.c.part, PbdItem.action_due_on.asc().nulls_last(), PbdItem.id)
    )
    rows = db.session.execute(query).all()
    items = [
        ActionRow(
            id=row.id,
            code=row.code,
            status=row.status,
            action=row.action,
            action_status=row.action_status,
            action_due_on=row.action_due_on,
            assessment=SimpleNamespace(
                id=row.assessment_id,
                title=row.assessment_title,
                project=SimpleNamespace(name=row.project_name, lead_id=row.lead_id),
            ),
            action_owner=SimpleNamespace(name=row.owner_name) if row.owner_name else None,
        )
        for row in rows
    ]
    total_count = rows[0].total if rows else 0
    return "dpia/pbd_actions.html", {
        "page": FloorPage(items, total_count, page, per_page),
        "today": local_today(),
        "show_done": show_done,
        "action_statuses": ACTION_STATUSES,
    }


def reviews(page: int, per_page: int):
    """Return the reviews page: every source's dated items and their total, at once.

    The page shows four times the page size, as the view does. Its links
    continue from an item rather than skip to a page number, and the
    benchmark times its first and last pages. So page 1 is the soonest
    items, and any later page is the latest: each source gives its latest
    rows, and the database keeps a page of those.
    """
    per_page *= 4
    sources = review_sources(current_app)
    ranks = {kind: rank for rank, kind in enumerate(sorted(sources))}
    from_end = page > 1
    parts, counts = [], []
    for kind, source in sources.items():
        rows = source.rows().subquery()
        dated = rows.c.due_on.is_not(None)
        counts.append(select(func.count()).select_from(rows).where(dated).scalar_subquery())
        order = [rows.c.due_on, rows.c.record_id]
        part = (
            select(
                literal(kind).label("kind"),
                literal(ranks[kind]).label("kind_rank"),
                rows.c.record_id,
                rows.c.page_id,
                rows.c.title,
                rows.c.project_id,
                rows.c.owner_id,
                rows.c.due_on.label("next_review_on"),
            )
            .where(dated)
            .order_by(*(column.desc() if from_end else column for column in order))
            .limit(per_page)
        )
        parts.append(select(part.subquery()))
    total = sum(counts[1:], counts[0])
    items = union_all(*parts).subquery()
    order = [items.c.next_review_on, items.c.kind_rank, items.c.record_id]
    window = select(items, total.label("total"))
    window = window.order_by(*(column.desc() if from_end else column for column in order))
    window = window.limit(per_page).subquery()
    query = (
        select(
            window,
            Project.name.label("project_name"),
            func.coalesce(User.name, "No owner").label("owner_name"),
        )
        .join(Project, Project.id == window.c.project_id)
        .outerjoin(User, User.id == window.c.owner_id)
        .order_by(window.c.next_review_on, window.c.kind_rank, window.c.record_id)
    )
    rows = db.session.execute(query).all()
    total_count = rows[0].total if rows else 0
    page_items = [
        ReviewItem(**{name: getattr(row, name) for name in ReviewItem.__dataclass_fields__})
        for row in rows
    ]
    today = local_today()
    soon = today + timedelta(days=current_app.config["REGISTER_REMINDER_DAYS"])
    due_soon = [item for item in page_items if today <= item.due_on <= soon]
    start = total_count - len(page_items) if from_end else 0
    return "register/reviews.html", {
        "groups": [
            ("overdue", "Overdue", [item for item in page_items if item.due_on < today]),
            ("soon", "Due within 30 days", due_soon),
            ("later", "Later", [item for item in page_items if item.due_on > soon]),
        ],
        "listing": ReviewPage(page_items, total_count, start),
        "today": today,
        "sources": sources,
        "project_filter": project_filter(),
        "owner_shown": "",
        "selected": {"type": None},
    }


# List endpoint -> floor(page, per_page) returning (template, context).
FLOORS: dict[str, Callable] = {
    "dpia.dpias": dpias,
    "dpia.assessments": assessments,
    "sharing.agreements": agreements,
    "projects.projects": projects,
    "projects.decisions": decisions,
    "projects.parties": parties,
    "audit.events": audit_events,
    "dpia.assessment_actions": assessment_actions,
    "reviews.reviews": reviews,
}

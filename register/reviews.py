"""Every dated item from every registered review source, in one list."""

import operator
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce

from flask import current_app, url_for
from sqlalchemy import func, literal, select, union_all

from core.auth.models import User
from core.extensions import db
from core.policy import sees_every_project
from core.projects.filters import contains_text, matching_project_ids
from core.projects.models import Project
from core.reviewable import ReviewSource, review_sources


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    record_id: int
    page_id: int
    title: str
    project_id: int
    project_name: str
    owner_id: int | None
    owner_name: str
    next_review_on: date

    @property
    def source(self) -> ReviewSource:
        return review_sources(current_app)[self.kind]

    @property
    def kind_label(self) -> str:
        return self.source.label

    @property
    def due_on(self) -> date:
        return self.next_review_on

    def url(self) -> str:
        return url_for(self.source.endpoint, **{self.source.id_arg: self.page_id})


@dataclass(frozen=True)
class ItemFilter:
    """Filter for the item list, where a field left as None keeps all items."""

    until: date | None = None
    owner_id: int | None = None
    project_id: int | None = None
    # Text that the project's name contains, ignoring case.
    project_name: str | None = None
    # Text that the owner's name contains, ignoring case.
    owner_name: str | None = None
    kind: str | None = None
    kinds: tuple[str, ...] | None = None


def _source_parts(user: User | None, where: ItemFilter) -> list:
    """Return one filtered select of dated items per registered source, without names.

    Each part filters on its own columns only: the project conditions are
    subqueries on project ids. So counting and paging read each source
    along its due-date index, and the project and owner names are joined
    to the one page of items that is shown.
    """
    parts = []
    for kind, source in review_sources(current_app).items():
        if where.kind is not None and kind != where.kind:
            continue
        if where.kinds is not None and kind not in where.kinds:
            continue
        rows = source.rows().subquery()
        part = select(
            literal(kind).label("kind"),
            rows.c.record_id,
            rows.c.page_id,
            rows.c.title,
            rows.c.project_id,
            rows.c.owner_id,
            rows.c.due_on.label("next_review_on"),
        ).where(rows.c.due_on.is_not(None))
        if where.until is not None:
            part = part.where(rows.c.due_on <= where.until)
        if where.owner_id is not None:
            part = part.where(rows.c.owner_id == where.owner_id)
        if where.owner_name:
            named = select(User.id).where(contains_text(User.name, where.owner_name))
            part = part.where(rows.c.owner_id.in_(named))
        if where.project_id is not None:
            part = part.where(rows.c.project_id == where.project_id)
        if where.project_name:
            part = part.where(rows.c.project_id.in_(matching_project_ids(where.project_name)))
        if user is not None and not sees_every_project(user):
            led = select(Project.id).where(Project.lead_id == user.id)
            part = part.where(rows.c.project_id.in_(led))
        parts.append(part)
    return parts


def _count(parts: list) -> int:
    """Count the items with one query: a count per source, added together."""
    counts = [select(func.count()).select_from(part.subquery()).scalar_subquery() for part in parts]
    return db.session.scalar(select(reduce(operator.add, counts)))


def review_items(
    user: User | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int | None = None,
    where: ItemFilter | None = None,
    count: bool = True,
) -> tuple[list[ReviewItem], int | None]:
    """Return dated items, soonest first, and how many there are in all.

    With `count` False the total is None and not counted, which spares a
    read of every dated item.

    `user` limits the list to what that user may see, `until` to items due
    on or before that date, and `where` narrows it further. With a `limit`,
    each source gives only its soonest `offset + limit` rows, so the database
    reads each source along its due-date index and stops instead of sorting
    every dated record.
    """
    where = where or ItemFilter()
    if until is not None:
        where = replace(where, until=until)
    parts = _source_parts(user, where)
    if not parts:
        return [], 0 if count else None
    total = _count(parts) if count else None
    if limit is not None:
        # NOTE: a deep page still reads `offset + limit` rows of every source
        # and sorts them together, so the last page of a large register costs
        # far more than the first. Keyset links ("after this date") would
        # bound it; page numbers cannot.
        first = offset + limit
        parts = [
            select(
                part.order_by(part.selected_columns.next_review_on, part.selected_columns.record_id)
                .limit(first)
                .subquery()
            )
            for part in parts
        ]
    order = ("next_review_on", "kind", "record_id")
    rows = union_all(*parts).subquery()
    page = select(rows).order_by(*(rows.c[name] for name in order)).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    page = page.subquery()
    query = (
        select(
            page.c.kind,
            page.c.record_id,
            page.c.page_id,
            page.c.title,
            page.c.project_id,
            Project.name.label("project_name"),
            page.c.owner_id,
            func.coalesce(User.name, "No owner").label("owner_name"),
            page.c.next_review_on,
        )
        .join(Project, Project.id == page.c.project_id)
        .outerjoin(User, User.id == page.c.owner_id)
        .order_by(*(page.c[name] for name in order))
    )
    items = [ReviewItem(**row._mapping) for row in db.session.execute(query)]
    return items, total

"""Every dated item from every registered review source, in one list."""

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from flask import current_app, url_for
from sqlalchemy import func, literal, select, union_all

from core.auth.models import User
from core.extensions import db
from core.policy import sees_every_project
from core.projects.models import Project
from core.reviewable import ReviewSource, review_sources


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    record_id: int
    page_id: int
    title: str
    project_name: str
    owner_id: int
    next_review_on: date

    @property
    def source(self) -> ReviewSource:
        return review_sources(current_app)[self.kind]

    @property
    def kind_label(self) -> str:
        return self.source.label

    def url(self) -> str:
        return url_for(self.source.endpoint, **{self.source.id_arg: self.page_id})


def _rows_query(user: User | None, until: date | None, first: int | None = None):
    """Union the sources' rows; with `first`, each source gives only its `first` soonest.

    Limiting each source lets the database read each one in the order of its
    review date index and stop, instead of sorting every dated record.
    """
    parts = []
    for kind, source in review_sources(current_app).items():
        rows = source.rows().subquery()
        part = select(
            literal(kind).label("kind"),
            rows.c.record_id,
            rows.c.page_id,
            rows.c.title,
            Project.name.label("project_name"),
            rows.c.owner_id,
            rows.c.due_on.label("next_review_on"),
        ).join(Project, Project.id == rows.c.project_id)
        if until is not None:
            part = part.where(rows.c.due_on <= until)
        if user is not None and not sees_every_project(user):
            part = part.where(Project.lead_id == user.id)
        if first is not None:
            part = select(part.order_by(rows.c.due_on, rows.c.record_id).limit(first).subquery())
        parts.append(part)
    return union_all(*parts).subquery()


def _count(user: User | None, until: date | None) -> int:
    """Count the dated items with one query, a count per source added together.

    Every source's rows name a project, so the count joins projects only to
    keep a lead to their own.
    """
    counts = []
    for source in review_sources(current_app).values():
        rows = source.rows().subquery()
        count = select(func.count()).select_from(rows)
        if until is not None:
            count = count.where(rows.c.due_on <= until)
        if user is not None and not sees_every_project(user):
            count = count.join(Project, Project.id == rows.c.project_id).where(
                Project.lead_id == user.id
            )
        counts.append(count.scalar_subquery())
    if not counts:
        return 0
    return db.session.scalar(select(reduce(operator.add, counts)))


def review_items(
    user: User | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[ReviewItem], int]:
    """Return dated items, soonest first, and how many there are in all.

    `user` limits the list to what that user may see; `until` to items due
    on or before that date.
    """
    total = _count(user, until)
    rows = _rows_query(user, until, first=None if limit is None else offset + limit)
    query = (
        select(rows).order_by(rows.c.next_review_on, rows.c.kind, rows.c.record_id).offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    items = [ReviewItem(**row._mapping) for row in db.session.execute(query)]
    return items, total

"""Every reviewable record in one list, whatever its type."""

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import func, literal, select, union_all

from core.auth.models import User
from core.extensions import db
from core.policy import sees_every_project
from core.projects.models import Project
from dpia.models import Dpia, PbdAssessment
from sharing.models import Agreement

REVIEWABLE_TYPES = {
    "dpia": Dpia,
    "assessment": PbdAssessment,
    "agreement": Agreement,
}


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    record_id: int
    title: str
    project_name: str
    owner_id: int
    next_review_on: date

    @property
    def model(self):
        return REVIEWABLE_TYPES[self.kind]

    @property
    def kind_label(self) -> str:
        return self.model.record_kind

    def url(self) -> str:
        key = self.model.detail_endpoint.rpartition(".")[2] + "_id"
        return url_for(self.model.detail_endpoint, **{key: self.record_id})


def _rows_query(user: User | None, until: date | None):
    parts = []
    for kind, model in REVIEWABLE_TYPES.items():
        title = model.reference + ": " + model.title if model is Agreement else model.title
        part = (
            select(
                literal(kind).label("kind"),
                model.id.label("record_id"),
                title.label("title"),
                Project.name.label("project_name"),
                model.owner_id.label("owner_id"),
                model.next_review_on.label("next_review_on"),
            )
            .join(Project, Project.id == model.project_id)
            .where(model.next_review_on.is_not(None))
        )
        if until is not None:
            part = part.where(model.next_review_on <= until)
        if user is not None and not sees_every_project(user):
            part = part.where(Project.lead_id == user.id)
        parts.append(part)
    return union_all(*parts).subquery()


def review_items(
    user: User | None = None, until: date | None = None, offset: int = 0, limit: int | None = None
) -> tuple[list[ReviewItem], int]:
    """Return records with a review date, soonest first, and how many there are in all.

    `user` limits the list to what that user may see; `until` to reviews due
    on or before that date.
    """
    rows = _rows_query(user, until)
    total = db.session.scalar(select(func.count()).select_from(rows))
    query = (
        select(rows).order_by(rows.c.next_review_on, rows.c.kind, rows.c.record_id).offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    items = [ReviewItem(**row._mapping) for row in db.session.execute(query)]
    return items, total

"""Finding a review source's record by kind and id, and who may see or review it."""

from flask import abort, current_app
from flask_login import current_user

from core.extensions import db
from core.policy import can_edit_project_records, can_view_project
from core.projects.models import Project
from core.reviewable import ReviewSource, review_sources


def reviewable_sources() -> dict[str, ReviewSource]:
    """Return the sources whose items are records that take reviews, not actions."""
    return {
        kind: source for kind, source in review_sources(current_app).items() if source.is_review()
    }


def get_source_or_404(kind: str) -> ReviewSource:
    source = reviewable_sources().get(kind)
    if source is None:
        abort(404)
    return source


def record_project(record) -> Project:
    return db.session.get(Project, record.project_id)


def record_title(record) -> str:
    return str(record)


# Ids in URLs above this are not row ids, and PostgreSQL rejects them as integers.
MAX_ID = 2**31 - 1


def get_record_or_404(source: ReviewSource, record_id: int):
    """Return the record, or 404 when it is missing or in a project the user may not see."""
    if record_id > MAX_ID:
        abort(404)
    record = db.session.get(source.record_model(), record_id)
    if record is None or not can_view_project(current_user, record_project(record)):
        abort(404)
    return record


def may_review(user, record) -> bool:
    """Return whether `user` may record a review of `record`: DPOs, and the project's lead."""
    return can_edit_project_records(user, record_project(record))

"""Fetching records that belong to a project, with the project's access rules."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from core.auth.models import Role
from core.extensions import db
from core.policy import can_edit_project_records, can_view_project, sees_every_project
from core.projects.models import Project


def get_visible_or_404(model, record_id: int, options=()):
    """Return the record of a project; 404 when missing or not visible to the user.

    Hiding records of other projects behind 404 keeps a lead from learning
    that they exist. `options` are loader options for the record's query.
    """
    record = db.session.get(model, record_id, options=options)
    if record is None:
        abort(404)
    if not can_view_project(current_user, record.project):
        abort(404)
    return record


def get_editable_or_403(model, record_id: int):
    """Return the record if the user may change it; 404 if unseen, 403 if read-only."""
    record = get_visible_or_404(model, record_id)
    if not can_edit_project_records(current_user, record.project):
        abort(403)
    return record


def editable_projects() -> list[Project]:
    query = (
        select(Project)
        .where(Project.status != "closed", Project.archived_at.is_(None))
        .order_by(Project.name)
    )
    if current_user.role != Role.DPO:
        query = query.where(Project.lead_id == current_user.id)
    return list(db.session.scalars(query))


def restrict_to_visible(query, project_column):
    """Limit a select of project records to the projects the user may see."""
    if sees_every_project(current_user):
        return query
    return query.where(
        project_column.in_(select(Project.id).where(Project.lead_id == current_user.id))
    )

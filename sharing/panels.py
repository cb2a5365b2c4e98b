"""The agreements panel on a project's page."""

from flask import render_template
from sqlalchemy import select

from core.extensions import db
from sharing.models import Agreement


def project_panel(project) -> str:
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.project_id == project.id).order_by(Agreement.reference)
    ).all()
    return render_template("sharing/_project_panel.html", project=project, agreements=agreements)

"""The DPIA and assessment panels on a project's page."""

from flask import render_template
from sqlalchemy import select

from core.extensions import db
from dpia.models import Dpia, PbdAssessment


def project_panel(project) -> str:
    dpias = db.session.scalars(
        select(Dpia).where(Dpia.project_id == project.id).order_by(Dpia.id)
    ).all()
    assessments = db.session.scalars(
        select(PbdAssessment)
        .where(PbdAssessment.project_id == project.id)
        .order_by(PbdAssessment.id)
    ).all()
    return render_template(
        "dpia/_project_panel.html", project=project, dpias=dpias, assessments=assessments
    )

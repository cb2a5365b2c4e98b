"""Privacy-by-design assessment pages."""

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.locking import save_versioned
from core.pagination import paginate
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import (
    editable_projects,
    get_editable_or_403,
    get_visible_or_404,
    restrict_to_visible,
)
from dpia.blueprint import bp
from dpia.forms import AssessmentForm
from dpia.models import PbdAssessment

log = logging.getLogger(__name__)


@bp.route("/assessments")
@allow(*READERS)
def assessments():
    """List the privacy-by-design assessments the user may see."""
    query = restrict_to_visible(
        select(PbdAssessment).options(
            selectinload(PbdAssessment.project), selectinload(PbdAssessment.decision)
        ),
        PbdAssessment.project_id,
    ).order_by(PbdAssessment.next_review_on.is_(None), PbdAssessment.next_review_on)
    return render_template("dpia/assessments.html", page=paginate(query))


@bp.route("/assessments/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_assessment():
    """Record a privacy-by-design assessment for a project the user may edit."""
    form = AssessmentForm(projects=editable_projects())
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        assessment = PbdAssessment()
        fill_assessment(assessment, form)
        db.session.add(assessment)
        db.session.commit()
        log.info("assessment created id=%s by=%s", assessment.id, current_user.id)
        flash(f"Assessment {assessment.title} recorded", "success")
        return redirect(url_for("dpia.assessment", assessment_id=assessment.id))
    return render_template("dpia/assessment_form.html", form=form, assessment=None)


@bp.route("/assessments/<int:assessment_id>")
@allow(*READERS)
def assessment(assessment_id: int):
    """Show a privacy-by-design assessment."""
    record = get_visible_or_404(PbdAssessment, assessment_id)
    return render_template("dpia/assessment.html", assessment=record)


@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_assessment(assessment_id: int):
    """Change a privacy-by-design assessment."""
    record = get_editable_or_403(PbdAssessment, assessment_id)
    form = AssessmentForm(obj=record, projects=editable_projects())
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
    if form.validate_on_submit():
        current = lambda: {"decision_reference": record.decision.reference}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_assessment(record, form), current):
            return (
                render_template("dpia/assessment_form.html", form=form, assessment=record),
                409,
            )
        log.info("assessment changed id=%s by=%s", record.id, current_user.id)
        flash(f"Assessment {record.title} saved", "success")
        return redirect(url_for("dpia.assessment", assessment_id=record.id))
    return render_template("dpia/assessment_form.html", form=form, assessment=record)


def fill_assessment(assessment: PbdAssessment, form: AssessmentForm) -> None:
    assessment.project_id = form.project_id.data
    assessment.decision = form.decision
    assessment.owner_id = form.owner_id.data
    assessment.next_review_on = form.next_review_on.data
    assessment.title = form.title.data
    assessment.summary = form.summary.data or ""

"""Screening pages: for a DPIA, or for a project before any DPIA exists."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from core.auth.models import Role
from core.extensions import db
from core.policy import RECORD_WRITERS, allow, can_edit_project_records
from core.projects.models import Project
from core.timeutil import utc_now
from dpia.blueprint import bp
from dpia.fields import as_bool, as_yes_no
from dpia.screening import SCREENING_RESULTS, Screening, screening_result
from dpia.step_forms import ScreeningForm
from dpia.step_views import draftable_or_redirect
from dpia.tasks import mark_step

log = logging.getLogger(__name__)


def _check_outcome(form: ScreeningForm, result: str) -> bool:
    """Check the rules for an outcome of "not required", and return False when one fails."""
    if form.is_dpia_required.data != "no" or result == "not_indicated":
        return True
    if current_user.role != Role.DPO:
        form.is_dpia_required.errors.append(
            "The answers show a DPIA is required or likely to be required. "
            "Only the DPO can record that it is not, so select yes or ask the DPO"
        )
        return False
    if not form.override_reason.data:
        form.override_reason.errors.append(
            "Give the reason a DPIA is not needed despite the answers"
        )
        return False
    return True


def _handle(form: ScreeningForm, screening: Screening | None, project: Project):
    """Validate the form and return the saved screening, or the result label to show again."""
    result = None
    if form.is_submitted():
        result = screening_result(
            form.mandatory_cases.data or [],
            form.ico_types.data or [],
            form.wp248_criteria.data or [],
        )
    elif screening is not None:
        result = screening_result(
            screening.mandatory_cases, screening.ico_types, screening.wp248_criteria
        )
    if not (form.validate_on_submit() and _check_outcome(form, result)):
        return None, SCREENING_RESULTS.get(result or "")
    screening = screening or Screening(project=project)
    screening.mandatory_cases = list(form.mandatory_cases.data)
    screening.ico_types = list(form.ico_types.data)
    screening.wp248_criteria = list(form.wp248_criteria.data)
    screening.involves_sharing = as_bool(form.involves_sharing.data)
    screening.is_dpia_required = as_bool(form.is_dpia_required.data)
    screening.rationale = form.rationale.data
    screening.override_reason = form.override_reason.data if not screening.is_dpia_required else ""
    screening.decided_by = current_user
    screening.decided_at = utc_now()
    return screening, None


def _form(screening: Screening | None) -> ScreeningForm:
    form = ScreeningForm(obj=screening)
    if request.method == "GET" and screening is not None:
        form.involves_sharing.data = as_yes_no(screening.involves_sharing)
        form.is_dpia_required.data = as_yes_no(screening.is_dpia_required)
    return form


@bp.route("/dpias/<int:dpia_id>/screening", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def screening(dpia_id: int):
    """Answer the screening questions of a DPIA and record whether it is required."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    form = _form(record.screening)
    saved, result_label = _handle(form, record.screening, record.project)
    if saved is not None:
        record.screening = saved
        mark_step(record, "screening")
        db.session.commit()
        log.info("dpia screening saved id=%s by=%s", record.id, current_user.id)
        flash("Screening saved", "success")
        return redirect(url_for("dpia.tasks", dpia_id=record.id))
    return render_template(
        "dpia/screening_form.html",
        form=form,
        dpia=record,
        project=record.project,
        result_label=result_label,
    )


@bp.route("/projects/<int:project_id>/screening", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def project_screening(project_id: int):
    """Screen a project's processing before any DPIA exists."""
    project = db.get_or_404(Project, project_id)
    if not can_edit_project_records(current_user, project):
        abort(404 if current_user.role == Role.LEAD else 403)
    form = _form(None)
    saved, result_label = _handle(form, None, project)
    if saved is not None:
        db.session.add(saved)
        db.session.commit()
        log.info("project screening saved id=%s project=%s", saved.id, project.id)
        if saved.is_dpia_required:
            flash("Screening saved: a DPIA is required. Start it below", "success")
            return redirect(url_for("dpia.create_dpia", project=project.id, screening=saved.id))
        flash("Screening saved: a DPIA is not required", "success")
        return redirect(url_for("projects.project", project_id=project.id))
    return render_template(
        "dpia/screening_form.html", form=form, dpia=None, project=project, result_label=result_label
    )


def unused_screening(project_id: int, screening_id: str | None) -> Screening | None:
    """Return the project's screening that no DPIA has taken over yet, from a query argument."""
    if not screening_id or not screening_id.isdigit() or len(screening_id) > 12:
        return None
    return db.session.scalar(
        select(Screening).where(
            Screening.id == int(screening_id),
            Screening.project_id == project_id,
            Screening.dpia_id.is_(None),
        )
    )

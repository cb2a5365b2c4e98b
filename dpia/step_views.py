"""The DPIA's task list and the pages for screening and steps 1 to 4."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.models import Role
from core.extensions import db
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import get_editable_or_403, get_visible_or_404
from core.timeutil import utc_now
from dpia.blueprint import bp
from dpia.fields import as_bool, as_yes_no
from dpia.models import Dpia
from dpia.screening import SCREENING_RESULTS, Screening, screening_result
from dpia.step_forms import (
    ConsultationForm,
    DescriptionForm,
    NecessityForm,
    NeedForm,
    ScreeningForm,
)
from dpia.tasks import STEP_TITLES, mark_step, task_list
from dpia.workflow import can_draft

log = logging.getLogger(__name__)

# Fields of each step whose form shows Yes and No radios for a boolean column.
YES_NO_FIELDS = {
    "description": ("has_criminal_offence_data", "involves_vulnerable_people"),
    "consultation": ("views_sought",),
    "necessity": ("is_sensitive_processing", "is_new_filing_system"),
}

STEP_FORMS = {
    "need": NeedForm,
    "description": DescriptionForm,
    "consultation": ConsultationForm,
    "necessity": NecessityForm,
}


@bp.route("/dpias/<int:dpia_id>/tasks")
@allow(*READERS)
def tasks(dpia_id: int):
    """Show the DPIA's steps as a task list, each marked complete or not."""
    record = get_visible_or_404(Dpia, dpia_id)
    return render_template(
        "dpia/tasks.html",
        dpia=record,
        tasks=task_list(record),
        can_draft=can_draft(record, current_user),
        is_dpo=current_user.role == Role.DPO,
    )


def draftable_or_redirect(dpia_id: int):
    """Return the DPIA and None, or None and a redirect when its steps cannot change now."""
    record = get_editable_or_403(Dpia, dpia_id)
    if not can_draft(record, current_user):
        flash(
            f"A DPIA that is {record.status_label.lower()} cannot be changed. "
            "Start a review to draft a new version",
            "error",
        )
        return None, redirect(url_for("dpia.dpia", dpia_id=record.id))
    return record, None


@bp.route("/dpias/<int:dpia_id>/steps/<step>", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def step(dpia_id: int, step: str):
    """Edit one of steps 1 to 4 of the DPIA."""
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        abort(404)
    record, refusal = draftable_or_redirect(dpia_id)
    if refusal:
        return refusal
    extra = {"dpia": record} if form_class is NecessityForm else {}
    form = form_class(obj=record, **extra)
    if request.method == "GET":
        for name in YES_NO_FIELDS.get(step, ()):
            form[name].data = as_yes_no(getattr(record, name))
    if form.validate_on_submit():
        for name, field in form._fields.items():
            if name in ("csrf_token", "submit"):
                continue
            value = field.data
            if name in YES_NO_FIELDS.get(step, ()):
                value = as_bool(value)
            elif value is None and name != "go_live_on":
                value = ""
            setattr(record, name, value)
        mark_step(record, step)
        db.session.commit()
        log.info("dpia step saved id=%s step=%s by=%s", record.id, step, current_user.id)
        flash(f"{STEP_TITLES[step]} saved", "success")
        return redirect(url_for("dpia.tasks", dpia_id=record.id))
    return render_template("dpia/step_form.html", form=form, dpia=record, heading=STEP_TITLES[step])


@bp.route("/dpias/<int:dpia_id>/screening", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def screening(dpia_id: int):
    """Answer the screening questions and record whether a DPIA is required."""
    record, refusal = draftable_or_redirect(dpia_id)
    if refusal:
        return refusal
    current = record.screening
    form = ScreeningForm(obj=current)
    if request.method == "GET" and current is not None:
        form.involves_sharing.data = as_yes_no(current.involves_sharing)
        form.is_dpia_required.data = as_yes_no(current.is_dpia_required)
    result = None
    if form.is_submitted():
        result = screening_result(
            form.mandatory_cases.data or [],
            form.ico_types.data or [],
            form.wp248_criteria.data or [],
        )
    if form.validate_on_submit() and _check_screening(form, result):
        screening = current or Screening()
        screening.mandatory_cases = list(form.mandatory_cases.data)
        screening.ico_types = list(form.ico_types.data)
        screening.wp248_criteria = list(form.wp248_criteria.data)
        screening.involves_sharing = as_bool(form.involves_sharing.data)
        screening.is_dpia_required = as_bool(form.is_dpia_required.data)
        screening.rationale = form.rationale.data
        screening.override_reason = (
            form.override_reason.data if not screening.is_dpia_required else ""
        )
        screening.decided_by = current_user
        screening.decided_at = utc_now()
        record.screening = screening
        mark_step(record, "screening")
        db.session.commit()
        log.info("dpia screening saved id=%s by=%s", record.id, current_user.id)
        flash("Screening saved", "success")
        return redirect(url_for("dpia.tasks", dpia_id=record.id))
    if current is not None and result is None:
        result = screening_result(
            current.mandatory_cases, current.ico_types, current.wp248_criteria
        )
    return render_template(
        "dpia/screening_form.html",
        form=form,
        dpia=record,
        result=result,
        result_label=SCREENING_RESULTS.get(result or ""),
    )


def _check_screening(form: ScreeningForm, result: str) -> bool:
    """Apply the screening rules to an outcome of "not required"; False when one fails."""
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

"""The DPIA's task list and the pages for steps 1 to 4."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.models import Role
from core.extensions import db
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import get_editable_or_403, get_visible_or_404
from dpia.blueprint import bp
from dpia.fields import as_bool, as_yes_no
from dpia.models import Dpia
from dpia.step_forms import (
    ConsultationForm,
    DescriptionForm,
    NecessityForm,
    NeedForm,
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
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
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

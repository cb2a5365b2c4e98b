"""DPIA pages: register, record, advice, sign-off and the lead's confirmation."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.auth.models import Role
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
from core.timeutil import local_today
from dpia.blueprint import bp
from dpia.forms import AdviceForm, ConfirmForm, DpiaForm, SignOffForm
from dpia.models import Dpia
from dpia.workflow import WorkflowError, confirm_completion, record_advice, sign_off

log = logging.getLogger(__name__)


@bp.route("/dpias")
@allow(*READERS)
def dpias():
    """List the DPIAs the user may see, soonest review first."""
    query = restrict_to_visible(
        select(Dpia).options(selectinload(Dpia.project), selectinload(Dpia.decision)),
        Dpia.project_id,
    ).order_by(Dpia.next_review_on.is_(None), Dpia.next_review_on, Dpia.id)
    return render_template("dpia/dpias.html", page=paginate(query))


@bp.route("/dpias/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_dpia():
    """Log a DPIA for a project the user may edit."""
    projects = editable_projects()
    form = DpiaForm(projects=projects)
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        dpia = Dpia()
        fill_dpia(dpia, form)
        db.session.add(dpia)
        db.session.commit()
        log.info("dpia created id=%s by=%s", dpia.id, current_user.id)
        flash(f"DPIA {dpia.title} logged", "success")
        return redirect(url_for("dpia.dpia", dpia_id=dpia.id))
    return render_template("dpia/dpia_form.html", form=form, dpia=None)


@bp.route("/dpias/<int:dpia_id>")
@allow(*READERS)
def dpia(dpia_id: int):
    """Show a DPIA with its advice, sign-off and confirmation."""
    record = get_visible_or_404(Dpia, dpia_id)
    return render_template(
        "dpia/dpia.html",
        dpia=record,
        confirm_form=ConfirmForm(),
        can_confirm=record.awaits_confirmation and record.project.lead_id == current_user.id,
    )


@bp.route("/dpias/<int:dpia_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_dpia(dpia_id: int):
    """Change a DPIA's details."""
    record = get_editable_or_403(Dpia, dpia_id)
    form = DpiaForm(obj=record, projects=editable_projects(), signed_off_on=record.signed_off_on)
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
    if form.validate_on_submit():
        current = lambda: {"decision_reference": record.decision.reference}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_dpia(record, form), current):
            return render_template("dpia/dpia_form.html", form=form, dpia=record), 409
        log.info("dpia changed id=%s by=%s", record.id, current_user.id)
        flash(f"DPIA {record.title} saved", "success")
        return redirect(url_for("dpia.dpia", dpia_id=record.id))
    return render_template("dpia/dpia_form.html", form=form, dpia=record)


def fill_dpia(dpia: Dpia, form: DpiaForm) -> None:
    dpia.project_id = form.project_id.data
    dpia.decision = form.decision
    dpia.owner_id = form.owner_id.data
    dpia.next_review_on = form.next_review_on.data
    dpia.title = form.title.data
    dpia.processing_summary = form.processing_summary.data


@bp.route("/dpias/<int:dpia_id>/advice", methods=["GET", "POST"])
@allow(Role.DPO)
def advise(dpia_id: int):
    """Record the DPO's advice on a DPIA."""
    record = get_visible_or_404(Dpia, dpia_id)
    form = AdviceForm(obj=record)
    if request.method == "GET" and record.dpo_advice_on is None:
        form.dpo_advice_on.data = local_today()
    if form.validate_on_submit():
        try:
            record_advice(record, form.dpo_advice.data, form.dpo_advice_on.data, current_user)
        except WorkflowError as error:
            flash(str(error), "error")
            return redirect(url_for("dpia.dpia", dpia_id=record.id))
        db.session.commit()
        log.info("dpia advice recorded id=%s by=%s", record.id, current_user.id)
        flash("DPO advice saved", "success")
        return redirect(url_for("dpia.dpia", dpia_id=record.id))
    return render_template("dpia/advice_form.html", form=form, dpia=record)


@bp.route("/dpias/<int:dpia_id>/sign-off", methods=["GET", "POST"])
@allow(Role.DPO)
def sign_off_dpia(dpia_id: int):
    """Sign off a DPIA whose advice is recorded, setting its next review date."""
    record = get_visible_or_404(Dpia, dpia_id)
    form = SignOffForm(advice_on=record.dpo_advice_on)
    if request.method == "GET":
        form.signed_off_on.data = local_today()
        form.next_review_on.data = record.next_review_on
    if form.validate_on_submit():
        try:
            sign_off(record, form.signed_off_on.data, form.next_review_on.data, current_user)
        except WorkflowError as error:
            form.signed_off_on.errors.append(str(error))
        else:
            db.session.commit()
            log.info("dpia signed off id=%s by=%s", record.id, current_user.id)
            flash(f"DPIA {record.title} signed off", "success")
            return redirect(url_for("dpia.dpia", dpia_id=record.id))
    return render_template("dpia/sign_off_form.html", form=form, dpia=record)


@bp.route("/dpias/<int:dpia_id>/confirm", methods=["POST"])
@allow(Role.LEAD, Role.DPO)
def confirm(dpia_id: int):
    """Record the project lead's confirmation that the DPIA is complete."""
    record = get_visible_or_404(Dpia, dpia_id)
    if record.project.lead_id != current_user.id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        confirm_completion(record, current_user)
    except WorkflowError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        log.info("dpia completion confirmed id=%s by=%s", record.id, current_user.id)
        flash(f"You confirmed that DPIA {record.title} is complete", "success")
    return redirect(url_for("dpia.dpia", dpia_id=record.id))

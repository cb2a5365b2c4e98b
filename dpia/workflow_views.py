"""Pages that move a DPIA through its workflow: submit, advice, sign-off, reviews."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.models import Role
from core.extensions import db
from core.policy import RECORD_WRITERS, allow
from core.projects.access import get_editable_or_403, get_visible_or_404
from core.timeutil import local_today
from dpia.blueprint import bp
from dpia.forms import (
    AdviceForm,
    ConcludeForm,
    MoveForm,
    PriorConsultationForm,
    ReviewForm,
    SendBackForm,
    SignOffForm,
)
from dpia.models import Dpia
from dpia.signoff import conclude_prior_consultation, sign_off, update_prior_consultation
from dpia.versions import start_review
from dpia.vocabulary import DPIA_STATUSES
from dpia.workflow import WorkflowError, check_move, record_advice, reopen, submit

log = logging.getLogger(__name__)

# The form page for each target state that needs details before the move.
FORM_PAGES = {
    "awaiting_signoff": "dpia.advise",
    "approved": "dpia.sign_off_dpia",
    "approved_with_conditions": "dpia.sign_off_dpia",
    "prior_consultation": "dpia.sign_off_dpia",
    "not_proceeding": "dpia.sign_off_dpia",
    "superseded": "dpia.review",
}


def _page(record: Dpia):
    return redirect(url_for("dpia.dpia", dpia_id=record.id))


def _copy_errors(form, error: WorkflowError) -> bool:
    """Put the error's messages on the form's fields, and return False when none fits a field."""
    placed = False
    for name, message in error.errors.items():
        if name in form._fields:
            form[name].errors = [*(form[name].errors or []), message]
            placed = True
    return placed


@bp.route("/dpias/<int:dpia_id>/move", methods=["POST"])
@allow(*RECORD_WRITERS)
def move_dpia(dpia_id: int):
    """Apply a state change from a button; illegal changes are refused with a message."""
    record = get_editable_or_403(Dpia, dpia_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash("Choose a state from the list", "error")
        return _page(record)
    target = form.to.data
    try:
        check_move(record, target)
        if target == "awaiting_dpo_advice":
            submit(record, current_user)
        elif target in ("draft", "under_review") and record.status == "not_proceeding":
            if current_user.role != Role.DPO:
                raise WorkflowError("Only the DPO can reopen a DPIA")
            reopen(record, current_user, form.comment.data or "")
        elif current_user.role != Role.DPO:
            raise WorkflowError(f"Only the DPO can move a DPIA to {DPIA_STATUSES[target].lower()}")
        elif target in ("draft", "under_review"):
            return redirect(url_for("dpia.send_back", dpia_id=record.id))
        else:
            return redirect(url_for(FORM_PAGES[target], dpia_id=record.id))
    except WorkflowError as error:
        flash(str(error), "error")
        return _page(record)
    db.session.commit()
    log.info("dpia moved id=%s to=%s by=%s", record.id, target, current_user.id)
    flash(f"DPIA {record.title} is now {DPIA_STATUSES[target].lower()}", "success")
    return _page(record)


def _dpo_form_page(dpia_id: int, status: str):
    """Return the DPIA for a DPO form page, or a redirect when it is not in `status`."""
    record = get_visible_or_404(Dpia, dpia_id)
    if record.status != status:
        flash(f"This is not available for a DPIA that is {record.status_label.lower()}", "error")
        return record, _page(record)
    return record, None


@bp.route("/dpias/<int:dpia_id>/send-back", methods=["GET", "POST"])
@allow(Role.DPO)
def send_back(dpia_id: int):
    """Return the DPIA to its drafter with what to change."""
    from dpia.workflow import send_back as send_back_dpia

    record = get_visible_or_404(Dpia, dpia_id)
    if record.status not in ("awaiting_dpo_advice", "awaiting_signoff"):
        flash("Only a DPIA awaiting advice or sign-off can be sent back", "error")
        return _page(record)
    form = SendBackForm()
    if form.validate_on_submit():
        send_back_dpia(record, form.comment.data, current_user)
        db.session.commit()
        log.info("dpia sent back id=%s by=%s", record.id, current_user.id)
        flash(f"DPIA {record.title} sent back for changes", "success")
        return _page(record)
    return render_template(
        "dpia/workflow_form.html", form=form, dpia=record, heading="Send the DPIA back for changes"
    )


@bp.route("/dpias/<int:dpia_id>/advice", methods=["GET", "POST"])
@allow(Role.DPO)
def advise(dpia_id: int):
    """Record the DPO's advice on a DPIA and send it for sign-off."""
    record, rejection = _dpo_form_page(dpia_id, "awaiting_dpo_advice")
    if rejection:
        return rejection
    form = AdviceForm(obj=record)
    if request.method == "GET" and record.dpo_advice_on is None:
        form.dpo_advice_on.data = local_today()
    if form.validate_on_submit():
        try:
            record_advice(record, form.dpo_advice.data, form.dpo_advice_on.data, current_user)
        except WorkflowError as error:
            if not _copy_errors(form, error):
                flash(str(error), "error")
        else:
            db.session.commit()
            log.info("dpia advice recorded id=%s by=%s", record.id, current_user.id)
            flash("DPO advice saved. The DPIA is now awaiting sign-off", "success")
            return _page(record)
    return render_template("dpia/advice_form.html", form=form, dpia=record)


@bp.route("/dpias/<int:dpia_id>/sign-off", methods=["GET", "POST"])
@allow(Role.DPO)
def sign_off_dpia(dpia_id: int):
    """Record step 7 and the outcome of a DPIA awaiting sign-off."""
    record, rejection = _dpo_form_page(dpia_id, "awaiting_signoff")
    if rejection:
        return rejection
    form = SignOffForm()
    if request.method == "GET":
        form.process(obj=record)
        form.signed_off_on.data = local_today()
        form.departs_from_views.data = "yes" if record.departs_from_views else "no"
        form.prior_consultation_override.data = {True: "consult", False: "no_consult"}.get(
            record.prior_consultation_override, "computed"
        )
    problem = None
    if form.validate_on_submit():
        try:
            sign_off(record, form.values(), current_user)
        except WorkflowError as error:
            if not _copy_errors(form, error):
                problem = str(error)
        else:
            db.session.commit()
            log.info(
                "dpia signed off id=%s status=%s by=%s", record.id, record.status, current_user.id
            )
            flash(f"DPIA {record.title} signed off: {record.status_label.lower()}", "success")
            return _page(record)
    return render_template("dpia/sign_off_form.html", form=form, dpia=record, problem=problem)


@bp.route("/dpias/<int:dpia_id>/prior-consultation", methods=["GET", "POST"])
@allow(Role.DPO)
def prior_consultation(dpia_id: int):
    """Record the submission to the ICO and the advice it gives."""
    record, rejection = _dpo_form_page(dpia_id, "prior_consultation")
    if rejection:
        return rejection
    consultation = record.prior_consultation
    form = PriorConsultationForm(obj=consultation)
    if request.method == "GET":
        form.is_extended.data = "yes" if consultation and consultation.is_extended else "no"
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items()}
        values["is_extended"] = values["is_extended"] == "yes"
        try:
            update_prior_consultation(record, values)
        except WorkflowError as error:
            if not _copy_errors(form, error):
                flash(str(error), "error")
        else:
            db.session.commit()
            log.info("dpia prior consultation saved id=%s by=%s", record.id, current_user.id)
            flash("Prior consultation saved", "success")
            return _page(record)
    return render_template("dpia/prior_consultation_form.html", form=form, dpia=record)


@bp.route("/dpias/<int:dpia_id>/prior-consultation/decision", methods=["GET", "POST"])
@allow(Role.DPO)
def conclude(dpia_id: int):
    """Approve or stop a DPIA after prior consultation with the ICO."""
    record, rejection = _dpo_form_page(dpia_id, "prior_consultation")
    if rejection:
        return rejection
    form = ConcludeForm()
    if request.method == "GET":
        form.decided_on.data = local_today()
    if form.validate_on_submit():
        try:
            conclude_prior_consultation(
                record,
                form.outcome.data,
                form.decided_on.data,
                form.next_review_on.data,
                current_user,
            )
        except WorkflowError as error:
            if not _copy_errors(form, error):
                flash(str(error), "error")
        else:
            db.session.commit()
            log.info("dpia prior consultation concluded id=%s by=%s", record.id, current_user.id)
            flash(f"DPIA {record.title} is now {record.status_label.lower()}", "success")
            return _page(record)
    return render_template(
        "dpia/workflow_form.html", form=form, dpia=record, heading="Decision after the ICO's advice"
    )


@bp.route("/dpias/<int:dpia_id>/review", methods=["GET", "POST"])
@allow(Role.DPO)
def review(dpia_id: int):
    """Start a review of an approved DPIA, drafting its next version."""
    record = get_visible_or_404(Dpia, dpia_id)
    if not record.is_approved:
        flash("Only an approved DPIA can be reviewed", "error")
        return _page(record)
    form = ReviewForm()
    if form.validate_on_submit():
        new = start_review(record, form.reason.data, current_user)
        db.session.add(new)
        new.refresh_residual_risk()
        db.session.commit()
        log.info("dpia review started id=%s new=%s by=%s", record.id, new.id, current_user.id)
        flash(f"Version {new.version} of DPIA {new.title} started for review", "success")
        return redirect(url_for("dpia.tasks", dpia_id=new.id))
    return render_template(
        "dpia/workflow_form.html", form=form, dpia=record, heading="Start a review of the DPIA"
    )


@bp.errorhandler(WorkflowError)
def workflow_rejected(error: WorkflowError):
    """Show a rejected change as a message on the DPIA's page, never a server error."""
    flash(str(error), "error")
    dpia_id = request.view_args.get("dpia_id") if request.view_args else None
    if dpia_id is None:
        abort(400)
    return redirect(url_for("dpia.dpia", dpia_id=dpia_id))

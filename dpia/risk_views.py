"""Pages for step 5 risks and step 6 measures."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.models import Role
from core.extensions import db
from core.policy import RECORD_WRITERS, allow
from dpia.blueprint import bp
from dpia.fields import as_bool, as_yes_no
from dpia.forms import ConfirmForm
from dpia.risk_forms import MeasureForm, RiskForm
from dpia.risks import Measure, Risk
from dpia.scoring import overall_level
from dpia.step_views import draftable_or_redirect
from dpia.tasks import mark_step

log = logging.getLogger(__name__)


def _risk_of(dpia, risk_id: int) -> Risk:
    risk = db.session.get(Risk, risk_id)
    if risk is None or risk.dpia_id != dpia.id:
        abort(404)
    return risk


def _measure_of(risk: Risk, measure_id: int) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.risk_id != risk.id:
        abort(404)
    return measure


def _saved(dpia) -> None:
    dpia.refresh_residual_risk()
    mark_step(dpia, "risks")
    mark_step(dpia, "measures")


@bp.route("/dpias/<int:dpia_id>/risks/new", methods=["GET", "POST"])
@bp.route("/dpias/<int:dpia_id>/risks/<int:risk_id>", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_risk(dpia_id: int, risk_id: int | None = None):
    """Add a risk to the DPIA or change one, taking its overall level from the matrix."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    risk = _risk_of(record, risk_id) if risk_id is not None else None
    form = RiskForm(obj=risk, user=current_user)
    if form.validate_on_submit():
        if risk is None:
            risk = Risk(dpia=record)
            db.session.add(risk)
        risk.source = form.source.data
        risk.harm = form.harm.data
        risk.likelihood = form.likelihood.data
        risk.severity = form.severity.data
        risk.computed_level = overall_level(risk.likelihood, risk.severity)
        # Only the DPO sets the overall level, so a lead's change keeps the DPO's setting.
        if current_user.role == Role.DPO:
            risk.override_level = form.override_level.data or ""
            risk.override_reason = form.override_reason.data if risk.override_level else ""
        _saved(record)
        db.session.commit()
        log.info("dpia risk saved id=%s risk=%s by=%s", record.id, risk.id, current_user.id)
        flash("Risk saved", "success")
        return redirect(url_for("dpia.risks", dpia_id=record.id))
    return render_template(
        "dpia/risk_form.html",
        form=form,
        dpia=record,
        risk=risk,
        is_dpo=current_user.role == Role.DPO,
    )


@bp.route("/dpias/<int:dpia_id>/risks")
@allow(*RECORD_WRITERS)
def risks(dpia_id: int):
    """List the DPIA's risks and their measures, to add and change them."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    return render_template("dpia/risks.html", dpia=record, button_form=ConfirmForm())


@bp.route("/dpias/<int:dpia_id>/risks/<int:risk_id>/delete", methods=["POST"])
@allow(*RECORD_WRITERS)
def delete_risk(dpia_id: int, risk_id: int):
    """Remove a risk and its measures from a DPIA that is being drafted."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    risk = _risk_of(record, risk_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    record.risks.remove(risk)
    _saved(record)
    db.session.commit()
    log.info("dpia risk removed id=%s risk=%s by=%s", record.id, risk_id, current_user.id)
    flash("Risk removed", "success")
    return redirect(url_for("dpia.risks", dpia_id=record.id))


@bp.route("/dpias/<int:dpia_id>/risks/<int:risk_id>/measures/new", methods=["GET", "POST"])
@bp.route(
    "/dpias/<int:dpia_id>/risks/<int:risk_id>/measures/<int:measure_id>", methods=["GET", "POST"]
)
@allow(*RECORD_WRITERS)
def edit_measure(dpia_id: int, risk_id: int, measure_id: int | None = None):
    """Add a measure against a risk, or change one."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    risk = _risk_of(record, risk_id)
    measure = _measure_of(risk, measure_id) if measure_id is not None else None
    form = MeasureForm(obj=measure)
    if request.method == "GET":
        if measure is not None:
            form.is_approved.data = as_yes_no(measure.is_approved)
            form.owner_id.data = str(measure.owner_id) if measure.owner_id else ""
        else:
            form.status.data = "planned"
    if form.validate_on_submit():
        if measure is None:
            measure = Measure(risk=risk)
            db.session.add(measure)
        measure.description = form.description.data
        measure.effect = form.effect.data
        measure.residual_level = form.residual_level.data
        measure.is_approved = bool(as_bool(form.is_approved.data))
        measure.owner_id = form.owner
        measure.due_on = form.due_on.data
        measure.status = form.status.data
        _saved(record)
        db.session.commit()
        log.info(
            "dpia measure saved id=%s measure=%s by=%s", record.id, measure.id, current_user.id
        )
        flash("Measure saved", "success")
        return redirect(url_for("dpia.risks", dpia_id=record.id))
    return render_template(
        "dpia/measure_form.html", form=form, dpia=record, risk=risk, measure=measure
    )


@bp.route(
    "/dpias/<int:dpia_id>/risks/<int:risk_id>/measures/<int:measure_id>/delete",
    methods=["POST"],
)
@allow(*RECORD_WRITERS)
def delete_measure(dpia_id: int, risk_id: int, measure_id: int):
    """Remove a measure from a risk of a DPIA that is being drafted."""
    record, rejection = draftable_or_redirect(dpia_id)
    if rejection:
        return rejection
    risk = _risk_of(record, risk_id)
    measure = _measure_of(risk, measure_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    risk.measures.remove(measure)
    _saved(record)
    db.session.commit()
    log.info("dpia measure removed id=%s measure=%s by=%s", record.id, measure_id, current_user.id)
    flash("Measure removed", "success")
    return redirect(url_for("dpia.risks", dpia_id=record.id))

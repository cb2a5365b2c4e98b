"""Pages that change one part of an agreement: parties, purposes, versions, log, status."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.models import Role
from core.extensions import db
from core.policy import RECORD_WRITERS, allow
from core.projects.access import get_editable_or_403, get_visible_or_404
from core.timeutil import local_today
from sharing.blueprint import bp
from sharing.detail_forms import (
    ButtonForm,
    DecisionLogForm,
    PartyLinkForm,
    PurposeForm,
    StatusForm,
    VersionForm,
)
from sharing.lifecycle import (
    ACTIONS,
    LifecycleError,
    available_actions,
    change_status,
    is_locked,
    record_version,
)
from sharing.models import Agreement, AgreementParty, AgreementPurpose, OneOffDecision
from sharing.rules import activation_problems

log = logging.getLogger(__name__)


def get_changeable_or_403(agreement_id: int) -> Agreement:
    """Return an agreement the user may change; 404 if unseen, 403 if read-only or terminated."""
    record = get_editable_or_403(Agreement, agreement_id)
    if is_locked(record):
        abort(403)
    return record


def get_child_or_404(model, agreement: Agreement, child_id: int):
    child = db.session.get(model, child_id)
    if child is None or child.agreement_id != agreement.id:
        abort(404)
    return child


def copy_fields(form, record) -> None:
    """Set the record's columns from the form's data fields, leaving out buttons and the token."""
    for name, field in form._fields.items():
        if field.type not in ("SubmitField", "CSRFTokenField"):
            setattr(record, name, field.data)


def back_to(agreement: Agreement):
    return redirect(url_for("sharing.agreement", agreement_id=agreement.id))


def commit_unless_broken(agreement: Agreement, done: str) -> list[str]:
    """Commit a change, unless it leaves an agreement in force without what activation needs.

    Returns the problems found; the change is rolled back when there are any.
    """
    if agreement.status in ("active", "suspended"):
        db.session.flush()
        problems = activation_problems(agreement, local_today())
        if problems:
            db.session.rollback()
            return problems
    db.session.commit()
    log.info("agreement %s id=%s by=%s", done, agreement.id, current_user.id)
    return []


@bp.route("/agreements/<int:agreement_id>/parties/new", methods=["GET", "POST"])
@bp.route("/agreements/<int:agreement_id>/parties/<int:link_id>", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_party_link(agreement_id: int, link_id: int | None = None):
    """Add a party to an agreement, or change its role, contacts, retention and signatory."""
    record = get_changeable_or_403(agreement_id)
    link = get_child_or_404(AgreementParty, record, link_id) if link_id else None
    form = PartyLinkForm(obj=link, agreement=record, link=link)
    if form.validate_on_submit():
        target = link or AgreementParty()
        copy_fields(form, target)
        if link is None:
            record.parties.append(target)
        problems = commit_unless_broken(record, "party saved")
        if not problems:
            flash("Party saved", "success")
            return back_to(record)
        field = form.party_id
        if "signatory" in problems[0]:
            field = form.signatory_name
        elif "retention" in problems[0]:
            field = form.retention
        field.errors.append(f"{problems[0]}, because the agreement is in force")
    return render_template("sharing/part_form.html", form=form, agreement=record, heading="Party")


@bp.route("/agreements/<int:agreement_id>/purposes/new", methods=["GET", "POST"])
@bp.route("/agreements/<int:agreement_id>/purposes/<int:purpose_id>", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_purpose(agreement_id: int, purpose_id: int | None = None):
    """Add a purpose with its lawful bases, or change one."""
    record = get_changeable_or_403(agreement_id)
    purpose = get_child_or_404(AgreementPurpose, record, purpose_id) if purpose_id else None
    form = PurposeForm(obj=purpose, agreement=record)
    if form.validate_on_submit():
        target = purpose or AgreementPurpose()
        copy_fields(form, target)
        if purpose is None:
            record.purposes.append(target)
        db.session.commit()
        log.info("agreement purpose saved id=%s by=%s", record.id, current_user.id)
        flash("Purpose saved", "success")
        return back_to(record)
    return render_template(
        "sharing/part_form.html", form=form, agreement=record, heading="Purpose and lawful basis"
    )


REMOVABLE = {"parties": AgreementParty, "purposes": AgreementPurpose}


@bp.route("/agreements/<int:agreement_id>/<kind>/<int:child_id>/remove", methods=["POST"])
@allow(*RECORD_WRITERS)
def remove_part(agreement_id: int, kind: str, child_id: int):
    """Remove a party or a purpose from an agreement."""
    if kind not in REMOVABLE:
        abort(404)
    record = get_changeable_or_403(agreement_id)
    child = get_child_or_404(REMOVABLE[kind], record, child_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    getattr(record, kind).remove(child)
    problems = commit_unless_broken(record, f"{kind} removed")
    if problems:
        flash(f"Not removed, because the agreement is in force: {problems[0]}", "error")
    else:
        flash("Party removed" if kind == "parties" else "Purpose removed", "success")
    return back_to(record)


@bp.route("/agreements/<int:agreement_id>/versions/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def new_version(agreement_id: int):
    """Record a new version of the agreement in its history."""
    record = get_changeable_or_403(agreement_id)
    form = VersionForm()
    if request.method == "GET":
        form.changed_on.data = local_today()
    if form.validate_on_submit():
        version = record_version(
            record, form.change.data, form.authorised_by.data, form.changed_on.data
        )
        db.session.commit()
        log.info("agreement version %s id=%s by=%s", version.number, record.id, current_user.id)
        flash(f"Version {version.number} recorded", "success")
        return back_to(record)
    return render_template(
        "sharing/part_form.html", form=form, agreement=record, heading="New version"
    )


@bp.route("/agreements/<int:agreement_id>/decisions/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def log_decision(agreement_id: int):
    """Log the decision on one request made under a one-off agreement."""
    record = get_changeable_or_403(agreement_id)
    form = DecisionLogForm()
    if request.method == "GET":
        form.decided_on.data = local_today()
    if form.validate_on_submit():
        entry = OneOffDecision()
        copy_fields(form, entry)
        record.decision_log.append(entry)
        db.session.commit()
        log.info("agreement decision logged id=%s by=%s", record.id, current_user.id)
        flash("Decision logged", "success")
        return back_to(record)
    return render_template(
        "sharing/part_form.html", form=form, agreement=record, heading="Log a one-off decision"
    )


@bp.route("/agreements/<int:agreement_id>/status/<action>", methods=["GET", "POST"])
@allow(Role.DPO)
def change_agreement_status(agreement_id: int, action: str):
    """Approve and activate, suspend, reinstate or terminate an agreement."""
    record = get_visible_or_404(Agreement, agreement_id)
    if action not in ACTIONS:
        abort(404)
    today = local_today()
    if ACTIONS[action] not in available_actions(record, today):
        status = record.effective_status(today)
        flash(f"An agreement that is {status} cannot be changed in that way", "error")
        return back_to(record)
    form = StatusForm()
    problems = []
    if form.validate_on_submit():
        try:
            change_status(record, action, current_user, today, form.reason.data or "")
        except LifecycleError as error:
            if error.problems:
                problems = error.problems
            else:
                form.reason.errors.append(str(error))
        else:
            db.session.commit()
            log.info("agreement %s id=%s by=%s", action, record.id, current_user.id)
            flash(f"Agreement {record.reference} is now {record.status}", "success")
            return back_to(record)
    elif request.method == "GET":
        problems = activation_problems(record, today) if ACTIONS[action].target == "active" else []
    return render_template(
        "sharing/status_form.html",
        form=form,
        agreement=record,
        action=ACTIONS[action],
        status=record.effective_status(today),
        problems=problems,
    )

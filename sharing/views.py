"""Data-sharing agreement pages."""

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
from sharing.blueprint import bp
from sharing.forms import AgreementForm
from sharing.models import Agreement, AgreementParty

log = logging.getLogger(__name__)


@bp.route("/agreements")
@allow(*READERS)
def agreements():
    """List the data-sharing agreements the user may see."""
    query = restrict_to_visible(
        select(Agreement).options(
            selectinload(Agreement.project),
            selectinload(Agreement.parties).selectinload(AgreementParty.party),
        ),
        Agreement.project_id,
    ).order_by(Agreement.reference)
    return render_template("sharing/agreements.html", page=paginate(query))


@bp.route("/agreements/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_agreement():
    """Record a data-sharing agreement for a project the user may edit."""
    form = AgreementForm(projects=editable_projects())
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        agreement = Agreement()
        fill_agreement(agreement, form)
        db.session.add(agreement)
        db.session.commit()
        log.info("agreement created id=%s by=%s", agreement.id, current_user.id)
        flash(f"Agreement {agreement.reference} recorded", "success")
        return redirect(url_for("sharing.agreement", agreement_id=agreement.id))
    return render_template("sharing/agreement_form.html", form=form, agreement=None)


@bp.route("/agreements/<int:agreement_id>")
@allow(*READERS)
def agreement(agreement_id: int):
    """Show a data-sharing agreement and its parties."""
    record = get_visible_or_404(Agreement, agreement_id)
    return render_template("sharing/agreement.html", agreement=record)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_agreement(agreement_id: int):
    """Change a data-sharing agreement."""
    record = get_editable_or_403(Agreement, agreement_id)
    form = AgreementForm(obj=record, projects=editable_projects(), agreement=record)
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
        form.dpia_id.data = record.dpia_id or 0
        form.discloser_ids.data = [p.party_id for p in record.parties if p.role != "recipient"]
        form.recipient_ids.data = [p.party_id for p in record.parties if p.role != "discloser"]
    if form.validate_on_submit():
        current = lambda: {"decision_reference": record.decision.reference}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_agreement(record, form), current):
            return (
                render_template("sharing/agreement_form.html", form=form, agreement=record),
                409,
            )
        log.info("agreement changed id=%s by=%s", record.id, current_user.id)
        flash(f"Agreement {record.reference} saved", "success")
        return redirect(url_for("sharing.agreement", agreement_id=record.id))
    return render_template("sharing/agreement_form.html", form=form, agreement=record)


def fill_agreement(agreement: Agreement, form: AgreementForm) -> None:
    agreement.reference = form.reference.data
    agreement.title = form.title.data
    agreement.project_id = form.project_id.data
    agreement.decision = form.decision
    agreement.dpia_id = form.dpia_id.data or None
    agreement.scope = form.scope.data
    agreement.purpose = form.purpose.data
    agreement.owner_id = form.owner_id.data
    agreement.next_review_on = form.next_review_on.data
    disclosers = set(form.discloser_ids.data)
    recipients = set(form.recipient_ids.data)
    roles = {}
    for party_id in disclosers | recipients:
        if party_id in disclosers and party_id in recipients:
            roles[party_id] = "both"
        else:
            roles[party_id] = "discloser" if party_id in disclosers else "recipient"
    existing = {link.party_id: link for link in agreement.parties}
    for party_id, link in existing.items():
        if party_id not in roles:
            agreement.parties.remove(link)
    for party_id, role in roles.items():
        if party_id in existing:
            existing[party_id].role = role
        else:
            agreement.parties.append(AgreementParty(party_id=party_id, role=role))

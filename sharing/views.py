"""Agreement pages: the register, the record, its form and the project's sharing map."""

import logging
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.locking import save_versioned
from core.pagination import paginate
from core.policy import READERS, RECORD_WRITERS, allow, can_edit_project_records
from core.projects.access import (
    editable_projects,
    get_editable_or_403,
    get_visible_or_404,
    restrict_to_visible,
)
from core.projects.views import get_project_or_404
from core.timeutil import local_today
from sharing import choices
from sharing.blueprint import bp
from sharing.detail_forms import ButtonForm, FilterForm, StatusForm
from sharing.diagram import lay_out, sharing_flows
from sharing.forms import AgreementForm
from sharing.lifecycle import available_actions, is_locked, record_version
from sharing.models import Agreement, AgreementParty

log = logging.getLogger(__name__)

# Dates sort with NULLS LAST, not on `column IS NULL`, because no index serves
# that expression. SQLite (3.40 checked) can then read the date index in order.
SORTS = {
    "": (Agreement.reference,),
    "title": (Agreement.title, Agreement.reference),
    "review": (Agreement.next_review_on.asc().nulls_last(), Agreement.reference),
    "end": (Agreement.end_on.asc().nulls_last(), Agreement.reference),
    "updated": (Agreement.updated_at.desc(), Agreement.reference),
}


def filtered_query(form: FilterForm):
    """Return the select of visible agreements that match the register's filters."""
    today = local_today()
    query = restrict_to_visible(
        # Parties join their links (AgreementParty.party is a joined load).
        select(Agreement).options(selectinload(Agreement.project), selectinload(Agreement.parties)),
        Agreement.project_id,
    )
    if form.value("scope"):
        query = query.where(Agreement.scope == form.value("scope"))
    if form.value("relationship"):
        query = query.where(Agreement.relationship_kind == form.value("relationship"))
    if form.value("status"):
        query = query.where(Agreement.status_filter(form.value("status"), today))
    if form.value("regime"):
        query = query.where(Agreement.regime == form.value("regime"))
    if form.value("party"):
        query = query.where(
            Agreement.id.in_(
                select(AgreementParty.agreement_id).where(
                    AgreementParty.party_id == int(form.value("party"))
                )
            )
        )
    if form.value("review"):
        query = query.where(review_condition(form.value("review"), today))
    return query.order_by(*SORTS[form.value("sort")])


# Values of the register's "review" filter.
REVIEW_WINDOWS = ("overdue", "30", "90", "none")


def review_condition(review: str, today: date):
    """Return the SQL condition for one of REVIEW_WINDOWS on the next review date."""
    column = Agreement.next_review_on
    if review == "overdue":
        return column < today
    if review == "none":
        return column.is_(None)
    return column.between(today, today + timedelta(days=int(review)))


@bp.route("/agreements")
@allow(*READERS)
def agreements():
    """List the agreements the user may see, filtered and sorted as asked."""
    form = FilterForm(formdata=request.args)
    form.validate()
    query = filtered_query(form)
    # Both counts in one pass over the matching agreements.
    matches = query.order_by(None).subquery()
    is_contract = matches.c.relationship_kind == choices.PROCESSOR
    total, contracts = db.session.execute(
        select(func.count(), func.count().filter(is_contract)).select_from(matches)
    ).one()
    page = paginate(query, total=total, key=Agreement.id)
    return render_template(
        "sharing/agreements.html",
        page=page,
        filters=form,
        today=local_today(),
        sharing_count=total - contracts,
        contract_count=contracts,
    )


@bp.route("/agreements/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_agreement():
    """Draft an agreement for a project the user may edit."""
    form = AgreementForm(projects=editable_projects())
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
        form.recipient_is_relevant_authority.data = True
    if form.validate_on_submit():
        agreement = Agreement(status="draft")
        fill_agreement(agreement, form)
        record_version(agreement, "First draft", current_user.name, local_today())
        db.session.add(agreement)
        db.session.commit()
        log.info("agreement created id=%s by=%s", agreement.id, current_user.id)
        flash(f"Agreement {agreement.reference} recorded as a draft", "success")
        return redirect(url_for("sharing.agreement", agreement_id=agreement.id))
    return render_template("sharing/agreement_form.html", form=form, agreement=None)


@bp.route("/agreements/<int:agreement_id>")
@allow(*READERS)
def agreement(agreement_id: int):
    """Show an agreement with its parties, purposes, history and the actions open to the user."""
    record = get_visible_or_404(Agreement, agreement_id)
    today = local_today()
    can_edit = can_edit_project_records(current_user, record.project) and not is_locked(record)
    actions = available_actions(record, today) if current_user.role == "dpo" else []
    return render_template(
        "sharing/agreement.html",
        agreement=record,
        status=record.effective_status(today),
        can_edit=can_edit,
        actions=actions,
        status_form=StatusForm(),
        button_form=ButtonForm(),
    )


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_agreement(agreement_id: int):
    """Change an agreement's details; a terminated agreement no longer changes."""
    record = get_editable_or_403(Agreement, agreement_id)
    if is_locked(record):
        abort(403)
    form = AgreementForm(obj=record, projects=editable_projects(), agreement=record)
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
        form.dpia_id.data = record.dpia_id or 0
        form.special_categories.data = record.special_category_keys
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


# Form fields copied as they are; "" stands for an empty text or an unanswered select.
TEXT_FIELDS = (
    "reference", "title", "relationship_kind", "frequency", "direction", "regime", "marking",
    "purpose", "benefits", "legal_power", "necessity", "data_subjects", "data_items",
    "apd_reference", "transparency", "access_controls", "accuracy", "rights_procedure",
    "transfer_method", "security", "breach_handling", "deletion_at_end", "termination",
    "signed_copy_location", "joint_arrangement_reference", "processor_contract_reference",
    "destination", "transfer_mechanism", "tra_reference", "le_transfer_ground",
)  # fmt: skip
OTHER_FIELDS = (
    "project_id", "owner_id", "is_criminal_offence_data", "is_sensitive_processing",
    "is_encrypted_in_transit", "is_international", "le_transfer_necessary",
    "recipient_is_relevant_authority", "s77_documented", "commissioner_informed_on",
    "start_on", "end_on", "next_review_on",
)  # fmt: skip


def fill_agreement(agreement: Agreement, form: AgreementForm) -> None:
    for name in TEXT_FIELDS:
        setattr(agreement, name, form[name].data or "")
    for name in OTHER_FIELDS:
        setattr(agreement, name, form[name].data)
    agreement.decision = form.decision
    agreement.dpia_id = form.dpia_id.data or None
    agreement.special_categories = ",".join(form.special_categories.data or [])
    agreement.scope = (
        "internal" if agreement.relationship_kind == "internal_same_controller" else "external"
    )


@bp.route("/projects/<int:project_id>/sharing-map")
@allow(*READERS)
def sharing_map(project_id: int):
    """Show who shares with whom in a project, as a picture and as a table."""
    project = get_project_or_404(project_id)
    records = db.session.scalars(
        select(Agreement)
        .where(Agreement.project_id == project.id)
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.party))
        .order_by(Agreement.reference)
    ).all()
    today = local_today()
    flows = sharing_flows(list(records), today)
    return render_template(
        "sharing/sharing_map.html",
        project=project,
        flows=flows,
        picture=lay_out(list(records), flows),
        processor_contracts=[a for a in records if a.relationship_kind == choices.PROCESSOR],
        today=today,
    )

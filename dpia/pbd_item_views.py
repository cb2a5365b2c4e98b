"""Checklist items, their actions and approval of privacy-by-design assessments."""

import logging
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, and_, select
from sqlalchemy.orm import joinedload

from core.auth.models import Role
from core.extensions import db
from core.pagination import paginate_parts
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import get_editable_or_403, restrict_to_visible
from core.timeutil import local_today
from dpia.assessment_forms import ActionStatusForm, ApproveForm, ItemForm
from dpia.blueprint import bp
from dpia.pbd_checklist import ACTION_STATUSES
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.pbd_workflow import (
    PbdWorkflowError,
    applicable_items,
    approval_problems,
    approve,
    later_stage,
)

log = logging.getLogger(__name__)


def get_item_or_404(assessment: PbdAssessment, item_id: int) -> PbdItem:
    """Return the assessment's applicable item; 404 when it is not one of them."""
    item = next((item for item in applicable_items(assessment) if item.id == item_id), None)
    if item is None:
        abort(404)
    return item


def redirect_if_replaced(assessment: PbdAssessment, item: PbdItem):
    """Return a redirect with a message when a later stage replaces the assessment."""
    later = later_stage(assessment)
    if later is None:
        return None
    flash(f"A later stage starts from this assessment. Update {later.title} instead", "error")
    return redirect(assessment_url(assessment, item))


def assessment_url(assessment: PbdAssessment, item: PbdItem | None = None) -> str:
    anchor = f"item-{item.code}" if item is not None else None
    return url_for("dpia.assessment", assessment_id=assessment.id, _anchor=anchor)


@bp.route("/assessments/<int:assessment_id>/items/<int:item_id>", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_assessment_item(assessment_id: int, item_id: int):
    """Answer one checklist item, with its evidence and action."""
    record = get_editable_or_403(PbdAssessment, assessment_id)
    item = get_item_or_404(record, item_id)
    if record.is_approved:
        flash("This assessment is approved and its answers cannot change", "error")
        return redirect(assessment_url(record, item))
    refusal = redirect_if_replaced(record, item)
    if refusal is not None:
        return refusal
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        fill_item(item, form)
        db.session.commit()
        log.info("assessment item changed id=%s by=%s", item.id, current_user.id)
        flash(f"{item.title}: saved as {item.status_label.lower()}", "success")
        return redirect(assessment_url(record, item))
    return render_template("dpia/pbd_item_form.html", form=form, assessment=record, item=item)


def fill_item(item: PbdItem, form: ItemForm) -> None:
    item.status = form.status.data
    item.not_applicable_reason = ""
    if item.status == "not_applicable":
        item.not_applicable_reason = form.not_applicable_reason.data
    item.evidence = form.evidence.data or ""
    item.evidence_link = form.evidence_link.data or ""
    item.action = form.action.data or ""
    if item.action:
        item.action_owner_id = form.action_owner_id.data
        item.action_due_on = form.action_due_on.data
        item.action_status = form.action_status.data or "open"
    else:
        item.action_owner_id = None
        item.action_due_on = None
        item.action_status = ""


@bp.route("/assessments/<int:assessment_id>/items/<int:item_id>/action", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def update_assessment_action(assessment_id: int, item_id: int):
    """Record progress on an item's action, which stays possible after approval."""
    record = get_editable_or_403(PbdAssessment, assessment_id)
    item = get_item_or_404(record, item_id)
    if not item.action:
        abort(404)
    refusal = redirect_if_replaced(record, item)
    if refusal is not None:
        return refusal
    form = ActionStatusForm(obj=item)
    if form.validate_on_submit():
        item.action_status = form.action_status.data
        db.session.commit()
        log.info("assessment action status id=%s by=%s", item.id, current_user.id)
        flash(f"Action for {item.title}: {item.action_status_label.lower()}", "success")
        if request.args.get("back") == "actions":
            return redirect(url_for("dpia.assessment_actions"))
        return redirect(assessment_url(record, item))
    return render_template("dpia/pbd_action_form.html", form=form, assessment=record, item=item)


@bp.route("/assessments/<int:assessment_id>/approve", methods=["GET", "POST"])
@allow(Role.DPO)
def approve_assessment(assessment_id: int):
    """Approve an assessment once every item is answered and each gap has an action."""
    record = get_editable_or_403(PbdAssessment, assessment_id)
    if record.is_approved:
        flash("This assessment is already approved", "error")
        return redirect(assessment_url(record))
    form = ApproveForm(assessed_on=record.assessed_on)
    if request.method == "GET":
        form.approved_on.data = local_today()
        form.next_review_on.data = record.next_review_on
    if form.validate_on_submit():
        try:
            approve(record, form.approved_on.data, form.next_review_on.data, current_user)
        except PbdWorkflowError as error:
            db.session.rollback()
            form.submit.errors = [str(error)]
        else:
            db.session.commit()
            log.info("assessment approved id=%s by=%s", record.id, current_user.id)
            flash(f"Assessment {record.title} approved", "success")
            return redirect(assessment_url(record))
    return render_template(
        "dpia/pbd_approve.html", form=form, assessment=record, problems=approval_problems(record)
    )


def action_parts(today: date, show_done: bool) -> list[Select]:
    """Return selects of the ids that the actions page lists, one part after another.

    Each part is listed in due-date order and is a range of one index on
    the stored action flags, so counting and skipping to a deep page read
    only that index, with no join to the assessments.
    """
    project_id = (
        select(PbdAssessment.project_id)
        .where(PbdAssessment.id == PbdItem.assessment_id)
        .scalar_subquery()
    )
    due_on = PbdItem.action_due_on
    if not show_done:
        # Every action listed is open, so the overdue ones have the earliest
        # due dates, and the due-date order puts them first.
        conditions = [PbdItem.is_open_action]
    else:
        # Overdue open actions first, then the other current actions by due
        # date, undated last. Only the second part filters within its range,
        # on the open flag that the current-action index also stores.
        conditions = [
            and_(PbdItem.is_open_action, due_on < today),
            and_(PbdItem.is_current_action, due_on < today, ~PbdItem.is_open_action),
            and_(PbdItem.is_current_action, due_on >= today),
            and_(PbdItem.is_current_action, due_on.is_(None)),
        ]
    return [
        restrict_to_visible(select(PbdItem.id).where(condition), project_id)
        for condition in conditions
    ]


@bp.route("/assessments/actions")
@allow(*READERS)
def assessment_actions():
    """List the actions of current assessments, overdue first, then by due date."""
    today = local_today()
    show_done = request.args.get("show") == "all"
    page = paginate_parts(
        PbdItem,
        action_parts(today, show_done),
        order=[PbdItem.action_due_on.asc().nulls_last(), PbdItem.id],
        options=[
            joinedload(PbdItem.assessment).joinedload(PbdAssessment.project),
            joinedload(PbdItem.action_owner),
        ],
    )
    return render_template(
        "dpia/pbd_actions.html",
        page=page,
        today=today,
        show_done=show_done,
        action_statuses=ACTION_STATUSES,
    )

"""DPIA pages: the register, a DPIA's page, its details and the lead's confirmation."""

import logging
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, case, select
from sqlalchemy.orm import joinedload, selectinload

from core.auth.models import Role
from core.extensions import db
from core.forms import ChoiceField, RegisterForm
from core.locking import save_versioned
from core.pagination import paginate
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import (
    editable_projects,
    get_editable_or_403,
    get_visible_or_404,
    restrict_to_visible,
)
from core.projects.filters import ProjectFilter, project_filter
from core.timeutil import local_today
from dpia import vocabulary
from dpia.blueprint import bp
from dpia.forms import ConfirmForm, DpiaForm, MoveForm
from dpia.models import Dpia
from dpia.scoring import risk_matrix
from dpia.screening_views import unused_screening
from dpia.tasks import mark_step, task_list
from dpia.vocabulary import (
    DPIA_STATUSES,
    LIKELIHOODS,
    REGIMES,
    RISK_LEVELS,
    RISK_RANK,
    SEVERITIES,
)
from dpia.workflow import (
    WorkflowError,
    allowed_moves,
    can_draft,
    confirm_completion,
    record_creation,
)

log = logging.getLogger(__name__)

REVIEW_FILTERS = {
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "later": "Later",
    "not_set": "No review date",
}

SORTS = {
    "review": ("Next review, soonest first", (Dpia.next_review_on.asc().nulls_last(),)),
    "title": ("Title, A to Z", (Dpia.title,)),
    "status": ("Status", (Dpia.status, Dpia.title)),
    "updated": ("Recently changed", (Dpia.updated_at.desc(),)),
    "residual": (
        "Residual risk, highest first",
        (case(RISK_RANK, value=Dpia.residual_risk, else_=0).desc(),),
    ),
}


class FilterForm(RegisterForm):
    class Meta:
        csrf = False

    status = ChoiceField("Status", message="Select a status from the list", allow_empty=True)
    regime = ChoiceField("Law", message="Select a law from the list", allow_empty=True)
    residual = ChoiceField(
        "Residual risk", message="Select a residual risk from the list", allow_empty=True
    )
    review = ChoiceField(
        "Review date", message="Select a review date from the list", allow_empty=True
    )
    sort = ChoiceField("Sort by", message="Select an order from the list", allow_empty=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = {"": "All statuses"} | DPIA_STATUSES
        self.regime.choices = {"": "All laws"} | REGIMES
        self.residual.choices = {"": "Any residual risk"} | RISK_LEVELS
        self.review.choices = {"": "Any review date"} | REVIEW_FILTERS
        self.sort.choices = {key: label for key, (label, _) in SORTS.items()}

    def value(self, name: str) -> str:
        field = self[name]
        if field.errors or field.data in (None, ""):
            return ""
        return str(field.data)


def _filtered(query, form: FilterForm, projects: ProjectFilter):
    if projects.is_set:
        query = query.where(projects.condition(Dpia.project_id))
    if form.value("status"):
        query = query.where(Dpia.status == form.value("status"))
    if form.value("regime"):
        query = query.where(Dpia.regime == form.value("regime"))
    if form.value("residual"):
        query = query.where(Dpia.residual_risk == form.value("residual"))
    if form.value("review"):
        query = query.where(review_condition(Dpia.next_review_on, form.value("review")))
    return query


def review_condition(column, review: str):
    """Return the condition of a REVIEW_FILTERS key on a review date column.

    "Due soon" means within the reminder window from today.
    """
    today = local_today()
    soon = today + timedelta(days=current_app.config["REGISTER_REMINDER_DAYS"])
    conditions = {
        "overdue": lambda: column < today,
        "due_soon": lambda: and_(column >= today, column <= soon),
        "later": lambda: column > soon,
        "not_set": lambda: column.is_(None),
    }
    return conditions[review]()


@bp.route("/dpias")
@allow(*READERS)
def dpias():
    """List the DPIAs the user may see, filtered and sorted as requested."""
    projects = project_filter()
    form = FilterForm(request.args)
    form.validate()
    query = restrict_to_visible(
        select(Dpia).options(selectinload(Dpia.project), selectinload(Dpia.decision)),
        Dpia.project_id,
    )
    order = SORTS.get(form.value("sort") or "review", SORTS["review"])[1]
    query = _filtered(query, form, projects).order_by(*order, Dpia.id)
    return render_template(
        "dpia/dpias.html",
        page=paginate(query, key=Dpia.id),
        form=form,
        project_filter=projects,
    )


@bp.route("/dpias/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_dpia():
    """Start a DPIA for a project the user may edit."""
    projects = editable_projects()
    form = DpiaForm(projects=projects)
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
        form.regime.data = "uk_gdpr"
    if form.validate_on_submit():
        dpia = Dpia(status="draft")
        fill_dpia(dpia, form)
        screening = unused_screening(dpia.project_id, request.args.get("screening"))
        if screening is not None:
            dpia.screening = screening
            mark_step(dpia, "screening")
        record_creation(dpia, current_user)
        db.session.add(dpia)
        db.session.commit()
        log.info("dpia created id=%s by=%s", dpia.id, current_user.id)
        flash(f"DPIA {dpia.title} started. Work through the steps below", "success")
        return redirect(url_for("dpia.tasks", dpia_id=dpia.id))
    return render_template("dpia/dpia_form.html", form=form, dpia=None)


def heat_map(dpia: Dpia) -> list[dict]:
    """Return the risk matrix as rows of cells, each with its level and the risks in it."""
    matrix = risk_matrix()
    rows = []
    for severity, severity_label in reversed(SEVERITIES.items()):
        cells = []
        for likelihood, likelihood_label in LIKELIHOODS.items():
            numbers = [
                number
                for number, risk in enumerate(dpia.risks, start=1)
                if risk.severity == severity and risk.likelihood == likelihood
            ]
            cells.append(
                {
                    "likelihood": likelihood_label,
                    "level": matrix[severity][likelihood],
                    "risks": numbers,
                }
            )
        rows.append({"severity": severity_label, "cells": cells})
    return rows


@bp.route("/dpias/<int:dpia_id>")
@allow(*READERS)
def dpia(dpia_id: int):
    """Show a DPIA: every step, the heat map, measures, sign-off and state history."""
    # The page shows each of these users, so they load with the DPIA whichever
    # of them are the same person, and the page's query count stays the same.
    users = (Dpia.owner, Dpia.dpo_advice_by, Dpia.signed_off_by, Dpia.confirmed_by)
    record = get_visible_or_404(
        Dpia, dpia_id, options=[joinedload(Dpia.project), *map(joinedload, users)]
    )
    later = db.session.scalar(select(Dpia).where(Dpia.previous_id == record.id))
    return render_template(
        "dpia/dpia.html",
        dpia=record,
        tasks=task_list(record),
        heat_map=heat_map(record),
        likelihoods=LIKELIHOODS,
        later_version=later,
        confirm_form=ConfirmForm(),
        move_form=MoveForm(),
        moves=allowed_moves(record),
        can_draft=can_draft(record, current_user),
        can_confirm=record.awaits_confirmation and record.project.lead_id == current_user.id,
        is_dpo=current_user.role == Role.DPO,
        vocabulary=vocabulary,
    )


@bp.route("/dpias/<int:dpia_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_dpia(dpia_id: int):
    """Change a DPIA's details while it is being drafted."""
    record = get_editable_or_403(Dpia, dpia_id)
    if not can_draft(record, current_user):
        flash(f"A DPIA that is {record.status_label.lower()} cannot be changed", "error")
        return redirect(url_for("dpia.dpia", dpia_id=record.id))
    form = DpiaForm(obj=record, projects=editable_projects())
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
    if form.validate_on_submit():
        current = lambda: {"decision_reference": record.decision.reference}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_and_refresh(record, form), current):
            return render_template("dpia/dpia_form.html", form=form, dpia=record), 409
        log.info("dpia changed id=%s by=%s", record.id, current_user.id)
        flash(f"DPIA {record.title} saved", "success")
        return redirect(url_for("dpia.tasks", dpia_id=record.id))
    return render_template("dpia/dpia_form.html", form=form, dpia=record)


def fill_and_refresh(dpia: Dpia, form: DpiaForm) -> None:
    """Apply the form, then recompute the stored residual risk."""
    fill_dpia(dpia, form)
    dpia.refresh_residual_risk()


def fill_dpia(dpia: Dpia, form: DpiaForm) -> None:
    dpia.project_id = form.project_id.data
    dpia.decision = form.decision
    dpia.owner_id = form.owner_id.data
    dpia.next_review_on = form.next_review_on.data
    for name in ("title", "reference", "regime", "controller", "processors", "dpo_contact"):
        setattr(dpia, name, getattr(form, name).data or "")
    dpia.processing_summary = form.processing_summary.data
    if dpia.screening is not None:
        dpia.screening.project_id = dpia.project_id


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

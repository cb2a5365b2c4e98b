"""Privacy-by-design assessment pages: register, record, change and next stage."""

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, func, select
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
from core.projects.filters import project_filter
from dpia.assessment_forms import AssessmentForm, NextStageForm
from dpia.blueprint import bp
from dpia.pbd_checklist import STAGES, TECHNIQUES
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.pbd_summary import detail_changes, item_changes, summary_by_principle
from dpia.pbd_workflow import (
    PbdWorkflowError,
    add_missing_items,
    applicable_items,
    approval_problems,
    has_open_action,
    later_stage,
    start_next_stage,
)

log = logging.getLogger(__name__)

OPEN_ACTION_FILTERS = {"yes": "With open actions", "no": "Without open actions"}


def register_filters() -> dict[str, str]:
    """Return the register's stage and open action filters, dropping values that are not valid."""
    filters = {
        "stage": request.args.get("stage", ""),
        "open_actions": request.args.get("open_actions", ""),
    }
    allowed = {"stage": STAGES, "open_actions": OPEN_ACTION_FILTERS}
    return {key: value for key, value in filters.items() if value in allowed[key]}


def open_action_counts(assessment_ids: list[int]) -> dict[int, int]:
    """Return the number of open actions of each assessment, with one query.

    Counting in the database spares loading every checklist item of the page.
    An assessment without open actions is left out.
    """
    if not assessment_ids:
        return {}
    query = (
        select(PbdItem.assessment_id, func.count())
        .join(PbdItem.assessment)
        .where(PbdItem.assessment_id.in_(assessment_ids), has_open_action())
        .group_by(PbdItem.assessment_id)
    )
    return {assessment_id: count for assessment_id, count in db.session.execute(query)}


@bp.route("/assessments")
@allow(*READERS)
def assessments():
    """List the privacy-by-design assessments the user may see, with filters."""
    projects = project_filter()
    filters = register_filters()
    query = restrict_to_visible(
        select(PbdAssessment).options(
            selectinload(PbdAssessment.project), selectinload(PbdAssessment.decision)
        ),
        PbdAssessment.project_id,
    )
    if projects.is_set:
        query = query.where(projects.condition(PbdAssessment.project_id))
    if "stage" in filters:
        query = query.where(PbdAssessment.stage == filters["stage"])
    if "open_actions" in filters:
        has_open = exists().where(PbdItem.assessment_id == PbdAssessment.id, has_open_action())
        query = query.where(has_open if filters["open_actions"] == "yes" else ~has_open)
    query = query.order_by(PbdAssessment.next_review_on.asc().nulls_last(), PbdAssessment.id)
    page = paginate(query, key=PbdAssessment.id)
    return render_template(
        "dpia/assessments.html",
        page=page,
        open_action_counts=open_action_counts([assessment.id for assessment in page.items]),
        project_filter=projects,
        filters=filters,
        stages=STAGES,
        open_action_filters=OPEN_ACTION_FILTERS,
    )


@bp.route("/assessments/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def create_assessment():
    """Record a privacy-by-design assessment for a project the user may edit."""
    form = AssessmentForm(projects=editable_projects())
    if request.method == "GET":
        if request.args.get("project", "").isdigit():
            form.project_id.data = int(request.args["project"])
        form.owner_id.data = current_user.id
        form.assessor_id.data = current_user.id
    if form.validate_on_submit():
        assessment = PbdAssessment()
        fill_assessment(assessment, form)
        add_missing_items(assessment)
        db.session.add(assessment)
        db.session.commit()
        log.info("assessment created id=%s by=%s", assessment.id, current_user.id)
        flash(f"Assessment {assessment.title} recorded. Answer each checklist item", "success")
        return redirect(url_for("dpia.assessment", assessment_id=assessment.id))
    return render_template("dpia/assessment_form.html", form=form, assessment=None)


@bp.route("/assessments/<int:assessment_id>")
@allow(*READERS)
def assessment(assessment_id: int):
    """Show an assessment with its checklist, summary by principle and changes."""
    record = get_visible_or_404(PbdAssessment, assessment_id)
    return render_template(
        "dpia/assessment.html",
        assessment=record,
        items=applicable_items(record),
        principles=summary_by_principle(record),
        item_changes=item_changes(record),
        detail_changes=detail_changes(record),
        later=later_stage(record),
        can_edit=can_edit_project_records(current_user, record.project),
        problems=approval_problems(record),
    )


@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def edit_assessment(assessment_id: int):
    """Change an assessment's details, unless it is approved or a later stage replaces it."""
    record = get_editable_or_403(PbdAssessment, assessment_id)
    if record.is_approved:
        flash("This assessment is approved and cannot change. Start the next stage", "error")
        return redirect(url_for("dpia.assessment", assessment_id=record.id))
    later = later_stage(record)
    if later is not None:
        flash(f"A later stage starts from this assessment. Change {later.title} instead", "error")
        return redirect(url_for("dpia.assessment", assessment_id=record.id))
    form = AssessmentForm(obj=record, projects=editable_projects())
    if request.method == "GET":
        form.decision_reference.data = record.decision.reference
        form.dpia_id.data = record.dpia_id or 0
        form.is_law_enforcement.data = "yes" if record.is_law_enforcement else "no"
        form.is_retention_automated.data = "yes" if record.is_retention_automated else "no"
    if form.validate_on_submit():
        current = lambda: {"decision_reference": record.decision.reference}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_and_complete(record, form), current):
            return (
                render_template("dpia/assessment_form.html", form=form, assessment=record),
                409,
            )
        log.info("assessment changed id=%s by=%s", record.id, current_user.id)
        flash(f"Assessment {record.title} saved", "success")
        return redirect(url_for("dpia.assessment", assessment_id=record.id))
    return render_template("dpia/assessment_form.html", form=form, assessment=record)


def fill_and_complete(assessment: PbdAssessment, form: AssessmentForm) -> None:
    """Apply the form, then add any checklist items the changed answers now call for."""
    fill_assessment(assessment, form)
    add_missing_items(assessment)


def fill_assessment(assessment: PbdAssessment, form: AssessmentForm) -> None:
    assessment.project_id = form.project_id.data
    assessment.decision = form.decision
    assessment.dpia_id = form.dpia_id.data or None
    assessment.owner_id = form.owner_id.data
    assessment.next_review_on = form.next_review_on.data
    assessment.title = form.title.data
    assessment.stage = form.stage.data
    assessment.system_or_component = form.system_or_component.data
    assessment.assessor_id = form.assessor_id.data
    assessment.assessed_on = form.assessed_on.data
    assessment.is_law_enforcement = form.is_law_enforcement.data == "yes"
    assessment.techniques = [code for code in TECHNIQUES if code in form.techniques.data]
    has_other = "other" in assessment.techniques
    assessment.other_techniques = (form.other_techniques.data or "") if has_other else ""
    assessment.is_retention_automated = form.is_retention_automated.data == "yes"
    assessment.retention_notes = form.retention_notes.data or ""
    assessment.summary = form.summary.data or ""


@bp.route("/assessments/<int:assessment_id>/next-stage", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def start_assessment_stage(assessment_id: int):
    """Start a later stage's assessment from this one's answers."""
    previous = get_editable_or_403(PbdAssessment, assessment_id)
    later = later_stage(previous)
    if later is not None:
        flash(f"The later stage {later.title} already starts from this assessment", "error")
        return redirect(url_for("dpia.assessment", assessment_id=later.id))
    form = NextStageForm(previous=previous)
    if request.method == "GET":
        form.assessor_id.data = current_user.id
    if form.validate_on_submit():
        try:
            assessment = start_next_stage(
                previous,
                title=form.title.data,
                stage=form.stage.data,
                assessor_id=form.assessor_id.data,
                assessed_on=form.assessed_on.data,
                next_review_on=form.next_review_on.data,
            )
        except PbdWorkflowError as error:
            flash(str(error), "error")
            return redirect(url_for("dpia.assessment", assessment_id=previous.id))
        db.session.add(assessment)
        db.session.commit()
        log.info(
            "assessment next stage id=%s from=%s by=%s", assessment.id, previous.id, current_user.id
        )
        flash(
            f"Assessment {assessment.title} started from the {previous.stage_label.lower()} "
            "stage's answers. Update each item that has changed",
            "success",
        )
        return redirect(url_for("dpia.assessment", assessment_id=assessment.id))
    return render_template("dpia/pbd_next_stage.html", form=form, previous=previous)

"""Review pages: the reviews list, a record's review history, recording a review."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from core.forms import RegisterForm
from core.policy import READERS, RECORD_WRITERS, allow, can_edit_project_records, can_view_project
from core.projects.filters import MAX_NAME_LENGTH, ProjectFilter, project_filter
from core.reviewable import review_sources
from core.timeutil import local_today
from register.models import Review, ReviewAction
from register.review_forms import ACTION_SLOTS, ReviewForm
from register.review_service import (
    ActionInput,
    ReviewInput,
    default_interval,
    default_next_review,
    record_review,
)
from register.reviews import ItemFilter, ItemKey, review_page
from register.sources import MAX_ID, get_record_or_404, get_source_or_404, may_review, record_title

bp = Blueprint("reviews", __name__)

log = logging.getLogger(__name__)


def _query_id(name: str) -> int | None:
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID:
        return int(raw)
    return None


@dataclass(frozen=True)
class FilterInputs:
    """The values the Reviews page's filter inputs display: project filter and owner name."""

    projects: ProjectFilter
    owner_name: str


def item_filter() -> tuple[ItemFilter, FilterInputs]:
    """Read the Reviews page's filters from the query string.

    `?owner=<id>` picks one owner and shows their name, as `?project=<id>`
    does. Otherwise `owner_name` filters owners by part of their name, so the
    form does not list every user who may own a record. A `type` that is not
    a review source is ignored.
    """
    sources = review_sources(current_app)
    kind = request.args.get("type") if request.args.get("type") in sources else None
    projects = project_filter()
    owner_id = _query_id("owner")
    owner = db.session.get(User, owner_id) if owner_id is not None else None
    owner_name = "" if owner_id is not None else request.args.get("owner_name", "").strip()
    owner_name = owner_name[:MAX_NAME_LENGTH]
    where = ItemFilter(
        owner_id=owner_id,
        owner_name=owner_name or None,
        project_id=projects.project.id if projects.project is not None else None,
        project_name=projects.name or None,
        kind=kind,
    )
    inputs = FilterInputs(projects, owner.name if owner is not None else owner_name)
    return where, inputs


@bp.route("/reviews")
@allow(*READERS)
def reviews():
    """List review and action dates in three groups: overdue, due within 30 days, later."""
    today = local_today()
    sources = review_sources(current_app)
    where, inputs = item_filter()
    # One page of items, soonest first, so the page stays the same size as the
    # register grows. Its links continue from the item at the page's edge.
    per_page = current_app.config["REGISTER_PAGE_SIZE"] * 4
    listing = review_page(
        current_user,
        where,
        per_page,
        after=ItemKey.parse(request.args.get("after", ""), sources),
        before=ItemKey.parse(request.args.get("before", ""), sources),
        last=request.args.get("page") == "last",
    )
    items = listing.items
    soon = today + timedelta(days=current_app.config["REGISTER_REMINDER_DAYS"])
    groups = [
        ("overdue", "Overdue", [item for item in items if item.due_on < today]),
        ("soon", "Due within 30 days", [item for item in items if today <= item.due_on <= soon]),
        ("later", "Later", [item for item in items if item.due_on > soon]),
    ]
    return render_template(
        "register/reviews.html",
        groups=groups,
        listing=listing,
        today=today,
        sources=sources,
        project_filter=inputs.projects,
        owner_shown=inputs.owner_name,
        selected={"type": where.kind},
    )


def _history(kind: str, record_id: int) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.record_kind == kind, Review.record_id == record_id)
            .order_by(Review.reviewed_on.desc(), Review.id.desc())
        )
    )


def review_history(kind: str, record_id: int) -> Markup:
    """Return the HTML panel of a record's reviews, for any record page to include.

    Record pages call it from templates as `review_history("dpia", dpia.id)`;
    it is empty for a kind that takes no reviews.
    """
    source = review_sources(current_app).get(kind)
    if source is None or not source.is_review():
        return Markup("")
    record = db.session.get(source.record_model(), record_id)
    if record is None:
        return Markup("")
    html = render_template(
        "register/_review_history.html",
        kind=kind,
        record=record,
        reviews=_history(kind, record_id),
        can_review=may_review(current_user, record),
    )
    # render_template escaped every value already.
    return Markup(html)  # noqa: S704


@bp.route("/reviews/<kind>/<int:record_id>")
@allow(*READERS)
def record_reviews(kind: str, record_id: int):
    """Show one record's review history and next review date."""
    source = get_source_or_404(kind)
    record = get_record_or_404(source, record_id)
    return render_template(
        "register/record_reviews.html",
        source=source,
        kind=kind,
        record=record,
        title=record_title(record),
        record_url=url_for(source.endpoint, **{source.id_arg: record.id}),
        history=review_history(kind, record.id),
    )


@bp.route("/reviews/<kind>/<int:record_id>/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def new_review(kind: str, record_id: int):
    """Record a completed review of a record and set its next review date."""
    source = get_source_or_404(kind)
    record = get_record_or_404(source, record_id)
    if not may_review(current_user, record):
        abort(403)
    today = local_today()
    interval = default_interval(source, record)
    hint = (
        f"Leave blank for the default: {interval.months} months after the review date "
        f"({interval.reason}). Leave blank if the review terminates the record."
    )
    form = ReviewForm(today=today, default_hint=hint)
    if request.method == "GET":
        form.reviewed_on.data = today
        form.reviewer_id.data = current_user.id
        form.next_review_on.data = default_next_review(source, record, today)
    if form.validate_on_submit():
        people = {user.id: user for user in db.session.scalars(select(User))}
        data = ReviewInput(
            review_type=form.review_type.data,
            trigger=form.trigger.data,
            reviewer=people[form.reviewer_id.data],
            reviewed_on=form.reviewed_on.data,
            is_processing_as_recorded=form.is_processing_as_recorded.is_yes,
            findings=form.findings.data,
            is_risk_changed=form.is_risk_changed.is_yes,
            new_risk_level=form.new_risk_level.data or None,
            outcome=form.outcome.data,
            is_dpo_consulted=form.is_dpo_consulted.is_yes,
            next_review_on=form.next_review_on.data,
            actions=tuple(
                ActionInput(description, people[owner_id], due_on)
                for description, owner_id, due_on in form.actions()
            ),
        )
        review = record_review(source, record, data, current_user)
        db.session.commit()
        flash(f"Review of {record_title(record)} recorded", "success")
        return redirect(url_for("reviews.review", review_id=review.id))
    return render_template(
        "register/review_form.html",
        form=form,
        source=source,
        record=record,
        title=record_title(record),
        slots=range(1, ACTION_SLOTS + 1),
        cancel_url=url_for("reviews.record_reviews", kind=kind, record_id=record.id),
    )


def get_review_or_404(review_id: int) -> Review:
    """Return a review, or 404 when it is missing or in a project the user may not see."""
    review = db.session.get(Review, review_id) if review_id <= MAX_ID else None
    if review is None or not can_view_project(current_user, review.project):
        abort(404)
    return review


@bp.route("/reviews/<int:review_id>")
@allow(*READERS)
def review(review_id: int):
    """Show one review with its findings and actions."""
    record = get_review_or_404(review_id)
    source = review_sources(current_app).get(record.record_kind)
    return render_template(
        "register/review.html",
        review=record,
        source=source,
        can_complete=_can_complete,
        done_form=RegisterForm(),
    )


def _can_complete(action: ReviewAction) -> bool:
    if current_user.role not in RECORD_WRITERS or action.completed_on is not None:
        return False
    return action.owner_id == current_user.id or can_edit_project_records(
        current_user, action.review.project
    )


@bp.route("/reviews/actions/<int:action_id>/done", methods=["POST"])
@allow(*RECORD_WRITERS)
def complete_action(action_id: int):
    """Mark a review action done, which stops its reminders."""
    action = db.session.get(ReviewAction, action_id) if action_id <= MAX_ID else None
    if action is None or not can_view_project(current_user, action.review.project):
        abort(404)
    if not _can_complete(action):
        abort(403)
    form = RegisterForm()
    if form.validate_on_submit():
        action.completed_on = local_today()
        db.session.commit()
        log.info("review action completed action_id=%s by=%s", action.id, current_user.id)
        flash("Action marked as done", "success")
    return redirect(url_for("reviews.review", review_id=action.review_id))


def actions_in_projects(project_ids):
    """Return a condition keeping the actions of reviews of these projects."""
    reviews = select(Review.id).where(Review.project_id.in_(project_ids))
    return ReviewAction.review_id.in_(reviews)


def action_rows():
    """Return the open review actions as review source rows.

    The project is read by a subquery, not a join, so a count of the rows
    reads one index of actions.
    """
    project_id = select(Review.project_id).where(Review.id == ReviewAction.review_id)
    return select(
        ReviewAction.id.label("record_id"),
        ReviewAction.review_id.label("page_id"),
        ReviewAction.description.label("title"),
        project_id.scalar_subquery().label("project_id"),
        ReviewAction.owner_id.label("owner_id"),
        ReviewAction.due_on.label("due_on"),
    ).where(ReviewAction.completed_on.is_(None))


def init_app(app) -> None:
    from core.reviewable import ReviewSource, add_review_source
    from register.calendar import bp as calendar_bp

    app.register_blueprint(bp)
    app.register_blueprint(calendar_bp)
    add_review_source(
        app,
        ReviewSource(
            "review_action",
            "Review action",
            "reviews.review",
            "review_id",
            action_rows,
            model=ReviewAction,
            is_action=True,
            in_projects=actions_in_projects,
        ),
    )
    app.add_template_global(review_history)

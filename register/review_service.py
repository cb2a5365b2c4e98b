"""Recording a review and working out when the next one falls due."""

import calendar
import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from core.auth.models import User
from core.extensions import db
from core.reviewable import ReviewSource
from register.models import ENDING_OUTCOMES, Review, ReviewAction
from register.sources import record_title

log = logging.getLogger(__name__)


def add_months(start: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day if it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def record_risk_level(source: ReviewSource, record) -> str | None:
    if source.risk_level is None:
        return None
    level = source.risk_level(record)
    return level if level in ("high", "medium", "low") else None


def count_reviews(kind: str, record_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Review)
        .where(Review.record_kind == kind, Review.record_id == record_id)
    )


@dataclass(frozen=True)
class Interval:
    months: int
    reason: str


def default_interval(source: ReviewSource, record, risk_level: str | None = None) -> Interval:
    """Return the default months to the next review, and the rule that chose it.

    `risk_level` is the level a review has just recorded; without it the
    record's own level, if its source offers one, is used.
    """
    config = current_app.config
    level = risk_level or record_risk_level(source, record)
    if level:
        months = config[f"REGISTER_REVIEW_MONTHS_{level.upper()}"]
        reason = f"{level} residual risk"
    else:
        months = config["REGISTER_REVIEW_MONTHS_DEFAULT"]
        reason = "no risk level recorded"
    if source.review_policy == "agreement":
        is_routine = source.is_routine(record) if source.is_routine else False
        if is_routine and count_reviews(source.kind, record.id) == 0:
            first = config["REGISTER_AGREEMENT_FIRST_REVIEW_MONTHS"]
            if first < months:
                return Interval(first, "first review of a routine agreement")
        cap = config["REGISTER_AGREEMENT_MAX_REVIEW_MONTHS"]
        if cap < months:
            return Interval(cap, "agreements are reviewed at least this often")
    return Interval(months, reason)


def default_next_review(
    source: ReviewSource, record, reviewed_on: date, risk_level: str | None = None
) -> date:
    return add_months(reviewed_on, default_interval(source, record, risk_level).months)


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User
    due_on: date


@dataclass(frozen=True)
class ReviewInput:
    review_type: str
    trigger: str
    reviewer: User
    reviewed_on: date
    is_processing_as_recorded: bool
    findings: str
    is_risk_changed: bool
    new_risk_level: str | None
    outcome: str
    is_dpo_consulted: bool
    next_review_on: date | None
    actions: tuple[ActionInput, ...] = ()


class ReviewError(ValueError):
    """Raised when a review breaks a rule. The message names the rule and the fix."""


def record_review(source: ReviewSource, record, data: ReviewInput, by: User) -> Review:
    """Add a completed review and move the record's next review date. The caller commits.

    A review that ends the record clears its next review date. Any other
    needs a date after the review, defaulting from the configured intervals.
    """
    next_review_on = data.next_review_on
    if data.outcome in ENDING_OUTCOMES:
        next_review_on = None
    elif next_review_on is None:
        next_review_on = default_next_review(source, record, data.reviewed_on, data.new_risk_level)
    elif next_review_on <= data.reviewed_on:
        raise ReviewError("The next review date must be after the review date")
    review = Review(
        record_kind=source.kind,
        record_id=record.id,
        project_id=record.project_id,
        record_title=record_title(record)[:300],
        review_type=data.review_type,
        trigger=data.trigger,
        reviewer=data.reviewer,
        reviewed_on=data.reviewed_on,
        is_processing_as_recorded=data.is_processing_as_recorded,
        findings=data.findings,
        is_risk_changed=data.is_risk_changed,
        new_risk_level=data.new_risk_level if data.is_risk_changed else None,
        outcome=data.outcome,
        is_dpo_consulted=data.is_dpo_consulted,
        next_review_on=next_review_on,
        recorded_by=by,
        actions=[
            ReviewAction(description=action.description, owner=action.owner, due_on=action.due_on)
            for action in data.actions
        ],
    )
    db.session.add(review)
    record.next_review_on = next_review_on
    if data.outcome in ("suspend", "terminate") and source.end_record is not None:
        source.end_record(record, data.outcome)
    db.session.flush()
    log.info(
        "review recorded review_id=%s kind=%s record_id=%s outcome=%s by=%s",
        review.id,
        source.kind,
        record.id,
        data.outcome,
        by.id,
    )
    return review

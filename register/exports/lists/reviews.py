"""The list of recorded reviews of DPIAs, assessments, agreements and other records."""

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, subqueryload

from core.projects.access import restrict_to_visible
from core.reviewable import review_sources
from register.exports.lists.base import (
    Column,
    Filter,
    RegisterList,
    choice_filter,
    date_filter,
    id_filter,
    name_of,
    project_name_filter,
)
from register.models import OUTCOMES, Review


def _reviews_query() -> Select:
    query = select(Review).options(
        joinedload(Review.project),
        joinedload(Review.reviewer),
        joinedload(Review.recorded_by),
        subqueryload(Review.actions),
    )
    return restrict_to_visible(query, Review.project_id).order_by(
        Review.reviewed_on.desc(), Review.id.desc()
    )


def _record_kind_label(review: Review) -> str:
    source = review_sources(current_app).get(review.record_kind)
    return source.label if source is not None else review.record_kind


def _apply_record_kind(query: Select, raw: str) -> Select | None:
    # The kinds are the registered review sources, known only once the app is set up.
    if raw not in review_sources(current_app):
        return None
    return query.where(Review.record_kind == raw)


REVIEWS = RegisterList(
    name="reviews",
    model=Review,
    title="Reviews",
    query=_reviews_query,
    columns=(
        Column("Id", lambda r: r.id),
        Column("Record type", _record_kind_label),
        Column("Record id", lambda r: r.record_id),
        Column("Record", lambda r: r.record_title),
        Column("Project", lambda r: r.project.name),
        Column("Review type", lambda r: r.review_type_label),
        Column("Trigger", lambda r: r.trigger_label),
        Column("Reviewed on", lambda r: r.reviewed_on),
        Column("Reviewer", lambda r: name_of(r.reviewer)),
        Column("Processing as recorded", lambda r: r.is_processing_as_recorded),
        Column("Risk changed", lambda r: r.is_risk_changed),
        Column("New risk level", lambda r: r.new_risk_label),
        Column("Outcome", lambda r: r.outcome_label),
        Column("DPO consulted", lambda r: r.is_dpo_consulted),
        Column("Next review", lambda r: r.next_review_on),
        Column("Actions", lambda r: len(r.actions)),
        Column("Open actions", lambda r: sum(1 for a in r.actions if a.completed_on is None)),
        Column("Recorded by", lambda r: name_of(r.recorded_by)),
        Column("Findings", lambda r: r.findings),
    ),
    filters=(
        id_filter(
            "project", "Only reviews of records of the project with this id", Review.project_id
        ),
        project_name_filter(Review.project_id),
        Filter(
            "type",
            "Only reviews of this record type, such as dpia or agreement",
            _apply_record_kind,
            lambda: {"type": "string", "enum": list(review_sources(current_app))},
        ),
        id_filter("record", "Only reviews of the record with this id", Review.record_id),
        id_filter("reviewer", "Only reviews by the user with this id", Review.reviewer_id),
        choice_filter("outcome", "Only reviews with this outcome", Review.outcome, OUTCOMES),
        date_filter(
            "reviewed_since",
            "Only reviews made on or after this date (YYYY-MM-DD)",
            lambda day: Review.reviewed_on >= day,
        ),
        date_filter(
            "reviewed_until",
            "Only reviews made on or before this date (YYYY-MM-DD)",
            lambda day: Review.reviewed_on <= day,
        ),
    ),
)

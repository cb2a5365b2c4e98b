"""Columns of a DPIA's steps, grouped as the ICO's sample template groups them.

Each mixin carries one or two steps so that the Dpia model stays readable.
"""

from datetime import date

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class DescriptionColumns:
    """Step 1 (the need for a DPIA) and step 2 (nature, scope, context, purposes)."""

    need_summary: Mapped[str] = mapped_column(Text, default="")

    nature: Mapped[str] = mapped_column(Text, default="")
    data_sources: Mapped[str] = mapped_column(Text, default="")
    data_categories: Mapped[str] = mapped_column(Text, default="")
    special_categories: Mapped[list] = mapped_column(JSON, default=list)
    has_criminal_offence_data: Mapped[bool] = mapped_column(default=False)
    volume: Mapped[str] = mapped_column(Text, default="")
    individuals_affected: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    geography: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    involves_vulnerable_people: Mapped[bool] = mapped_column(default=False)
    purposes: Mapped[str] = mapped_column(Text, default="")
    benefits: Mapped[str] = mapped_column(Text, default="")
    go_live_on: Mapped[date | None]


class NecessityColumns:
    """Step 3 (consultation) and step 4 (necessity, proportionality, lawful bases)."""

    views_sought: Mapped[bool | None]
    consultation_method: Mapped[str] = mapped_column(Text, default="")
    views_not_sought_reason: Mapped[str] = mapped_column(Text, default="")
    consultees: Mapped[str] = mapped_column(Text, default="")

    art6_basis: Mapped[str] = mapped_column(String(40), default="")
    le_basis: Mapped[str] = mapped_column(String(40), default="")
    is_sensitive_processing: Mapped[bool] = mapped_column(default=False)
    schedule8_condition: Mapped[str] = mapped_column(String(10), default="")
    policy_document_reference: Mapped[str] = mapped_column(String(200), default="")
    logged_operations: Mapped[list] = mapped_column(JSON, default=list)
    is_new_filing_system: Mapped[bool] = mapped_column(default=False)
    necessity: Mapped[str] = mapped_column(Text, default="")
    safeguards: Mapped[str] = mapped_column(Text, default="")


class SignOffColumns:
    """Step 7: who approved the measures and residual risks, and the DPO's advice."""

    measures_approved_by: Mapped[str] = mapped_column(String(200), default="")
    measures_approved_position: Mapped[str] = mapped_column(String(200), default="")
    measures_approved_on: Mapped[date | None]
    residual_approved_by: Mapped[str] = mapped_column(String(200), default="")
    residual_approved_position: Mapped[str] = mapped_column(String(200), default="")
    residual_approved_on: Mapped[date | None]

    advice_response: Mapped[str] = mapped_column(String(20), default="")
    advice_response_by: Mapped[str] = mapped_column(String(200), default="")
    advice_response_on: Mapped[date | None]
    overrule_reasons: Mapped[str] = mapped_column(Text, default="")

    consultation_reviewed_by: Mapped[str] = mapped_column(String(200), default="")
    consultation_reviewed_on: Mapped[date | None]
    departs_from_views: Mapped[bool] = mapped_column(default=False)
    departure_reasons: Mapped[str] = mapped_column(Text, default="")

    kept_under_review_by: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(String(40), default="")
    conditions: Mapped[str] = mapped_column(Text, default="")

    prior_consultation_override: Mapped[bool | None]
    prior_consultation_override_reason: Mapped[str] = mapped_column(Text, default="")

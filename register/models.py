"""Reviews of records, the reminder ledger and personal calendar feeds.

Reviews point at their record by source kind and record id, so one table
serves every record type that registers a review source.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.projects.models import Project
from core.types import TimestampMixin, UTCDateTime

REVIEW_TYPES = {
    "scheduled": "Scheduled",
    "triggered": "Triggered by a change or event",
    "ad_hoc": "Ad hoc",
}

TRIGGERS = {
    "scheduled": "Scheduled review date",
    "change_nature_scope_context_purpose": "Change of nature, scope, context or purpose",
    "new_data_category": "New data category or special category data",
    "new_recipient_or_processor": "New recipient or processor",
    "new_technology": "New technology or system change",
    "security_incident": "Security incident or breach",
    "complaint": "Complaint or rights request",
    "legal_change": "Change in law or guidance",
    "regulator_advice": "Advice from the Information Commissioner",
    "partner_change": "Change of sharing partner",
}

OUTCOMES = {
    "no_change": "No change",
    "minor_update": "Minor update",
    "new_version_required": "New version required",
    "suspend": "Suspend",
    "terminate": "Terminate",
}

# Outcomes after which the record needs no further review.
ENDING_OUTCOMES = frozenset({"terminate"})

RISK_LEVEL_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}


class Review(TimestampMixin, db.Model):
    """A completed review of one record, with what it found and decided."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    # Copied from the record when the review is recorded, so review actions
    # can be listed and restricted by project without loading the record.
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    record_title: Mapped[str] = mapped_column(String(300))
    review_type: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(60))
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    reviewed_on: Mapped[date] = mapped_column(index=True)
    is_processing_as_recorded: Mapped[bool]
    findings: Mapped[str] = mapped_column(Text)
    is_risk_changed: Mapped[bool]
    new_risk_level: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(30))
    is_dpo_consulted: Mapped[bool]
    next_review_on: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    project: Mapped[Project] = relationship()
    # Joined, so a review history shows its reviewers without a query per review.
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    actions: Mapped[list["ReviewAction"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewAction.id"
    )

    @property
    def review_type_label(self) -> str:
        return REVIEW_TYPES.get(self.review_type, self.review_type)

    @property
    def trigger_label(self) -> str:
        return TRIGGERS.get(self.trigger, self.trigger)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    @property
    def new_risk_label(self) -> str:
        return RISK_LEVEL_LABELS.get(self.new_risk_level or "", "Not recorded")


class ReviewAction(TimestampMixin, db.Model):
    """Something a review asks someone to do by a date."""

    __tablename__ = "review_actions"
    # Counting the open, dated actions on the Reviews page reads this index alone.
    __table_args__ = (Index("ix_review_actions_due_open", "due_on", "completed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    completed_on: Mapped[date | None]

    review: Mapped[Review] = relationship(back_populates="actions")
    owner: Mapped[User] = relationship()


REMINDER_STATUSES = ("pending", "claimed", "sent", "failed", "cancelled", "skipped")


class Reminder(TimestampMixin, db.Model):
    """One reminder to one recipient about one item's due date at one stage.

    The unique key makes each reminder go out at most once. The status
    records where it is: pending, claimed by a running job, sent, failed
    (to be retried), cancelled (the item's date or owner changed) or
    skipped (the recipient's account is deactivated).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(
            "record_kind",
            "record_id",
            "due_on",
            "stage",
            "recipient",
            name="uq_reminders_record_due_stage_recipient",
        ),
        Index("ix_reminders_status_send_on", "status", "send_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    due_on: Mapped[date]
    # "before-30", "before-7", "due", "overdue-1", "overdue-2", ...
    stage: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    send_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    claim_token: Mapped[str | None] = mapped_column(String(64), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class CalendarFeed(TimestampMixin, db.Model):
    """A user's secret calendar address, of which only a hash of the token is kept."""

    __tablename__ = "calendar_feeds"
    __audit_hidden__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

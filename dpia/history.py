"""The state history of a DPIA and its prior consultation with the ICO."""

from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.timeutil import utc_now
from core.types import TimestampMixin, UTCDateTime
from dpia.vocabulary import DPIA_STATUSES, PRIOR_CONSULTATION_TRIGGERS

# The ICO gives written advice within 8 weeks, extendable to 14 in complex cases.
ADVICE_WEEKS = 8
EXTENDED_ADVICE_WEEKS = 14


class StateChange(db.Model):
    """One move of a DPIA between states: who, when, and any comment."""

    __tablename__ = "dpia_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dpia_id: Mapped[int] = mapped_column(ForeignKey("dpias.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(30), default="")
    to_status: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    dpia = relationship("Dpia", back_populates="history")
    # Joined, so a history of any length shows its users without a query per change.
    changed_by: Mapped[User] = relationship(lazy="joined")

    @property
    def from_label(self) -> str:
        return DPIA_STATUSES.get(self.from_status, "New")

    @property
    def to_label(self) -> str:
        return DPIA_STATUSES.get(self.to_status, self.to_status)


class PriorConsultation(TimestampMixin, db.Model):
    """The DPIA's consultation with the ICO before processing starts."""

    __tablename__ = "dpia_prior_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    dpia_id: Mapped[int] = mapped_column(
        ForeignKey("dpias.id", ondelete="CASCADE"), unique=True, index=True
    )
    trigger: Mapped[str] = mapped_column(String(40))
    submitted_on: Mapped[date | None]
    ico_reference: Mapped[str] = mapped_column(String(100), default="")
    accepted_on: Mapped[date | None]
    is_extended: Mapped[bool] = mapped_column(default=False)
    advice_received_on: Mapped[date | None]
    advice_summary: Mapped[str] = mapped_column(Text, default="")

    dpia = relationship("Dpia", back_populates="prior_consultation")

    @property
    def trigger_label(self) -> str:
        return PRIOR_CONSULTATION_TRIGGERS.get(self.trigger, self.trigger)

    @property
    def advice_due_on(self) -> date | None:
        if self.submitted_on is None:
            return None
        weeks = EXTENDED_ADVICE_WEEKS if self.is_extended else ADVICE_WEEKS
        return self.submitted_on + timedelta(weeks=weeks)

    @property
    def is_open(self) -> bool:
        return self.advice_received_on is None

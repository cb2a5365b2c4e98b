"""DPIA and privacy-by-design assessment records."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.locking import VersionedMixin
from core.projects.models import Decision, Project
from core.reviewable import ReviewableMixin
from core.types import TimestampMixin, UTCDateTime

DPIA_STATUSES = {
    "draft": "Draft",
    "approved": "Approved",
}

PBD_STATUSES = {
    "draft": "Draft",
    "approved": "Approved",
}


class Dpia(ReviewableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "dpias"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    processing_summary: Mapped[str] = mapped_column(Text, default="")

    dpo_advice: Mapped[str] = mapped_column(Text, default="")
    dpo_advice_on: Mapped[date | None]
    dpo_advice_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )

    signed_off_on: Mapped[date | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )

    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    project: Mapped[Project] = relationship()
    decision: Mapped[Decision] = relationship()
    dpo_advice_by: Mapped[User | None] = relationship(foreign_keys=[dpo_advice_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def status_label(self) -> str:
        return DPIA_STATUSES.get(self.status, self.status)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None

    @property
    def awaits_confirmation(self) -> bool:
        return self.is_signed_off and self.confirmed_at is None

    def __str__(self) -> str:
        return self.title


class PbdAssessment(ReviewableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A privacy-by-design assessment of a project at one stage."""

    __tablename__ = "pbd_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship()
    decision: Mapped[Decision] = relationship()

    @property
    def status_label(self) -> str:
        return PBD_STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        return self.title

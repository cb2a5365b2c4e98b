"""Screening: whether the processing needs a DPIA, and why."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.projects.models import Project
from core.types import TimestampMixin, UTCDateTime
from dpia.vocabulary import ICO_TYPES_NEEDING_CRITERION

# Two or more WP248 criteria make a DPIA likely to be required.
WP248_THRESHOLD = 2


class Screening(TimestampMixin, db.Model):
    """The screening answers for a project's processing and the outcome with its rationale.

    A screening is made for a DPIA, or for a project before any DPIA
    exists. A DPIA started from it then takes it over.
    """

    __tablename__ = "dpia_screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    dpia_id: Mapped[int | None] = mapped_column(
        ForeignKey("dpias.id", ondelete="CASCADE"), unique=True, index=True
    )
    mandatory_cases: Mapped[list] = mapped_column(JSON, default=list)
    ico_types: Mapped[list] = mapped_column(JSON, default=list)
    wp248_criteria: Mapped[list] = mapped_column(JSON, default=list)
    involves_sharing: Mapped[bool] = mapped_column(default=False)
    is_dpia_required: Mapped[bool] = mapped_column(default=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()
    dpia = relationship("Dpia", back_populates="screening")
    decided_by: Mapped[User | None] = relationship()


def counted_ico_types(ico_types, wp248_criteria) -> list[str]:
    """Return the ICO high-risk types that count towards a required DPIA.

    Innovative technology, biometric and genetic data count only alongside
    at least one WP248 criterion.
    """
    return [
        code
        for code in ico_types
        if code not in ICO_TYPES_NEEDING_CRITERION or len(wp248_criteria) >= 1
    ]


def screening_result(mandatory_cases, ico_types, wp248_criteria) -> str:
    """Return "required", "likely" or "not_indicated" for a set of screening answers."""
    if mandatory_cases or counted_ico_types(ico_types, wp248_criteria):
        return "required"
    if len(wp248_criteria) >= WP248_THRESHOLD:
        return "likely"
    return "not_indicated"


SCREENING_RESULTS = {
    "required": "A DPIA is required: a mandatory case or an ICO high-risk type applies",
    "likely": "A DPIA is likely to be required: two or more WP248 criteria apply",
    "not_indicated": "The answers do not show that a DPIA is required",
}

"""Step 5 risks and step 6 measures of a DPIA."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.types import TimestampMixin
from dpia.vocabulary import (
    LIKELIHOODS,
    MEASURE_EFFECTS,
    MEASURE_STATUSES,
    RISK_LEVELS,
    RISK_RANK,
    SEVERITIES,
)


def _one_of(column: str, values) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Risk(TimestampMixin, db.Model):
    """A risk to individuals: its source, the harm, and how likely and severe it is.

    `computed_level` comes from the risk matrix when the risk is saved. The
    DPO may set `override_level`, with a reason, and `level` is then the
    override.
    """

    __tablename__ = "dpia_risks"
    __table_args__ = (
        CheckConstraint(_one_of("likelihood", LIKELIHOODS), name="likelihood_known"),
        CheckConstraint(_one_of("severity", SEVERITIES), name="severity_known"),
        CheckConstraint(_one_of("computed_level", RISK_LEVELS), name="level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dpia_id: Mapped[int] = mapped_column(ForeignKey("dpias.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    harm: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    computed_level: Mapped[str] = mapped_column(String(10))
    override_level: Mapped[str] = mapped_column(String(10), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")

    dpia = relationship("Dpia", back_populates="risks")
    # Pages show a risk with its measures, so the measures of all loaded risks load in one query.
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="risk", cascade="all, delete-orphan", order_by="Measure.id", lazy="selectin"
    )

    @property
    def level(self) -> str:
        return self.override_level or self.computed_level

    @property
    def level_label(self) -> str:
        return RISK_LEVELS[self.level]

    @property
    def needs_measure(self) -> bool:
        return self.level in ("medium", "high")

    @property
    def residual_level(self) -> str:
        """Return the lowest residual level the measures reach, or the risk's own level.

        Each measure states the residual risk once it is in place, so the
        strongest measure sets the residual risk.
        """
        levels = [measure.residual_level for measure in self.measures]
        if not levels:
            return self.level
        return min(levels, key=RISK_RANK.__getitem__)


class Measure(TimestampMixin, db.Model):
    """A measure against one risk, with its effect and the residual risk it leaves."""

    __tablename__ = "dpia_measures"
    __table_args__ = (
        CheckConstraint(_one_of("effect", MEASURE_EFFECTS), name="effect_known"),
        CheckConstraint(_one_of("residual_level", RISK_LEVELS), name="residual_known"),
        CheckConstraint(_one_of("status", MEASURE_STATUSES), name="status_known"),
        # Counting the open, dated measures on the Reviews page reads this index alone.
        Index("ix_dpia_measures_due_status_owner", "due_on", "status", "owner_id", "risk_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(
        ForeignKey("dpia_risks.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(String(20))
    residual_level: Mapped[str] = mapped_column(String(10))
    is_approved: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")

    risk: Mapped[Risk] = relationship(back_populates="measures")
    owner: Mapped[User | None] = relationship(lazy="joined")

    @property
    def effect_label(self) -> str:
        return MEASURE_EFFECTS[self.effect]

    @property
    def residual_label(self) -> str:
        return RISK_LEVELS[self.residual_level]

    @property
    def status_label(self) -> str:
        return MEASURE_STATUSES[self.status]

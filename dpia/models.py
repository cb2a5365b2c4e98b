"""DPIA and privacy-by-design assessment records."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.locking import VersionedMixin
from core.projects.models import Decision, Project
from core.reviewable import ReviewableMixin
from core.types import TimestampMixin, UTCDateTime
from dpia.history import PriorConsultation, StateChange
from dpia.pbd_models import PbdAssessment  # noqa: F401  (re-exported for existing imports)
from dpia.risks import Measure, Risk
from dpia.scoring import highest
from dpia.screening import Screening
from dpia.steps import DescriptionColumns, NecessityColumns, SignOffColumns
from dpia.vocabulary import (
    APPROVED_STATUSES,
    DPIA_STATUSES,
    EDITABLE_STATUSES,
    OUTCOMES,
    REGIMES,
)


class Dpia(
    DescriptionColumns,
    NecessityColumns,
    SignOffColumns,
    ReviewableMixin,
    VersionedMixin,
    TimestampMixin,
    db.Model,
):
    """A data protection impact assessment, one version of it.

    Starting a review of an approved DPIA copies it into a new version that
    points back at it through `previous_id`, so the signed-off version stays
    as it was approved.
    """

    __tablename__ = "dpias"
    # Serves the dashboard's list of signed-off DPIAs awaiting the lead's confirmation.
    __table_args__ = (
        # The dashboard's panel of DPIAs awaiting confirmation: its statuses,
        # then its order, so the count and the page read only those DPIAs.
        Index(
            "ix_dpias_awaiting_confirmation",
            "status",
            "confirmed_at",
            "approved_on",
            "signed_off_on",
        ),
        # Counting the dated DPIAs on the Reviews page reads this index alone,
        # and so does finding a deep page of the DPIA list in review order.
        Index("ix_dpias_review_status", "next_review_on", "id", "status"),
    )

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

    reference: Mapped[str] = mapped_column(String(40), default="")
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("dpias.id", ondelete="RESTRICT"), index=True
    )
    regime: Mapped[str] = mapped_column(String(20), default="uk_gdpr")
    controller: Mapped[str] = mapped_column(String(200), default="")
    processors: Mapped[str] = mapped_column(Text, default="")
    dpo_contact: Mapped[str] = mapped_column(String(200), default="")
    # The date each step was last saved complete, keyed by step name, as ISO dates.
    steps_completed_on: Mapped[dict] = mapped_column(JSON, default=dict)
    # The highest residual risk, kept by refresh_residual_risk() so that the
    # register can filter and sort on it. It is empty while there are no risks.
    residual_risk: Mapped[str] = mapped_column(String(10), default="", index=True)

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
    previous: Mapped["Dpia | None"] = relationship(remote_side=[id])

    screening: Mapped[Screening | None] = relationship(
        back_populates="dpia", cascade="all, delete-orphan"
    )
    risks: Mapped[list[Risk]] = relationship(
        back_populates="dpia", cascade="all, delete-orphan", order_by=Risk.id
    )
    prior_consultation: Mapped[PriorConsultation | None] = relationship(
        back_populates="dpia", cascade="all, delete-orphan"
    )
    history: Mapped[list[StateChange]] = relationship(
        back_populates="dpia", cascade="all, delete-orphan", order_by=StateChange.id
    )

    def __init__(self, **kwargs):
        # Column defaults apply only on insert, but the workflow reads these before that.
        kwargs.setdefault("status", "draft")
        kwargs.setdefault("version", 1)
        kwargs.setdefault("regime", "uk_gdpr")
        kwargs.setdefault("steps_completed_on", {})
        kwargs.setdefault("special_categories", [])
        kwargs.setdefault("logged_operations", [])
        super().__init__(**kwargs)

    @property
    def status_label(self) -> str:
        return DPIA_STATUSES.get(self.status, self.status)

    @property
    def regime_label(self) -> str:
        return REGIMES.get(self.regime, self.regime)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, "")

    @property
    def includes_uk_gdpr(self) -> bool:
        return self.regime in ("uk_gdpr", "both")

    @property
    def includes_part3(self) -> bool:
        return self.regime in ("part3", "both")

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None

    @property
    def awaits_confirmation(self) -> bool:
        return self.is_approved and self.confirmed_at is None

    @property
    def measures(self) -> list[Measure]:
        return [measure for risk in self.risks for measure in risk.measures]

    @property
    def highest_inherent_level(self) -> str | None:
        return highest(risk.level for risk in self.risks)

    @property
    def overall_residual_level(self) -> str | None:
        """Return the highest residual risk across all risks, or None without risks."""
        return highest(risk.residual_level for risk in self.risks)

    @property
    def computed_prior_consultation_trigger(self) -> str | None:
        """Return why the law requires prior consultation, or None.

        UK GDPR Article 36 looks at the residual risk, but DPA 2018 section 65
        looks at a new filing system's risk before any mitigation.
        """
        if self.includes_uk_gdpr and self.overall_residual_level == "high":
            return "art36_residual_high"
        if (
            self.includes_part3
            and self.is_new_filing_system
            and self.highest_inherent_level == "high"
        ):
            return "s65_new_filing_system"
        return None

    @property
    def prior_consultation_trigger(self) -> str | None:
        """Return the trigger after any DPO override, or None when no consultation is needed."""
        if self.prior_consultation_override is False:
            return None
        computed = self.computed_prior_consultation_trigger
        if computed is None and self.prior_consultation_override:
            return "dpo_decision"
        return computed

    @property
    def needs_prior_consultation(self) -> bool:
        return self.prior_consultation_trigger is not None

    @property
    def has_regulator_advice(self) -> bool:
        consultation = self.prior_consultation
        return consultation is not None and consultation.advice_received_on is not None

    def refresh_residual_risk(self) -> None:
        self.residual_risk = self.overall_residual_level or ""

    def __str__(self) -> str:
        return self.title

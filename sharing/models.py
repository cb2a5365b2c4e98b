"""Data-sharing agreements, processor contracts and the records that hang off them."""

from datetime import date

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.locking import VersionedMixin
from core.projects.models import Decision, Party, Project
from core.reviewable import ReviewableMixin
from core.types import TimestampMixin
from dpia.models import Dpia
from sharing import bases, choices

# The stored statuses an end date turns into "expired" once it has passed.
EXPIRING_STATUSES = ("active", "suspended")


def text_column(**kwargs) -> Mapped[str]:
    return mapped_column(Text, default="", **kwargs)


class Agreement(ReviewableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A data-sharing agreement, or a processor contract kept in the same register."""

    __tablename__ = "agreements"
    # Counting the dated agreements and contracts on the Reviews page reads this index alone.
    __table_args__ = (
        Index("ix_agreements_review_kind_status", "next_review_on", "relationship_kind", "status"),
        # The register's status and scope filters, with the columns its counts
        # read, so counting the matches of those filters reads this index alone.
        Index(
            "ix_agreements_status_scope",
            "status",
            "scope",
            "end_on",
            "relationship_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    dpia_id: Mapped[int | None] = mapped_column(
        ForeignKey("dpias.id", ondelete="RESTRICT"), index=True
    )

    relationship_kind: Mapped[str] = mapped_column(
        String(30), default="controller_to_controller", index=True
    )
    scope: Mapped[str] = mapped_column(String(20), index=True)
    frequency: Mapped[str] = mapped_column(String(20), default="routine")
    direction: Mapped[str] = mapped_column(String(20), default="outbound")
    regime: Mapped[str] = mapped_column(String(20), default="uk_gdpr", index=True)
    marking: Mapped[str] = mapped_column(String(30), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)

    purpose: Mapped[str] = text_column()
    benefits: Mapped[str] = text_column()
    legal_power: Mapped[str] = text_column()
    necessity: Mapped[str] = text_column()
    data_subjects: Mapped[str] = text_column()
    data_items: Mapped[str] = text_column()
    special_categories: Mapped[str] = mapped_column(String(200), default="")
    is_criminal_offence_data: Mapped[bool] = mapped_column(Boolean, default=False)
    is_sensitive_processing: Mapped[bool] = mapped_column(Boolean, default=False)
    apd_reference: Mapped[str] = mapped_column(String(200), default="")

    transparency: Mapped[str] = text_column()
    access_controls: Mapped[str] = text_column()
    accuracy: Mapped[str] = text_column()
    rights_procedure: Mapped[str] = text_column()
    transfer_method: Mapped[str] = mapped_column(String(30), default="")
    is_encrypted_in_transit: Mapped[bool] = mapped_column(Boolean, default=False)
    security: Mapped[str] = text_column()
    breach_handling: Mapped[str] = text_column()
    deletion_at_end: Mapped[str] = text_column()
    termination: Mapped[str] = text_column()
    signed_copy_location: Mapped[str] = mapped_column(String(500), default="")
    joint_arrangement_reference: Mapped[str] = mapped_column(String(200), default="")
    processor_contract_reference: Mapped[str] = mapped_column(String(200), default="")

    is_international: Mapped[bool] = mapped_column(Boolean, default=False)
    destination: Mapped[str] = mapped_column(String(200), default="")
    transfer_mechanism: Mapped[str] = mapped_column(String(30), default="")
    tra_reference: Mapped[str] = mapped_column(String(200), default="")
    le_transfer_necessary: Mapped[bool] = mapped_column(Boolean, default=False)
    le_transfer_ground: Mapped[str] = mapped_column(String(30), default="")
    recipient_is_relevant_authority: Mapped[bool] = mapped_column(Boolean, default=True)
    s77_documented: Mapped[bool] = mapped_column(Boolean, default=False)
    commissioner_informed_on: Mapped[date | None]

    start_on: Mapped[date | None] = mapped_column(index=True)
    end_on: Mapped[date | None] = mapped_column(index=True)
    approved_on: Mapped[date | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    status_changed_on: Mapped[date | None]
    status_reason: Mapped[str] = text_column()

    project: Mapped[Project] = relationship()
    decision: Mapped[Decision] = relationship()
    dpia: Mapped[Dpia | None] = relationship()
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    parties: Mapped[list["AgreementParty"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.id"
    )
    purposes: Mapped[list["AgreementPurpose"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementPurpose.id"
    )
    versions: Mapped[list["AgreementVersion"]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="AgreementVersion.number",
    )
    decision_log: Mapped[list["OneOffDecision"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="OneOffDecision.id"
    )

    def effective_status(self, today: date) -> str:
        """Return the status as of `today`: an agreement past its end date is expired."""
        if self.status in EXPIRING_STATUSES and self.end_on is not None and self.end_on < today:
            return "expired"
        return self.status

    @classmethod
    def status_filter(cls, status: str, today: date):
        """Return a SQL condition matching agreements whose effective status is `status`."""
        ended = and_(cls.end_on.is_not(None), cls.end_on < today)
        if status == "expired":
            return or_(cls.status == "expired", and_(cls.status.in_(EXPIRING_STATUSES), ended))
        if status in EXPIRING_STATUSES:
            return and_(cls.status == status, ~ended)
        return cls.status == status

    @property
    def is_processor_contract(self) -> bool:
        return self.relationship_kind == choices.PROCESSOR

    @property
    def is_external(self) -> bool:
        return self.scope == "external"

    @property
    def special_category_keys(self) -> list[str]:
        return [key for key in self.special_categories.split(",") if key]

    @property
    def special_category_labels(self) -> list[str]:
        return [bases.SPECIAL_CATEGORIES.get(key, key) for key in self.special_category_keys]

    @property
    def includes_gdpr(self) -> bool:
        return self.regime in choices.GDPR_REGIMES

    @property
    def includes_part3(self) -> bool:
        return self.regime in choices.PART3_REGIMES

    def label(self, field: str) -> str:
        """Return the display label of a classification field's stored value."""
        catalogue = {
            "relationship_kind": choices.RELATIONSHIPS,
            "scope": choices.SCOPES,
            "frequency": choices.FREQUENCIES,
            "direction": choices.DIRECTIONS,
            "regime": choices.REGIMES,
            "marking": choices.MARKINGS,
            "transfer_method": choices.TRANSFER_METHODS,
            "transfer_mechanism": choices.TRANSFER_MECHANISMS,
            "le_transfer_ground": choices.LE_TRANSFER_GROUNDS,
        }[field]
        value = getattr(self, field)
        return catalogue.get(value, value)

    @property
    def status_label(self) -> str:
        return choices.AGREEMENT_STATUSES.get(self.status, self.status)

    @property
    def scope_label(self) -> str:
        return choices.SCOPES.get(self.scope, self.scope)

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class AgreementParty(db.Model):
    """A party's part in one agreement: its role, contacts, retention and signatory."""

    __tablename__ = "agreement_parties"
    __table_args__ = (
        UniqueConstraint("agreement_id", "party_id"),
        # Covers a party's links with their agreements, so counting a party's
        # agreements of one kind reads indexes only (sharing.panels).
        Index("ix_agreement_parties_party_id_agreement_id", "party_id", "agreement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    controller_status: Mapped[str] = mapped_column(String(20), default="controller")
    contact: Mapped[str] = mapped_column(String(200), default="")
    dpo_contact: Mapped[str] = mapped_column(String(200), default="")
    retention: Mapped[str] = text_column()
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_position: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    # Joined, so an agreement's parties load in one query, not one per party.
    party: Mapped[Party] = relationship(lazy="joined")

    @property
    def discloses(self) -> bool:
        return self.role in ("discloser", "both")

    @property
    def receives(self) -> bool:
        return self.role in ("recipient", "both")

    @property
    def is_signed(self) -> bool:
        return bool(self.signatory_name and self.signatory_position and self.signed_on)

    @property
    def role_label(self) -> str:
        return choices.PARTY_ROLES.get(self.role, self.role)

    @property
    def controller_status_label(self) -> str:
        return choices.CONTROLLER_STATUSES.get(self.controller_status, self.controller_status)


class AgreementPurpose(db.Model):
    """One purpose of the sharing and the lawful bases it rests on."""

    __tablename__ = "agreement_purposes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = text_column()
    art6_basis: Mapped[str] = mapped_column(String(40), default="")
    outside_public_tasks_reason: Mapped[str] = text_column()
    art9_condition: Mapped[str] = mapped_column(String(40), default="")
    art9_schedule_1_paragraph: Mapped[str] = mapped_column(String(4), default="")
    art10_basis: Mapped[str] = mapped_column(String(30), default="")
    art10_law: Mapped[str] = mapped_column(String(300), default="")
    art10_schedule_1_paragraph: Mapped[str] = mapped_column(String(4), default="")
    le_basis: Mapped[str] = mapped_column(String(20), default="")
    schedule_8_condition: Mapped[str] = mapped_column(String(4), default="")

    agreement: Mapped[Agreement] = relationship(back_populates="purposes")

    def basis_rows(self) -> list[tuple[str, str]]:
        """Return the bases recorded for this purpose as (heading, label) pairs."""
        rows = []
        if self.art6_basis:
            rows.append(("Article 6", bases.ART6_BASES.get(self.art6_basis, self.art6_basis)))
        if self.outside_public_tasks_reason:
            rows.append(("Outside our public tasks because", self.outside_public_tasks_reason))
        if self.art9_condition:
            rows.append(("Article 9", bases.ART9_CONDITIONS.get(self.art9_condition, "")))
        if self.art9_schedule_1_paragraph:
            rows.append(("Schedule 1", bases.SCHEDULE_1.get(self.art9_schedule_1_paragraph, "")))
        if self.art10_basis == "official_authority":
            rows.append(("Article 10", f"Official authority: {self.art10_law}"))
        elif self.art10_basis == "schedule_1":
            paragraph = bases.SCHEDULE_1.get(self.art10_schedule_1_paragraph, "")
            rows.append(("Article 10", paragraph))
        if self.le_basis:
            rows.append(("DPA 2018 s.35(2)", bases.LE_BASES.get(self.le_basis, self.le_basis)))
        if self.schedule_8_condition:
            condition = bases.SCHEDULE_8_CONDITIONS.get(self.schedule_8_condition, "")
            rows.append(("Schedule 8", condition))
        return rows


class AgreementVersion(db.Model):
    """One entry of an agreement's version history."""

    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    changed_on: Mapped[date]
    change: Mapped[str] = text_column()
    authorised_by: Mapped[str] = mapped_column(String(200))

    agreement: Mapped[Agreement] = relationship(back_populates="versions")


class OneOffDecision(db.Model):
    """A decision on one request made under a one-off sharing agreement."""

    __tablename__ = "agreement_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    requested_on: Mapped[date]
    requester: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[str] = text_column()
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date]

    agreement: Mapped[Agreement] = relationship(back_populates="decision_log")

    @property
    def outcome_label(self) -> str:
        return choices.ONE_OFF_DECISIONS.get(self.outcome, self.outcome)

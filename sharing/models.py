"""Data-sharing agreements and the parties to them."""

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.locking import VersionedMixin
from core.projects.models import Decision, Party, Project
from core.reviewable import ReviewableMixin
from core.types import TimestampMixin
from dpia.models import Dpia

AGREEMENT_STATUSES = {
    "draft": "Draft",
    "active": "Active",
    "suspended": "Suspended",
    "expired": "Expired",
    "terminated": "Terminated",
}

SCOPES = {
    "internal": "Internal (between teams of the same body)",
    "external": "External (with other organisations)",
}

PARTY_ROLES = {
    "discloser": "Discloses data",
    "recipient": "Receives data",
    "both": "Discloses and receives",
}


class Agreement(ReviewableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    dpia_id: Mapped[int | None] = mapped_column(
        ForeignKey("dpias.id", ondelete="RESTRICT"), index=True
    )
    scope: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship()
    decision: Mapped[Decision] = relationship()
    dpia: Mapped[Dpia | None] = relationship()
    parties: Mapped[list["AgreementParty"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.id"
    )

    @property
    def status_label(self) -> str:
        return AGREEMENT_STATUSES.get(self.status, self.status)

    @property
    def scope_label(self) -> str:
        return SCOPES.get(self.scope, self.scope)

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class AgreementParty(db.Model):
    """A party's part in one agreement."""

    __tablename__ = "agreement_parties"
    __table_args__ = (UniqueConstraint("agreement_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    party: Mapped[Party] = relationship()

    @property
    def role_label(self) -> str:
        return PARTY_ROLES.get(self.role, self.role)

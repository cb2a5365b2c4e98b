"""Decisions, projects and parties."""

import re
from datetime import date

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.archive import ArchivableMixin
from core.auth.models import User
from core.extensions import db
from core.locking import VersionedMixin
from core.types import TimestampMixin

PROJECT_STATUSES = {
    "proposed": "Proposed",
    "active": "Active",
    "closed": "Closed",
}

PARTY_KINDS = {
    "internal": "Internal team",
    "external": "External organisation",
}

project_decisions = Table(
    "project_decisions",
    db.metadata,
    Column(
        "project_id",
        ForeignKey("projects.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
    Column(
        "decision_id",
        ForeignKey("decisions.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


def reference_key(reference: str) -> str:
    """Return the form of a reference code used to compare references.

    "pcd  974" and "PCD 974" are the same decision.
    """
    return re.sub(r"\s+", " ", reference.strip()).upper()


class Decision(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40))
    reference_key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    decision_maker: Mapped[str] = mapped_column(String(200))
    issuing_body: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")

    projects: Mapped[list["Project"]] = relationship(
        secondary=project_decisions, back_populates="decisions"
    )

    def set_reference(self, reference: str) -> None:
        self.reference = re.sub(r"\s+", " ", reference.strip())
        self.reference_key = reference_key(reference)

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Project(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owning_unit: Mapped[str] = mapped_column(String(200))
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")

    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    decisions: Mapped[list[Decision]] = relationship(
        secondary=project_decisions,
        back_populates="projects",
        order_by=Decision.reference_key,
    )

    @property
    def status_label(self) -> str:
        return PROJECT_STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        return self.name


class Party(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "parties"
    # The parties page lists by kind, then name.
    __table_args__ = (Index("ix_parties_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def kind_label(self) -> str:
        return PARTY_KINDS.get(self.kind, self.kind)

    @property
    def is_external(self) -> bool:
        return self.kind == "external"

    def __str__(self) -> str:
        return self.name

"""Privacy-by-design assessments and their checklist items."""

from datetime import date

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.locking import VersionedMixin
from core.projects.models import Decision, Project
from core.reviewable import ReviewableMixin
from core.types import TimestampMixin
from dpia.pbd_checklist import (
    ACTION_STATUSES,
    ITEM_STATUSES,
    ITEMS_BY_CODE,
    OPEN_ACTION_STATUSES,
    STAGES,
    STATUSES_NEEDING_ACTION,
    TECHNIQUES,
    ChecklistItem,
    checklist_for,
)

PBD_STATUSES = {
    "draft": "Draft",
    "approved": "Approved",
}


class PbdAssessment(ReviewableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A privacy-by-design assessment of a project's system at one lifecycle stage."""

    __tablename__ = "pbd_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), index=True
    )
    dpia_id: Mapped[int | None] = mapped_column(
        ForeignKey("dpias.id", ondelete="RESTRICT"), index=True
    )
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("pbd_assessments.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    system_or_component: Mapped[str] = mapped_column(String(200), server_default="")
    stage: Mapped[str] = mapped_column(String(20), server_default="design", index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    assessed_on: Mapped[date]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    approved_on: Mapped[date | None]
    # Processing for a law-enforcement purpose under Part 3 of the Data
    # Protection Act 2018, which adds three checklist items.
    is_law_enforcement: Mapped[bool] = mapped_column(Boolean, server_default=false())
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    other_techniques: Mapped[str] = mapped_column(Text, server_default="")
    is_retention_automated: Mapped[bool] = mapped_column(Boolean, server_default=false())
    retention_notes: Mapped[str] = mapped_column(Text, server_default="")

    project: Mapped[Project] = relationship()
    decision: Mapped[Decision] = relationship()
    dpia = relationship("Dpia")
    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    previous: Mapped["PbdAssessment | None"] = relationship(remote_side=[id])
    items: Mapped[list["PbdItem"]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="PbdItem.position",
    )

    @property
    def status_label(self) -> str:
        return PBD_STATUSES.get(self.status, self.status)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def technique_labels(self) -> list[str]:
        return [TECHNIQUES.get(code, code) for code in self.techniques or []]

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    @property
    def applicable_items(self) -> list["PbdItem"]:
        """The items the assessment answers, in checklist order.

        Law-enforcement items stay stored when the assessment stops being
        law-enforcement processing, so switching back loses no answers, but
        they no longer count.
        """
        codes = {entry.code for entry in checklist_for(self.is_law_enforcement)}
        return [item for item in self.items if item.code in codes]

    @property
    def open_actions(self) -> list["PbdItem"]:
        return [item for item in self.applicable_items if item.has_open_action]

    def item(self, code: str) -> "PbdItem | None":
        return next((item for item in self.items if item.code == code), None)

    def __str__(self) -> str:
        return self.title


class PbdItem(TimestampMixin, db.Model):
    """One checklist item of an assessment: its answer, evidence and action."""

    __tablename__ = "pbd_items"
    __table_args__ = (
        UniqueConstraint("assessment_id", "code"),
        # Serves the actions page: its filter, its count and its due-date order.
        # With the owner, the Reviews page counts open actions from it alone.
        Index(
            "ix_pbd_items_open_action_due",
            "is_open_action",
            "action_due_on",
            "id",
            "action_owner_id",
        ),
        # Serves the actions page with done actions. Its last column lets the
        # page tell done actions from overdue open ones, which it lists
        # first, without reading the table.
        Index(
            "ix_pbd_items_current_action_due",
            "is_current_action",
            "action_due_on",
            "id",
            "is_open_action",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("pbd_assessments.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    # Empty until the item is answered.
    status: Mapped[str] = mapped_column(String(20), default="")
    not_applicable_reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str] = mapped_column(String(500), default="")
    action: Mapped[str] = mapped_column(Text, default="")
    action_owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    action_due_on: Mapped[date | None] = mapped_column(index=True)
    action_status: Mapped[str] = mapped_column(String(20), default="")
    # True for an action, done or not, on a counted item of a current
    # assessment, and is_open_action for such an action still to do.
    # dpia.pbd_open_actions recomputes both after each ORM flush that changes
    # an item or an assessment. Inserts that bypass the ORM must set them
    # themselves or call refresh_open_actions.
    is_current_action: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_open_action: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    assessment: Mapped[PbdAssessment] = relationship(back_populates="items")
    action_owner: Mapped[User | None] = relationship()

    @property
    def checklist_item(self) -> ChecklistItem:
        return ITEMS_BY_CODE[self.code]

    @property
    def title(self) -> str:
        return self.checklist_item.title

    @property
    def status_label(self) -> str:
        return ITEM_STATUSES.get(self.status, "Not answered")

    @property
    def action_status_label(self) -> str:
        return ACTION_STATUSES.get(self.action_status, "")

    @property
    def needs_action(self) -> bool:
        return self.status in STATUSES_NEEDING_ACTION

    @property
    def has_action(self) -> bool:
        has_owner = self.action_owner_id is not None or self.action_owner is not None
        return bool(self.action) and has_owner and self.action_due_on is not None

    @property
    def has_open_action(self) -> bool:
        return bool(self.action) and self.action_status in OPEN_ACTION_STATUSES

    def copy(self) -> "PbdItem":
        """Return an unsaved item with the same answer, for a later stage's assessment."""
        return PbdItem(
            code=self.code,
            position=self.position,
            status=self.status,
            not_applicable_reason=self.not_applicable_reason,
            evidence=self.evidence,
            evidence_link=self.evidence_link,
            action=self.action,
            action_owner_id=self.action_owner_id,
            action_due_on=self.action_due_on,
            action_status=self.action_status,
        )

"""Notes kept from DPIA imports: the parts of another tool's file with no DPIA field yet."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.extensions import db
from core.timeutil import utc_now
from core.types import UTCDateTime
from dpia.models import Dpia


class DpiaImportNote(db.Model):
    """The notes and mapping report kept from a DPIA imported from another tool."""

    __tablename__ = "dpia_import_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dpia_id: Mapped[int] = mapped_column(ForeignKey("dpias.id", ondelete="RESTRICT"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    report: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    dpia: Mapped[Dpia] = relationship()
    created_by: Mapped[User] = relationship()


def notes_for(dpia_id: int) -> DpiaImportNote | None:
    return db.session.scalar(
        select(DpiaImportNote)
        .where(DpiaImportNote.dpia_id == dpia_id)
        .order_by(DpiaImportNote.id.desc())
        .limit(1)
    )

"""Files attached to records: signed documents and evidence."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.timeutil import utc_now
from core.types import UTCDateTime


class Attachment(db.Model):
    """A file stored beside a record of any type, named by `owner_kind` and `owner_id`.

    The file itself lives in the attachment folder under `storage_name`;
    `sha256` is the checksum taken at upload and checked on every download.
    Removing an attachment deletes the file but keeps this row, with who
    removed it and why.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="", server_default=text("''"))
    is_signed_copy: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    uploaded_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    removal_reason: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))

    # Joined, so a list of attachments shows who uploaded each without a query per file.
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id], lazy="joined")
    removed_by = relationship("User", foreign_keys=[removed_by_id])

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def __str__(self) -> str:
        return self.filename

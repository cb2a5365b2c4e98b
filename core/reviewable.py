"""The review mixin: a record with an owner and a next review date.

Any record type that must be reviewed on time takes this mixin, so that the
dashboard and the reminder job can treat every type alike without this
package knowing the types.
"""

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


class ReviewableMixin:
    # Shown in digests and on the dashboard, e.g. "DPIA".
    record_kind: str = "record"

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def owner(cls):
        return relationship("User", foreign_keys=[cls.owner_id])

    @declared_attr
    def next_review_on(cls) -> Mapped[date | None]:
        return mapped_column(index=True)

"""The review mixin: a record with an owner and a next review date.

Any record type that must be reviewed on time takes this mixin, so that the
dashboard and the reminder job can treat every type alike without this
package knowing the types.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ForeignKey, Select, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


class ReviewableMixin:
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def owner(cls):
        return relationship("User", foreign_keys=[cls.owner_id])

    @declared_attr
    def next_review_on(cls) -> Mapped[date | None]:
        return mapped_column(index=True)


@dataclass(frozen=True)
class ReviewSource:
    """One kind of dated item that owners must act on: a review or an action.

    `rows()` returns a select of the items with these labelled columns:
    record_id, page_id (the id `endpoint` takes as `id_arg`), title,
    project_id, owner_id and due_on. The dashboard, the reviews page and the
    reminder job combine every registered source, so a package adds its
    records without this package knowing them.
    """

    kind: str
    label: str
    endpoint: str
    id_arg: str
    rows: Callable[[], Select]


REVIEW_SOURCES = "register.review_sources"


def add_review_source(app, source: ReviewSource) -> None:
    app.extensions.setdefault(REVIEW_SOURCES, {})[source.kind] = source


def review_sources(app) -> dict[str, ReviewSource]:
    return app.extensions.get(REVIEW_SOURCES, {})


def standard_rows(model, title=None) -> Select:
    """Return the rows of a record type that carries ReviewableMixin and a project."""
    return select(
        model.id.label("record_id"),
        model.id.label("page_id"),
        (title if title is not None else model.title).label("title"),
        model.project_id.label("project_id"),
        model.owner_id.label("owner_id"),
        model.next_review_on.label("due_on"),
    ).where(model.next_review_on.is_not(None))

"""The review mixin: a record with an owner and a next review date.

Any record type that must be reviewed on time takes this mixin, so that the
dashboard and the reminder job can treat every type alike without this
package knowing the types.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, Select, inspect, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.orm.exc import UnmappedColumnError

# Values a source's `risk_level` may return; they pick the review interval.
RISK_LEVELS = ("high", "medium", "low")


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
    project_id, owner_id and due_on. The dashboard, the reviews page, the
    reminder job and the calendar feed combine every registered source, so
    a package adds its records without this package knowing them.

    The optional fields tell the register how to record reviews:

    - `model`: the record class. When omitted it is read from the class
      behind `rows()`'s record_id column.
    - `risk_level(record)`: "high", "medium", "low" or None; it picks the
      default interval to the next review.
    - `review_policy`: "risk" (interval by risk level) or "agreement"
      (capped at REGISTER_AGREEMENT_MAX_REVIEW_MONTHS, and a routine
      agreement's first review after REGISTER_AGREEMENT_FIRST_REVIEW_MONTHS).
    - `is_routine(record)`: whether an agreement shares data routinely.
    - `end_record(record, outcome)`: called when a review suspends or
      terminates the record, so the package can change its status.
    - `is_action`: the item is an action with a due date, not a record
      that is reviewed. When None it is an action unless rows()'s due_on
      column is the record's next_review_on.
    - `in_projects(project_ids)`: a condition on rows()'s own table that
      keeps the items of those projects, for a source whose project_id is
      a subquery. `project_ids` is a list or a select of ids. Without it,
      lists filter on the project_id column.
    """

    kind: str
    label: str
    endpoint: str
    id_arg: str
    rows: Callable[[], Select]
    model: type | None = None
    risk_level: Callable[[Any], str | None] | None = None
    review_policy: str = "risk"
    is_routine: Callable[[Any], bool] | None = None
    end_record: Callable[[Any, str], None] | None = None
    is_action: bool | None = None
    in_projects: Callable[[Any], Any] | None = None

    def _column(self, name: str):
        for description in self.rows().column_descriptions:
            if description["name"] == name:
                return description
        raise LookupError(f"review source {self.kind!r} has no {name} column")

    def record_model(self) -> type:
        """Return the record class, given or read from the rows' record_id column."""
        if self.model is not None:
            return self.model
        entity = self._column("record_id")["entity"]
        if entity is None:
            raise LookupError(f"review source {self.kind!r} names no model")
        return entity

    def due_attribute(self) -> str | None:
        """Return the name of the record attribute that rows() reads as due_on."""
        column = getattr(self._column("due_on")["expr"], "element", None)
        if column is None:
            return None
        try:
            prop = inspect(self.record_model()).get_property_by_column(column)
        except UnmappedColumnError:
            return None
        return prop.key

    def is_review(self) -> bool:
        """Return whether items of this source are records that take reviews."""
        if self.is_action is not None:
            return not self.is_action
        return self.due_attribute() == "next_review_on"


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

"""Every dated item from every registered review source, in one list."""

import operator
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce

from flask import current_app, url_for
from sqlalchemy import Select, func, literal, or_, select, union_all

from core.auth.models import User
from core.extensions import db
from core.policy import sees_every_project
from core.projects.filters import contains_text, matching_project_ids
from core.projects.models import Project
from core.reviewable import ReviewSource, review_sources
from register.sources import MAX_ID


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    record_id: int
    page_id: int
    title: str
    project_id: int
    project_name: str
    owner_id: int | None
    owner_name: str
    next_review_on: date

    @property
    def source(self) -> ReviewSource:
        return review_sources(current_app)[self.kind]

    @property
    def kind_label(self) -> str:
        return self.source.label

    @property
    def due_on(self) -> date:
        return self.next_review_on

    @property
    def key(self) -> "ItemKey":
        return ItemKey(self.next_review_on, self.kind, self.record_id)

    def url(self) -> str:
        return url_for(self.source.endpoint, **{self.source.id_arg: self.page_id})


# The order of the list: soonest first, then by kind, then by record.
ORDER = ("next_review_on", "kind_rank", "record_id")


@dataclass(frozen=True)
class ItemKey:
    """An item's place in the list's order: due date, kind and record id.

    Links to the next or previous page carry the key of the item they
    continue from, written as `2027-03-01.dpia.42`, so a page is found
    through each source's due-date index however deep it lies.
    """

    due_on: date
    kind: str
    record_id: int

    def __str__(self) -> str:
        return f"{self.due_on.isoformat()}.{self.kind}.{self.record_id}"

    @classmethod
    def parse(cls, raw: str, kinds) -> "ItemKey | None":
        """Return the key written in `raw`, or None when it is not one of a known kind.

        A record id above MAX_ID is no key, because PostgreSQL rejects it as an integer.
        """
        fields = raw.split(".")
        if len(fields) != 3:
            return None
        day, kind, number = fields
        if kind not in kinds:
            return None
        # A longer id is past MAX_ID, so the length check spares int() a huge number.
        if not (number.isascii() and number.isdigit() and len(number) <= len(str(MAX_ID))):
            return None
        if int(number) > MAX_ID:
            return None
        if not (day.isascii() and len(day) == 10):
            return None
        try:
            due_on = date.fromisoformat(day)
        except ValueError:
            return None
        return cls(due_on, kind, int(number))


@dataclass(frozen=True)
class ItemFilter:
    """Filter for the item list, where a field left as None keeps all items."""

    until: date | None = None
    owner_id: int | None = None
    project_id: int | None = None
    # Text that the project's name contains, ignoring case.
    project_name: str | None = None
    # Text that the owner's name contains, ignoring case.
    owner_name: str | None = None
    kind: str | None = None
    kinds: tuple[str, ...] | None = None


def _source_parts(user: User | None, where: ItemFilter) -> list[tuple[str, Select]]:
    """Return one filtered select of dated items per registered source, without names.

    Each part filters on its own columns only: the project conditions are
    subqueries on project ids, applied to the source's own table when it
    gives `in_projects`. So counting and paging read each source along its
    indexes, and the project and owner names are joined to the one page of
    items that is shown. Each part comes with its kind.
    """
    parts = []
    for kind, source in review_sources(current_app).items():
        if where.kind is not None and kind != where.kind:
            continue
        if where.kinds is not None and kind not in where.kinds:
            continue
        project_sets = []
        if where.project_id is not None:
            project_sets.append([where.project_id])
        if where.project_name:
            project_sets.append(matching_project_ids(where.project_name))
        if user is not None and not sees_every_project(user):
            project_sets.append(select(Project.id).where(Project.lead_id == user.id))
        selected = source.rows()
        if source.in_projects is not None:
            # The source's own condition reads its table's indexes, where a
            # condition on its project_id subquery would run it for every row.
            for project_ids in project_sets:
                selected = selected.where(source.in_projects(project_ids))
        rows = selected.subquery()
        part = select(
            literal(kind).label("kind"),
            rows.c.record_id,
            rows.c.page_id,
            rows.c.title,
            rows.c.project_id,
            rows.c.owner_id,
            rows.c.due_on.label("next_review_on"),
        ).where(rows.c.due_on.is_not(None))
        if where.until is not None:
            part = part.where(rows.c.due_on <= where.until)
        if where.owner_id is not None:
            part = part.where(rows.c.owner_id == where.owner_id)
        if where.owner_name:
            named = select(User.id).where(contains_text(User.name, where.owner_name))
            part = part.where(rows.c.owner_id.in_(named))
        if source.in_projects is None:
            for project_ids in project_sets:
                part = part.where(rows.c.project_id.in_(project_ids))
        parts.append((kind, part))
    return parts


def _kind_ranks() -> dict[str, int]:
    """Return each source's place in the order of items due on the same day.

    The kinds sort by name, as Python compares them. The database orders by
    this number instead of the name, so no collation can reorder them.
    """
    return {kind: rank for rank, kind in enumerate(sorted(review_sources(current_app)))}


def _ranked(parts: list[tuple[str, Select]]) -> list[tuple[str, Select]]:
    ranks = _kind_ranks()
    return [
        (kind, part.add_columns(literal(ranks[kind]).label("kind_rank"))) for kind, part in parts
    ]


def _sum_of_counts(parts: list[tuple[str, Select]]):
    """Return an expression adding up the rows of every part, one count per source."""
    counts = [
        select(func.count()).select_from(part.subquery()).scalar_subquery() for _kind, part in parts
    ]
    return reduce(operator.add, counts)


def _count(parts: list[tuple[str, Select]]) -> int:
    """Count the items with one query: a count per source, added together."""
    return db.session.scalar(select(_sum_of_counts(parts)))


def _beside(kind: str, part: Select, key: ItemKey, later: bool, inclusive: bool = False) -> Select:
    """Return `part` limited to the items after `key`, or before it when `later` is False.

    With `inclusive` the item at `key` itself is kept. Each condition bounds
    the due date first, so the database reads the source's due-date index
    from the key onwards instead of every item.
    """
    due = part.selected_columns.next_review_on
    record_id = part.selected_columns.record_id
    ranks = _kind_ranks()
    if kind == key.kind:
        if later:
            past = record_id >= key.record_id if inclusive else record_id > key.record_id
            return part.where(due >= key.due_on, or_(due > key.due_on, past))
        past = record_id <= key.record_id if inclusive else record_id < key.record_id
        return part.where(due <= key.due_on, or_(due < key.due_on, past))
    # On the key's own day a kind that sorts after the key's kind comes later.
    same_day_later = ranks[kind] > ranks.get(key.kind, -1)
    if later:
        return part.where(due >= key.due_on if same_day_later else due > key.due_on)
    return part.where(due < key.due_on if same_day_later else due <= key.due_on)


def _fetch(
    parts: list[tuple[str, Select]],
    limit: int | None,
    offset: int = 0,
    descending: bool = False,
) -> list[ReviewItem]:
    """Return the items of `parts` in the list's order, or its reverse, with names.

    With a `limit`, each source gives only its first `offset + limit` rows,
    so the database reads each source along its due-date index and stops
    instead of sorting every dated record.
    """
    parts = _ranked(parts)

    def direction(column):
        return column.desc() if descending else column.asc()

    selects = [part for _kind, part in parts]
    if limit is not None:
        selects = [
            select(
                part.order_by(
                    direction(part.selected_columns.next_review_on),
                    direction(part.selected_columns.record_id),
                )
                .limit(offset + limit)
                .subquery()
            )
            for part in selects
        ]
    rows = union_all(*selects).subquery()
    page = select(rows).order_by(*(direction(rows.c[name]) for name in ORDER)).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    page = page.subquery()
    query = (
        select(
            page.c.kind,
            page.c.record_id,
            page.c.page_id,
            page.c.title,
            page.c.project_id,
            Project.name.label("project_name"),
            page.c.owner_id,
            func.coalesce(User.name, "No owner").label("owner_name"),
            page.c.next_review_on,
        )
        .join(Project, Project.id == page.c.project_id)
        .outerjoin(User, User.id == page.c.owner_id)
        .order_by(*(direction(page.c[name]) for name in ORDER))
    )
    items = [ReviewItem(**row._mapping) for row in db.session.execute(query)]
    if descending:
        items.reverse()
    return items


def review_items(
    user: User | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int | None = None,
    where: ItemFilter | None = None,
    count: bool = True,
) -> tuple[list[ReviewItem], int | None]:
    """Return dated items, soonest first, and how many there are in all.

    With `count` False the total is None and not counted, which spares a
    read of every dated item.

    `user` limits the list to what that user may see, `until` to items due
    on or before that date, and `where` narrows it further. With a `limit`,
    each source gives only its soonest `offset + limit` rows. A deep offset
    still reads that many rows of every source and sorts them together:
    pages that go deep use `review_page`, which continues from an item.
    """
    where = where or ItemFilter()
    if until is not None:
        where = replace(where, until=until)
    parts = _source_parts(user, where)
    if not parts:
        return [], 0 if count else None
    total = _count(parts) if count else None
    return _fetch(parts, limit, offset), total


@dataclass(frozen=True)
class ReviewPage:
    """One page of the item list: its items, the total, and how many items come before it."""

    items: list[ReviewItem]
    total: int
    start: int

    @property
    def has_previous(self) -> bool:
        return self.start > 0

    @property
    def has_next(self) -> bool:
        return self.start + len(self.items) < self.total

    @property
    def first_shown(self) -> int:
        return self.start + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return self.start + len(self.items)

    @property
    def previous_key(self) -> str:
        return str(self.items[0].key) if self.items else ""

    @property
    def next_key(self) -> str:
        return str(self.items[-1].key) if self.items else ""


def _counts_around(
    parts: list[tuple[str, Select]], key: ItemKey, inclusive: bool
) -> tuple[int, int]:
    """Return the total and the number of items before `key` (or up to it), with one query.

    Counting the items before the key bounds each source's due date, so the
    database reads its due-date index only as far as the key.
    """
    ahead = [(kind, _beside(kind, part, key, False, inclusive)) for kind, part in parts]
    total, before = db.session.execute(select(_sum_of_counts(parts), _sum_of_counts(ahead))).one()
    return total, before


def _last_page(parts: list[tuple[str, Select]], per_page: int) -> ReviewPage:
    """Return the last `per_page` items, so the last page is as full as any other."""
    items = _fetch(parts, per_page, descending=True)
    total = _count(parts)
    return ReviewPage(items, total, total - len(items))


def review_page(
    user: User | None,
    where: ItemFilter,
    per_page: int,
    after: ItemKey | None = None,
    before: ItemKey | None = None,
    last: bool = False,
) -> ReviewPage:
    """Return one page of the items `user` may see, found by the item it continues from.

    With `after`, the page contains the items that follow that item; with
    `before`, the items that precede it; with `last`, the final items.
    Otherwise it is the first page. Going back from the last page can end on
    a first page shorter than `per_page`, so no item shows on two pages. A
    page is found through each source's due-date index however deep it is,
    where an offset would read and sort every item before it.
    """
    parts = _source_parts(user, where)
    if not parts:
        return ReviewPage([], 0, 0)
    if after is not None:
        following = [(kind, _beside(kind, part, after, later=True)) for kind, part in parts]
        items = _fetch(following, per_page)
        if not items:
            return _last_page(parts, per_page)
        total, ahead = _counts_around(parts, after, inclusive=True)
        return ReviewPage(items, total, ahead)
    if before is not None:
        preceding = [(kind, _beside(kind, part, before, later=False)) for kind, part in parts]
        items = _fetch(preceding, per_page, descending=True)
        if items:
            total, ahead = _counts_around(parts, before, inclusive=False)
            return ReviewPage(items, total, ahead - len(items))
    elif last:
        return _last_page(parts, per_page)
    items = _fetch(parts, per_page)
    return ReviewPage(items, _count(parts), 0)

"""The parts of a register list declaration: columns, filters and the list itself.

A list is declared once and used by the CSV and XLSX downloads and by the
read API, so all three show the same records to the same user. A new record
type or a new column is one more declaration, not new export code.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select

from core.policy import READERS
from core.projects.filters import MAX_NAME_LENGTH, matching_project_ids


@dataclass(frozen=True)
class Column:
    """One exported column: a header in plain words and how to read the value."""

    header: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Filter:
    """A query argument that narrows a list, such as `?status=draft`.

    `apply(query, value)` returns the narrowed query, or None when the value
    is not valid for this filter (the caller then reports it).
    """

    arg: str
    description: str
    apply: Callable[[Select, str], Select | None]
    # The argument's JSON schema for the API description, or a function
    # returning it for values known only once the app is set up.
    schema: dict | Callable[[], dict] = field(default_factory=lambda: {"type": "string"})
    # The value applied when the argument is missing, or "" to apply none.
    default: str = ""

    def json_schema(self) -> dict:
        schema = self.schema() if callable(self.schema) else dict(self.schema)
        if self.default:
            schema["default"] = self.default
        return schema


@dataclass(frozen=True)
class RegisterList:
    """A register list as the pages, the downloads and the API see it."""

    name: str
    title: str
    model: type
    # The query loads related records with joinedload, or with subqueryload
    # for collections, so a download runs the same number of queries for any
    # number of rows. selectinload would send one query per 500 rows.
    query: Callable[[], Select]
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = field(default=())
    # Roles that may download the list and read it through the API.
    roles: tuple[str, ...] = READERS

    def allows(self, user) -> bool:
        return user.role in self.roles

    def select(self, args: Mapping[str, str]) -> tuple[Select, dict[str, str]]:
        """Return the user's query narrowed by `args`, and a message per invalid filter."""
        query = self.query()
        problems = {}
        for item in self.filters:
            raw = args.get(item.arg, "") or item.default
            if not raw:
                continue
            narrowed = item.apply(query, raw)
            if narrowed is None:
                problems[item.arg] = f"{raw!r} is not a valid value for {item.arg}"
            else:
                query = narrowed
        return query, problems

    def row(self, record) -> list:
        return [column.value(record) for column in self.columns]


# Largest id a filter accepts: ids are 32-bit integers on PostgreSQL, which
# rejects a larger number in a comparison with an error.
MAX_FILTER_ID = 2**31 - 1


def choice_filter(arg: str, description: str, column, choices: Mapping[str, str]) -> Filter:
    """Return a filter matching `column` to one of `choices`' stored values."""

    def apply(query: Select, raw: str) -> Select | None:
        if raw not in choices:
            return None
        return query.where(column == raw)

    return Filter(arg, description, apply, {"type": "string", "enum": list(choices)})


ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_FILTER_ID}


def parse_id(raw: str) -> int | None:
    """Return the record id written in `raw`, or None when it is not one."""
    if not (raw.isdigit() and raw.isascii()) or int(raw) > MAX_FILTER_ID:
        return None
    return int(raw)


def id_filter(arg: str, description: str, column) -> Filter:
    def apply(query: Select, raw: str) -> Select | None:
        record_id = parse_id(raw)
        if record_id is None:
            return None
        return query.where(column == record_id)

    return Filter(arg, description, apply, ID_SCHEMA)


def date_filter(arg: str, description: str, condition: Callable[[date], object]) -> Filter:
    """Return a filter whose ISO date (YYYY-MM-DD) value feeds `condition`."""

    def apply(query: Select, raw: str) -> Select | None:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return None
        return query.where(condition(day))

    return Filter(arg, description, apply, {"type": "string", "format": "date"})


def condition_filter(
    arg: str, description: str, conditions: Mapping[str, Callable[[], object]]
) -> Filter:
    """Return a filter whose value names one of `conditions`, each a function returning SQL.

    The conditions are built when the filter applies, so ones that depend on
    today's date or the app's settings see the request's values.
    """

    def apply(query: Select, raw: str) -> Select | None:
        if raw not in conditions:
            return None
        return query.where(conditions[raw]())

    return Filter(arg, description, apply, {"type": "string", "enum": list(conditions)})


def sort_filter(description: str, orders: Mapping[str, tuple]) -> Filter:
    """Return a `sort` argument that replaces the list's order with one of `orders`."""

    def apply(query: Select, raw: str) -> Select | None:
        if raw not in orders:
            return None
        return query.order_by(None).order_by(*orders[raw])

    return Filter("sort", description, apply, {"type": "string", "enum": list(orders)})


def text_filter(arg: str, description: str, column, max_length: int) -> Filter:
    """Return a filter for records whose `column` contains the text, ignoring case."""

    def apply(query: Select, raw: str) -> Select | None:
        if len(raw) > max_length:
            return None
        # PostgreSQL rejects a NUL character in a text parameter.
        return query.where(column.icontains(raw.replace("\x00", ""), autoescape=True))

    return Filter(arg, description, apply, {"type": "string", "maxLength": max_length})


def review_due_by_filter(column) -> Filter:
    """Return a filter for records whose review falls on or before an ISO date."""

    def apply(query: Select, raw: str) -> Select | None:
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            return None
        return query.where(column.is_not(None), column <= until)

    return Filter(
        "review_due_by",
        "Only records whose next review is on or before this date (YYYY-MM-DD)",
        apply,
        {"type": "string", "format": "date"},
    )


def name_of(user) -> str | None:
    return user.name if user is not None else None


def project_name_filter(column) -> Filter:
    """Return the list pages' filter on part of a project's name, ignoring case."""

    def apply(query: Select, raw: str) -> Select | None:
        text = raw.strip()
        if len(text) > MAX_NAME_LENGTH:
            return None
        return query.where(column.in_(matching_project_ids(text)))

    return Filter(
        "project_name",
        "Only records of projects whose name contains this text, ignoring case",
        apply,
        {"type": "string", "maxLength": MAX_NAME_LENGTH},
    )


def project_filters(model, statuses: Mapping[str, str]) -> tuple[Filter, ...]:
    """Return the filters every project record list shares: status, project, decision, review."""
    return (
        choice_filter("status", "Only records with this status", model.status, statuses),
        id_filter("project", "Only records of the project with this id", model.project_id),
        project_name_filter(model.project_id),
        id_filter("decision", "Only records under the decision with this id", model.decision_id),
        review_due_by_filter(model.next_review_on),
    )

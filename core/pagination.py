"""Pagination of list pages."""

from math import ceil

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, literal, select, union_all

from core.extensions import db


def requested_page(arg: str = "page") -> int:
    """Return the page number in the query argument `arg`, or 1 unless it has one to six digits.

    Only ASCII digits count, because int() rejects some other characters
    that str.isdigit() accepts, such as superscript two.
    """
    raw = request.args.get(arg, "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1


class KeyFirstPagination(SelectPagination):
    """A page found by the query's key column alone, then loaded in full by key.

    When an index serves the query's order, the database steps over the rows
    before a deep page in that index, reading no table rows and running no
    joins. The query's joins and eager loads run for the page's rows only.
    """

    # NOTE: _query_items and _query_offset are private to Flask-SQLAlchemy
    # (3.1.1 here), whose own SelectPagination overrides the same hook.
    def _query_items(self) -> list:
        query = self._query_args["select"]
        key = self._query_args["key"]
        keys = (
            query.with_only_columns(key).limit(self.per_page).offset(self._query_offset).subquery()
        )
        (page_key,) = keys.c
        rows = query.join(keys, key == page_key)
        return list(self._query_args["session"].execute(rows).unique().scalars())


def paginate(query, arg: str = "page", total: int | None = None, key=None):
    """Return one page of `query`, from the query argument named `arg`.

    A page number that is not a number or is past the end gives the first
    or last page instead of an error. A caller that has counted the rows
    already passes `total`, and the page runs no count of its own. With
    `key`, a unique column of the queried model, the page is found by that
    column before its rows are loaded (KeyFirstPagination), for a query
    whose joined eager loads would otherwise run for every row skipped.
    """
    page = requested_page(arg)
    per_page = current_app.config["REGISTER_PAGE_SIZE"]

    def fetch(number: int):
        if key is None:
            result = db.paginate(
                query, page=number, per_page=per_page, error_out=False, count=total is None
            )
        else:
            result = KeyFirstPagination(
                select=query,
                key=key,
                session=db.session(),
                page=number,
                per_page=per_page,
                max_per_page=None,
                error_out=False,
                count=total is None,
            )
        if total is not None:
            result.total = total
        return result

    result = fetch(max(page, 1))
    if result.total and page > result.pages:
        result = fetch(result.pages)
    return result


class PartsPagination(Pagination):
    """A page of a model's rows that several selects of ids list one after another.

    Build it with paginate_parts.
    """

    def _query_items(self) -> list:
        model = self._query_args["model"]
        order = self._query_args["order"]
        parts = self._query_args["parts"]
        counts = self._query_args["counts"]
        start = (self.page - 1) * self.per_page
        end = start + self.per_page
        windows = []
        first = 0
        for number, (part, count) in enumerate(zip(parts, counts, strict=True)):
            # The page's rows within this part run from `offset` to `stop`.
            offset = max(start - first, 0)
            stop = min(end - first, count)
            if stop > offset:
                rows = part.order_by(*order).limit(stop - offset).offset(offset).subquery()
                windows.append(select(rows.c.id, literal(number).label("part")))
            first += count
        if not windows:
            return []
        window = (windows[0] if len(windows) == 1 else union_all(*windows)).subquery()
        query = (
            select(model)
            .options(*self._query_args["options"])
            .join(window, window.c.id == model.id)
            .order_by(window.c.part, *order)
        )
        return list(db.session.scalars(query))

    def _query_count(self) -> int:
        return sum(self._query_args["counts"])


def paginate_parts(model, parts: list[Select], order: list, options=(), arg: str = "page"):
    """Return one page of `model`'s rows: those that `parts` select, part after part.

    Each part selects the ids of some rows of `model`, and the rows of each
    part are listed in `order`. The page runs two queries besides those of
    its loader `options`: one counts every part, and one fetches the page's
    rows. Each part is counted and skipped on its own, so a part that an
    index range serves in `order` is read from that index, where one sort
    key computed per row would make the database sort every row.
    A page number past the end gives the last page, as paginate does.
    """
    counts = db.session.execute(
        select(
            *(select(func.count()).select_from(part.subquery()).scalar_subquery() for part in parts)
        )
    ).one()
    per_page = current_app.config["REGISTER_PAGE_SIZE"]
    page = min(requested_page(arg), max(ceil(sum(counts) / per_page), 1))
    return PartsPagination(
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        model=model,
        parts=parts,
        counts=list(counts),
        order=order,
        options=options,
    )

"""Pagination of list pages."""

from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination

from core.extensions import db


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
    raw = request.args.get(arg, "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
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

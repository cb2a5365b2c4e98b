"""Pagination of list pages."""

from flask import current_app, request

from core.extensions import db


def paginate(query, arg: str = "page", total: int | None = None):
    """Return one page of `query`, from the query argument named `arg`.

    A page number that is not a number or is past the end gives the first
    or last page instead of an error. A caller that has counted the rows
    already passes `total`, and the page runs no count of its own.
    """
    raw = request.args.get(arg, "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
    per_page = current_app.config["REGISTER_PAGE_SIZE"]

    def fetch(number: int):
        result = db.paginate(
            query, page=number, per_page=per_page, error_out=False, count=total is None
        )
        if total is not None:
            result.total = total
        return result

    result = fetch(max(page, 1))
    if result.total and page > result.pages:
        result = fetch(result.pages)
    return result

"""Pagination of list pages."""

from flask import current_app, request

from core.extensions import db


def paginate(query, arg: str = "page"):
    """Return one page of `query`, from the query argument named `arg`.

    A page number that is not a number or is past the end gives the first
    or last page instead of an error.
    """
    raw = request.args.get(arg, "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
    per_page = current_app.config["REGISTER_PAGE_SIZE"]
    result = db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
    if result.total and page > result.pages:
        result = db.paginate(query, page=result.pages, per_page=per_page, error_out=False)
    return result

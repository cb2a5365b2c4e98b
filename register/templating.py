"""Template filters and globals."""

from datetime import date, datetime

from flask import current_app, request

from core.timeutil import as_local, local_today


def format_date(value: date | None, missing: str = "Not recorded") -> str:
    if value is None:
        return missing
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None, missing: str = "Not recorded") -> str:
    local = as_local(value)
    if local is None:
        return missing
    return f"{local.day} {local:%B %Y at %H:%M}"


def review_state(due: date | None, today: date | None = None) -> str:
    """Return "overdue", "due-soon", "later" or "none" for a review date."""
    if due is None:
        return "none"
    today = today or local_today()
    if due < today:
        return "overdue"
    if (due - today).days <= current_app.config["REGISTER_REMINDER_DAYS"]:
        return "due-soon"
    return "later"


def query_args(*excluded: str) -> dict[str, str]:
    """Return the request's query arguments, for links to other pages of the same list.

    Leaves out the names in `excluded`, which the link sets itself, and the
    names that url_for takes as its own arguments: `endpoint` and names that
    start with an underscore, such as `_anchor` and `_external`. Passed on,
    those would raise a TypeError or change the link instead of filtering.
    A repeated argument keeps its first value.
    """
    return {
        name: value
        for name, value in request.args.items()
        if name not in excluded and name != "endpoint" and not name.startswith("_")
    }


def init_app(app) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_global(review_state)
    app.add_template_global(local_today)
    app.add_template_global(query_args)

"""Template filters and globals."""

from datetime import date, datetime

from flask import current_app

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


def init_app(app) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_global(review_state)
    app.add_template_global(local_today)

"""Clock helpers: stored times are UTC, "today" is a date in the configured zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["REGISTER_TIMEZONE"])


def local_today() -> date:
    """Return today's calendar date in the configured time zone.

    A server running in UTC would otherwise see yesterday between midnight
    and 01:00 during British Summer Time.
    """
    return utc_now().astimezone(local_zone()).date()


def as_local(moment: datetime | None) -> datetime | None:
    """Convert a stored UTC time to the configured zone for display."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        # SQLite returns naive datetimes; they were written as UTC.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone())

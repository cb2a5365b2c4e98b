"""Optimistic locking: a save based on an old copy of a record is refused, not lost.

A record with `VersionedMixin` carries a version number that SQLAlchemy
raises on every UPDATE and checks in its WHERE clause. Its edit form sends
back the version the user started from, in RegisterForm's hidden
`record_version` field. `save_versioned` refuses the save when the record
has moved on since. The form page then shows the current values beside the
user's, and the user's input stays in the form.
"""

from collections.abc import Callable

from sqlalchemy import Integer, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from core.extensions import db

CONFLICT_MESSAGE = (
    "Someone else saved this record while you were changing it. Their version is shown "
    "beside yours below. Your changes are still in the form: check them against the current "
    "values and save again to replace them."
)
SKIPPED_FIELDS = frozenset({"CSRFTokenField", "SubmitField", "HiddenField", "PasswordField"})


class VersionedMixin:
    version_id: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version_id}


def _display(field, value) -> str:
    if value is None or value == "":
        return "(empty)"
    choices = getattr(field, "choices", None)
    if isinstance(choices, dict):
        labels = {str(key): label for key, label in choices.items()}
        if isinstance(value, list | tuple | set):
            return ", ".join(labels.get(str(item), str(item)) for item in value) or "(empty)"
        return labels.get(str(value), str(value))
    if hasattr(value, "isoformat"):
        return f"{value.day} {value:%B %Y}" if hasattr(value, "day") else value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(getattr(item, "id", item)) for item in value) or "(empty)"
    return str(value)


def mark_conflict(form, record, current: dict | None = None) -> None:
    """Attach the current values beside the user's to `form`, for the conflict panel.

    `current` gives values for fields that are not attributes of the record
    (for example a reference typed in place of an id). The form's version
    becomes the record's current one, so saving again replaces that version.
    """
    current = current or {}
    rows = []
    for field in form:
        if field.type in SKIPPED_FIELDS or field.name == "record_version":
            continue
        if field.name in current:
            theirs = current[field.name]
        elif hasattr(record, field.name):
            theirs = getattr(record, field.name)
        else:
            continue
        if isinstance(theirs, list):
            theirs = [getattr(item, "id", item) for item in theirs]
        rows.append(
            {
                "label": field.label.text,
                "current": _display(field, theirs),
                "yours": _display(field, field.data),
                "differs": _display(field, theirs) != _display(field, field.data),
            }
        )
    form.conflict = rows
    form.conflict_message = CONFLICT_MESSAGE
    form.record_version.data = str(record.version_id)


def is_stale(form, record) -> bool:
    return str(form.record_version.data or "") != str(record.version_id)


def save_versioned(
    form, record, apply: Callable[[], None], current: Callable[[], dict] | None = None
) -> bool:
    """Apply the form to `record` and commit; return False when someone saved first.

    The check happens twice: against the version the form started from, and
    in the UPDATE itself, which catches a save that lands between the two.
    """
    if is_stale(form, record):
        mark_conflict(form, record, current() if current else None)
        return False
    apply()
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(record)
        mark_conflict(form, record, current() if current else None)
        return False
    return True

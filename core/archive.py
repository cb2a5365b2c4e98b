"""Archive and restore: records are set aside with a reason, never deleted.

Archiving keeps the row, so nothing that points at it is orphaned, and the
audit trail records who archived or restored it, when and why.
"""

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import ForeignKey, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core.extensions import db
from core.forms import RegisterForm, long_text, submit
from core.policy import allow
from core.timeutil import utc_now
from core.types import UTCDateTime


class ArchivableMixin:
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive_reason: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))

    @declared_attr
    def archived_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    @declared_attr
    def archived_by(cls):
        return relationship("User", foreign_keys=[cls.archived_by_id])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, user, reason: str) -> None:
        self.archived_at = utc_now()
        self.archived_by_id = user.id
        self.archive_reason = reason
        self._audit_action = "archive"

    def restore(self, user, reason: str) -> None:
        self.archived_at = None
        self.archived_by_id = user.id
        self.archive_reason = reason
        self._audit_action = "restore"


class ArchiveForm(RegisterForm):
    reason = long_text("Reason", "Enter the reason", max_length=2000)
    submit = submit("Continue")


def add_archive_routes(
    bp, model, name: str, label: str, show_endpoint: str, roles, path: str
) -> None:
    """Add `archive_<name>` and `restore_<name>` pages to `bp` for `model`.

    Both show a form for the reason on GET and change the record on POST.
    `show_endpoint` takes the record's id as `<name>_id`; the pages live under
    `path`, for example /parties/<party_id>/archive.
    """
    id_arg = f"{name}_id"

    def change(record_id: int, restoring: bool):
        record = db.get_or_404(model, record_id)
        form = ArchiveForm()
        form.submit.label.text = f"Restore {label}" if restoring else f"Archive {label}"
        back = url_for(show_endpoint, **{id_arg: record.id})
        if restoring != record.is_archived:
            state = "is not archived" if restoring else "is already archived"
            flash(f"This {label} {state}", "error")
            return redirect(back)
        if form.validate_on_submit():
            if restoring:
                record.restore(current_user, form.reason.data)
            else:
                record.archive(current_user, form.reason.data)
            db.session.commit()
            verb = "restored" if restoring else "archived"
            flash(f"{label.capitalize()} {verb}: {record}", "success")
            return redirect(back)
        return render_template(
            "archive_form.html",
            form=form,
            record=record,
            heading=f"{'Restore' if restoring else 'Archive'} {label} {record}",
            restoring=restoring,
            cancel_url=back,
        )

    def archive_view(**kwargs):
        """Archive a record with a reason; it stays in the register, marked archived."""
        return change(kwargs[id_arg], restoring=False)

    def restore_view(**kwargs):
        """Restore an archived record with a reason."""
        return change(kwargs[id_arg], restoring=True)

    for verb, view in (("archive", archive_view), ("restore", restore_view)):
        view.__name__ = f"{verb}_{name}"
        bp.add_url_rule(
            f"{path}/<int:{id_arg}>/{verb}",
            endpoint=f"{verb}_{name}",
            view_func=allow(*roles)(view),
            methods=["GET", "POST"],
        )

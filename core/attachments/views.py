"""Uploading, downloading and removing attachments of any record type.

A package makes a record type attachable with `add_attachment_owner`; the
record's page then includes "attachments/_list.html" with `record` set.
"""

import logging
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import ValidationError

from core.archive import ArchiveForm
from core.attachments import storage
from core.attachments.models import Attachment
from core.extensions import db
from core.forms import RegisterForm, optional_text, submit
from core.policy import READERS, RECORD_WRITERS, allow, can_edit_project_records, can_view_project
from core.security import security_event
from core.timeutil import utc_now

bp = Blueprint("attachments", __name__)
log = logging.getLogger(__name__)

OWNERS = "register.attachment_owners"


@dataclass(frozen=True)
class AttachmentOwner:
    """A record type that takes attachments; its records must have a `project`."""

    kind: str
    model: type
    endpoint: str
    id_arg: str


def add_attachment_owner(app, owner: AttachmentOwner) -> None:
    app.extensions.setdefault(OWNERS, {})[owner.kind] = owner


def _owners() -> dict[str, AttachmentOwner]:
    return current_app.extensions.get(OWNERS, {})


def owner_of(record) -> AttachmentOwner | None:
    for owner in _owners().values():
        if isinstance(record, owner.model):
            return owner
    return None


def _record(kind: str, owner_id: int, editing: bool):
    """Return the owner and record; 404 when either is unknown or unseen, 403 when read-only."""
    owner = _owners().get(kind)
    if owner is None:
        abort(404)
    record = db.get_or_404(owner.model, owner_id)
    if not can_view_project(current_user, record.project):
        abort(404)
    if editing and not can_edit_project_records(current_user, record.project):
        abort(403)
    return owner, record


def attachments_of(record) -> list[Attachment]:
    owner = owner_of(record)
    if owner is None or record.id is None:
        return []
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.owner_kind == owner.kind, Attachment.owner_id == record.id)
            .order_by(Attachment.uploaded_at, Attachment.id)
        )
    )


def may_attach(record) -> bool:
    return owner_of(record) is not None and can_edit_project_records(current_user, record.project)


class UploadForm(RegisterForm):
    file = FileField("File", widget=GovFileInput())
    description = optional_text("Description", description="For example, signed copy from the CPS")
    is_signed_copy = BooleanField("This is the signed copy", widget=GovCheckboxInput())
    submit = submit("Upload file")

    def validate_file(self, field):
        if not getattr(field.data, "filename", None):
            raise ValidationError("Select a file")


@bp.route("/attachments/<kind>/<int:owner_id>/new", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def upload(kind: str, owner_id: int):
    """Attach a file to a record the user may edit."""
    owner, record = _record(kind, owner_id, editing=True)
    form = UploadForm()
    back = url_for(owner.endpoint, **{owner.id_arg: record.id})
    if form.validate_on_submit():
        upload_file = form.file.data
        try:
            stored = storage.store(upload_file.stream, upload_file.filename)
        except storage.AttachmentError as error:
            form.file.errors.append(str(error))
        else:
            attachment = Attachment(
                owner_kind=owner.kind,
                owner_id=record.id,
                filename=upload_file.filename[-255:],
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                description=form.description.data or "",
                is_signed_copy=form.is_signed_copy.data,
                uploaded_by_id=current_user.id,
            )
            db.session.add(attachment)
            db.session.commit()
            log.info("attachment added id=%s kind=%s owner=%s", attachment.id, kind, record.id)
            flash(f"File {attachment.filename} attached", "success")
            return redirect(back)
    return render_template(
        "attachments/upload.html",
        form=form,
        record=record,
        cancel_url=back,
        heading="Attach a file",
    )


def _attachment(attachment_id: int, editing: bool) -> tuple[Attachment, AttachmentOwner, object]:
    attachment = db.get_or_404(Attachment, attachment_id)
    owner, record = _record(attachment.owner_kind, attachment.owner_id, editing)
    return attachment, owner, record


@bp.route("/attachments/<int:attachment_id>")
@allow(*READERS)
def download(attachment_id: int):
    """Send an attachment after checking its SHA-256 checksum against the one stored."""
    attachment, _, _ = _attachment(attachment_id, editing=False)
    if attachment.is_removed:
        abort(404)
    path = storage.path_of(attachment)
    if not path.is_file() or storage.checksum(path) != attachment.sha256:
        security_event("attachment checksum mismatch", attachment_id=attachment.id)
        return render_template("attachments/damaged.html", attachment=attachment), 409
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )


@bp.route("/attachments/<int:attachment_id>/remove", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def remove(attachment_id: int):
    """Remove an attachment's file with a reason; the entry stays, marked removed."""
    attachment, owner, record = _attachment(attachment_id, editing=True)
    back = url_for(owner.endpoint, **{owner.id_arg: record.id})
    if attachment.is_removed:
        flash(f"File {attachment.filename} was already removed", "error")
        return redirect(back)
    form = ArchiveForm()
    form.submit.label.text = "Remove file"
    if form.validate_on_submit():
        attachment.removed_at = utc_now()
        attachment.removed_by_id = current_user.id
        attachment.removal_reason = form.reason.data
        attachment._audit_action = "attachment_removed"
        db.session.commit()
        storage.path_of(attachment).unlink(missing_ok=True)
        log.info("attachment removed id=%s", attachment.id)
        flash(f"File {attachment.filename} removed", "success")
        return redirect(back)
    return render_template(
        "attachments/remove.html",
        form=form,
        attachment=attachment,
        cancel_url=back,
        heading=f"Remove {attachment.filename}",
    )


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.add_template_global(attachments_of)
    app.add_template_global(may_attach)
    app.add_template_global(owner_of, "attachment_owner")

"""Download pages: list spreadsheets, the whole register and DPIA documents."""

import logging
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user

from core.audit import record_event
from core.auth.models import Role
from core.extensions import db
from core.policy import READERS, allow
from core.projects.access import get_visible_or_404
from core.timeutil import local_today
from dpia.models import Dpia
from register.exports.dpia_document import dpia_document
from register.exports.lists import REGISTER_LISTS
from register.exports.snapshot import export_register
from register.exports.tabular import CSV_MIMETYPE, XLSX_MIMETYPE, write_csv, write_xlsx
from register.review_views import item_filter
from register.reviews import review_items

bp = Blueprint("exports", __name__, url_prefix="/export")
log = logging.getLogger(__name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Roles that may download every record of the register at once.
WHOLE_REGISTER_READERS = (Role.DPO, Role.AUDITOR)


def record_export(summary: str, record=None) -> None:
    """Write the export to the audit trail before the file is sent."""
    record_event("export", record, summary=summary)
    db.session.commit()


def download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# The dated items of the Reviews page, as the page's filters select them.
DUE_HEADERS = ("Due", "State", "Item", "Type", "Project", "Owner", "Record id")


def _due_state(due_on, today, soon) -> str:
    if due_on < today:
        return "Overdue"
    return "Due soon" if due_on <= soon else "Scheduled"


@bp.route("/reviews-due.<any(csv, xlsx):file_format>")
@allow(*READERS)
def due_dates(file_format: str):
    """Download every review and action date the Reviews page lists with its filters."""
    where, _inputs = item_filter()
    items, _total = review_items(current_user, where=where, count=False)
    today = local_today()
    soon = today + timedelta(days=current_app.config["REGISTER_REMINDER_DAYS"])
    rows = [
        (
            item.due_on,
            _due_state(item.due_on, today, soon),
            item.title,
            item.kind_label,
            item.project_name,
            item.owner_name or None,
            item.record_id,
        )
        for item in items
    ]
    filename = f"due-dates-{today.isoformat()}.{file_format}"
    log.info("due dates exported format=%s rows=%s by=%s", file_format, len(rows), current_user.id)
    record_export(f"Exported review and action due dates as {file_format}: {len(rows)} rows")
    if file_format == "csv":
        return download(write_csv(DUE_HEADERS, rows), CSV_MIMETYPE, filename)
    return download(write_xlsx("Due dates", DUE_HEADERS, rows), XLSX_MIMETYPE, filename)


@bp.route("/<name>.<any(csv, xlsx):file_format>")
@allow(*READERS)
def register_list(name: str, file_format: str):
    """Download a register list as the user sees it, with the page's filters applied."""
    declared = REGISTER_LISTS.get(name)
    if declared is None:
        abort(404)
    if not declared.allows(current_user):
        abort(403)
    query, problems = declared.select(request.args)
    if problems:
        abort(400)
    records = db.session.scalars(query).all()
    headers = [column.header for column in declared.columns]
    rows = [declared.row(record) for record in records]
    filename = f"{declared.name}-{local_today().isoformat()}.{file_format}"
    log.info(
        "list exported list=%s format=%s rows=%s by=%s",
        name,
        file_format,
        len(rows),
        current_user.id,
    )
    record_export(f"Exported {declared.name} as {file_format}: {len(rows)} rows")
    if file_format == "csv":
        return download(write_csv(headers, rows), CSV_MIMETYPE, filename)
    return download(write_xlsx(declared.title, headers, rows), XLSX_MIMETYPE, filename)


@bp.route("/register.<any(json, zip):file_format>")
@allow(*WHOLE_REGISTER_READERS)
def whole_register(file_format: str):
    """Download every record of the register, with attachments in the ZIP variant."""
    snapshot = export_register(db.session, db.metadata)
    filename = f"register-{local_today().isoformat()}.{file_format}"
    log.info("register exported format=%s by=%s", file_format, current_user.id)
    record_export(f"Exported the whole register as {file_format}")
    if file_format == "json":
        return download(snapshot.to_json(), "application/json", filename)
    return download(snapshot.to_zip(), "application/zip", filename)


@bp.route("/dpias/<int:dpia_id>.docx")
@allow(*READERS)
def dpia_docx(dpia_id: int):
    """Download a DPIA as a Word document laid out like the ICO's template."""
    record = get_visible_or_404(Dpia, dpia_id)
    log.info("dpia document exported id=%s by=%s", record.id, current_user.id)
    record_export("Exported the DPIA as a Word document", record)
    return download(dpia_document(record), DOCX_MIMETYPE, f"dpia-{record.id}.docx")

"""Import pages: spreadsheets of DPIAs and agreements, and CNIL PIA files."""

import json
import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from core.extensions import db
from core.policy import READERS, RECORD_WRITERS, allow
from core.projects.access import editable_projects, get_visible_or_404
from dpia.models import Dpia
from register.exports.tabular import CSV_MIMETYPE, XLSX_MIMETYPE, write_csv, write_xlsx
from register.exports.views import download
from register.imports import cnil
from register.imports.audit import record_import
from register.imports.forms import CnilImportForm, SpreadsheetImportForm
from register.imports.models import DpiaImportNote, notes_for
from register.imports.reading import FileRejected, read_rows
from register.imports.spreadsheet import DuplicatePolicy, ImportResult, import_rows
from register.imports.spreadsheet_specs import IMPORT_SPECS

bp = Blueprint("imports", __name__, url_prefix="/import")
log = logging.getLogger(__name__)


@bp.route("/", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def spreadsheet():
    """Import DPIAs or agreements from a CSV or XLSX file, all rows or none."""
    form = SpreadsheetImportForm()
    result = None
    file_error = None
    if form.validate_on_submit():
        spec = IMPORT_SPECS[form.kind.data]
        try:
            header, rows = read_rows(form.upload.data.filename, form.upload.content)
        except FileRejected as error:
            file_error = str(error)
            form.upload.errors.append(file_error)
        else:
            result = import_rows(spec, header, rows, DuplicatePolicy(form.policy.data))
            if result.errors:
                db.session.rollback()
            else:
                db.session.commit()
            _record(spec.kind, form.upload.data.filename, result)
            if not result.errors:
                flash(
                    f"Imported {spec.title}: {result.created} created, "
                    f"{result.updated} updated, {result.skipped} skipped",
                    "success",
                )
                return redirect(url_for("imports.spreadsheet"))
    return render_template(
        "imports/spreadsheet.html", form=form, result=result, specs=IMPORT_SPECS.values()
    )


def _record(kind: str, filename: str, result: ImportResult) -> None:
    record_import(f"spreadsheet:{kind}", current_user.id, filename, result.counts)


@bp.route("/template/<kind>.<any(csv, xlsx):file_format>")
@allow(*RECORD_WRITERS)
def template(kind: str, file_format: str):
    """Download an empty spreadsheet with the import columns of `kind`."""
    spec = IMPORT_SPECS.get(kind)
    if spec is None:
        abort(404)
    filename = f"{spec.kind}-import-template.{file_format}"
    if file_format == "csv":
        return download(write_csv(spec.headers, []), CSV_MIMETYPE, filename)
    return download(write_xlsx(spec.title, spec.headers, []), XLSX_MIMETYPE, filename)


@bp.route("/cnil-pia", methods=["GET", "POST"])
@allow(*RECORD_WRITERS)
def cnil_pia():
    """Turn a PIA exported by the CNIL PIA tool into a draft DPIA."""
    form = CnilImportForm(projects=editable_projects())
    if form.validate_on_submit():
        try:
            mapped = cnil.map_pia(cnil.load(form.upload.content))
        except cnil.CnilFileError as error:
            form.upload.errors.append(str(error))
        else:
            dpia = Dpia(
                project_id=form.project_id.data,
                decision=form.decision,
                owner_id=current_user.id,
            )
            cnil.apply(mapped, dpia)
            note = DpiaImportNote(
                dpia=dpia,
                source=form.upload.data.filename[:200],
                report=json.dumps(mapped.report, ensure_ascii=False),
                notes="\n\n".join(mapped.notes),
                created_by_id=current_user.id,
            )
            db.session.add_all([dpia, note])
            db.session.commit()
            record_import(
                "cnil-pia",
                current_user.id,
                form.upload.data.filename,
                {
                    "dpias": 1,
                    "parts_mapped": len(mapped.report),
                    "parts_in_notes": len(mapped.notes),
                },
            )
            flash(f"PIA imported as draft DPIA {dpia.title}", "success")
            return redirect(url_for("imports.dpia_notes", dpia_id=dpia.id))
    return render_template("imports/cnil.html", form=form)


@bp.route("/dpias/<int:dpia_id>/notes")
@allow(*READERS)
def dpia_notes(dpia_id: int):
    """Show what an imported DPIA brought: where each part went, and the notes."""
    dpia = get_visible_or_404(Dpia, dpia_id)
    note = notes_for(dpia.id)
    if note is None:
        abort(404)
    report = json.loads(note.report or "[]")
    return render_template("imports/dpia_notes.html", dpia=dpia, note=note, report=report)


def init_app(app) -> None:
    app.add_template_global(notes_for, "dpia_import_notes")

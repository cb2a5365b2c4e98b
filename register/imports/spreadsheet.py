"""Import DPIAs and agreements from a spreadsheet made from the downloadable template.

Each row is checked by the same form that checks the page where the record
is typed in, so an import can never store what the page would reject. Each
template column maps onto a form field, and its converter turns the cell
text into the form's input, such as a project's id for its name.

The whole file is checked before anything is written: if any row is
rejected, nothing is stored and every rejected row is reported with its row
number, column and reason. Beyond the form, a spec may reject changing a
record in its state (a signed-off DPIA), and may check each record once
filled against rules that span related records (an agreement in force and
its parties), as the record's own pages do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from flask_login import current_user
from werkzeug.datastructures import MultiDict

from core.extensions import db
from core.policy import can_edit_project_records


def _no_reason(record) -> str | None:
    return None


def _no_problems(record) -> list[tuple[str, str]]:
    return []


class DuplicatePolicy(StrEnum):
    """Choice for a row whose reference is already in the register."""

    STOP = "stop"
    SKIP = "skip"
    UPDATE = "update"


DUPLICATE_POLICIES = {
    DuplicatePolicy.STOP: "Reject the file and change nothing",
    DuplicatePolicy.SKIP: "Skip those rows and import the others",
    DuplicatePolicy.UPDATE: "Update the existing records from those rows",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportColumn:
    """A template column: its header, the form field it fills, how to convert the cell."""

    header: str
    field_name: str
    convert: Callable[[object], list[str]] = field(default=lambda value: [str(value)])
    required: bool = False
    # Form values sent when the cell is empty, for fields whose "none" is a value.
    empty: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    title: str
    model: type
    columns: tuple[ImportColumn, ...]
    # Headers whose values together identify a record already in the register.
    key_headers: tuple[str, ...]
    find_existing: Callable[[dict], object | None]
    make_form: Callable[[MultiDict, object | None], object]
    fill: Callable[[object, object], None]
    # Returns why an existing record cannot be changed in its state, or None.
    locked_reason: Callable[[object], str | None] = _no_reason
    # Returns (column header, message) for each rule a filled record breaks.
    # It runs after every row is filled and flushed, so related records are loaded.
    filled_problems: Callable[[object], list[tuple[str, str]]] = _no_problems

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    skipped: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected_rows": len({error.row for error in self.errors}),
        }


class CellError(ValueError):
    """A cell's value cannot be converted. The message gives the reason."""


def check_headers(spec: ImportSpec, header: list[str]) -> list[RowError]:
    """Return an error per template column missing from, or unknown to, the header row."""
    errors = []
    expected = {name.lower(): name for name in spec.headers}
    present = {name.lower() for name in header if name}
    for name in spec.headers:
        if name.lower() not in present:
            errors.append(RowError(1, name, "Column is missing: use the downloadable template"))
    for name in header:
        if name and name.lower() not in expected:
            errors.append(RowError(1, name, "Column is not in the template; remove it"))
    seen = set()
    for name in header:
        if name and name.lower() in seen:
            errors.append(RowError(1, name, "Column appears twice"))
        seen.add(name.lower())
    return errors


def _row_values(spec: ImportSpec, header: list[str], cells: list) -> dict:
    positions = {name.lower(): index for index, name in enumerate(header)}
    values = {}
    for column in spec.columns:
        index = positions[column.header.lower()]
        values[column.header] = cells[index] if index < len(cells) else None
    return values


def _formdata(spec: ImportSpec, number: int, values: dict, errors: list[RowError]) -> MultiDict:
    formdata = MultiDict()
    for column in spec.columns:
        value = values[column.header]
        if value is None:
            if column.required:
                errors.append(RowError(number, column.header, "Enter a value"))
            for part in column.empty:
                formdata.add(column.field_name, part)
            continue
        try:
            for part in column.convert(value):
                formdata.add(column.field_name, part)
        except CellError as error:
            errors.append(RowError(number, column.header, str(error)))
    return formdata


def _form_errors(spec: ImportSpec, number: int, form) -> list[RowError]:
    headers = {column.field_name: column.header for column in spec.columns}
    errors = []
    for field_name, messages in form.errors.items():
        for message in messages:
            errors.append(RowError(number, headers.get(field_name, "Whole row"), str(message)))
    return errors


def import_rows(
    spec: ImportSpec, header: list[str], rows: list[tuple[int, list]], policy: DuplicatePolicy
) -> ImportResult:
    """Check every row, then store them all or none. The caller commits on success.

    When a filled record breaks a rule of `spec.filled_problems`, the session
    is rolled back here, because the rows were already applied to it.
    """
    result = ImportResult(errors=check_headers(spec, header))
    if result.errors:
        return result
    planned = []
    seen_keys: dict[tuple, int] = {}
    for number, cells in rows:
        values = _row_values(spec, header, cells)
        row_errors: list[RowError] = []
        key = tuple(str(values[name] or "").lower() for name in spec.key_headers)
        if key in seen_keys:
            row_errors.append(
                RowError(number, spec.key_headers[0], f"Same record as row {seen_keys[key]}")
            )
        seen_keys.setdefault(key, number)
        existing = spec.find_existing(values)
        if existing is not None:
            if policy is DuplicatePolicy.SKIP:
                result.skipped += 1
                continue
            if policy is DuplicatePolicy.STOP:
                row_errors.append(
                    RowError(
                        number,
                        spec.key_headers[0],
                        "Already in the register; choose skip or update to import the file",
                    )
                )
            elif not can_edit_project_records(current_user, existing.project):
                row_errors.append(
                    RowError(number, spec.key_headers[0], "You may not change this record")
                )
            elif (reason := spec.locked_reason(existing)) is not None:
                row_errors.append(RowError(number, spec.key_headers[0], reason))
        formdata = _formdata(spec, number, values, row_errors)
        if not row_errors:
            form = spec.make_form(formdata, existing)
            if not form.validate():
                row_errors.extend(_form_errors(spec, number, form))
            else:
                planned.append((number, existing, form))
        result.errors.extend(row_errors)
    if result.errors:
        return result
    filled = []
    for number, existing, form in planned:
        record = existing if existing is not None else spec.model()
        spec.fill(record, form)
        if existing is None:
            db.session.add(record)
            result.created += 1
        else:
            result.updated += 1
        filled.append((number, record))
    db.session.flush()
    for number, record in filled:
        for column, message in spec.filled_problems(record):
            result.errors.append(RowError(number, column, message))
    if result.errors:
        db.session.rollback()
        result.created = result.updated = 0
    return result

"""Load a whole-register export (JSON or ZIP) into an empty register.

The reader follows the database schema, as the exporter does: each value
is checked against its column's type and inserted table by table, parents
first. A document from a newer format version is rejected; an older one is
upgraded step by step through `UPGRADES` before it is read.
"""

import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import LargeBinary, MetaData, TypeDecorator, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import generate_password_hash

from core.auth.models import new_session_token
from dpia.pbd_open_actions import refresh_open_actions
from register.exports.snapshot import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SECRET_COLUMNS,
    ZIP_DOCUMENT,
    exported_tables,
)

# Largest export the reader accepts, in bytes once unpacked.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

# Each function turns a document of version N (the key) into version N + 1.
# Add one whenever FORMAT_VERSION goes up, so that older files still load.
UPGRADES: dict[int, Callable[[dict], dict]] = {}


def _unusable_password_hash() -> str:
    """Return the hash of a random secret: the user must have their password reset."""
    return generate_password_hash(secrets.token_urlsafe(32), method="scrypt")


SECRET_FILLERS: dict[tuple[str, str], Callable[[], str]] = {
    ("users", "password_hash"): _unusable_password_hash,
    ("users", "session_token"): new_session_token,
}


class SnapshotError(ValueError):
    """The file cannot be imported. The message gives the reason and the next step."""


def read_file(content: bytes) -> tuple[dict, dict[str, bytes]]:
    """Return the document and attachment bytes of a JSON or ZIP export."""
    files: dict[str, bytes] = {}
    if zipfile.is_zipfile(io.BytesIO(content)):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
                if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                    raise SnapshotError("The ZIP file is too large to import")
                names = {info.filename for info in infos}
                if ZIP_DOCUMENT not in names:
                    raise SnapshotError(
                        f"The ZIP file has no {ZIP_DOCUMENT}; use a register export"
                    )
                raw = archive.read(ZIP_DOCUMENT)
                for info in infos:
                    if info.filename != ZIP_DOCUMENT and not info.is_dir():
                        files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError) as error:
            raise SnapshotError(f"The ZIP file cannot be read: {error}") from None
    else:
        raw = content
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SnapshotError(f"The file is not a register export in JSON: {error}") from None
    return document, files


def upgrade_document(document: dict, upgrades: dict[int, Callable[[dict], dict]] | None = None):
    """Return `document` at the current format version, or raise SnapshotError."""
    upgrades = UPGRADES if upgrades is None else upgrades
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise SnapshotError("The file is not a privacy register export")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SnapshotError("The export has no valid format_version")
    if version > FORMAT_VERSION:
        raise SnapshotError(
            f"The export uses format version {version}, but this register reads "
            f"versions up to {FORMAT_VERSION}. Update the register, then import again"
        )
    while version < FORMAT_VERSION:
        step = upgrades.get(version)
        if step is None:
            raise SnapshotError(f"Format version {version} cannot be upgraded by this register")
        document = step(document)
        version += 1
        document["format_version"] = version
    return document


def _decode(table_name: str, column, value, files: dict[str, bytes]):
    where = f"table {table_name}, column {column.name}"
    if value is None:
        if not column.nullable:
            raise SnapshotError(f"{where}: a value is required")
        return None
    if isinstance(column.type, LargeBinary):
        path = value.get("attachment") if isinstance(value, dict) else None
        if not isinstance(path, str) or path not in files:
            raise SnapshotError(f"{where}: attachment {path!r} is missing; import the ZIP export")
        return files[path]
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        python_type = kind.python_type
    except NotImplementedError:
        return value
    try:
        if python_type is datetime:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("the time has no time zone")
            return moment
        if python_type is date:
            return date.fromisoformat(value)
        if python_type is time:
            return time.fromisoformat(value)
        if python_type is Decimal:
            return Decimal(str(value))
        if python_type is bool:
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
            return value
        if python_type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("expected a whole number")
            return value
        if python_type is str:
            if not isinstance(value, str):
                raise ValueError("expected text")
            if "\x00" in value:
                raise ValueError("text contains a NUL character")
            return value
    except (TypeError, ValueError, InvalidOperation) as error:
        raise SnapshotError(f"{where}: invalid value {value!r} ({error})") from None
    return value


def _check_attachments(document: dict, files: dict[str, bytes]) -> None:
    listed = document.get("attachments", [])
    if not isinstance(listed, list):
        raise SnapshotError("attachments must be a list")
    for entry in listed:
        if not isinstance(entry, dict):
            raise SnapshotError("each attachment entry must be an object")
        path = entry.get("path")
        if path in files and hashlib.sha256(files[path]).hexdigest() != entry.get("sha256"):
            raise SnapshotError(
                f"attachment {path} does not match its SHA-256; the file is damaged"
            )


def is_empty(session, metadata: MetaData) -> bool:
    for table in exported_tables(metadata):
        if session.scalar(select(func.count()).select_from(table)):
            return False
    return True


def import_register(session, metadata: MetaData, content: bytes) -> dict[str, int]:
    """Insert every record of an export into an empty register; return rows per table.

    Nothing is written unless the whole file is valid: the caller commits.
    """
    document, files = read_file(content)
    document = upgrade_document(document)
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise SnapshotError("The export has no tables")
    known = {table.name: table for table in exported_tables(metadata)}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise SnapshotError(f"The export has tables this register does not: {', '.join(unknown)}")
    _check_attachments(document, files)
    if not is_empty(session, metadata):
        raise SnapshotError("The register already contains records; import only into an empty one")

    counts = {}
    for table in known.values():
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise SnapshotError(f"table {table.name}: rows must be a list")
        values = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise SnapshotError(f"table {table.name}, row {number}: expected an object")
            extra = sorted(set(row) - set(table.columns.keys()))
            if extra:
                raise SnapshotError(
                    f"table {table.name}: columns this register does not have: {', '.join(extra)}"
                )
            record = {
                name: _decode(table.name, table.columns[name], value, files)
                for name, value in row.items()
            }
            for table_name, column_name in SECRET_COLUMNS:
                if table_name == table.name:
                    record[column_name] = SECRET_FILLERS[(table_name, column_name)]()
            values.append(record)
        if values:
            try:
                session.execute(table.insert(), values)
            except SQLAlchemyError as error:
                raise SnapshotError(
                    f"table {table.name}: the records cannot be stored ({error.orig or error})"
                ) from None
        counts[table.name] = len(values)
    # The stored open-action flags are derived, so recompute them rather than
    # trust the file, which may also predate the flag.
    refresh_open_actions(session.connection())
    session.flush()
    _reset_sequences(session, known.values())
    return counts


def _reset_sequences(session, tables) -> None:
    """Move PostgreSQL id sequences past the imported ids, so new records do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or columns[0].type.python_type is not int:
            continue
        column = columns[0]
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "  # noqa: S608
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 1))"
            )
        )

"""The whole register as one JSON document, or a ZIP with its attachments.

The document is built from the database schema itself: every table in
`db.metadata`, parents before children, every column, links kept as ids.
A table or column added to the models is exported and imported with no
change here. Binary columns (attachments) are listed by name and SHA-256;
the ZIP variant carries their bytes under fixed folder names.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import LargeBinary, MetaData, Table, select

from core.timeutil import utc_now

FORMAT_NAME = "privacy-register"
FORMAT_VERSION = 1

# Fixed names inside the ZIP export.
ZIP_DOCUMENT = "register.json"
ZIP_ATTACHMENTS = "attachments"

# Credentials stay with the system that issued them: they are left out of
# exports and the importer gives each such column a fresh, unusable value.
SECRET_COLUMNS = {("users", "password_hash"), ("users", "session_token")}
SKIPPED_TABLES = {"api_tokens"}


def exported_tables(metadata: MetaData) -> list[Table]:
    """Return the tables an export holds, parents before the tables that point at them."""
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def _is_binary(column) -> bool:
    return isinstance(column.type, LargeBinary)


def encode_value(value):
    """Return a column value as JSON: dates and times in ISO 8601, decimals as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def attachment_path(table: Table, row: dict, column_name: str) -> str:
    key = "-".join(str(row[column.name]) for column in table.primary_key.columns)
    return f"{ZIP_ATTACHMENTS}/{table.name}/{key}/{column_name}"


def _attachment_name(row: dict, column_name: str) -> str:
    for candidate in ("filename", "file_name", "name", "title"):
        if isinstance(row.get(candidate), str) and row[candidate]:
            return row[candidate]
    return column_name


@dataclass
class Snapshot:
    """An export in memory: the JSON document and the attachment bytes by ZIP path."""

    document: dict
    files: dict[str, bytes]

    def to_json(self) -> bytes:
        return json.dumps(self.document, ensure_ascii=False, indent=1).encode("utf-8")

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(ZIP_DOCUMENT, self.to_json())
            for path, content in sorted(self.files.items()):
                archive.writestr(path, content)
        return buffer.getvalue()


def export_register(session, metadata: MetaData) -> Snapshot:
    """Read every exported table into a snapshot."""
    tables = {}
    attachments = []
    files = {}
    for table in exported_tables(metadata):
        order = list(table.primary_key.columns) or list(table.columns)
        rows = []
        for mapping in session.execute(select(table).order_by(*order)).mappings():
            row = dict(mapping)
            out = {}
            for column in table.columns:
                if (table.name, column.name) in SECRET_COLUMNS:
                    continue
                value = row[column.name]
                if _is_binary(column) and value is not None:
                    path = attachment_path(table, row, column.name)
                    attachments.append(
                        {
                            "table": table.name,
                            "column": column.name,
                            "name": _attachment_name(row, column.name),
                            "path": path,
                            "size": len(value),
                            "sha256": hashlib.sha256(value).hexdigest(),
                        }
                    )
                    files[path] = bytes(value)
                    out[column.name] = {"attachment": path}
                else:
                    out[column.name] = encode_value(value)
            rows.append(out)
        tables[table.name] = rows
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": utc_now().isoformat(),
        "tables": tables,
        "attachments": attachments,
    }
    return Snapshot(document, files)

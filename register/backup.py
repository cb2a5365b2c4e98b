"""Backup and restore: every table and every attachment file in one zip archive.

The archive holds `tables.json` (rows of every table, in the order foreign
keys need) and `attachments/<storage name>` for each stored file, so it can
be restored into an empty database of either dialect.
"""

import json
import logging
import zipfile
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import Date, DateTime, func, select, text

from core.attachments import storage
from core.audit import acting_as, record_event
from core.extensions import db

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parse(column, value):
    kind = getattr(column.type, "impl", column.type)
    if value is None:
        return None
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def write_backup(path: Path) -> dict[str, int]:
    """Write every table and attachment to a zip archive at `path`; return row counts."""
    with acting_as("backup command"):
        record_event("backup", summary=f"Backup written to {path.name}")
        db.session.commit()
    tables = {}
    counts = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
        counts[table.name] = len(tables[table.name])
    db.session.rollback()
    attachment_table = db.metadata.tables["attachments"]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "tables.json", json.dumps({"format": FORMAT_VERSION, "tables": tables}, indent=1)
        )
        for row in tables[attachment_table.name]:
            file_path = storage.folder() / row["storage_name"]
            if row["removed_at"] is None and file_path.is_file():
                archive.write(file_path, f"attachments/{row['storage_name']}")
    log.info("backup written path=%s tables=%s", path, len(counts))
    return counts


class RestoreError(click.ClickException):
    """The archive cannot be restored here. The message gives the reason."""


def read_backup(path: Path) -> dict[str, int]:
    """Load a backup archive into this empty database; return row counts per table."""
    if not zipfile.is_zipfile(path):
        raise RestoreError(f"{path} is not a backup archive made by the backup command")
    with zipfile.ZipFile(path) as archive:
        try:
            content = json.loads(archive.read("tables.json"))
        except (KeyError, ValueError) as error:
            raise RestoreError(f"{path} has no readable tables.json: {error}") from None
        if content.get("format") != FORMAT_VERSION:
            raise RestoreError(f"{path} has backup format {content.get('format')!r}, not 1")
        tables = content["tables"]
        for table in db.metadata.sorted_tables:
            if db.session.scalar(select(func.count()).select_from(table)):
                raise RestoreError(
                    f"table {table.name} is not empty. Restore into a new database: "
                    "create it, run `flask --app register db upgrade`, then restore"
                )
        counts = {}
        for table in db.metadata.sorted_tables:
            rows = tables.get(table.name, [])
            columns = {column.name: column for column in table.columns}
            parsed = [
                {
                    name: _parse(columns[name], value)
                    for name, value in row.items()
                    if name in columns
                }
                for row in rows
            ]
            if parsed:
                db.session.execute(table.insert(), parsed)
            counts[table.name] = len(parsed)
        _reset_sequences()
        db.session.commit()
        folder = storage.folder()
        for name in archive.namelist():
            if name.startswith("attachments/") and "/" not in name[len("attachments/") :]:
                target = folder / Path(name).name
                target.write_bytes(archive.read(name))
    log.info("backup restored path=%s", path)
    return counts


def _reset_sequences() -> None:
    """Move PostgreSQL id sequences past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].autoincrement is not False:
            # Table names come from the models, never from input.
            statement = (
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
            db.session.execute(text(statement), {"table": table.name})


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write every table and attachment to the zip archive PATH."""
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new file name")
    counts = write_backup(path)
    click.echo(f"Backup written to {path}: {sum(counts.values())} rows in {len(counts)} tables")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Load the backup archive PATH into a new, empty, upgraded database."""
    counts = read_backup(path)
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {path}")


def init_app(app) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

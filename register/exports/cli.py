"""Command-line export and import of the whole register."""

import logging
from pathlib import Path

import click
from flask.cli import AppGroup

from core.extensions import db
from register.exports.snapshot import export_register
from register.imports.audit import record_import
from register.imports.snapshot import SnapshotError, import_register

log = logging.getLogger(__name__)

data_cli = AppGroup("data", help="Export the whole register, or load an export.")


@data_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(path: Path) -> None:
    """Write every record to PATH: a ZIP with attachments if PATH ends in .zip, else JSON."""
    snapshot = export_register(db.session, db.metadata)
    content = snapshot.to_zip() if path.suffix.lower() == ".zip" else snapshot.to_json()
    path.write_bytes(content)
    log.info("register exported from the command line path=%s", path)
    click.echo(f"Wrote {len(content)} bytes to {path}")


@data_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Load a JSON or ZIP export from PATH into this register, which must be empty.

    Imported users cannot sign in until an administrator sets their password,
    because exports never carry password hashes.
    """
    try:
        counts = import_register(db.session, db.metadata, path.read_bytes())
    except SnapshotError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    record_import("register", None, str(path), counts)
    click.echo(f"Imported {sum(counts.values())} records from {path}")

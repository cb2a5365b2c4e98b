"""The backup and restore commands."""

import io

from sqlalchemy import func, select, text

from core.attachments import storage
from core.attachments.models import Attachment
from core.audit import AuditEvent
from core.extensions import db
from dpia.models import Dpia
from tests.conftest import table_snapshot


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def latest_audit_entry() -> tuple:
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    return (event.id, event.action, event.actor_label, event.occurred_at, event.changes)


def empty_database() -> None:
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def test_backup_and_restore_round_trip(app, runner, world, tmp_path):
    dpia = Dpia(
        project=world.dorothy, decision=world.decision, title="Dorothy DPIA", owner_id=world.lead.id
    )
    db.session.add(dpia)
    db.session.flush()
    with app.test_request_context():
        stored = storage.store(io.BytesIO(b"%PDF-1.7 signed"), "signed.pdf")
    db.session.add(
        Attachment(
            owner_kind="dpia",
            owner_id=dpia.id,
            filename="signed.pdf",
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            storage_name=stored.storage_name,
            uploaded_by_id=world.dpo.id,
        )
    )
    db.session.commit()
    archive = tmp_path / "register-backup.zip"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    counts = row_counts()
    latest = latest_audit_entry()
    rows = table_snapshot()
    assert latest[1] == "backup"

    empty_database()
    with app.test_request_context():
        (storage.folder() / stored.storage_name).unlink()
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output

    assert row_counts() == counts
    assert latest_audit_entry() == latest
    assert table_snapshot() == rows
    with app.test_request_context():
        assert storage.checksum(storage.folder() / stored.storage_name) == stored.sha256
    # New rows get fresh ids after a restore.
    world_user_count = counts["users"]
    result = runner.invoke(
        args=["users", "create", "new@example.org", "--name", "New", "--role", "lead"],
        input="a long enough passphrase\na long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert row_counts()["users"] == world_user_count + 1


def test_restore_refuses_non_empty_database(app, runner, world, tmp_path):
    archive = tmp_path / "register-backup.zip"
    runner.invoke(args=["backup", str(archive)])
    before = row_counts()
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0
    assert "is not empty" in result.output
    assert row_counts() == before


def test_restore_refuses_other_files(app, runner, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_text("not an archive")
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0
    assert "is not a backup archive" in result.output


def test_backup_refuses_existing_file(app, runner, tmp_path):
    path = tmp_path / "exists.zip"
    path.write_text("keep me")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code != 0
    assert path.read_text() == "keep me"

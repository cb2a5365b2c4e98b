"""The whole-register export loads into an empty register with nothing lost."""

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, MetaData, String, Table, select

from core.auth.models import User
from core.extensions import db
from register.api.models import ApiToken
from register.exports import snapshot as exporter
from register.exports.snapshot import SECRET_COLUMNS, export_register, exported_tables
from register.imports import snapshot as importer
from register.imports.models import DpiaImportNote
from register.imports.snapshot import SnapshotError, import_register, upgrade_document
from tests.conftest import PASSWORD


def all_rows(metadata=None) -> dict[str, list[dict]]:
    metadata = metadata or db.metadata
    rows = {}
    for table in exported_tables(metadata):
        order = list(table.primary_key.columns)
        rows[table.name] = [
            dict(row) for row in db.session.execute(select(table).order_by(*order)).mappings()
        ]
    return rows


def without_secrets(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {
        name: [
            {key: value for key, value in row.items() if (name, key) not in SECRET_COLUMNS}
            for row in table_rows
        ]
        for name, table_rows in rows.items()
    }


def empty_the_register():
    db.session.remove()
    db.drop_all()
    db.create_all()


@pytest.fixture
def full_register(records, world):
    note = DpiaImportNote(
        dpia=records.dorothy_dpia,
        source="pia.json",
        report='[["PIA name", "Title"]]',
        notes="Kept: ünïcode text\nwith two lines",
        created_by=world.dpo,
    )
    token, _ = ApiToken.issue(world.auditor, "Nightly copy", world.admin)
    db.session.add_all([note, token])
    db.session.commit()
    return records


def test_round_trip_keeps_every_field(app, full_register):
    before = all_rows()
    assert all(before[name] for name in ("users", "projects", "project_decisions", "dpias"))
    assert before["agreement_parties"] and before["dpia_import_notes"]
    content = export_register(db.session, db.metadata).to_json()

    empty_the_register()
    counts = import_register(db.session, db.metadata, content)
    db.session.commit()

    after = all_rows()
    assert counts == {name: len(rows) for name, rows in before.items()}
    assert set(after) == set(before)
    for name in before:
        expected = without_secrets(before)[name]
        actual = without_secrets(after)[name]
        assert len(actual) == len(expected), name
        for old, new in zip(expected, actual, strict=True):
            for column in old:
                assert new[column] == old[column], (name, column)


def test_round_trip_through_zip(app, full_register):
    before = without_secrets(all_rows())
    content = export_register(db.session, db.metadata).to_zip()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "register.json" in archive.namelist()
    empty_the_register()
    import_register(db.session, db.metadata, content)
    db.session.commit()
    assert without_secrets(all_rows()) == before


def test_secrets_left_out_and_replaced(app, full_register, world, client):
    document = json.loads(export_register(db.session, db.metadata).to_json())
    assert "api_tokens" not in document["tables"]
    for user in document["tables"]["users"]:
        assert "password_hash" not in user
        assert "session_token" not in user
    old_tokens = {user.id: user.session_token for user in db.session.scalars(select(User))}
    content = json.dumps(document).encode()
    empty_the_register()
    import_register(db.session, db.metadata, content)
    db.session.commit()
    for user in db.session.scalars(select(User)):
        assert user.session_token != old_tokens[user.id]
        assert not user.check_password(PASSWORD)
    response = client.post("/sign-in", data={"email": "dpo@example.org", "password": PASSWORD})
    assert response.status_code == 200


def test_new_records_after_import_get_fresh_ids(app, full_register, world):
    content = export_register(db.session, db.metadata).to_json()
    highest = db.session.scalar(select(User.id).order_by(User.id.desc()))
    empty_the_register()
    import_register(db.session, db.metadata, content)
    db.session.commit()
    user = User(email="new@example.org", name="New", role="dpo", password_hash="x")
    db.session.add(user)
    db.session.commit()
    assert user.id > highest


def test_newer_format_rejected(app, world):
    document = json.loads(export_register(db.session, db.metadata).to_json())
    document["format_version"] = exporter.FORMAT_VERSION + 1
    empty_the_register()
    with pytest.raises(SnapshotError, match="format version 2.*Update the register"):
        import_register(db.session, db.metadata, json.dumps(document).encode())
    assert all(not rows for rows in all_rows().values())


def test_older_format_upgraded(monkeypatch):
    def rename_table(document):
        document["tables"]["decisions"] = document["tables"].pop("old_decisions")
        return document

    monkeypatch.setattr(importer, "FORMAT_VERSION", 2)
    old = {"format": "privacy-register", "format_version": 1, "tables": {"old_decisions": []}}
    upgraded = upgrade_document(old, {1: rename_table})
    assert upgraded["format_version"] == 2
    assert upgraded["tables"] == {"decisions": []}
    with pytest.raises(SnapshotError, match="cannot be upgraded"):
        upgrade_document({"format": "privacy-register", "format_version": 1, "tables": {}}, {})


def test_non_empty_register_refused(app, full_register):
    content = export_register(db.session, db.metadata).to_json()
    before = all_rows()
    with pytest.raises(SnapshotError, match="already contains records"):
        import_register(db.session, db.metadata, content)
    db.session.rollback()
    assert all_rows() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something else"), "not a privacy register export"),
        (lambda d: d.update(format_version="1"), "no valid format_version"),
        (lambda d: d["tables"].update(passwords=[]), "tables this register does not"),
        (lambda d: d["tables"]["users"][0].update(shoe_size=9), "columns this register"),
        (lambda d: d["tables"]["decisions"][0].update(signed_on="2025-02-30"), "signed_on"),
        (lambda d: d["tables"]["decisions"][0].update(title=None), "a value is required"),
        (lambda d: d["tables"]["decisions"][0].update(title=12), "expected text"),
        (lambda d: d["tables"]["decisions"][0].update(title="a\x00b"), "NUL"),
        (lambda d: d["tables"]["decisions"][0].update(id="one"), "whole number"),
        (lambda d: d["tables"]["users"][0].update(is_active="yes"), "true or false"),
        (lambda d: d["tables"]["users"][0].update(created_at="2025-01-01T10:00"), "time zone"),
        (lambda d: d["tables"]["dpias"][0].update(project_id=999), "cannot be stored"),
        (lambda d: d["tables"].update(users={}), "must be a list"),
    ],
)
def test_invalid_export_rejected_and_nothing_stored(app, full_register, change, message):
    document = json.loads(export_register(db.session, db.metadata).to_json())
    change(document)
    empty_the_register()
    with pytest.raises(SnapshotError, match=message):
        import_register(db.session, db.metadata, json.dumps(document).encode())
    db.session.rollback()
    assert all(not rows for rows in all_rows().values())


@pytest.mark.parametrize("content", [b"", b"not json", b"\xff\xfe", b"PK\x03\x04broken", b"[]"])
def test_unreadable_file_rejected(app, content):
    with pytest.raises(SnapshotError):
        import_register(db.session, db.metadata, content)


@pytest.fixture
def attachment_metadata(app):
    """A schema with a binary column, as an attachments table would have."""
    metadata = MetaData()
    Table("owners", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))
    Table(
        "files",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner_id", ForeignKey("owners.id")),
        Column("filename", String(200)),
        Column("content", LargeBinary),
    )
    metadata.create_all(db.engine)
    yield metadata
    db.session.rollback()
    metadata.drop_all(db.engine)


def test_attachments_listed_and_zipped(app, attachment_metadata):
    owners, files = attachment_metadata.tables["owners"], attachment_metadata.tables["files"]
    payload = b"%PDF-1.7 signed agreement\x00\xff"
    db.session.execute(owners.insert(), [{"id": 1, "name": "MO3"}])
    db.session.execute(
        files.insert(), [{"id": 5, "owner_id": 1, "filename": "isa.pdf", "content": payload}]
    )
    db.session.commit()

    snapshot = export_register(db.session, attachment_metadata)
    [entry] = snapshot.document["attachments"]
    assert entry["name"] == "isa.pdf"
    assert entry["sha256"] == hashlib.sha256(payload).hexdigest()
    assert entry["path"] == "attachments/files/5/content"
    assert snapshot.document["tables"]["files"][0]["content"] == {"attachment": entry["path"]}
    zipped = snapshot.to_zip()
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        assert archive.read("attachments/files/5/content") == payload

    db.session.execute(files.delete())
    db.session.execute(owners.delete())
    db.session.commit()
    with pytest.raises(SnapshotError, match="import the ZIP export"):
        import_register(db.session, attachment_metadata, snapshot.to_json())
    db.session.rollback()
    import_register(db.session, attachment_metadata, zipped)
    db.session.commit()
    row = db.session.execute(select(files)).mappings().one()
    assert row["content"] == payload
    assert row["filename"] == "isa.pdf"


def test_damaged_attachment_rejected(app, attachment_metadata):
    owners, files = attachment_metadata.tables["owners"], attachment_metadata.tables["files"]
    db.session.execute(owners.insert(), [{"id": 1, "name": "MO3"}])
    db.session.execute(files.insert(), [{"id": 1, "owner_id": 1, "filename": "a", "content": b"x"}])
    db.session.commit()
    snapshot = export_register(db.session, attachment_metadata)
    snapshot.files["attachments/files/1/content"] = b"tampered"
    db.session.execute(files.delete())
    db.session.execute(owners.delete())
    db.session.commit()
    with pytest.raises(SnapshotError, match="does not match its SHA-256"):
        import_register(db.session, attachment_metadata, snapshot.to_zip())


def test_download_whole_register(client, login, full_register, world):
    login(world.auditor)
    response = client.get("/export/register.json")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert document["format_version"] == exporter.FORMAT_VERSION
    assert {row["reference"] for row in document["tables"]["agreements"]} == {
        "ISA-MO3-001",
        "ISA-FP-007",
    }
    response = client.get("/export/register.zip")
    assert response.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(response.data))


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_whole_register_refused_to_other_roles(client, login, world, role):
    login(getattr(world, role))
    assert client.get("/export/register.json").status_code == 403


def test_cli_export_and_import(app, runner, full_register, tmp_path):
    path = tmp_path / "register.zip"
    result = runner.invoke(args=["data", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(path)
    before = without_secrets(all_rows())
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 1
    assert "already contains records" in result.output
    empty_the_register()
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 0, result.output
    after = without_secrets(all_rows())
    # The import adds one audit entry of its own, after the restored ones.
    import_events = [e for e in after["audit_events"] if e["action"] == "import"]
    assert len(import_events) == 1
    after["audit_events"] = [e for e in after["audit_events"] if e["action"] != "import"]
    assert after == before

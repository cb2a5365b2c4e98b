"""Stale saves, archiving and restoring, and attachments with checksums."""

import io

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from core.attachments import storage
from core.attachments.models import Attachment
from core.audit import AuditEvent
from core.extensions import db
from core.projects.models import Decision, Project
from dpia.models import Dpia
from tests.conftest import table_snapshot


def decision_data(decision, version, **changes):
    data = {
        "reference": decision.reference,
        "title": decision.title,
        "decision_maker": decision.decision_maker,
        "issuing_body": decision.issuing_body,
        "summary": "",
        "link": "",
        "record_version": str(version),
    }
    data.update(changes)
    return data


# Optimistic locking


def test_stale_save_refused_and_input_kept(app, login, world):
    first = login(world.dpo)
    version = world.decision.version_id
    saved = first.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_data(world.decision, version, title="Saved first"),
    )
    assert saved.status_code == 302
    before = table_snapshot()
    stale = first.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_data(world.decision, version, title="Typed from an old copy"),
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "This record has changed since you opened it" in page
    assert "Saved first" in page
    assert 'value="Typed from an old copy"' in page
    assert table_snapshot() == before
    db.session.expire_all()
    assert db.session.get(Decision, world.decision.id).title == "Saved first"


def test_resave_after_conflict_succeeds(app, login, world):
    client = login(world.dpo)
    version = world.decision.version_id
    client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_data(world.decision, version, title="Saved first"),
    )
    stale = client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_data(world.decision, version, title="Mine"),
    ).get_data(as_text=True)
    current = stale.split('name="record_version" type="hidden" value="')[1].split('"')[0]
    again = client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_data(world.decision, current, title="Mine"),
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Decision, world.decision.id).title == "Mine"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/projects/{project}/edit", {"name": "Renamed", "owning_unit": "MO3", "status": "active"}),
        ("/parties/{party}/edit", {"name": "Renamed", "kind": "internal"}),
    ],
)
def test_stale_save_refused_on_projects_and_parties(login, world, url, data):
    client = login(world.dpo)
    data = dict(data, lead_id=str(world.lead.id), record_version="0")
    before = table_snapshot()
    response = client.post(
        url.format(project=world.dorothy.id, party=world.supervisors.id), data=data
    )
    assert response.status_code == 409
    assert table_snapshot() == before


def test_stale_user_edit_refused(login, world):
    client = login(world.admin)
    before = table_snapshot()
    response = client.post(
        f"/users/{world.lead.id}/edit",
        data={
            "email": world.lead.email,
            "name": "Changed",
            "role": "lead",
            "is_active": "y",
            "record_version": "0",
        },
    )
    assert response.status_code == 409
    assert table_snapshot() == before


def test_version_rises_on_each_save(app, world):
    version = world.dorothy.version_id
    world.dorothy.description = "Upgraded with the 2020/21 grant"
    db.session.commit()
    assert world.dorothy.version_id == version + 1


# Archive and restore


def test_archive_and_restore_with_reason(login, world):
    client = login(world.dpo)
    project_id = world.dorothy.id
    response = client.post(f"/projects/{project_id}/archive", data={"reason": "Grant period ended"})
    assert response.status_code == 302
    project = db.session.get(Project, project_id)
    assert project.is_archived
    assert project.archive_reason == "Grant period ended"
    assert "Archived on" in client.get(f"/projects/{project_id}").get_data(as_text=True)
    response = client.post(f"/projects/{project_id}/restore", data={"reason": "Grant extended"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Project, project_id).is_archived
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.record_type == "projects", AuditEvent.record_id == project_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == ["archive", "restore"]


def test_archive_needs_reason(login, world):
    client = login(world.dpo)
    before = table_snapshot()
    response = client.post(f"/decisions/{world.decision.id}/archive", data={"reason": "  "})
    assert "Enter the reason" in response.get_data(as_text=True)
    assert table_snapshot() == before


def test_archived_project_not_offered_for_new_records(login, world):
    client = login(world.dpo)
    client.post(f"/projects/{world.kestrel.id}/archive", data={"reason": "Cancelled"})
    page = client.get("/dpias/new").get_data(as_text=True)
    assert ">Project Dorothy</option>" in page
    assert ">Project Kestrel</option>" not in page


def test_database_refuses_orphans(app, world):
    dpia = Dpia(
        project=world.dorothy, decision=world.decision, title="Dorothy DPIA", owner_id=world.lead.id
    )
    db.session.add(dpia)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM projects WHERE id = :id"), {"id": world.dorothy.id})
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Project, world.dorothy.id) is not None


# Attachments


@pytest.fixture
def dpia(world):
    record = Dpia(
        project=world.dorothy, decision=world.decision, title="Dorothy DPIA", owner_id=world.lead.id
    )
    db.session.add(record)
    db.session.commit()
    return record


PDF = b"%PDF-1.7\n signed by both parties\n%%EOF"


def upload(client, dpia, content=PDF, filename="signed.pdf", **fields):
    data = {"file": (io.BytesIO(content), filename), "description": "Signed copy", **fields}
    return client.post(
        f"/attachments/dpia/{dpia.id}/new", data=data, content_type="multipart/form-data"
    )


def test_upload_and_download_with_checksum(app, login, world, dpia):
    client = login(world.lead)
    assert upload(client, dpia, is_signed_copy="y").status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.is_signed_copy
    assert attachment.size_bytes == len(PDF)
    page = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert attachment.sha256 in page
    assert "Signed copy" in page
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()


def test_tampered_file_not_served(app, login, world, dpia):
    client = login(world.lead)
    upload(client, dpia)
    attachment = db.session.scalar(select(Attachment))
    with app.test_request_context():
        storage.path_of(attachment).write_bytes(PDF + b"tampered")
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 409
    assert "no longer matches the checksum" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"MZ\x90\x00", "tool.exe", "The file must be one of these types"),
        (b"<html><script>", "page.pdf", "contents are not a PDF file"),
        (b"", "empty.pdf", "The selected file is empty"),
    ],
)
def test_bad_uploads_refused(app, login, world, dpia, content, filename, message):
    client = login(world.lead)
    before = table_snapshot()
    response = upload(client, dpia, content=content, filename=filename)
    assert message in response.get_data(as_text=True)
    assert table_snapshot() == before


def test_upload_size_limit(app, login, world, dpia):
    # Kept under the test client's 500 KB spooling threshold, whose temporary
    # file Werkzeug's test client leaves open.
    app.config["REGISTER_ATTACHMENT_MAX_MB"] = 0.25
    client = login(world.lead)
    before = table_snapshot()
    response = upload(client, dpia, content=b"%PDF-" + b"0" * (256 * 1024))
    assert "The file must be smaller than 0.25 MB" in response.get_data(as_text=True)
    assert table_snapshot() == before


def test_removal_keeps_entry_with_reason(app, login, world, dpia):
    client = login(world.lead)
    upload(client, dpia)
    attachment = db.session.scalar(select(Attachment))
    refused = client.post(f"/attachments/{attachment.id}/remove", data={"reason": ""})
    assert "Enter the reason" in refused.get_data(as_text=True)
    response = client.post(
        f"/attachments/{attachment.id}/remove", data={"reason": "Wrong file uploaded"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    attachment = db.session.get(Attachment, attachment.id)
    assert attachment.is_removed
    assert attachment.removal_reason == "Wrong file uploaded"
    with app.test_request_context():
        assert not storage.path_of(attachment).exists()
    assert client.get(f"/attachments/{attachment.id}").status_code == 404
    page = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "Wrong file uploaded" in page


def test_other_lead_cannot_upload(login, world, dpia):
    client = login(world.other_lead)
    before = table_snapshot()
    assert upload(client, dpia).status_code == 404
    assert table_snapshot() == before


def test_stale_dpia_save_refused(login, world, dpia):
    client = login(world.lead)
    before = table_snapshot()
    response = client.post(
        f"/dpias/{dpia.id}/edit",
        data={
            "project_id": str(world.dorothy.id),
            "decision_reference": "PCD 974",
            "owner_id": str(world.lead.id),
            "title": "Typed from an old copy",
            "regime": "both",
            "controller": "Metropolitan Police Service",
            "dpo_contact": "Data Protection Officer, dpo@example.org",
            "processing_summary": "Online investigation data",
            "next_review_on": ["1", "6", "2030"],
            "record_version": "0",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="Typed from an old copy"' in page
    assert table_snapshot() == before


def test_archived_record_tagged_in_list(login, world):
    client = login(world.dpo)
    assert "Archived</strong>" not in client.get("/parties").get_data(as_text=True)
    client.post(f"/parties/{world.cps.id}/archive", data={"reason": "No longer a partner"})
    assert "Archived</strong>" in client.get("/parties").get_data(as_text=True)

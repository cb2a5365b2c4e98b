"""The audit trail: row changes, sign-in events, append-only storage, pages."""

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from core.audit import AuditEvent, AuditTrailError, acting_as, record_event
from core.extensions import db
from core.projects.models import Decision, Party
from tests.conftest import PASSWORD, table_snapshot


def events(action=None, record_type=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    if record_type:
        query = query.where(AuditEvent.record_type == record_type)
    return db.session.scalars(query).all()


def decision_form(decision, **changes):
    data = {
        "reference": decision.reference,
        "title": decision.title,
        "decision_maker": decision.decision_maker,
        "issuing_body": decision.issuing_body,
        "summary": decision.summary,
        "link": decision.link,
        "record_version": str(decision.version_id),
    }
    data.update(changes)
    return data


def test_edit_records_changed_fields_and_actor(login, world):
    client = login(world.dpo)
    response = client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_form(world.decision, title="Dorothy grant, revised"),
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert response.status_code == 302
    [event] = events("update", "decisions")
    assert event.actor_id == world.dpo.id
    assert event.actor_label == "dpo@example.org"
    assert event.record_id == world.decision.id
    assert event.address == "192.0.2.7"
    assert event.changes == {
        "title": ["Grant Funding Project Dorothy 2020/21", "Dorothy grant, revised"]
    }


def test_create_records_new_values(login, world):
    client = login(world.dpo)
    response = client.post("/parties/new", data={"name": "Bedfordshire Police", "kind": "external"})
    assert response.status_code == 302
    event = events("create", "parties")[-1]
    assert event.changes["name"] == [None, "Bedfordshire Police"]
    assert event.changes["kind"] == [None, "external"]
    assert event.actor_id == world.dpo.id


def test_many_to_many_change_recorded(login, world):
    client = login(world.dpo)
    dorothy = world.dorothy
    response = client.post(
        f"/projects/{dorothy.id}/edit",
        data={
            "name": dorothy.name,
            "owning_unit": dorothy.owning_unit,
            "lead_id": str(world.lead.id),
            "status": "active",
            "decision_ids": [str(world.decision.id), str(world.other_decision.id)],
            "record_version": str(dorothy.version_id),
        },
    )
    assert response.status_code == 302
    [event] = events("update", "projects")
    assert event.changes["decisions"] == [
        [world.decision.id],
        sorted([world.decision.id, world.other_decision.id]),
    ]


def test_delete_recorded_with_old_values(app, world):
    party = Party(name="Short-lived team", kind="internal")
    db.session.add(party)
    db.session.commit()
    party_id = party.id
    db.session.delete(party)
    db.session.commit()
    [event] = events("delete", "parties")
    assert event.record_id == party_id
    assert event.changes["name"] == ["Short-lived team", None]


def test_secrets_never_stored_in_changes(login, world):
    client = login(world.admin)
    response = client.post(
        f"/users/{world.lead.id}/edit",
        data={
            "email": world.lead.email,
            "name": world.lead.name,
            "role": "lead",
            "is_active": "y",
            "password": "a new passphrase for Liam",
            "record_version": str(world.lead.version_id),
        },
    )
    assert response.status_code == 302
    [event] = events("update", "users")
    assert event.changes["password_hash"] == ["(not shown)", "(not shown)"]
    assert event.changes["session_token"] == ["(not shown)", "(not shown)"]
    assert "a new passphrase" not in str(event.changes)


def test_cli_actor_label(app, world):
    with acting_as("reminder job"):
        world.cps.description = "Receives case files"
        db.session.commit()
    [event] = events("update", "parties")
    assert event.actor_label == "reminder job"
    assert event.actor_id is None


def test_sign_in_events(client, world):
    client.post("/sign-in", data={"email": world.dpo.email, "password": "wrong password!"})
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "whatever it is"})
    client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    client.post("/sign-out")
    failed = events("sign_in_failed")
    assert [event.actor_label for event in failed] == [world.dpo.email, "nobody@example.org"]
    assert all(event.actor_id is None for event in failed)
    [signed_in] = events("sign_in")
    assert signed_in.actor_id == world.dpo.id
    [signed_out] = events("sign_out")
    assert signed_out.actor_id == world.dpo.id


def test_record_event_for_export(app, world):
    record_event("export", summary="Exported the register as CSV", user=world.auditor)
    db.session.commit()
    [event] = events("export")
    assert event.actor_id == world.auditor.id
    assert event.summary == "Exported the register as CSV"


def test_orm_update_of_audit_row_refused(app, world):
    event = db.session.scalars(select(AuditEvent)).first()
    event.summary = "rewritten"
    with pytest.raises(AuditTrailError):
        db.session.commit()
    db.session.rollback()


def test_orm_delete_of_audit_row_refused(app, world):
    event = db.session.scalars(select(AuditEvent)).first()
    db.session.delete(event)
    with pytest.raises(AuditTrailError):
        db.session.commit()
    db.session.rollback()


def test_bulk_update_of_audit_rows_refused(app, world):
    with pytest.raises(AuditTrailError):
        db.session.execute(update(AuditEvent).values(summary="rewritten"))
    db.session.rollback()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET summary = 'x'", "DELETE FROM audit_events"]
)
def test_database_refuses_raw_sql_on_audit_rows(app, world, statement):
    before = len(events())
    with pytest.raises(DatabaseError):
        db.session.execute(text(statement))
    db.session.rollback()
    assert len(events()) == before


def test_failed_audit_write_rolls_back_change(login, world, app):
    client = login(world.dpo)
    db.session.execute(text("DROP TABLE audit_events"))
    db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_form(world.decision, title="Never saved"),
    )
    assert response.status_code == 500
    db.session.expire_all()
    assert (
        db.session.get(Decision, world.decision.id).title == "Grant Funding Project Dorothy 2020/21"
    )


def test_record_page_shows_history(login, world):
    client = login(world.dpo)
    client.post(
        f"/decisions/{world.decision.id}/edit",
        data=decision_form(world.decision, title="Dorothy <grant>"),
    )
    page = client.get(f"/decisions/{world.decision.id}").get_data(as_text=True)
    assert "Audit trail of changes" in page
    assert "Dorothy &lt;grant&gt;" in page
    assert "dpo@example.org" in page


def test_audit_page_filters(login, world):
    client = login(world.auditor)
    page = client.get("/audit?record_type=parties&action=create").get_data(as_text=True)
    assert "National online network" in page
    assert "Project Dorothy" not in page


def test_audit_page_rejects_bad_filters_without_error(login, world):
    client = login(world.dpo)
    response = client.get("/audit?record_id=abc&since=30&since=2&since=2026&action=nonsense")
    assert response.status_code == 200
    assert "Record number must be a whole number" in response.get_data(as_text=True)


def test_audit_page_number_alone_shows_no_error(login, world):
    client = login(world.dpo)
    page = client.get("/audit?page=1").get_data(as_text=True)
    assert "<title>Error:" not in page
    assert "Select an action" not in page


@pytest.mark.parametrize("role", ["admin", "lead", "other_lead"])
def test_audit_page_refused_to_other_roles(login, world, role):
    client = login(getattr(world, role))
    assert client.get("/audit").status_code == 403


def test_refused_request_writes_no_audit_row(login, world):
    client = login(world.lead)
    before = table_snapshot()
    response = client.post("/parties/new", data={"name": "Sneaky", "kind": "internal"})
    assert response.status_code == 403
    assert table_snapshot() == before


def test_audit_who_filter_ignores_case(login, world):
    client = login(world.dpo)
    upper = client.get("/export/audit.csv?actor=DPO%40EXAMPLE").get_data(as_text=True)
    rows = upper.splitlines()
    assert len(rows) > 1
    assert all("dpo@example.org" in row for row in rows[1:])
    page = client.get("/audit?actor=DPO%40EXAMPLE").get_data(as_text=True)
    assert "No events match" not in page


def test_nul_in_text_filters_not_error(login, world):
    client = login(world.dpo)
    for path in (
        "/audit?actor=a%00b",
        "/dpias?project_name=%00",
        "/reviews?project_name=%00&owner_name=%00",
        "/assessments?project_name=%00",
        "/export/audit.csv?actor=%00",
        "/export/dpias.csv?project_name=%00",
        "/export/reviews-due.csv?owner_name=%00",
    ):
        assert client.get(path).status_code == 200, path

"""The main journey through HTTP: decision, project, DPIA, advice, sign-off, confirmation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.auth.models import Role
from core.extensions import db
from core.projects.models import Decision, Project
from core.timeutil import local_today
from dpia.models import Dpia
from tests.conftest import sign_in


def date_boxes(day):
    return [str(day.day), str(day.month), str(day.year)]


def test_dorothy_journey(app, make_user):
    dpo = make_user(Role.DPO, "dpo@example.org", "Dana Okafor")
    lead = make_user(Role.LEAD, "lead@example.org", "Liam Hart")
    other_lead = make_user(Role.LEAD, "lead2@example.org", "Priya Shah")
    today = local_today()

    dpo_client = app.test_client()
    sign_in(dpo_client, dpo)
    response = dpo_client.post(
        "/decisions/new",
        data={
            "reference": "PCD 974",
            "title": "Grant Funding Project Dorothy 2020/21",
            "decision_maker": "Deputy Mayor for Policing and Crime",
            "issuing_body": "MOPAC",
            "signed_on": ["", "", ""],
            "summary": "£569,000 grant from Bedfordshire Police for 2020/21.",
        },
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision).where(Decision.reference_key == "PCD 974"))
    assert decision.signed_on is None

    response = dpo_client.post(
        "/projects/new",
        data={
            "name": "Project Dorothy",
            "owning_unit": "Met Operations 3",
            "lead_id": str(lead.id),
            "status": "active",
            "decision_ids": [str(decision.id)],
        },
    )
    assert response.status_code == 302
    project = db.session.scalar(select(Project).where(Project.name == "Project Dorothy"))

    review_on = today + timedelta(days=200)
    response = dpo_client.post(
        "/dpias/new",
        data={
            "project_id": str(project.id),
            "decision_reference": "pcd 974",
            "owner_id": str(lead.id),
            "next_review_on": date_boxes(review_on),
            "title": "Dorothy online investigation upgrade",
            "processing_summary": "Material gathered online about suspects and witnesses.",
        },
    )
    assert response.status_code == 302
    dpia = db.session.scalar(select(Dpia))
    assert dpia.decision_id == decision.id
    assert dpia.status == "draft"

    response = dpo_client.post(
        f"/dpias/{dpia.id}/advice",
        data={"dpo_advice": "Proceed with role-based access.", "dpo_advice_on": date_boxes(today)},
    )
    assert response.status_code == 302
    response = dpo_client.post(
        f"/dpias/{dpia.id}/sign-off",
        data={"signed_off_on": date_boxes(today), "next_review_on": date_boxes(review_on)},
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "approved"
    assert dpia.signed_off_by_id == dpo.id

    other_client = app.test_client()
    sign_in(other_client, other_lead)
    assert other_client.get(f"/dpias/{dpia.id}").status_code == 404
    assert other_client.post(f"/dpias/{dpia.id}/confirm").status_code == 404
    assert "Dorothy online" not in other_client.get("/").get_data(as_text=True)

    lead_client = app.test_client()
    sign_in(lead_client, lead)
    dashboard = lead_client.get("/").get_data(as_text=True)
    assert "awaiting the project lead" in dashboard
    assert "Your confirmation needed" in dashboard
    response = lead_client.post(f"/dpias/{dpia.id}/confirm")
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.confirmed_by_id == lead.id
    assert dpia.confirmed_at is not None
    page = lead_client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "By Liam Hart on" in page

    again = lead_client.post(f"/dpias/{dpia.id}/confirm", follow_redirects=True)
    assert "already confirmed" in again.get_data(as_text=True)


def test_sign_off_rejects_review_before_sign_off(client, login, world):
    dpia = Dpia(
        project=world.dorothy,
        decision=world.decision,
        title="Dorothy DPIA",
        owner=world.lead,
        next_review_on=world.today + timedelta(days=30),
        dpo_advice="Proceed",
        dpo_advice_on=world.today,
    )
    db.session.add(dpia)
    db.session.commit()
    login(world.dpo)
    response = client.post(
        f"/dpias/{dpia.id}/sign-off",
        data={
            "signed_off_on": date_boxes(world.today),
            "next_review_on": date_boxes(world.today - timedelta(days=1)),
        },
    )
    assert response.status_code == 200
    assert "Next review date must be after the sign-off date" in response.get_data(as_text=True)
    db.session.refresh(dpia)
    assert dpia.signed_off_on is None
    assert dpia.status == "draft"


def test_sign_off_needs_advice_first(client, login, world):
    dpia = Dpia(project=world.dorothy, decision=world.decision, title="No advice", owner=world.lead)
    db.session.add(dpia)
    db.session.commit()
    login(world.dpo)
    response = client.post(
        f"/dpias/{dpia.id}/sign-off",
        data={
            "signed_off_on": date_boxes(world.today),
            "next_review_on": date_boxes(world.today + timedelta(days=90)),
        },
    )
    assert response.status_code == 200
    assert "Record the DPO&#39;s advice before signing off" in response.get_data(as_text=True)
    db.session.refresh(dpia)
    assert dpia.signed_off_on is None


def test_lead_cannot_sign_off_or_confirm_unsigned(client, login, world):
    dpia = Dpia(project=world.dorothy, decision=world.decision, title="Draft", owner=world.lead)
    db.session.add(dpia)
    db.session.commit()
    login(world.lead)
    assert client.get(f"/dpias/{dpia.id}/sign-off").status_code == 403
    response = client.post(f"/dpias/{dpia.id}/confirm", follow_redirects=True)
    assert "must be signed off before" in response.get_data(as_text=True)
    db.session.refresh(dpia)
    assert dpia.confirmed_at is None


def valid_dpia_form(world, **changes):
    data = {
        "project_id": str(world.dorothy.id),
        "decision_reference": "PCD 974",
        "owner_id": str(world.lead.id),
        "next_review_on": date_boxes(world.today + timedelta(days=100)),
        "title": "Dorothy DPIA",
        "processing_summary": "What is processed.",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision_reference": "PCD 999"}, "No decision has the reference PCD 999"),
        ({"decision_reference": "PCD 1502"}, "Decision PCD 1502 does not govern Project Dorothy"),
        ({"decision_reference": ""}, "Enter the reference of the decision"),
        ({"title": ""}, "Enter the DPIA&#39;s title"),
        ({"title": "t" * 5000}, "Title must be 200 characters or fewer"),
        ({"next_review_on": ["30", "2", "2027"]}, "Next review date must be a real date"),
        ({"next_review_on": ["", "", ""]}, "Enter the next review date"),
        ({"project_id": str(10**9)}, "Select the project"),
        ({"owner_id": "x"}, "Select who owns this record"),
        ({"processing_summary": ""}, "Describe the processing the DPIA covers"),
    ],
)
def test_dpia_form_rejects_bad_input(client, login, world, changes, message):
    login(world.dpo)
    response = client.post("/dpias/new", data=valid_dpia_form(world, **changes))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in text
    assert db.session.query(Dpia).count() == 0
    if changes.get("title") == "":
        assert "What is processed." in text


def test_lead_cannot_log_dpia_for_other_project(client, login, world):
    login(world.lead)
    data = valid_dpia_form(world, project_id=str(world.kestrel.id), decision_reference="PCD 1502")
    response = client.post("/dpias/new", data=data)
    assert response.status_code == 200
    assert "Select the project" in response.get_data(as_text=True)
    assert db.session.query(Dpia).count() == 0


def test_auditor_reads_but_cannot_change(client, login, world):
    dpia = Dpia(project=world.dorothy, decision=world.decision, title="Read me", owner=world.lead)
    db.session.add(dpia)
    db.session.commit()
    login(world.auditor)
    assert client.get(f"/dpias/{dpia.id}").status_code == 200
    assert client.post("/dpias/new", data=valid_dpia_form(world)).status_code == 403
    assert client.post(f"/dpias/{dpia.id}/edit", data=valid_dpia_form(world)).status_code == 403
    assert db.session.query(Dpia).count() == 1

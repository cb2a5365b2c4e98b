"""Workflow: legal transitions only, who may make them, and review versions."""

import pytest

from core.extensions import db
from dpia.models import Dpia
from dpia.workflow import TRANSITIONS
from tests.dpia.conftest import snapshot


def flash_after(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("role", ["dpo", "lead"])
@pytest.mark.parametrize("target", ["approved", "approved_with_conditions", "superseded"])
def test_draft_cannot_jump_to_approval(client, login, world, make_dpia, role, target):
    dpia = make_dpia("draft")
    before = snapshot(dpia)
    login(getattr(world, role))
    page = flash_after(client, client.post(f"/dpias/{dpia.id}/move", data={"to": target}))
    assert "A DPIA that is draft cannot move to" in page
    assert "It can move to: awaiting dpo advice" in page
    assert snapshot(dpia) == before


def test_unknown_target_is_refused(client, login, world, make_dpia):
    dpia = make_dpia("draft")
    before = snapshot(dpia)
    login(world.dpo)
    for target in ("published", "", "\x00", "a" * 5000):
        page = flash_after(client, client.post(f"/dpias/{dpia.id}/move", data={"to": target}))
        assert "Choose a state from the list" in page
    assert snapshot(dpia) == before


def test_transition_table_has_no_dead_ends_but_superseded():
    for state, targets in TRANSITIONS.items():
        assert targets or state == "superseded"


def test_lead_submits_complete_draft(client, login, world, make_dpia):
    dpia = make_dpia("draft")
    login(world.lead)
    page = flash_after(
        client, client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"})
    )
    assert "is now awaiting dpo advice" in page
    db.session.refresh(dpia)
    assert dpia.status == "awaiting_dpo_advice"
    assert dpia.history[-1].changed_by_id == world.lead.id


def test_incomplete_draft_cannot_be_submitted(client, login, world, make_dpia):
    dpia = make_dpia("new")
    before = snapshot(dpia)
    login(world.lead)
    page = flash_after(
        client, client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"})
    )
    assert "Complete these steps before sending the DPIA to the DPO" in page
    assert "Answer the screening questions" in page
    assert snapshot(dpia) == before


def test_medium_risk_without_measure_blocks_submission(client, login, world, make_dpia):
    dpia = make_dpia("draft", risks=(("possible", "significant", None),))
    before = snapshot(dpia)
    login(world.lead)
    page = flash_after(
        client, client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"})
    )
    assert "Add a measure for risk 1, which is medium" in page
    assert snapshot(dpia) == before


def test_low_risk_needs_no_measure(client, login, world, make_dpia):
    dpia = make_dpia("draft", risks=(("remote", "minimal", None),))
    login(world.lead)
    client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"})
    db.session.refresh(dpia)
    assert dpia.status == "awaiting_dpo_advice"


def test_dpo_sends_back_with_comment(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_dpo_advice")
    before = snapshot(dpia)
    login(world.dpo)
    response = client.post(f"/dpias/{dpia.id}/send-back", data={"comment": ""})
    assert "Enter what the drafter should change" in response.get_data(as_text=True)
    assert snapshot(dpia) == before
    response = client.post(f"/dpias/{dpia.id}/send-back", data={"comment": "Add retention"})
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "draft"
    assert dpia.history[-1].comment == "Add retention"


@pytest.mark.parametrize(
    ("state", "target", "message"),
    [
        ("awaiting_dpo_advice", "draft", "Only the DPO can move a DPIA to draft"),
        ("awaiting_signoff", "approved", "Only the DPO can move a DPIA to approved"),
        ("awaiting_dpo_advice", "awaiting_signoff", "Only the DPO can move a DPIA to awaiting"),
    ],
)
def test_lead_cannot_make_dpo_moves(client, login, world, make_dpia, state, target, message):
    dpia = make_dpia(state)
    before = snapshot(dpia)
    login(world.lead)
    page = flash_after(client, client.post(f"/dpias/{dpia.id}/move", data={"to": target}))
    assert message in page
    assert snapshot(dpia) == before
    assert client.post(f"/dpias/{dpia.id}/advice", data={}).status_code == 403
    assert client.post(f"/dpias/{dpia.id}/send-back", data={}).status_code == 403


def test_other_lead_and_auditor(client, login, world, make_dpia):
    dpia = make_dpia("draft")
    before = snapshot(dpia)
    login(world.other_lead)
    for url in (f"/dpias/{dpia.id}", f"/dpias/{dpia.id}/tasks", f"/dpias/{dpia.id}/steps/need"):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"}).status_code == 404
    )
    assert client.post(f"/dpias/{dpia.id}/confirm").status_code == 404
    login(world.auditor)
    assert client.get(f"/dpias/{dpia.id}").status_code == 200
    assert client.get(f"/dpias/{dpia.id}/tasks").status_code == 200
    assert (
        client.post(f"/dpias/{dpia.id}/steps/need", data={"need_summary": "x"}).status_code == 403
    )
    assert (
        client.post(f"/dpias/{dpia.id}/move", data={"to": "awaiting_dpo_advice"}).status_code == 403
    )
    assert client.post(f"/dpias/{dpia.id}/screening", data={}).status_code == 403
    assert snapshot(dpia) == before


def test_unknown_step_is_not_found(client, login, world, make_dpia):
    dpia = make_dpia("draft")
    login(world.dpo)
    assert client.get(f"/dpias/{dpia.id}/steps/signoff").status_code == 404
    assert client.get(f"/dpias/{dpia.id}/steps/..%2f").status_code == 404


def test_approved_dpia_cannot_be_edited(client, login, world, make_dpia):
    dpia = make_dpia("approved")
    login(world.lead)
    response = client.post(f"/dpias/{dpia.id}/steps/need", data={"need_summary": "Changed"})
    assert "Start a review to draft a new version" in flash_after(client, response)
    db.session.refresh(dpia)
    assert dpia.need_summary == "Upgrade of covert online deployments."


def test_lead_confirms_only_after_approval(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    login(world.lead)
    page = flash_after(client, client.post(f"/dpias/{dpia.id}/confirm"))
    assert "must be approved before its project lead confirms it" in page
    db.session.refresh(dpia)
    assert dpia.confirmed_at is None


def test_dpo_reopens_not_proceeding(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    dpia.status = "not_proceeding"
    db.session.commit()
    login(world.lead)
    page = flash_after(client, client.post(f"/dpias/{dpia.id}/move", data={"to": "draft"}))
    assert "Only the DPO can reopen a DPIA" in page
    db.session.refresh(dpia)
    assert dpia.status == "not_proceeding"
    login(world.dpo)
    client.post(f"/dpias/{dpia.id}/move", data={"to": "draft"})
    db.session.refresh(dpia)
    assert dpia.status == "draft"


def test_review_creates_new_version(client, login, world, make_dpia):
    dpia = make_dpia("approved")
    lead_client = client
    login(world.lead)
    lead_client.post(f"/dpias/{dpia.id}/confirm")
    old = snapshot(dpia)
    signed_off_by = dpia.signed_off_by_id
    confirmed_at = db.session.get(Dpia, dpia.id).confirmed_at
    assert client.post(f"/dpias/{dpia.id}/review", data={"reason": "x"}).status_code == 403

    login(world.dpo)
    response = client.post(f"/dpias/{dpia.id}/review", data={"reason": ""})
    assert "Enter why the DPIA is being reviewed" in response.get_data(as_text=True)
    assert db.session.query(Dpia).count() == 1

    response = client.post(f"/dpias/{dpia.id}/review", data={"reason": "New recipient"})
    assert response.status_code == 302
    db.session.expire_all()
    old_version = db.session.get(Dpia, dpia.id)
    new_version = db.session.scalar(db.select(Dpia).where(Dpia.previous_id == dpia.id))
    assert old_version.status == "superseded"
    assert old_version.signed_off_on == old["signed_off_on"]
    assert old_version.signed_off_by_id == signed_off_by
    assert old_version.confirmed_at == confirmed_at
    assert old_version.outcome == "proceed"
    assert new_version.version == 2
    assert new_version.status == "under_review"
    assert new_version.signed_off_on is None
    assert new_version.outcome == ""
    assert new_version.need_summary == old_version.need_summary
    assert len(new_version.risks) == len(old_version.risks)
    assert new_version.risks[0].id != old_version.risks[0].id
    assert new_version.screening.id != old_version.screening.id
    assert "Review of version 1: New recipient" in new_version.history[0].comment

    response = client.post(f"/dpias/{dpia.id}/review", data={"reason": "Again"})
    assert "Only an approved DPIA can be reviewed" in flash_after(client, response)
    assert db.session.query(Dpia).count() == 2
    page = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "This version is superseded by" in page


def test_new_version_goes_back_to_review_state(client, login, world, make_dpia):
    dpia = make_dpia("approved")
    login(world.dpo)
    client.post(f"/dpias/{dpia.id}/review", data={"reason": "Scheduled review"})
    new_version = db.session.scalar(db.select(Dpia).where(Dpia.previous_id == dpia.id))
    client.post(f"/dpias/{new_version.id}/move", data={"to": "awaiting_dpo_advice"})
    client.post(f"/dpias/{new_version.id}/send-back", data={"comment": "Check the risks"})
    db.session.refresh(new_version)
    assert new_version.status == "under_review"


def test_dpia_page_shows_history(client, login, world, make_dpia):
    dpia = make_dpia("approved")
    login(world.auditor)
    text = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "Draft to Awaiting DPO advice" in text
    assert "Awaiting sign-off to Approved" in text
    assert world.dpo.name in text

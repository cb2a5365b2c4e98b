"""Status changes: who may make them, which are legal, and expiry worked out on read."""

import html

import pytest

from core.extensions import db
from sharing.lifecycle import available_actions
from sharing.models import Agreement
from tests.conftest import days


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def reload(agreement_id: int) -> Agreement:
    db.session.expire_all()
    return db.session.get(Agreement, agreement_id)


def test_active_agreement_past_end_shows_expired(world, make_agreement):
    agreement = make_agreement(status="active", end_on=world.today - days(1))
    assert agreement.status == "active"
    assert agreement.effective_status(world.today) == "expired"
    assert agreement.effective_status(world.today - days(2)) == "active"


def test_end_date_today_still_active(world, make_agreement):
    agreement = make_agreement(status="active", end_on=world.today)
    assert agreement.effective_status(world.today) == "active"


def test_draft_past_end_stays_draft(world, make_agreement):
    agreement = make_agreement(end_on=world.today - days(1))
    assert agreement.effective_status(world.today) == "draft"


def test_expired_page_and_register(client, login, world, make_agreement):
    agreement = make_agreement(status="active", end_on=world.today - days(3))
    login(world.auditor)
    assert "Expired" in page(client.get(f"/agreements/{agreement.id}"))
    expired = page(client.get("/agreements?status=expired"))
    active = page(client.get("/agreements?status=active"))
    assert agreement.reference in expired
    assert agreement.reference not in active


@pytest.mark.parametrize(
    ("status", "end_offset", "expected"),
    [
        ("draft", None, ["activate", "terminate"]),
        ("active", None, ["suspend", "terminate"]),
        ("suspended", None, ["reinstate", "terminate"]),
        ("active", -1, ["terminate"]),
        ("terminated", None, []),
    ],
)
def test_available_actions(world, make_agreement, status, end_offset, expected):
    end_on = world.today + days(end_offset) if end_offset is not None else None
    agreement = make_agreement(status=status, end_on=end_on)
    assert [a.name for a in available_actions(agreement, world.today)] == expected


def test_illegal_transition_rejected(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.dpo)
    response = client.post(f"/agreements/{agreement.id}/status/suspend", data={"reason": "x"})
    assert response.status_code == 302
    follow = page(client.get(response.headers["Location"]))
    assert "An agreement that is draft cannot be changed in that way" in follow
    assert reload(agreement.id).status == "draft"


def test_expired_agreement_cannot_be_reinstated(client, login, world, make_agreement):
    agreement = make_agreement(status="suspended", end_on=world.today - days(1))
    login(world.dpo)
    client.post(f"/agreements/{agreement.id}/status/reinstate", data={})
    assert reload(agreement.id).status == "suspended"


def test_unknown_action_not_found(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.dpo)
    assert client.post(f"/agreements/{agreement.id}/status/approve-all").status_code == 404


def test_suspend_needs_reason(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    login(world.dpo)
    response = client.post(f"/agreements/{agreement.id}/status/suspend", data={"reason": ""})
    assert "Enter the reason to suspend the agreement" in page(response)
    assert reload(agreement.id).status == "active"


def test_suspend_reinstate_terminate(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    login(world.dpo)
    client.post(f"/agreements/{agreement.id}/status/suspend", data={"reason": "Breach review"})
    record = reload(agreement.id)
    assert record.status == "suspended"
    assert record.status_reason == "Breach review"
    client.post(f"/agreements/{agreement.id}/status/reinstate", data={})
    assert reload(agreement.id).status == "active"
    client.post(f"/agreements/{agreement.id}/status/terminate", data={"reason": "Replaced"})
    assert reload(agreement.id).status == "terminated"


def test_terminated_agreement_is_locked(client, login, world, make_agreement):
    agreement = make_agreement(status="terminated")
    login(world.dpo)
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 403
    assert client.get(f"/agreements/{agreement.id}/parties/new").status_code == 403
    assert "Change agreement" not in page(client.get(f"/agreements/{agreement.id}"))


@pytest.mark.parametrize("role", ["lead", "auditor", "admin"])
def test_only_dpo_changes_status(client, login, world, make_agreement, role):
    agreement = make_agreement()
    login(getattr(world, role))
    response = client.post(f"/agreements/{agreement.id}/status/activate", data={})
    assert response.status_code == 403
    assert reload(agreement.id).status == "draft"


def test_lead_sees_no_status_buttons(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.lead)
    body = page(client.get(f"/agreements/{agreement.id}"))
    assert "Change agreement" in body
    assert "Approve and activate" not in body


def test_lead_edits_own_agreement(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.lead)
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 200


def test_other_lead_cannot_see_agreement(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.other_lead)
    assert client.get(f"/agreements/{agreement.id}").status_code == 404
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 404
    assert client.post(f"/agreements/{agreement.id}/purposes/new").status_code == 404
    assert agreement.reference not in page(client.get("/agreements"))


def test_auditor_reads_but_cannot_edit(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.auditor)
    assert client.get(f"/agreements/{agreement.id}").status_code == 200
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 403
    assert client.get("/agreements/new").status_code == 403
    response = client.post(f"/agreements/{agreement.id}/versions/new", data={})
    assert response.status_code == 403


def test_new_version_recorded(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.lead)
    response = client.post(
        f"/agreements/{agreement.id}/versions/new",
        data={
            "change": "Added the retention of deconfliction records",
            "authorised_by": "Dana Okafor, DPO",
            "changed_on": [str(world.today.day), str(world.today.month), str(world.today.year)],
        },
    )
    assert response.status_code == 302
    record = reload(agreement.id)
    assert record.version == 2
    assert [v.number for v in record.versions] == [1, 2]
    assert record.versions[-1].authorised_by == "Dana Okafor, DPO"


def test_new_version_date_not_in_future(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.lead)
    tomorrow = world.today + days(1)
    response = client.post(
        f"/agreements/{agreement.id}/versions/new",
        data={
            "change": "Something",
            "authorised_by": "Dana Okafor",
            "changed_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
        },
    )
    assert "Date of the change must be today or in the past" in page(response)
    assert reload(agreement.id).version == 1


def test_created_agreement_is_draft_version_1(client, login, world, agreement_form):
    login(world.lead)
    response = client.post("/agreements/new", data=agreement_form())
    assert response.status_code == 302
    record = db.session.query(Agreement).one()
    assert record.status == "draft"
    assert record.version == 1
    assert record.versions[0].authorised_by == world.lead.name


def test_in_force_agreement_keeps_signatory(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    link = agreement.parties[1]
    login(world.lead)
    response = client.post(
        f"/agreements/{agreement.id}/parties/{link.id}",
        data={
            "party_id": str(link.party_id),
            "role": "both",
            "controller_status": "controller",
            "retention": "12 months",
            "signatory_name": "",
            "signatory_position": "",
            "signed_on": ["", "", ""],
        },
    )
    body = page(response)
    assert "Record the signatory's name, position and date for National online network" in body
    assert "because the agreement is in force" in body
    assert reload(agreement.id).parties[1].signatory_name == "J. Marsh"


def test_in_force_agreement_keeps_external_party(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    link = agreement.parties[1]
    login(world.lead)
    response = client.post(f"/agreements/{agreement.id}/parties/{link.id}/remove", data={})
    assert response.status_code == 302
    assert "Not removed" in page(client.get(response.headers["Location"]))
    assert len(reload(agreement.id).parties) == 2


def test_in_force_agreement_keeps_required_text(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    login(world.lead)
    response = client.get(f"/agreements/{agreement.id}/edit")
    assert response.status_code == 200
    from tests.sharing.conftest import date_parts

    data = {
        "reference": agreement.reference,
        "title": agreement.title,
        "project_id": str(world.dorothy.id),
        "decision_reference": "PCD 974",
        "dpia_id": "0",
        "owner_id": str(world.lead.id),
        "relationship_kind": "controller_to_controller",
        "frequency": "routine",
        "direction": "reciprocal",
        "regime": "uk_gdpr",
        "purpose": "",
        "data_items": "Online identifiers",
        "security": "Encrypted",
        "termination": "Notice",
        "start_on": date_parts(agreement.start_on),
        "next_review_on": date_parts(agreement.next_review_on),
    }
    body = page(client.post(f"/agreements/{agreement.id}/edit", data=data))
    assert "Enter the purpose of the sharing, because the agreement is in force" in body
    assert "Purpose 1: Select the Article 6 lawful basis" in body
    record = reload(agreement.id)
    assert record.regime == "dpa_part3"
    assert record.purpose == "Deconflicting online deployments"


def test_activation_page_lists_problems(client, login, world, make_agreement):
    agreement = make_agreement(security="", purposes=[])
    login(world.dpo)
    body = page(client.get(f"/agreements/{agreement.id}/status/activate"))
    assert "The agreement cannot become active yet" in body
    assert "Describe the security measures" in body
    assert "Add at least one purpose with its lawful basis" in body
    assert 'type="submit"' not in body.split("Before it can become active")[1].split("</main>")[0]


def test_dpo_sees_legal_actions_only(client, login, world, make_agreement):
    agreement = make_agreement(status="active")
    login(world.dpo)
    body = page(client.get(f"/agreements/{agreement.id}"))
    assert f"/agreements/{agreement.id}/status/suspend" in body
    assert f"/agreements/{agreement.id}/status/terminate" in body
    assert f"/agreements/{agreement.id}/status/activate" not in body
    assert f"/agreements/{agreement.id}/status/reinstate" not in body

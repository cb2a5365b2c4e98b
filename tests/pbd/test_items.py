"""Answering checklist items and recording progress on their actions."""

import pytest

from core.extensions import db
from dpia.pbd_models import PbdItem
from tests.conftest import days
from tests.pbd.conftest import give_action


def item_data(world, **overrides) -> dict:
    due = world.today + days(30)
    data = {
        "status": "met",
        "not_applicable_reason": "",
        "evidence": "Design document section 4.",
        "evidence_link": "https://intranet.example.org/design",
        "action": "",
        "action_owner_id": "",
        "action_due_on": ["", "", ""],
        "action_status": "",
    }
    if overrides.pop("with_action", False):
        data.update(
            action="Add field-level redaction.",
            action_owner_id=str(world.lead.id),
            action_due_on=[str(due.day), str(due.month), str(due.year)],
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(item: PbdItem) -> tuple:
    db.session.expire_all()
    stored = db.session.get(PbdItem, item.id)
    return (
        stored.status,
        stored.evidence,
        stored.evidence_link,
        stored.action,
        stored.action_owner_id,
        stored.action_due_on,
        stored.action_status,
        stored.not_applicable_reason,
    )


def item_url(assessment, code: str) -> str:
    return f"/assessments/{assessment.id}/items/{assessment.item(code).id}"


def test_lead_answers_item_met(make_assessment, world, login):
    assessment = make_assessment()
    client = login(world.lead)
    response = client.post(item_url(assessment, "techniques"), data=item_data(world))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/assessments/{assessment.id}#item-techniques"
    status, evidence, link, action, *_ = snapshot(assessment.item("techniques"))
    assert status == "met"
    assert evidence == "Design document section 4."
    assert link == "https://intranet.example.org/design"
    assert action == ""


@pytest.mark.parametrize("status", ["not_met", "partly_met"])
def test_gap_with_action_saved_open(make_assessment, world, login, status):
    assessment = make_assessment()
    client = login(world.lead)
    data = item_data(world, status=status, with_action=True)
    assert client.post(item_url(assessment, "techniques"), data=data).status_code == 302
    stored = snapshot(assessment.item("techniques"))
    assert stored[0] == status
    assert stored[3] == "Add field-level redaction."
    assert stored[4] == world.lead.id
    assert stored[5] == world.today + days(30)
    assert stored[6] == "open"


RULE_CASES = [
    ({"status": "not_met"}, "Enter the action, because an item that is not met needs one"),
    ({"status": "partly_met"}, "Enter the action, because an item that is partly met needs one"),
    ({"status": "not_met"}, "Select the action&#39;s owner"),
    ({"status": "not_met"}, "Enter the date the action is due"),
    (
        {"status": "not_met", "with_action": True, "action_owner_id": ""},
        "Select the action&#39;s owner",
    ),
    (
        {"status": "partly_met", "with_action": True, "action_due_on": ["", "", ""]},
        "Enter the date the action is due",
    ),
    ({"status": "not_applicable"}, "Enter why the item does not apply to this project"),
    ({"status": ""}, "Select whether the item is met, partly met, not met or not applicable"),
    ({"status": "excellent"}, "Select whether the item is met, partly met, not met"),
    ({"evidence_link": "javascript:alert(1)"}, "Enter a link that starts with http:// or https://"),
    ({"evidence_link": "ftp://files.example.org/a"}, "Enter a link that starts with http://"),
    ({"evidence_link": "https://" + "a" * 500}, "Link to the evidence must be 500 characters"),
    ({"evidence": "e" * 20001}, "Evidence must be 20000 characters or fewer"),
    ({"with_action": True, "action_owner_id": "x"}, "Select the action&#39;s owner from the list"),
    ({"with_action": True, "action_owner_id": "99999"}, "Select the action&#39;s owner from"),
    ({"with_action": True, "action_due_on": ["30", "2", "2027"]}, "Action due date must be a real"),
    ({"with_action": True, "action_due_on": ["1", "", "2027"]}, "must include a month"),
    ({"with_action": True, "action_status": "finished"}, "Select the action&#39;s status from"),
    ({"action_owner_id": None, "action": "Do it"}, "Select the action&#39;s owner"),
    (
        {"action_owner_id": "0", "action_due_on": ["1", "1", "2030"]},
        "Enter the action, or clear its owner and due date",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), RULE_CASES)
def test_item_rules_reject_with_message(make_assessment, world, login, overrides, message):
    assessment = make_assessment()
    item = assessment.item("techniques")
    before = snapshot(item)
    client = login(world.lead)
    response = client.post(item_url(assessment, "techniques"), data=item_data(world, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert snapshot(item) == before


def test_item_keeps_input_on_error(make_assessment, world, login):
    assessment = make_assessment()
    client = login(world.lead)
    data = item_data(world, status="not_met", evidence="Typed evidence stays")
    page = client.post(item_url(assessment, "techniques"), data=data).get_data(as_text=True)
    assert "Typed evidence stays" in page
    assert 'value="not_met" checked>' in page


def test_not_applicable_with_reason(make_assessment, world, login):
    assessment = make_assessment()
    client = login(world.lead)
    data = item_data(world, status="not_applicable", not_applicable_reason="No processors used.")
    assert client.post(item_url(assessment, "techniques"), data=data).status_code == 302
    stored = snapshot(assessment.item("techniques"))
    assert stored[0] == "not_applicable"
    assert stored[7] == "No processors used."


def test_met_item_drops_cleared_action(make_assessment, world, login):
    assessment = make_assessment()
    item = assessment.item("techniques")
    item.status = "partly_met"
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    client = login(world.lead)
    assert client.post(item_url(assessment, "techniques"), data=item_data(world)).status_code == 302
    stored = snapshot(item)
    assert stored[3:7] == ("", None, None, "")


def test_item_of_other_assessment_not_found(make_assessment, world, login):
    first = make_assessment()
    second = make_assessment(title="Second")
    client = login(world.lead)
    url = f"/assessments/{first.id}/items/{second.item('techniques').id}"
    assert client.get(url).status_code == 404


def test_part3_item_hidden_when_flag_cleared(make_assessment, world, login):
    assessment = make_assessment(is_law_enforcement=True)
    url = item_url(assessment, "logging")
    assessment.is_law_enforcement = False
    db.session.commit()
    assert login(world.lead).get(url).status_code == 404


@pytest.mark.parametrize(("user", "status"), [("auditor", 403), ("other_lead", 404), ("dpo", 200)])
def test_item_access(make_assessment, world, login, user, status):
    assessment = make_assessment()
    assert login(getattr(world, user)).get(item_url(assessment, "techniques")).status_code == status


def test_approved_item_cannot_change(make_assessment, world, login):
    assessment = make_assessment(status="approved")
    before = snapshot(assessment.item("techniques"))
    client = login(world.lead)
    response = client.post(item_url(assessment, "techniques"), data=item_data(world))
    assert response.status_code == 302
    assert snapshot(assessment.item("techniques")) == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This assessment is approved and its answers cannot change" in page


def test_action_status_updates_after_approval(make_assessment, world, login):
    assessment = make_assessment(status="approved")
    item = assessment.item("techniques")
    item.status = "not_met"
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    client = login(world.lead)
    url = f"{item_url(assessment, 'techniques')}/action?back=actions"
    response = client.post(url, data={"action_status": "done"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/assessments/actions"
    assert snapshot(item)[6] == "done"


@pytest.mark.parametrize("value", ["", "finished", "\x00"])
def test_action_status_rejects_bad_value(make_assessment, world, login, value):
    assessment = make_assessment()
    item = assessment.item("techniques")
    item.status = "not_met"
    give_action(item, world.lead, world.today + days(5), status="in_progress")
    db.session.commit()
    client = login(world.lead)
    response = client.post(
        f"{item_url(assessment, 'techniques')}/action", data={"action_status": value}
    )
    assert response.status_code == 200
    assert "Select the action&#39;s status" in response.get_data(as_text=True)
    assert snapshot(item)[6] == "in_progress"


def test_action_status_needs_an_action(make_assessment, world, login):
    assessment = make_assessment()
    response = login(world.lead).get(f"{item_url(assessment, 'techniques')}/action")
    assert response.status_code == 404

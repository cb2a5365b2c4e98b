"""Screening: which answers make a DPIA required, and who may say it is not."""

import pytest

from core.extensions import db
from dpia.screening import Screening, screening_result


def screening_form(**changes):
    data = {
        "mandatory_cases": [],
        "ico_types": [],
        "wp248_criteria": [],
        "involves_sharing": "no",
        "is_dpia_required": "yes",
        "rationale": "Reasons for the outcome.",
        "override_reason": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("mandatory", "ico", "wp248", "expected"),
    [
        ([], [], [], "not_indicated"),
        (["public_area_monitoring"], [], [], "required"),
        ([], ["tracking"], [], "required"),
        ([], ["biometric"], [], "not_indicated"),
        ([], ["innovative_technology"], ["large_scale"], "required"),
        ([], ["genetic"], [], "not_indicated"),
        ([], [], ["large_scale"], "not_indicated"),
        ([], [], ["large_scale", "sensitive_data"], "likely"),
    ],
)
def test_screening_result_rules(mandatory, ico, wp248, expected):
    assert screening_result(mandatory, ico, wp248) == expected


def test_lead_records_required_screening(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.lead)
    response = client.post(
        f"/dpias/{dpia.id}/screening",
        data=screening_form(mandatory_cases=["large_scale_special_category"]),
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.screening.is_dpia_required is True
    assert dpia.screening.mandatory_cases == ["large_scale_special_category"]
    assert dpia.screening.decided_by_id == world.lead.id
    assert "screening" in dpia.steps_completed_on


@pytest.mark.parametrize(
    "answers",
    [
        {"mandatory_cases": ["profiling_significant_effects"]},
        {"ico_types": ["data_matching"]},
        {"ico_types": ["biometric"], "wp248_criteria": ["vulnerable_subjects"]},
        {"wp248_criteria": ["large_scale", "matching_datasets"]},
    ],
)
def test_lead_cannot_record_not_required(client, login, world, make_dpia, answers):
    dpia = make_dpia("new")
    login(world.lead)
    data = screening_form(is_dpia_required="no", override_reason="We think not", **answers)
    response = client.post(f"/dpias/{dpia.id}/screening", data=data)
    assert response.status_code == 200
    assert "Only the DPO can record that it is not" in response.get_data(as_text=True)
    assert db.session.query(Screening).count() == 0


def test_lead_may_record_not_required_when_nothing_applies(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.lead)
    data = screening_form(is_dpia_required="no", ico_types=["biometric"])
    response = client.post(f"/dpias/{dpia.id}/screening", data=data)
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.screening.is_dpia_required is False


def test_dpo_override_needs_reason(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.dpo)
    data = screening_form(is_dpia_required="no", wp248_criteria=["large_scale", "sensitive_data"])
    response = client.post(f"/dpias/{dpia.id}/screening", data=data)
    assert response.status_code == 200
    assert "Give the reason a DPIA is not needed despite the answers" in response.get_data(
        as_text=True
    )
    assert db.session.query(Screening).count() == 0

    data["override_reason"] = "The data is already public and aggregated."
    response = client.post(f"/dpias/{dpia.id}/screening", data=data)
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.screening.is_dpia_required is False
    assert dpia.screening.override_reason == "The data is already public and aggregated."


def test_rationale_required_whatever_the_outcome(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.dpo)
    for outcome in ("yes", "no"):
        data = screening_form(is_dpia_required=outcome, rationale="")
        response = client.post(f"/dpias/{dpia.id}/screening", data=data)
        assert response.status_code == 200
        assert "Explain the screening outcome" in response.get_data(as_text=True)
    assert db.session.query(Screening).count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mandatory_cases": ["not_a_case"]}, "Select options from the list"),
        ({"wp248_criteria": ["large_scale", "\x00"]}, "Select options from the list"),
        ({"is_dpia_required": ""}, "Select whether a DPIA is required"),
        ({"is_dpia_required": "maybe"}, "Select whether a DPIA is required"),
        ({"involves_sharing": "1"}, "Select whether the processing involves sharing data"),
        ({"rationale": "x" * 6000}, "must be 5000 characters or fewer"),
    ],
)
def test_screening_rejects_bad_input(client, login, world, make_dpia, changes, message):
    dpia = make_dpia("new")
    login(world.lead)
    response = client.post(f"/dpias/{dpia.id}/screening", data=screening_form(**changes))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert message in text
    assert "Error: " in text
    assert db.session.query(Screening).count() == 0


def test_project_screening_before_dpia(client, login, world):
    from dpia.models import Dpia
    from tests.register.test_journey import valid_dpia_form

    login(world.lead)
    data = screening_form(ico_types=["tracking"])
    response = client.post(f"/projects/{world.dorothy.id}/screening", data=data)
    assert response.status_code == 302
    screening = db.session.query(Screening).one()
    assert screening.project_id == world.dorothy.id
    assert screening.dpia_id is None
    assert f"screening={screening.id}" in response.headers["Location"]
    assert "Start the DPIA from this screening" in client.get(
        f"/projects/{world.dorothy.id}"
    ).get_data(as_text=True)

    response = client.post(response.headers["Location"], data=valid_dpia_form(world))
    assert response.status_code == 302
    dpia = db.session.query(Dpia).one()
    db.session.refresh(screening)
    assert screening.dpia_id == dpia.id
    assert "screening" in dpia.steps_completed_on


def test_project_screening_not_required(client, login, world):
    login(world.lead)
    response = client.post(
        f"/projects/{world.dorothy.id}/screening",
        data=screening_form(is_dpia_required="no", rationale="Only anonymised counts are used."),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{world.dorothy.id}"
    page = client.get(f"/projects/{world.dorothy.id}").get_data(as_text=True)
    assert "a DPIA is not required. Only anonymised counts are used." in page


def test_screening_of_other_dpia_not_taken_over(client, login, world, make_dpia):
    from tests.register.test_journey import valid_dpia_form

    kestrel = Screening(project=world.kestrel, rationale="Kestrel", is_dpia_required=True)
    db.session.add(kestrel)
    db.session.commit()
    login(world.dpo)
    response = client.post(
        f"/dpias/new?project={world.dorothy.id}&screening={kestrel.id}",
        data=valid_dpia_form(world),
    )
    assert response.status_code == 302
    db.session.refresh(kestrel)
    assert kestrel.dpia_id is None


def test_project_screening_access(client, login, world):
    login(world.other_lead)
    response = client.post(f"/projects/{world.dorothy.id}/screening", data=screening_form())
    assert response.status_code == 404
    login(world.auditor)
    response = client.post(f"/projects/{world.dorothy.id}/screening", data=screening_form())
    assert response.status_code == 403
    assert db.session.query(Screening).count() == 0


def test_screening_follows_dpia_to_other_project(client, login, world, make_dpia):
    from tests.register.test_journey import valid_dpia_form

    world.kestrel.lead = world.lead
    db.session.commit()
    dpia = make_dpia("draft")
    login(world.lead)
    data = valid_dpia_form(world, project_id=str(world.kestrel.id), decision_reference="PCD 1502")
    data["record_version"] = str(dpia.version_id)
    response = client.post(f"/dpias/{dpia.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.project_id == world.kestrel.id
    assert dpia.screening.project_id == world.kestrel.id

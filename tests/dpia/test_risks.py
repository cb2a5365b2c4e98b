"""Risks, the risk matrix and measures."""

import pytest

from core.config import ConfigError
from core.extensions import db
from dpia.risks import Measure, Risk
from dpia.scoring import DEFAULT_MATRIX
from register import create_app
from tests.dpia.conftest import date_boxes


def risk_form(**changes):
    data = {
        "source": "Deployment identities linked to officers",
        "harm": "Officers identified and put at risk",
        "likelihood": "possible",
        "severity": "severe",
        "override_level": "",
        "override_reason": "",
    }
    data.update(changes)
    return data


def measure_form(**changes):
    data = {
        "description": "Dedicated devices and networks",
        "effect": "reduced",
        "residual_level": "low",
        "is_approved": "yes",
        "owner_id": "",
        "due_on": ["", "", ""],
        "status": "planned",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("likelihood", "severity", "level"),
    [
        ("remote", "minimal", "low"),
        ("probable", "minimal", "medium"),
        ("remote", "significant", "low"),
        ("possible", "significant", "medium"),
        ("probable", "significant", "high"),
        ("remote", "severe", "medium"),
        ("possible", "severe", "high"),
        ("probable", "severe", "high"),
    ],
)
def test_risk_level_from_default_matrix(
    client, login, world, make_dpia, likelihood, severity, level
):
    dpia = make_dpia("new")
    login(world.lead)
    data = risk_form(likelihood=likelihood, severity=severity)
    response = client.post(f"/dpias/{dpia.id}/risks/new", data=data)
    assert response.status_code == 302
    risk = db.session.query(Risk).one()
    assert risk.computed_level == level
    assert risk.level == level


def test_matrix_is_configurable(app_config, world):
    matrix = {severity: dict(row) for severity, row in DEFAULT_MATRIX.items()}
    matrix["minimal"]["remote"] = "medium"
    app = create_app(app_config | {"DPIA_RISK_MATRIX": matrix})
    with app.app_context():
        from dpia.scoring import overall_level

        assert overall_level("remote", "minimal") == "medium"


@pytest.mark.parametrize(
    "matrix",
    [
        "high",
        {"minimal": {"remote": "low"}},
        {key: {**row, "possible": "extreme"} for key, row in DEFAULT_MATRIX.items()},
    ],
)
def test_bad_matrix_stops_the_app(app_config, matrix):
    with pytest.raises(ConfigError, match="DPIA_RISK_MATRIX"):
        create_app(app_config | {"DPIA_RISK_MATRIX": matrix})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"likelihood": "certain"}, "Select a likelihood"),
        ({"likelihood": ""}, "Select a likelihood"),
        ({"severity": "Severe"}, "Select a severity"),
        ({"source": ""}, "Describe the source of the risk"),
        ({"harm": "\x00"}, "Describe the harm the risk could cause"),
        ({"harm": "h" * 5001}, "must be 5000 characters or fewer"),
        ({"override_level": "extreme"}, "Select an overall risk level"),
    ],
)
def test_risk_form_rejects_bad_input(client, login, world, make_dpia, changes, message):
    dpia = make_dpia("new")
    login(world.dpo)
    response = client.post(f"/dpias/{dpia.id}/risks/new", data=risk_form(**changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(Risk).count() == 0


def test_only_dpo_overrides_level_with_reason(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.lead)
    response = client.post(
        f"/dpias/{dpia.id}/risks/new",
        data=risk_form(override_level="low", override_reason="We are careful"),
    )
    assert response.status_code == 200
    assert "Only the DPO can set the overall risk" in response.get_data(as_text=True)
    assert db.session.query(Risk).count() == 0

    login(world.dpo)
    response = client.post(f"/dpias/{dpia.id}/risks/new", data=risk_form(override_level="low"))
    assert response.status_code == 200
    assert "Give the reason for setting the overall risk" in response.get_data(as_text=True)
    assert db.session.query(Risk).count() == 0

    response = client.post(
        f"/dpias/{dpia.id}/risks/new",
        data=risk_form(override_level="medium", override_reason="Devices are already separate"),
    )
    assert response.status_code == 302
    risk = db.session.query(Risk).one()
    assert risk.computed_level == "high"
    assert risk.level == "medium"


def test_lead_change_keeps_dpo_override(client, login, world, make_dpia):
    dpia = make_dpia("new")
    login(world.dpo)
    client.post(
        f"/dpias/{dpia.id}/risks/new",
        data=risk_form(override_level="medium", override_reason="Devices are already separate"),
    )
    risk = db.session.query(Risk).one()
    login(world.lead)
    response = client.post(f"/dpias/{dpia.id}/risks/{risk.id}", data=risk_form(harm="Changed"))
    assert response.status_code == 302
    db.session.refresh(risk)
    assert risk.harm == "Changed"
    assert risk.override_level == "medium"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effect": "Removed"}, "Select the effect on the risk"),
        ({"residual_level": "none"}, "Select the residual risk"),
        ({"is_approved": "perhaps"}, "Select whether the measure is approved"),
        ({"is_approved": ""}, "Select whether the measure is approved"),
        ({"status": "finished"}, "Select the measure&#39;s status"),
        ({"description": ""}, "Describe the measure"),
        ({"owner_id": "999999"}, "Select who owns the measure"),
        ({"owner_id": "../1"}, "Select who owns the measure"),
        ({"due_on": ["31", "2", "2027"]}, "Due date must be a real date"),
        ({"due_on": ["1", "2", "2027"]}, "Select who owns the measure, as it has a due date"),
    ],
)
def test_measure_form_rejects_bad_input(client, login, world, make_dpia, changes, message):
    dpia = make_dpia("draft")
    risk = dpia.risks[0]
    before = db.session.query(Measure).count()
    login(world.lead)
    response = client.post(
        f"/dpias/{dpia.id}/risks/{risk.id}/measures/new", data=measure_form(**changes)
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(Measure).count() == before


def test_measure_with_owner_and_due_date(client, login, world, make_dpia):
    dpia = make_dpia("draft", risks=(("probable", "severe", None),))
    risk = dpia.risks[0]
    due = world.today.replace(year=world.today.year + 1, day=1)
    login(world.lead)
    response = client.post(
        f"/dpias/{dpia.id}/risks/{risk.id}/measures/new",
        data=measure_form(
            owner_id=str(world.lead.id), due_on=date_boxes(due), residual_level="high"
        ),
    )
    assert response.status_code == 302
    measure = db.session.query(Measure).one()
    assert measure.owner_id == world.lead.id
    assert measure.due_on == due
    db.session.refresh(dpia)
    assert dpia.residual_risk == "high"


def test_risk_of_other_dpia_is_not_found(client, login, world, make_dpia):
    first = make_dpia("draft")
    second = make_dpia("draft", title="Second")
    login(world.dpo)
    other_risk = second.risks[0]
    assert client.get(f"/dpias/{first.id}/risks/{other_risk.id}").status_code == 404
    response = client.post(f"/dpias/{first.id}/risks/{other_risk.id}/delete")
    assert response.status_code == 404
    assert db.session.get(Risk, other_risk.id) is not None


def test_remove_risk_and_measure(client, login, world, make_dpia):
    dpia = make_dpia("draft", risks=(("possible", "significant", "low"),) * 2)
    first_id, second_id = (risk.id for risk in dpia.risks)
    measure_id = dpia.risks[0].measures[0].id
    login(world.lead)
    response = client.post(f"/dpias/{dpia.id}/risks/{first_id}/measures/{measure_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Measure, measure_id) is None
    response = client.post(f"/dpias/{dpia.id}/risks/{second_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Risk, second_id) is None
    assert db.session.get(Risk, first_id) is not None
    assert db.session.query(Measure).count() == 0


def test_risks_cannot_change_after_submission(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_dpo_advice")
    login(world.lead)
    response = client.post(f"/dpias/{dpia.id}/risks/new", data=risk_form(), follow_redirects=True)
    assert "cannot be changed" in response.get_data(as_text=True)
    assert db.session.query(Risk).count() == 1


def test_heat_map_shows_levels_in_words(client, login, world, make_dpia):
    dpia = make_dpia("draft", risks=(("probable", "severe", "low"), ("remote", "minimal", None)))
    login(world.auditor)
    text = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "Risk matrix: the overall risk for each severity and likelihood" in text
    assert '<th scope="row" class="govuk-table__header">Severe</th>' in text
    assert "Risk 1" in text
    assert "Risk 2" in text
    assert text.count('govuk-tag--red">High</strong>') >= 3

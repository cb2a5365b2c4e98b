"""Sign-off and prior consultation: each rule refuses with a message and changes nothing."""

from datetime import timedelta

import pytest

from core.extensions import db
from dpia.history import PriorConsultation
from dpia.signoff import sign_off
from dpia.workflow import WorkflowError
from tests.dpia.conftest import date_boxes, sign_off_form, sign_off_values, snapshot


def post_sign_off(client, dpia, today, **changes):
    return client.post(f"/dpias/{dpia.id}/sign-off", data=sign_off_form(today, **changes))


def test_sign_off_approves(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "approved"
    assert dpia.approved_on == world.today
    assert dpia.signed_off_by_id == world.dpo.id
    assert dpia.next_review_on == world.today + timedelta(days=180)
    assert dpia.history[-1].to_status == "approved"
    assert dpia.history[-1].changed_by_id == world.dpo.id


def test_approval_with_conditions_needs_conditions(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today, outcome="proceed_with_conditions")
    assert "List the conditions the processing must meet" in response.get_data(as_text=True)
    assert snapshot(dpia) == before
    response = post_sign_off(
        client, dpia, world.today, outcome="proceed_with_conditions", conditions="Train staff"
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "approved_with_conditions"


def test_incomplete_steps_block_sign_off(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    dpia.necessity = ""
    db.session.commit()
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    text = response.get_data(as_text=True)
    assert "Complete every step before signing off" in text
    assert "Explain why the processing is necessary" in text
    assert snapshot(dpia) == before


def test_sign_off_needs_advice(world, make_dpia):
    dpia = make_dpia("awaiting_dpo_advice")
    dpia.status = "awaiting_signoff"
    with pytest.raises(WorkflowError, match="Record the DPO's advice before signing off"):
        sign_off(dpia, sign_off_values(world.today), world.dpo)
    assert dpia.signed_off_on is None
    db.session.rollback()


def test_sign_off_page_refused_before_advice(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_dpo_advice")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not available for a DPIA that is awaiting dpo advice" in page
    assert snapshot(dpia) == before


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"advice_response": "overruled"}, "Give the reasons for overruling the DPO&#39;s advice"),
        ({"departs_from_views": "yes"}, "Give the reasons for departing from the views"),
        ({"measures_approved_by": ""}, "Enter who approved the measures"),
        ({"residual_approved_on": ["", "", ""]}, "Enter the date the residual risks were approved"),
        ({"advice_response": ""}, "Select whether the DPO&#39;s advice was accepted or overruled"),
        ({"outcome": "ship_it"}, "Select the outcome"),
        ({"kept_under_review_by": ""}, "Enter who keeps the DPIA under review"),
        ({"next_review_on": ["", "", ""]}, "Enter the next review date"),
        (
            {"prior_consultation_override": "no_consult"},
            "Give the reason for overriding whether the ICO must be consulted",
        ),
        (
            {"outcome": "prior_consultation_required"},
            "Nothing in this DPIA requires prior consultation",
        ),
    ],
)
def test_sign_off_rules(client, login, world, make_dpia, changes, field_message):
    dpia = make_dpia("awaiting_signoff")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today, **changes)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_message in text
    assert "Error: " in text
    assert snapshot(dpia) == before


def test_views_sought_needs_review_of_responses(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff", views_sought=True, consultation_method="Survey")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    text = response.get_data(as_text=True)
    assert "Enter who reviewed the consultation responses" in text
    assert "Enter the date the consultation responses were reviewed" in text
    assert snapshot(dpia) == before


def test_sign_off_dates_follow_step_completion(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    completed = world.today - timedelta(days=10)
    before = snapshot(dpia)
    login(world.dpo)
    early = date_boxes(completed - timedelta(days=1))
    response = post_sign_off(client, dpia, world.today, measures_approved_on=early)
    text = response.get_data(as_text=True)
    assert "Date the measures were approved must be on or after" in text
    assert "when the last step of the DPIA was completed" in text
    assert snapshot(dpia) == before


def test_sign_off_not_before_advice_or_in_future(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(
        client, dpia, world.today, signed_off_on=date_boxes(world.today - timedelta(days=1))
    )
    assert "must be on or after the date of the DPO&#39;s advice" in response.get_data(as_text=True)
    response = post_sign_off(
        client, dpia, world.today, signed_off_on=date_boxes(world.today + timedelta(days=1))
    )
    assert "Sign-off date must be today or in the past" in response.get_data(as_text=True)
    assert snapshot(dpia) == before


def test_approval_not_after_go_live(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff", go_live_on=world.today - timedelta(days=1))
    dpia.steps_completed_on = {"need": (world.today - timedelta(days=5)).isoformat()}
    db.session.commit()
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    assert "must be on or before the go-live date" in response.get_data(as_text=True)
    assert snapshot(dpia) == before


def test_next_review_after_approval(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff")
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today, next_review_on=date_boxes(world.today))
    assert "Next review date must be after the sign-off date" in response.get_data(as_text=True)
    assert snapshot(dpia) == before


def test_residual_high_needs_prior_consultation(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff", regime="uk_gdpr", risks=(("probable", "severe", "high"),))
    assert dpia.computed_prior_consultation_trigger == "art36_residual_high"
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    assert "This DPIA needs prior consultation with the ICO" in response.get_data(as_text=True)
    assert snapshot(dpia) == before

    response = post_sign_off(client, dpia, world.today, outcome="prior_consultation_required")
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "prior_consultation"
    assert dpia.prior_consultation.trigger == "art36_residual_high"


def test_part3_residual_high_alone_does_not_flag(world, make_dpia):
    dpia = make_dpia("draft", regime="part3", risks=(("probable", "severe", "high"),))
    assert dpia.computed_prior_consultation_trigger is None


def test_new_filing_system_with_inherent_high_risk_flags(client, login, world, make_dpia):
    dpia = make_dpia(
        "awaiting_signoff",
        regime="part3",
        is_new_filing_system=True,
        risks=(("probable", "severe", "low"),),
    )
    assert dpia.computed_prior_consultation_trigger == "s65_new_filing_system"
    before = snapshot(dpia)
    login(world.dpo)
    response = post_sign_off(client, dpia, world.today)
    assert "This DPIA needs prior consultation with the ICO" in response.get_data(as_text=True)
    assert snapshot(dpia) == before

    response = post_sign_off(
        client,
        dpia,
        world.today,
        prior_consultation_override="no_consult",
        prior_consultation_override_reason="The filing system replaces an existing one unchanged",
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "approved"
    assert dpia.prior_consultation_override is False


def prior_consultation_dpia(client, login, world, make_dpia):
    dpia = make_dpia("awaiting_signoff", regime="uk_gdpr", risks=(("probable", "severe", "high"),))
    login(world.dpo)
    post_sign_off(client, dpia, world.today, outcome="prior_consultation_required")
    db.session.refresh(dpia)
    assert dpia.status == "prior_consultation"
    return dpia


def conclude_form(today, **changes):
    data = {
        "outcome": "proceed",
        "decided_on": date_boxes(today),
        "next_review_on": date_boxes(today + timedelta(days=90)),
    }
    data.update(changes)
    return data


def test_cannot_approve_before_regulator_advice(client, login, world, make_dpia):
    dpia = prior_consultation_dpia(client, login, world, make_dpia)
    before = snapshot(dpia)
    response = client.post(
        f"/dpias/{dpia.id}/prior-consultation/decision", data=conclude_form(world.today)
    )
    assert "Record the ICO&#39;s advice before approving" in response.get_data(as_text=True)
    assert snapshot(dpia) == before
    response = client.post(f"/dpias/{dpia.id}/move", data={"to": "approved"})
    assert response.status_code == 302
    assert snapshot(dpia) == before


def test_do_not_proceed_needs_no_advice(client, login, world, make_dpia):
    dpia = prior_consultation_dpia(client, login, world, make_dpia)
    response = client.post(
        f"/dpias/{dpia.id}/prior-consultation/decision",
        data=conclude_form(world.today, outcome="do_not_proceed"),
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "not_proceeding"


def test_regulator_advice_then_approval(client, login, world, make_dpia):
    dpia = prior_consultation_dpia(client, login, world, make_dpia)
    form = {
        "submitted_on": date_boxes(world.today),
        "ico_reference": "RFA0123456",
        "accepted_on": ["", "", ""],
        "is_extended": "no",
        "advice_received_on": date_boxes(world.today),
        "advice_summary": "",
    }
    response = client.post(f"/dpias/{dpia.id}/prior-consultation", data=form)
    assert "Summarise the ICO&#39;s advice" in response.get_data(as_text=True)
    assert db.session.get(PriorConsultation, dpia.prior_consultation.id).submitted_on is None

    form["advice_summary"] = "Proceed once retention is automated."
    response = client.post(f"/dpias/{dpia.id}/prior-consultation", data=form)
    assert response.status_code == 302
    db.session.refresh(dpia.prior_consultation)
    assert dpia.prior_consultation.advice_due_on == world.today + timedelta(weeks=8)
    assert dpia.prior_consultation.ico_reference == "RFA0123456"

    response = client.post(
        f"/dpias/{dpia.id}/prior-consultation/decision", data=conclude_form(world.today)
    )
    assert response.status_code == 302
    db.session.refresh(dpia)
    assert dpia.status == "approved"
    assert dpia.approved_on == world.today


def test_extended_consultation_due_in_14_weeks(client, login, world, make_dpia):
    dpia = prior_consultation_dpia(client, login, world, make_dpia)
    submitted = world.today - timedelta(days=3)
    dpia.signed_off_on = submitted
    db.session.commit()
    response = client.post(
        f"/dpias/{dpia.id}/prior-consultation",
        data={
            "submitted_on": date_boxes(submitted),
            "is_extended": "yes",
            "accepted_on": date_boxes(submitted - timedelta(days=1)),
        },
    )
    assert "must be on or after the date submitted" in response.get_data(as_text=True)
    response = client.post(
        f"/dpias/{dpia.id}/prior-consultation",
        data={"submitted_on": date_boxes(submitted), "is_extended": "yes"},
    )
    assert response.status_code == 302
    db.session.refresh(dpia.prior_consultation)
    assert dpia.prior_consultation.advice_due_on == submitted + timedelta(weeks=14)

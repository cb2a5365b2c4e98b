"""Approval by a DPO and starting a later stage, through the pages."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from dpia.pbd_models import PbdAssessment, PbdItem
from tests.conftest import days
from tests.pbd.conftest import answer_all, give_action


def date_parts(value) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def approve_data(world, approved_on=None, next_review_on=None) -> dict:
    return {
        "approved_on": date_parts(approved_on or world.today),
        "next_review_on": date_parts(next_review_on or world.today + days(180)),
    }


def stored(assessment) -> PbdAssessment:
    db.session.expire_all()
    return db.session.get(PbdAssessment, assessment.id)


def test_dpo_approves_answered_assessment(make_assessment, world, login):
    assessment = make_assessment()
    answer_all(assessment)
    client = login(world.dpo)
    response = client.post(f"/assessments/{assessment.id}/approve", data=approve_data(world))
    assert response.status_code == 302
    record = stored(assessment)
    assert record.status == "approved"
    assert record.approved_by_id == world.dpo.id
    assert record.approved_on == world.today
    assert record.next_review_on == world.today + days(180)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Dana Okafor on" in page
    assert "Approve assessment" not in page


def test_approval_rejected_for_gap_without_action(make_assessment, world, login):
    assessment = make_assessment()
    answer_all(assessment)
    assessment.item("techniques").status = "not_met"
    db.session.commit()
    client = login(world.dpo)
    response = client.post(f"/assessments/{assessment.id}/approve", data=approve_data(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "needs an action with an owner and a due date" in page
    assert "Privacy-enhancing techniques" in page
    record = stored(assessment)
    assert record.status == "draft"
    assert record.approved_on is None
    assert record.approved_by_id is None
    assert record.next_review_on == world.today + days(100)


def test_approval_refused_while_unanswered(make_assessment, world, login):
    assessment = make_assessment()
    client = login(world.dpo)
    page = client.post(f"/assessments/{assessment.id}/approve", data=approve_data(world)).get_data(
        as_text=True
    )
    assert "Answer every item first" in page
    assert stored(assessment).status == "draft"


def test_approval_accepted_when_gap_has_action(make_assessment, world, login):
    assessment = make_assessment()
    answer_all(assessment)
    item = assessment.item("techniques")
    item.status = "not_met"
    give_action(item, world.lead, world.today + days(30))
    db.session.commit()
    client = login(world.dpo)
    response = client.post(f"/assessments/{assessment.id}/approve", data=approve_data(world))
    assert response.status_code == 302
    assert stored(assessment).status == "approved"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"approved_on": ["31", "4", "2026"]}, "Date of approval must be a real date"),
        ({"approved_on": ["", "", ""]}, "Enter the date of approval"),
        ({"approved_on": ["1", "1", "2999"]}, "Date of approval must be today or in the past"),
        ({"approved_on": ["1", "1", "2000"]}, "Date of approval must be on or after the date"),
        ({"next_review_on": ["1", "1", "2000"]}, "Next review date must be after the date of"),
        ({"next_review_on": ["a", "b", "c"]}, "Next review date must be a real date"),
    ],
)
def test_approval_rejects_bad_dates(make_assessment, world, login, fields, message):
    assessment = make_assessment()
    answer_all(assessment)
    client = login(world.dpo)
    data = approve_data(world) | fields
    response = client.post(f"/assessments/{assessment.id}/approve", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored(assessment).status == "draft"


def test_lead_cannot_approve(make_assessment, world, login):
    assessment = make_assessment()
    answer_all(assessment)
    client = login(world.lead)
    response = client.post(f"/assessments/{assessment.id}/approve", data=approve_data(world))
    assert response.status_code == 403
    assert stored(assessment).status == "draft"


def stage_data(world, **overrides) -> dict:
    data = {
        "title": "Case system: build",
        "stage": "build",
        "assessor_id": str(world.lead.id),
        "assessed_on": date_parts(world.today),
        "next_review_on": date_parts(world.today + days(60)),
    }
    data.update(overrides)
    return data


def count_assessments() -> int:
    return db.session.scalar(select(func.count()).select_from(PbdAssessment))


def test_next_stage_starts_from_earlier_answers(make_assessment, world, login):
    design = make_assessment(status="approved")
    answer_all(design)
    client = login(world.lead)
    response = client.post(f"/assessments/{design.id}/next-stage", data=stage_data(world))
    assert response.status_code == 302
    later = db.session.scalar(select(PbdAssessment).where(PbdAssessment.previous_id == design.id))
    assert response.headers["Location"] == f"/assessments/{later.id}"
    assert later.stage == "build"
    assert later.status == "draft"
    assert all(item.status == "met" for item in later.items)
    page = client.get(f"/assessments/{later.id}").get_data(as_text=True)
    assert "Changes since the design stage" in page
    assert "Nothing has changed yet" in page

    item = later.item("techniques")
    response = client.post(
        f"/assessments/{later.id}/items/{item.id}",
        data={"status": "not_applicable", "not_applicable_reason": "No personal data stored."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/assessments/{later.id}").get_data(as_text=True)
    assert "Nothing has changed yet" not in page
    assert "No personal data stored." in page
    assert stored(design).item("techniques").status == "met"
    earlier_page = client.get(f"/assessments/{design.id}").get_data(as_text=True)
    assert "A later stage starts from this assessment" in earlier_page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stage": "concept"}, "Select a stage after design"),
        ({"stage": "design"}, "Select a stage after design"),
        ({"stage": "warp"}, "Select the project&#39;s lifecycle stage"),
        ({"title": ""}, "Enter the assessment&#39;s title"),
        ({"assessed_on": ["1", "1", "2000"]}, "must be on or after the earlier stage"),
        ({"assessed_on": ["29", "2", "2027"]}, "Date of the assessment must be a real date"),
        ({"next_review_on": ["", "", ""]}, "Enter the next review date"),
        ({"assessor_id": "\x00"}, "Select who carried out the assessment"),
    ],
)
def test_next_stage_rejects_bad_input(make_assessment, world, login, fields, message):
    design = make_assessment()
    client = login(world.lead)
    response = client.post(f"/assessments/{design.id}/next-stage", data=stage_data(world, **fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_assessments() == 1


def test_next_stage_only_once(make_assessment, world, login):
    design = make_assessment()
    client = login(world.lead)
    client.post(f"/assessments/{design.id}/next-stage", data=stage_data(world))
    items = db.session.scalar(select(func.count()).select_from(PbdItem))
    response = client.post(
        f"/assessments/{design.id}/next-stage", data=stage_data(world, title="Again")
    )
    assert response.status_code == 302
    assert count_assessments() == 2
    assert db.session.scalar(select(func.count()).select_from(PbdItem)) == items
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already starts from this assessment" in page


def test_live_change_may_follow_live_change(make_assessment, world, login):
    live = make_assessment(stage="live_change")
    client = login(world.dpo)
    response = client.post(
        f"/assessments/{live.id}/next-stage", data=stage_data(world, stage="live_change")
    )
    assert response.status_code == 302
    assert count_assessments() == 2


def test_replaced_assessment_is_locked(make_assessment, world, login):
    design = make_assessment()
    answer_all(design)
    item = design.item("techniques")
    item.status = "partly_met"
    give_action(item, world.lead, world.today + days(9))
    db.session.commit()
    client = login(world.lead)
    client.post(f"/assessments/{design.id}/next-stage", data=stage_data(world))
    item_url = f"/assessments/{design.id}/items/{item.id}"

    edit = client.post(f"/assessments/{design.id}/edit", data={"title": "Renamed"})
    answer = client.post(item_url, data={"status": "met"})
    progress = client.post(f"{item_url}/action", data={"action_status": "done"})

    assert edit.status_code == 302
    assert answer.status_code == 302
    assert progress.status_code == 302
    record = stored(design)
    assert record.title == "Case system: design stage"
    assert record.item("techniques").status == "partly_met"
    assert record.item("techniques").action_status == "open"
    page = client.get(f"/assessments/{design.id}").get_data(as_text=True)
    assert "A later stage starts from this assessment. Update Case system: build instead" in page
    assert ">Answer<" not in page

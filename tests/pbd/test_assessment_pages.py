"""Recording, changing and listing assessments through the pages."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from dpia.models import Dpia
from dpia.pbd_models import PbdAssessment, PbdItem
from tests.conftest import days


def date_parts(prefix: str, value) -> dict[str, str]:
    return {prefix: [str(value.day), str(value.month), str(value.year)]}


def assessment_data(world, **overrides) -> dict:
    data = {
        "title": "Case system: design stage",
        "project_id": str(world.dorothy.id),
        "decision_reference": "PCD 974",
        "dpia_id": "0",
        "system_or_component": "Case system",
        "stage": "design",
        "is_law_enforcement": "yes",
        "assessor_id": str(world.lead.id),
        "owner_id": str(world.lead.id),
        "techniques": ["encryption_at_rest", "role_based_access"],
        "other_techniques": "",
        "is_retention_automated": "no",
        "retention_notes": "Reviewed by hand each year.",
        "summary": "Early design review.",
        **date_parts("assessed_on", world.today - days(3)),
        **date_parts("next_review_on", world.today + days(90)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_lead_records_assessment(world, login):
    client = login(world.lead)
    response = client.post("/assessments/new", data=assessment_data(world))
    assert response.status_code == 302
    assessment = db.session.scalar(select(PbdAssessment))
    assert response.headers["Location"] == f"/assessments/{assessment.id}"
    assert assessment.stage == "design"
    assert assessment.is_law_enforcement is True
    assert assessment.techniques == ["encryption_at_rest", "role_based_access"]
    assert assessment.assessor_id == world.lead.id
    assert assessment.decision_id == world.decision.id
    assert len(assessment.items) == 15
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Summary by principle" in page
    assert "Logging of processing" in page


HOSTILE_CASES = [
    ({"title": ""}, "Enter the assessment&#39;s title"),
    ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
    ({"system_or_component": None}, "Enter the system or component assessed"),
    ({"stage": "launch"}, "Select the project&#39;s lifecycle stage"),
    ({"stage": None}, "Select the project&#39;s lifecycle stage"),
    ({"assessor_id": "abc"}, "Select who carried out the assessment"),
    ({"assessor_id": "99999"}, "Select who carried out the assessment"),
    ({"is_law_enforcement": "maybe"}, "Select yes if the processing falls under Part 3"),
    ({"is_retention_automated": None}, "Select yes if records are deleted or reviewed"),
    ({"techniques": ["teleportation"]}, "Select techniques from the list"),
    ({"techniques": ["other"]}, "Describe the other privacy-enhancing techniques"),
    ({"assessed_on": ["30", "2", "2026"]}, "Date of the assessment must be a real date"),
    ({"assessed_on": ["", "", ""]}, "Enter the date of the assessment"),
    ({"assessed_on": ["1", "1", "2999"]}, "Date of the assessment must be today or in the past"),
    ({"next_review_on": ["1", "1", "2000"]}, "Next review date must be after the date of"),
    ({"decision_reference": "PCD 1502"}, "Decision PCD 1502 does not govern Project Dorothy"),
    ({"dpia_id": "x1"}, "Select a DPIA from the list, or none"),
    ({"summary": "a" * 20001}, "Summary of findings must be 20000 characters or fewer"),
    ({"project_id": "\x00"}, "Select the project"),
]


@pytest.mark.parametrize(("overrides", "message"), HOSTILE_CASES)
def test_create_rejects_bad_input(world, login, overrides, message):
    client = login(world.lead)
    response = client.post("/assessments/new", data=assessment_data(world, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert count(PbdAssessment) == 0
    assert count(PbdItem) == 0


def test_create_keeps_input_on_error(world, login):
    client = login(world.lead)
    data = assessment_data(world, title="", system_or_component="Kept system name")
    page = client.post("/assessments/new", data=data).get_data(as_text=True)
    assert 'value="Kept system name"' in page
    assert "<title>Error: " in page


def test_create_strips_nul_bytes(world, login):
    client = login(world.lead)
    data = assessment_data(world, title="Case\x00 system", summary="Line\x00 one")
    response = client.post("/assessments/new", data=data)
    assert response.status_code == 302
    assessment = db.session.scalar(select(PbdAssessment))
    assert assessment.title == "Case system"
    assert assessment.summary == "Line one"


def test_create_rejects_dpia_of_other_project(world, login):
    dpia = Dpia(
        project=world.kestrel, decision=world.other_decision, title="Video", owner=world.dpo
    )
    db.session.add(dpia)
    db.session.commit()
    client = login(world.dpo)
    response = client.post("/assessments/new", data=assessment_data(world, dpia_id=str(dpia.id)))
    assert "Select a DPIA of the same project, or none" in response.get_data(as_text=True)
    assert count(PbdAssessment) == 0


def test_create_links_dpia(world, login):
    dpia = Dpia(project=world.dorothy, decision=world.decision, title="Dorothy", owner=world.lead)
    db.session.add(dpia)
    db.session.commit()
    client = login(world.lead)
    client.post("/assessments/new", data=assessment_data(world, dpia_id=str(dpia.id)))
    assert db.session.scalar(select(PbdAssessment)).dpia_id == dpia.id


def test_lead_cannot_record_for_other_project(world, login):
    client = login(world.other_lead)
    data = assessment_data(world, decision_reference="PCD 974")
    response = client.post("/assessments/new", data=data)
    assert "Select the project" in response.get_data(as_text=True)
    assert count(PbdAssessment) == 0


def test_edit_switches_law_enforcement_items(make_assessment, world, login):
    assessment = make_assessment()
    client = login(world.lead)
    page = client.get(f"/assessments/{assessment.id}/edit").get_data(as_text=True)
    assert 'value="Case system: design stage"' in page
    response = client.post(
        f"/assessments/{assessment.id}/edit",
        data=assessment_data(
            world,
            techniques=["other"],
            other_techniques="Redaction on capture",
            record_version=str(assessment.version_id),
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(PbdAssessment, assessment.id)
    assert len(stored.items) == 15
    assert stored.techniques == ["other"]
    assert stored.other_techniques == "Redaction on capture"


def test_approved_assessment_cannot_be_edited(make_assessment, world, login):
    assessment = make_assessment(status="approved")
    client = login(world.lead)
    response = client.post(
        f"/assessments/{assessment.id}/edit", data=assessment_data(world, title="Renamed")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/assessments/{assessment.id}"
    db.session.expire_all()
    assert db.session.get(PbdAssessment, assessment.id).title == "Case system: design stage"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This assessment is approved and cannot change" in page


@pytest.mark.parametrize(
    ("user", "path", "status"),
    [
        ("auditor", "", 200),
        ("auditor", "/edit", 403),
        ("admin", "", 200),
        ("admin", "/edit", 403),
        ("other_lead", "", 404),
        ("other_lead", "/edit", 404),
        ("lead", "/edit", 200),
        ("lead", "/approve", 403),
        ("dpo", "/approve", 200),
        ("auditor", "/next-stage", 403),
    ],
)
def test_access_by_role(make_assessment, world, login, user, path, status):
    assessment = make_assessment()
    client = login(getattr(world, user))
    assert client.get(f"/assessments/{assessment.id}{path}").status_code == status


def test_auditor_sees_no_change_buttons(make_assessment, world, login):
    assessment = make_assessment()
    page = login(world.auditor).get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Change details" not in page
    assert "Start the next stage" not in page
    assert ">Answer<" not in page


def test_register_filters(make_assessment, world, login):
    make_assessment(title="Dorothy design")
    build = make_assessment(title="Dorothy build", stage="build")
    make_assessment(
        title="Kestrel design",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
    )
    item = build.item("techniques")
    item.status = "not_met"
    item.action = "Add encryption"
    item.action_owner = world.lead
    item.action_due_on = world.today
    item.action_status = "open"
    db.session.commit()
    client = login(world.dpo)

    def titles(query: str) -> set[str]:
        page = client.get(f"/assessments{query}").get_data(as_text=True)
        return {t for t in ("Dorothy design", "Dorothy build", "Kestrel design") if t in page}

    assert titles("") == {"Dorothy design", "Dorothy build", "Kestrel design"}
    assert titles(f"?project={world.kestrel.id}") == {"Kestrel design"}
    assert titles("?stage=build") == {"Dorothy build"}
    assert titles("?open_actions=yes") == {"Dorothy build"}
    assert titles("?open_actions=no") == {"Dorothy design", "Kestrel design"}
    assert titles(f"?project={world.dorothy.id}&stage=design") == {"Dorothy design"}
    assert titles("?project_name=dorothy") == {"Dorothy design", "Dorothy build"}
    assert titles("?project_name=dorothy&stage=build") == {"Dorothy build"}


@pytest.mark.parametrize(
    "query",
    ["?project=abc", "?project=99999", "?stage=%00", "?open_actions=maybe", "?page=-1", "?page=x"],
)
def test_register_ignores_bad_filters(make_assessment, world, login, query):
    make_assessment()
    response = login(world.dpo).get(f"/assessments{query}")
    assert response.status_code == 200
    assert "Case system: design stage" in response.get_data(as_text=True)


def test_register_hides_other_projects_from_lead(make_assessment, world, login):
    make_assessment(
        title="Kestrel design",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
    )
    page = login(world.lead).get(f"/assessments?project={world.kestrel.id}").get_data(as_text=True)
    assert "Kestrel design" not in page
    assert "Project Kestrel" not in page


def test_register_paginates(make_assessment, world, login, app):
    size = app.config["REGISTER_PAGE_SIZE"]
    for number in range(size + 1):
        make_assessment(
            title=f"Stage review {number:03d}", next_review_on=world.today + days(number)
        )
    client = login(world.dpo)
    first = client.get("/assessments").get_data(as_text=True)
    second = client.get("/assessments?page=2").get_data(as_text=True)
    assert "Stage review 000" in first
    assert f"Stage review {size:03d}" not in first
    assert f"Stage review {size:03d}" in second

import pytest
from sqlalchemy import select

from core.extensions import db
from core.projects.models import Decision, Project

VALID = {
    "reference": "PCD 974",
    "title": "Grant Funding Project Dorothy 2020/21",
    "decision_maker": "Deputy Mayor for Policing and Crime",
    "issuing_body": "MOPAC",
    "signed_on": ["", "", ""],
    "summary": "A grant of £569,000 from Bedfordshire Police.",
    "link": "",
}


def post_decision(client, **changes):
    data = dict(VALID, **changes)
    return client.post("/decisions/new", data=data)


def test_dpo_records_decision_with_unknown_date(client, login, world):
    login(world.dpo)
    response = post_decision(client, reference="PCD 975", title="Another grant")
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision).where(Decision.reference == "PCD 975"))
    assert decision is not None
    assert decision.signed_on is None
    assert decision.summary.startswith("A grant of £569,000")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": ""}, "Enter the decision&#39;s reference code"),
        ({"reference": "pcd  974"}, "A decision with the reference PCD 974 already exists"),
        ({"reference": "PCD 976", "title": ""}, "Enter the decision&#39;s title"),
        ({"reference": "PCD 976", "title": "x" * 201}, "Title must be 200 characters or fewer"),
        (
            {"reference": "PCD 976", "signed_on": ["30", "2", "2021"]},
            "Date signed must be a real date",
        ),
        (
            {"reference": "PCD 976", "signed_on": ["", "2", "2021"]},
            "Date signed must include a day",
        ),
        ({"reference": "PCD 976", "signed_on": ["1", "2", "21"]}, "Year must include 4 numbers"),
        ({"reference": "PCD 976", "signed_on": ["a", "b", "c"]}, "Date signed must be a real date"),
        (
            {"reference": "PCD 976", "signed_on": ["1", "1", "2999"]},
            "Date signed must be today or in the past",
        ),
        (
            {"reference": "PCD 976", "link": "javascript:alert(1)"},
            "Enter a link that starts with http",
        ),
        ({"reference": "PCD 976", "decision_maker": "   "}, "Enter who made the decision"),
    ],
)
def test_decision_form_rejects_bad_input(client, login, world, changes, message):
    login(world.dpo)
    before = db.session.query(Decision).count()
    response = post_decision(client, **changes)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in text
    assert "There is a problem" in text
    assert db.session.query(Decision).count() == before
    if changes.get("title"):
        assert changes["title"][:50] in text


def test_decision_form_keeps_typed_date(client, login, world):
    login(world.dpo)
    response = post_decision(client, reference="PCD 976", signed_on=["30", "2", "2021"])
    text = response.get_data(as_text=True)
    assert 'value="30"' in text
    assert 'value="2021"' in text


def test_decision_date_boxes_wrong_count_handled(client, login, world):
    login(world.dpo)
    response = post_decision(client, reference="PCD 977", signed_on=["1"])
    assert response.status_code == 200
    assert "Date signed must include a month and year" in response.get_data(as_text=True)


def test_decision_text_cleaned_of_control_characters(client, login, world):
    login(world.dpo)
    response = post_decision(client, reference="PCD 978", title="Grant\x00 for\x07 Dorothy")
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision).where(Decision.reference == "PCD 978"))
    assert decision.title == "Grant for Dorothy"


@pytest.mark.parametrize("role", ["lead", "auditor", "admin"])
def test_only_dpo_records_decisions(client, login, world, role):
    login(getattr(world, role))
    response = post_decision(client, reference="PCD 979")
    assert response.status_code == 403
    assert db.session.scalar(select(Decision).where(Decision.reference == "PCD 979")) is None


def test_dpo_records_project_governed_by_decision(client, login, world):
    login(world.dpo)
    response = client.post(
        "/projects/new",
        data={
            "name": "Project Osprey",
            "description": "",
            "owning_unit": "Met Operations 3",
            "lead_id": str(world.lead.id),
            "status": "active",
            "decision_ids": [str(world.decision.id)],
        },
    )
    assert response.status_code == 302
    project = db.session.scalar(select(Project).where(Project.name == "Project Osprey"))
    assert [d.reference for d in project.decisions] == ["PCD 974"]
    assert project.lead_id == world.lead.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the project&#39;s name"),
        ({"name": "Project Dorothy"}, "A project with this name already exists"),
        ({"lead_id": ""}, "Select the project lead"),
        ({"lead_id": "999999"}, "Select the project lead"),
        ({"lead_id": "abc"}, "Select the project lead"),
        ({"status": "paused"}, "Select the project&#39;s status"),
        ({"decision_ids": ["999999"]}, "Select decisions from the list"),
        ({"owning_unit": ""}, "Enter the unit that runs the project"),
    ],
)
def test_project_form_rejects_bad_input(client, login, world, changes, message):
    login(world.dpo)
    data = {
        "name": "Project Osprey",
        "owning_unit": "Met Operations 3",
        "lead_id": str(world.lead.id),
        "status": "active",
        "decision_ids": [str(world.decision.id)],
    }
    data.update(changes)
    before = db.session.query(Project).count()
    response = client.post("/projects/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(Project).count() == before


def test_lead_sees_only_own_projects(client, login, world):
    login(world.lead)
    listing = client.get("/projects").get_data(as_text=True)
    assert "Project Dorothy" in listing
    assert "Project Kestrel" not in listing
    assert client.get(f"/projects/{world.dorothy.id}").status_code == 200
    assert client.get(f"/projects/{world.kestrel.id}").status_code == 404


def test_party_form_rejects_duplicate_and_unknown_kind(client, login, world):
    login(world.dpo)
    duplicate = client.post("/parties/new", data={"name": "MO3 supervisors", "kind": "internal"})
    unknown = client.post("/parties/new", data={"name": "Somebody", "kind": "alien"})
    assert "A party with this name already exists" in duplicate.get_data(as_text=True)
    assert "Select whether the party is an internal team" in unknown.get_data(as_text=True)
    created = client.post("/parties/new", data={"name": "Somebody", "kind": "external"})
    assert created.status_code == 302


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "5"])
def test_list_page_numbers_never_fail(client, login, world, page):
    login(world.dpo)
    for url in (
        "/decisions",
        "/projects",
        "/parties",
        "/dpias",
        "/assessments",
        "/agreements",
        "/",
    ):
        response = client.get(url, query_string={"page": page})
        assert response.status_code == 200, url

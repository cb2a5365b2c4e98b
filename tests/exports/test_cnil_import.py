"""A CNIL PIA tool export becomes a draft DPIA, with the rest kept in notes."""

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.extensions import db
from dpia.models import Dpia
from register.imports import cnil
from register.imports.models import DpiaImportNote

FIXTURE = Path(__file__).parent / "fixtures" / "cnil_pia.json"


def fixture_document() -> dict:
    return json.loads(FIXTURE.read_text())


def upload(client, world, content: bytes, filename="pia.json", **overrides):
    data = {
        "project_id": str(world.dorothy.id),
        "decision_reference": "PCD 974",
        "upload": (io.BytesIO(content), filename),
    }
    data.update(overrides)
    return client.post("/import/cnil-pia", data=data, content_type="multipart/form-data")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_pia_becomes_draft_dpia(client, login, world):
    login(world.lead)
    response = upload(client, world, FIXTURE.read_bytes())
    assert response.status_code == 302, response.get_data(as_text=True)
    dpia = db.session.scalar(select(Dpia))
    assert response.headers["Location"] == f"/import/dpias/{dpia.id}/notes"
    assert dpia.status == "draft"
    assert dpia.title == "Case notes & tasking"
    assert dpia.project_id == world.dorothy.id
    assert dpia.decision_id == world.decision.id
    assert dpia.owner_id == world.lead.id
    assert dpia.signed_off_on is None
    summary = dpia.processing_summary
    assert "Context: the processing under consideration (question 111)" in summary
    assert "Supervisors record case notes.\n\nAnalysts read them." in summary
    assert "Names, dates of birth and offence codes." in summary
    assert "Six years" not in summary
    assert dpia.dpo_advice.startswith("The processing may go ahead once role-based access")
    assert "Given by Morgan Field" in dpia.dpo_advice


def test_everything_else_kept_in_notes(client, login, world):
    login(world.dpo)
    upload(client, world, FIXTURE.read_bytes())
    note = db.session.scalar(select(DpiaImportNote))
    notes = note.notes
    assert "Principles: storage duration (question 215)\nSix years after the case closes." in notes
    assert "measures that address the risk (question 324)\nEncryption; Logging" in notes
    assert (
        "severity (question 325)\nExposure could put a witness at risk.\nRating: Significant"
        in notes
    )
    assert "Rating: Negligible" in notes
    assert '"colour": "red"' in notes
    assert "Answer to question 999" in notes
    assert "Measure: Encryption\nDisks are encrypted with AES-256." in notes
    assert "Evaluation of part 2.1.215\nEvaluation: Improvable" in notes
    assert "Action plan: Write a retention schedule." in notes
    assert "Person in charge: Robin Vale" in notes
    assert "Opinion of the data subjects\nOfficers asked for clear retention rules." in notes
    assert "Comment on question 111\nName the analysts' team." in notes
    assert '"shoe_size": 42' in notes
    assert '"exported_by": "a future version"' in notes
    assert "lock_version" not in notes
    assert "<p>" not in notes


def test_report_lists_where_each_part_went(client, login, world):
    login(world.dpo)
    response = upload(client, world, FIXTURE.read_bytes())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    report = json.loads(db.session.scalar(select(DpiaImportNote.report)))
    assert ["PIA name", "Title"] in report
    assert [
        "Context: the processing under consideration (question 111)",
        "Summary of the processing",
    ] in report
    assert ["Opinion of the DPO", "DPO advice"] in report
    assert ["Principles: storage duration (question 215)", "Notes kept from the import"] in report
    assert "Where each part of the file went" in page
    assert "Principles: storage duration (question 215)" in page
    assert "Six years after the case closes." in page
    dpia_page = client.get(f"/dpias/{db.session.scalar(select(Dpia.id))}").get_data(as_text=True)
    assert "Notes kept from the import" in dpia_page


def test_minimal_pia_accepted():
    mapped = cnil.map_pia({"pia": {}})
    assert mapped.title == "Imported PIA"
    assert mapped.notes == []


def test_answer_with_odd_reference_kept():
    document = {"pia": {"name": "X"}, "answers": [{"reference_to": [1], "data": "text"}, "junk"]}
    mapped = cnil.map_pia(document)
    assert mapped.notes[0] == "Answer to question [1]\ntext"
    assert '"entries that are not objects": [\n  "junk"\n ]' in mapped.notes[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "The file is not JSON"),
        (b"[1, 2]", "it has no pia section"),
        (b'{"structure": {"name": "Template"}}', "a PIA tool template, not a PIA"),
        (b'{"pia": {"name": "X"}, "answers": {"111": "x"}}', "answers must be a list"),
        (b"\xff\xfe", "The file is not JSON"),
        (b"[" * 100000 + b"]" * 100000, "The file is not JSON"),
    ],
)
def test_bad_files_rejected(client, login, world, content, message):
    login(world.dpo)
    response = upload(client, world, content)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Dpia) == 0


def test_decision_must_govern_project(client, login, world):
    login(world.dpo)
    response = upload(client, world, FIXTURE.read_bytes(), decision_reference="PCD 1502")
    assert "Decision PCD 1502 does not govern Project Dorothy" in response.get_data(as_text=True)
    assert count(Dpia) == 0


def test_lead_limited_to_own_projects(client, login, world):
    login(world.lead)
    response = upload(
        client,
        world,
        FIXTURE.read_bytes(),
        project_id=str(world.kestrel.id),
        decision_reference="PCD 1502",
    )
    assert "Select the project the DPIA is for" in response.get_data(as_text=True)
    assert count(Dpia) == 0


def test_nul_and_control_characters_dropped(client, login, world):
    document = fixture_document()
    document["pia"]["name"] = "Bad\x00name\x07"
    document["answers"][0]["data"]["text"] = "Line\x00one"
    login(world.dpo)
    response = upload(client, world, json.dumps(document).encode())
    assert response.status_code == 302
    dpia = db.session.scalar(select(Dpia))
    assert dpia.title == "Badname"
    assert "Lineone" in dpia.processing_summary


def test_notes_page_hidden_from_other_lead(client, login, world):
    login(world.dpo)
    location = upload(client, world, FIXTURE.read_bytes()).headers["Location"]
    login(world.other_lead)
    assert client.get(location).status_code == 404

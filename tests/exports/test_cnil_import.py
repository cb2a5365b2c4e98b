"""A CNIL PIA tool export becomes a draft DPIA, with the rest kept in notes."""

import io
import json
from datetime import date
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
    assert dpia.processing_summary == "Supervisors record case notes.\n\nAnalysts read them."
    assert dpia.data_categories == "Names, dates of birth and offence codes."
    assert dpia.retention == "Six years after the case closes."
    assert dpia.dpo_advice.startswith("The processing may go ahead once role-based access")
    assert "Given by Morgan Field" in dpia.dpo_advice


def test_everything_else_kept_in_notes(client, login, world):
    login(world.dpo)
    upload(client, world, FIXTURE.read_bytes())
    note = db.session.scalar(select(DpiaImportNote))
    notes = note.notes
    assert "Six years after the case closes." not in notes
    assert "Exposure could put a witness at risk." not in notes
    assert 'Other answer fields of question 326\n{"colour": "red"}' in notes
    assert "Answer to question 999" in notes
    assert "Disks are encrypted with AES-256." not in notes
    assert "Evaluation of part 2.1.215\nEvaluation: Improvable" in notes
    assert "Action plan: Write a retention schedule." in notes
    assert "Person in charge: Robin Vale" in notes
    assert "Officers asked for clear retention rules." not in notes
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
    assert ["Principles: storage duration (question 215)", "Step 2, scope: retention"] in report
    assert ["Answer to question 999", "Notes kept from the import"] in report
    assert "Where each part of the file went" in page
    assert "Principles: storage duration (question 215)" in page
    assert "Step 2, scope: retention" in page
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


FULL_FIXTURE = Path(__file__).parent / "fixtures" / "cnil_pia_full.json"


def import_full(client, login, world, document: dict | None = None) -> Dpia:
    login(world.dpo)
    content = json.dumps(document).encode() if document else FULL_FIXTURE.read_bytes()
    response = upload(client, world, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Dpia))


def field_label(name: str) -> str:
    return cnil.FIELD_LABELS[name]


def full_report() -> list[list[str]]:
    return json.loads(db.session.scalar(select(DpiaImportNote.report)))


def test_context_goes_to_step_two(client, login, world):
    dpia = import_full(client, login, world)
    assert dpia.processing_summary == "Officers record stop and search encounters."
    assert dpia.processors == "Controller: the Chief Constable. Processor: Northgate."
    assert dpia.context == "College of Policing authorised professional practice."
    assert dpia.data_categories == "Names, ethnicity, grounds for the search."
    assert dpia.nature == (
        "Context: life cycle of the data and processes (question 122)\n"
        "Recorded on a handheld device, synced nightly, deleted after a year.\n\n"
        "Context: assets supporting the data (question 123)\n"
        "Handheld devices and the records system."
    )


def test_principles_go_to_their_steps(client, login, world):
    dpia = import_full(client, login, world)
    assert dpia.purposes == "Accountability for the use of search powers."
    assert dpia.retention == "Twelve months, then deleted."
    assert dpia.necessity == (
        "Principles: legal basis (question 212)\nLegal obligation under PACE Code A.\n\n"
        "Principles: adequate, relevant and limited data (question 213)\n"
        "Only the fields Code A requires.\n\n"
        "Principles: accurate and up-to-date data (question 214)\n"
        "Supervisors check each record within a week."
    )
    assert dpia.art6_basis == ""


def test_rights_go_to_safeguards(client, login, world):
    dpia = import_full(client, login, world)
    expected = [
        ("Rights: information given to data subjects (question 221)", "privacy notice"),
        ("Rights: consent (question 222)", "Consent is not the basis."),
        ("Rights: access and portability (question 223)", "Subject access"),
        ("Rights: rectification and erasure (question 224)", "Rectification on request"),
        ("Rights: restriction and objection (question 225)", "Objection is handled"),
        ("Rights: processors (question 226)", "Article 28 contract"),
        ("Rights: transfers outside the European Union (question 227)", "No transfers"),
    ]
    for label, text in expected:
        assert label in dpia.safeguards
        assert text in dpia.safeguards


def test_rated_risks_become_dpia_risks(client, login, world):
    dpia = import_full(client, login, world)
    assert len(dpia.risks) == 2
    access, change = dpia.risks
    assert access.source == (
        "Illegitimate access to data\nRisk sources: Thief; Insider\nThreats: Device stolen"
    )
    assert access.harm == (
        "Potential impacts: Discrimination; Distress\n"
        "Severity in the PIA: Maximum. Exposure of ethnicity and search grounds.\n"
        "Likelihood in the PIA: Significant. Devices are often left in vehicles."
    )
    assert (access.severity, access.likelihood, access.level) == ("severe", "possible", "high")
    assert change.source == "Unwanted change of data"
    assert change.harm.startswith("Potential impacts: Wrong grounds recorded\n")
    assert (change.severity, change.likelihood, change.level) == (
        "significant",
        "remote",
        "low",
    )
    assert dpia.residual_risk == "high"


def test_unrated_risk_kept_in_notes(client, login, world):
    import_full(client, login, world)
    notes = db.session.scalar(select(DpiaImportNote.notes))
    assert (
        "Risk, disappearance of data: potential impacts (question 341)\n"
        "Loss of accountability records"
    ) in notes
    assert "Search records cannot be produced for a complaint.\nRating: Limited" in notes


def test_measures_attached_to_risks(client, login, world):
    dpia = import_full(client, login, world)
    access, change = dpia.risks
    descriptions = [measure.description for measure in access.measures]
    assert descriptions == [
        "Device encryption\nFull-disk encryption on every handheld.",
        "Remote wipe\nLost devices are wiped within an hour.\n"
        "Action plan: Test the wipe quarterly.\nPerson in charge in the PIA: Robin Vale",
        "Action plan from the PIA's evaluation: Issue lockable vehicle safes.\n"
        "Person in charge in the PIA: Casey North",
    ]
    assert [measure.due_on for measure in access.measures] == [
        None,
        date(2024, 8, 15),
        date(2024, 9, 30),
    ]
    for measure in dpia.measures:
        assert measure.status == "planned"
        assert measure.effect == "reduced"
        assert measure.is_approved is False
        assert measure.residual_level == measure.risk.level
    assert [measure.description for measure in change.measures] == [
        "Audit log\nEvery edit is logged."
    ]
    notes = db.session.scalar(select(DpiaImportNote.notes))
    assert "Measure: Training\nAnnual data protection training." in notes
    assert "Full-disk encryption" not in notes


def test_evaluations_kept_in_notes(client, login, world):
    import_full(client, login, world)
    notes = db.session.scalar(select(DpiaImportNote.notes))
    assert "Evaluation of part 3.2\nEvaluation: Improvable" in notes
    assert "Adjusted ratings: severity Maximum, likelihood Limited" in notes
    assert "Evaluation of part 2.1.215\nEvaluation: Acceptable" in notes
    assert "Comment: Retention is justified." in notes


def test_opinions_go_to_advice_and_consultation(client, login, world):
    dpia = import_full(client, login, world)
    assert dpia.dpo_advice == (
        "Proceed once devices are encrypted.\n(Given by Morgan Field in the PIA tool.)"
    )
    assert dpia.views_sought is True
    assert dpia.consultation_method == (
        "Data subjects consulted\nCommunity scrutiny panel\n\n"
        "Opinion of the data subjects\nThe panel asked for receipts in plain English."
    )
    assert dpia.views_not_sought_reason == ""


def test_views_not_sought_reason_mapped(client, login, world):
    document = json.loads(FULL_FIXTURE.read_text())
    document["pia"]["concerned_people_searched_opinion"] = False
    document["pia"]["concerned_people_searched_content"] = "Asking would reveal tactics."
    dpia = import_full(client, login, world, document)
    assert dpia.views_sought is False
    assert dpia.views_not_sought_reason == "Asking would reveal tactics."
    assert dpia.consultation_method == ""


def test_full_report_lists_each_part(client, login, world):
    import_full(client, login, world)
    report = full_report()
    expected = [
        ["Context: responsibilities for the processing (question 112)", field_label("processors")],
        ["Context: standards that apply to the processing (question 113)", field_label("context")],
        ["Principles: purposes (question 211)", field_label("purposes")],
        ["Principles: legal basis (question 212)", field_label("necessity")],
        ["Rights: processors (question 226)", field_label("safeguards")],
        [
            "Risk, illegitimate access to data: severity (question 325)",
            "Step 5: risk 1, illegitimate access to data",
        ],
        [
            "Risk, unwanted change of data: likelihood (question 336)",
            "Step 5: risk 2, unwanted change of data",
        ],
        [
            "Risk, disappearance of data: severity (question 345)",
            "Notes kept from the import",
        ],
        ["Measure: Device encryption", "Step 6: measure against risk 1"],
        ["Measure: Audit log", "Step 6: measure against risk 2"],
        ["Measure: Training", "Notes kept from the import"],
        ["Action plan for part 3.2", "Step 6: measure against risk 1"],
        ["Action plan for measure Remote wipe", "Step 6: measure against risk 1"],
        ["Evaluation of part 3.2", "Notes kept from the import"],
        ["Opinion of the DPO", "DPO advice"],
        ["Data subjects' opinion sought", "Step 3: views of individuals sought"],
        ["Opinion of the data subjects", field_label("consultation_method")],
    ]
    for entry in expected:
        assert entry in report


@pytest.mark.parametrize(
    ("gauge", "severity", "likelihood"),
    [
        (1, "minimal", "remote"),
        (2, "significant", "remote"),
        (3, "severe", "possible"),
        (4, "severe", "probable"),
    ],
)
def test_gauges_mapped_to_matrix(gauge, severity, likelihood):
    document = {
        "pia": {"name": "Scale"},
        "answers": [
            {"reference_to": 325, "data": {"text": "", "gauge": gauge}},
            {"reference_to": 326, "data": {"text": "", "gauge": gauge}},
        ],
    }
    [risk] = cnil.map_pia(document).risks
    assert risk.severity == severity
    assert risk.likelihood == likelihood


@pytest.mark.parametrize("gauge", [0, None, 5, "3", True, [1]])
def test_invalid_gauge_kept_in_notes(gauge):
    document = {
        "pia": {"name": "Scale"},
        "answers": [
            {"reference_to": 325, "data": {"text": "Severe", "gauge": gauge}},
            {"reference_to": 326, "data": {"text": "Likely", "gauge": 2}},
        ],
    }
    mapped = cnil.map_pia(document)
    assert mapped.risks == []
    assert any(
        note.startswith("Risk, illegitimate access to data: severity") for note in mapped.notes
    )

"""The DPIA as a Word document: every ICO template step, with the record's values."""

import io
from pathlib import Path

from docx import Document

from core.extensions import db
from core.timeutil import utc_now
from dpia.risks import Measure, Risk
from register.exports.dpia_document import SECTIONS

STEP_HEADINGS = [
    "Submitting controller details",
    "Governing decision",
    "Step 1: Identify the need for a DPIA",
    "Step 2: Describe the processing",
    "Step 3: Consultation process",
    "Step 4: Assess necessity and proportionality",
    "Step 5: Identify and assess risks",
    "Step 6: Identify measures to reduce risk",
    "Step 7: Sign off and record outcomes",
    "Review history",
]


def open_document(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.data))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_cells(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_every_step_in_template_order(client, login, records, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{records.dorothy_dpia.id}.docx"))
    assert headings(document, 1) == STEP_HEADINGS
    assert len(SECTIONS) == len(STEP_HEADINGS)
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["DPIA: Dorothy intelligence sharing"]
    assert headings(document, 2) == [
        "Nature of the processing",
        "Scope of the processing",
        "Context of the processing",
        "Purposes of the processing",
    ]


def test_values_in_their_sections(client, login, records, world):
    dpia = records.dorothy_dpia
    dpia.signed_off_on = world.today
    dpia.signed_off_by = world.dpo
    dpia.confirmed_at = utc_now()
    dpia.confirmed_by = world.lead
    db.session.commit()
    login(world.lead)
    document = open_document(client.get(f"/export/dpias/{dpia.id}.docx"))
    details, decision, risks, measures, sign_off = table_cells(document)
    assert ["Project", "Project Dorothy"] in details
    assert ["Owning unit", "Met Operations 3"] in details
    assert ["DPIA owner", "Liam Hart"] in details
    assert ["Reference", "PCD 974"] in decision
    assert ["Title", "Grant Funding Project Dorothy 2020/21"] in decision
    assert ["Issuing body", "MOPAC"] in decision
    assert risks[0] == [
        "Source of risk and nature of potential impact",
        "Likelihood of harm",
        "Severity of harm",
        "Overall risk",
    ]
    assert measures[0][1] == "Options to reduce or eliminate risk"
    rows = {row[0]: row[1:] for row in sign_off}
    signed = f"Dana Okafor, {world.today.day} {world.today:%B %Y}"
    assert rows["Measures approved by"][0] == signed
    assert rows["Residual risks approved by"][0] == signed
    assert rows["DPO advice provided"][0].startswith("Dana Okafor, ")
    assert rows["Summary of DPO advice"][1] == "Proceed once access logging is in place."
    assert rows["Completion confirmed by the project lead"][0].startswith("Liam Hart, ")
    paragraphs = [p.text for p in document.paragraphs]
    assert "Supervisors pass case notes to the intelligence team." in paragraphs
    assert "Second line." in paragraphs
    assert "No reviews are recorded yet." in paragraphs


def test_unsigned_dpia_says_so(client, login, records, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{records.kestrel_dpia.id}.docx"))
    sign_off = table_cells(document)[-1]
    rows = {row[0]: row[1] for row in sign_off}
    assert rows["Measures approved by"] == "Not signed off"
    assert rows["DPO advice provided"] == "Not given"


def test_control_characters_dropped(client, login, records, world):
    records.dorothy_dpia.processing_summary = "Bell\x07 and form feed\x0c here"
    db.session.commit()
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{records.dorothy_dpia.id}.docx"))
    assert "Bell and form feed here" in [p.text for p in document.paragraphs]


def test_other_leads_dpia_hidden(client, login, records, world):
    login(world.lead)
    assert client.get(f"/export/dpias/{records.kestrel_dpia.id}.docx").status_code == 404
    assert client.get("/export/dpias/999999.docx").status_code == 404


def test_dpia_page_links_to_document(client, login, records, world):
    login(world.auditor)
    page = client.get(f"/dpias/{records.dorothy_dpia.id}").get_data(as_text=True)
    assert f"/export/dpias/{records.dorothy_dpia.id}.docx" in page
    assert "app-no-print" in page


def test_print_stylesheet_hides_navigation(app):
    css = (Path(app.static_folder) / "dist" / "register.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".govuk-service-navigation" in print_rules
    assert ".app-no-print" in print_rules
    assert "break-inside:avoid" in print_rules.replace(" ", "")


def test_risks_and_measures_listed(client, login, records, world):
    risk = Risk(
        dpia=records.dorothy_dpia,
        source="Case notes sent by email",
        harm="Informants identified",
        likelihood="probable",
        severity="severe",
        computed_level="high",
        measures=[
            Measure(
                description="Send through the secure portal only",
                effect="reduced",
                residual_level="medium",
                is_approved=True,
            )
        ],
    )
    db.session.add(risk)
    db.session.commit()
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{records.dorothy_dpia.id}.docx"))
    _, _, risks, measures, _ = table_cells(document)
    # The shared records already give the DPIA one risk, so this one comes last.
    assert len(risks) == 3
    assert risks[-1] == [
        "Case notes sent by email: Informants identified",
        "Probable",
        "Severe",
        "High",
    ]
    assert measures[-1] == [
        "Case notes sent by email",
        "Send through the secure portal only",
        "Reduced",
        "Medium",
        "Yes",
    ]

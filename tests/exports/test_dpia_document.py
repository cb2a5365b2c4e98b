"""The DPIA as a Word document: every ICO template step, with the record's values."""

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table

from core.extensions import db
from core.projects.models import Decision
from core.timeutil import utc_now
from dpia.history import PriorConsultation, StateChange
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.screening import Screening
from register.exports.docx_parts import safe
from register.exports.dpia_document import SECTIONS, dpia_document
from register.models import Review
from tests.conftest import days

SECTION_HEADINGS = [
    "Submitting controller details",
    "Governing decision",
    "Summary of the processing",
    "Step 1: Identify the need for a DPIA",
    "Step 2: Describe the processing",
    "Step 3: Consultation process",
    "Step 4: Assess necessity and proportionality",
    "Step 5: Identify and assess risks",
    "Step 6: Identify measures to reduce risk",
    "Step 7: Sign off and record outcomes",
    "Prior consultation with the ICO",
    "Review history",
]

SUBHEADINGS = [
    "Screening",
    "Nature of the processing",
    "Scope of the processing",
    "Context of the processing",
    "Purposes of the processing",
    "Who puts each measure in place",
    "Outcome",
    "Versions",
    "Changes of state",
]


def open_document(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.data))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def sections(document) -> dict[str, list[str]]:
    """Return the texts under each level 1 heading: its paragraphs and table cells, in order."""
    found: dict[str, list[str]] = {}
    current = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                found[current].extend(cell.text for cell in row.cells)
        elif block.style.name == "Heading 1":
            current = block.text
            found[current] = []
        elif current is not None:
            found[current].append(block.text)
    return found


def rows(document, heading: str) -> dict[str, list[str]]:
    """Return the table rows under a level 1 heading, keyed by their first cell."""
    found: dict[str, list[str]] = {}
    current = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            if current == heading:
                for row in block.rows:
                    cells = [cell.text for cell in row.cells]
                    found[cells[0]] = cells[1:]
        elif block.style.name == "Heading 1":
            current = block.text
    return found


def tables_under(document, heading: str) -> list[list[list[str]]]:
    found = []
    current = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            if current == heading:
                found.append([[cell.text for cell in row.cells] for row in block.rows])
        elif block.style.name == "Heading 1":
            current = block.text
    return found


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def full_dpia(records, world) -> Dpia:
    """Dorothy's DPIA as version 2, with every field the DPIA page shows filled in."""
    today = world.today
    decision: Decision = world.decision
    decision.signed_on = date(2020, 6, 1)
    decision.summary = "Funds the Dorothy pilot."
    decision.link = "https://www.london.gov.uk/pcd-974"

    first = Dpia(
        project=world.dorothy,
        decision=decision,
        owner=world.lead,
        title="Dorothy intelligence sharing",
        status="superseded",
        signed_off_on=today - days(400),
        approved_on=today - days(400),
    )
    dpia = records.dorothy_dpia
    dpia.previous = first
    dpia.version = 2
    dpia.status = "approved_with_conditions"
    dpia.reference = "DPIA-MO3-07"
    dpia.regime = "both"
    dpia.controller = "Chief Constable of the force"
    dpia.processors = "Northgate Public Services (processor)"
    dpia.dpo_contact = "Force DPO, dpo@example.org"

    dpia.need_summary = "Large-scale processing of intelligence about vulnerable people."
    dpia.screening = Screening(
        project=world.dorothy,
        mandatory_cases=["large_scale_special_category"],
        ico_types=["data_matching"],
        wp248_criteria=["sensitive_data", "vulnerable_subjects"],
        involves_sharing=True,
        is_dpia_required=True,
        rationale="Special category data at scale.",
        decided_by=world.lead,
        decided_at=utc_now(),
    )
    dpia.nature = "Case notes are typed into the intelligence system and deleted after review."
    dpia.data_sources = "Supervisors' case notes"
    dpia.go_live_on = today + days(60)
    dpia.data_categories = "Names, addresses, intelligence grading"
    dpia.special_categories = ["health", "racial_ethnic"]
    dpia.has_criminal_offence_data = True
    dpia.volume = "About 40 notes a week"
    dpia.individuals_affected = "Around 2,000 people a year"
    dpia.retention = "Six years after the last entry"
    dpia.geography = "Greater London"
    dpia.context = "People do not expect notes to reach the intelligence team."
    dpia.involves_vulnerable_people = True
    dpia.purposes = "Safeguarding and crime prevention"
    dpia.benefits = "Earlier safeguarding referrals"

    dpia.views_sought = True
    dpia.consultation_method = "Focus groups with community representatives"
    dpia.consultees = "Information security officer"

    dpia.art6_basis = "e_public_task"
    dpia.le_basis = "le_task"
    dpia.is_sensitive_processing = True
    dpia.schedule8_condition = "4"
    dpia.policy_document_reference = "APD-2024-03"
    dpia.logged_operations = ["collection", "disclosure"]
    dpia.is_new_filing_system = True
    dpia.necessity = "No less intrusive way to share the notes."
    dpia.safeguards = "Privacy notice updated; rights requests via the portal."

    dpia.risks = [
        Risk(
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
                    owner=world.lead,
                    due_on=date(2030, 3, 31),
                    status="in_progress",
                )
            ],
        ),
        Risk(
            source="Notes kept too long",
            harm="Outdated intelligence used",
            likelihood="possible",
            severity="significant",
            computed_level="medium",
            override_level="low",
            override_reason="Weekly deletion job already runs",
        ),
    ]

    dpia.measures_approved_by = "Jane Ellis"
    dpia.measures_approved_position = "Superintendent"
    dpia.measures_approved_on = today - days(3)
    dpia.residual_approved_by = "Tom Price"
    dpia.residual_approved_position = "Chief Superintendent"
    dpia.residual_approved_on = today - days(2)
    dpia.advice_response = "overruled"
    dpia.advice_response_by = "Tom Price"
    dpia.advice_response_on = today - days(2)
    dpia.overrule_reasons = "Logging arrives in the next release."
    dpia.consultation_reviewed_by = "Asha Patel"
    dpia.consultation_reviewed_on = today - days(4)
    dpia.departs_from_views = True
    dpia.departure_reasons = "Representatives asked for no sharing at all."
    dpia.kept_under_review_by = "MO3 information asset owner"
    dpia.outcome = "proceed_with_conditions"
    dpia.conditions = "Access logging live before go-live."
    dpia.prior_consultation_override = True
    dpia.prior_consultation_override_reason = "Novel matching of community intelligence."
    dpia.signed_off_on = today - days(1)
    dpia.signed_off_by = world.dpo
    dpia.approved_on = today - days(1)
    dpia.confirmed_at = utc_now()
    dpia.confirmed_by = world.lead
    dpia.prior_consultation = PriorConsultation(
        trigger="art36_residual_high",
        submitted_on=date(2026, 1, 5),
        ico_reference="ICO-RFA-0042",
        accepted_on=date(2026, 1, 9),
        is_extended=True,
        advice_received_on=date(2026, 3, 2),
        advice_summary="Proceed with the logging in place.",
    )
    dpia.history = [
        StateChange(
            from_status="awaiting_signoff",
            to_status="approved_with_conditions",
            comment="Signed off with conditions",
            changed_by=world.dpo,
        )
    ]
    db.session.add(
        Review(
            record_kind="dpia",
            record_id=dpia.id,
            project=world.dorothy,
            record_title=dpia.title,
            review_type="triggered",
            trigger="new_technology",
            reviewer=world.dpo,
            reviewed_on=date(2026, 2, 14),
            is_processing_as_recorded=True,
            findings="New intelligence system in use.",
            is_risk_changed=False,
            outcome="minor_update",
            is_dpo_consulted=True,
            next_review_on=date(2027, 2, 14),
            recorded_by=world.dpo,
        )
    )
    db.session.commit()
    return dpia


def test_every_section_in_template_order(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    assert headings(document, 1) == SECTION_HEADINGS
    assert len(SECTIONS) == len(SECTION_HEADINGS)
    assert headings(document, 2) == SUBHEADINGS
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["DPIA: Dorothy intelligence sharing"]
    assert document.core_properties.title == "DPIA: Dorothy intelligence sharing"
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
    assert document.sections[0].page_height.cm == pytest.approx(29.7, abs=0.01)


def test_details_and_decision(client, login, full_dpia, world):
    login(world.lead)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    details = rows(document, "Submitting controller details")
    assert details["Version"] == ["2"]
    assert details["DPIA reference"] == ["DPIA-MO3-07"]
    assert details["Project"] == ["Project Dorothy"]
    assert details["Owning unit"] == ["Met Operations 3"]
    assert details["Project lead"] == ["Liam Hart"]
    assert details["DPIA owner"] == ["Liam Hart"]
    assert details["Status"] == ["Approved with conditions"]
    assert details["Law governing the processing"] == ["Both UK GDPR and DPA 2018 Part 3"]
    assert details["Controller"] == ["Chief Constable of the force"]
    assert details["Joint controllers and processors"] == ["Northgate Public Services (processor)"]
    assert details["DPO contact"] == ["Force DPO, dpo@example.org"]
    assert details["Overall residual risk"] == ["Medium"]
    assert details["Next review"] == [long_date(full_dpia.next_review_on)]
    assert details["Previous version"] == ["Version 1 (Superseded)"]

    decision = rows(document, "Governing decision")
    assert decision["Reference"] == ["PCD 974"]
    assert decision["Title"] == ["Grant Funding Project Dorothy 2020/21"]
    assert decision["Decision maker"] == ["Deputy Mayor for Policing and Crime"]
    assert decision["Issuing body"] == ["MOPAC"]
    assert decision["Date signed"] == ["1 June 2020"]
    assert decision["Summary"] == ["Funds the Dorothy pilot."]
    assert decision["Link"] == ["https://www.london.gov.uk/pcd-974"]

    summary = sections(document)["Summary of the processing"]
    assert summary == ["Supervisors pass case notes to the intelligence team.", "Second line."]


def test_screening_and_need(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    texts = sections(document)["Step 1: Identify the need for a DPIA"]
    assert "Large-scale processing of intelligence about vulnerable people." in texts
    screening = rows(document, "Step 1: Identify the need for a DPIA")
    assert screening["Mandatory cases (Article 35(3))"] == [
        "Large-scale special category or criminal offence data"
    ]
    assert screening["ICO high-risk types"] == [
        "Data matching or combining datasets from different sources"
    ]
    assert screening["WP248 criteria"] == [
        "Sensitive or highly personal data\nData about vulnerable people"
    ]
    assert screening["Involves sharing data"] == ["Yes"]
    assert screening["What the answers show"][0].startswith("A DPIA is required")
    assert screening["DPIA required"] == ["Yes"]
    assert screening["Reasons"] == ["Special category data at scale."]
    assert screening["Recorded by"][0].startswith("Liam Hart, ")


def test_processing_steps(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    step2 = rows(document, "Step 2: Describe the processing")
    expected = {
        "How the data is collected, used, stored and deleted": (
            "Case notes are typed into the intelligence system and deleted after review."
        ),
        "Sources of the data": "Supervisors' case notes",
        "Planned start of the processing": long_date(full_dpia.go_live_on),
        "Categories of personal data": "Names, addresses, intelligence grading",
        "Special category data": "Health\nRacial or ethnic origin",
        "Criminal offence data": "Yes",
        "Volume and frequency": "About 40 notes a week",
        "Number of people affected": "Around 2,000 people a year",
        "Retention": "Six years after the last entry",
        "Geographical area": "Greater London",
        "Context": "People do not expect notes to reach the intelligence team.",
        "Children or vulnerable people": "Yes",
        "Purposes": "Safeguarding and crime prevention",
        "Benefits": "Earlier safeguarding referrals",
    }
    for label, value in expected.items():
        assert step2[label] == [value], label

    step3 = rows(document, "Step 3: Consultation process")
    assert step3["Views of individuals or their representatives sought"] == ["Yes"]
    assert step3["How views were sought"] == ["Focus groups with community representatives"]
    assert step3["Others consulted"] == ["Information security officer"]
    assert "Why views were not sought" not in step3

    step4 = rows(document, "Step 4: Assess necessity and proportionality")
    expected = {
        "UK GDPR Article 6 basis": "Article 6(1)(e): public task",
        "DPA 2018 section 35 basis": (
            "Section 35(2)(b): necessary for a law enforcement task of a competent authority"
        ),
        "Sensitive processing": "Yes",
        "Schedule 8 condition": "Paragraph 4: safeguarding children and individuals at risk",
        "Appropriate policy document": "APD-2024-03",
        "Operations logged (section 62)": "Collection\nDisclosure, including transfers",
        "New filing system": "Yes",
        "Necessity and proportionality": "No less intrusive way to share the notes.",
        "Rights, information and safeguards": (
            "Privacy notice updated; rights requests via the portal."
        ),
    }
    for label, value in expected.items():
        assert step4[label] == [value], label


def test_risks_and_measures(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    (risks,) = tables_under(document, "Step 5: Identify and assess risks")
    assert risks[0] == [
        "Risk",
        "Source of risk and nature of potential impact",
        "Likelihood of harm",
        "Severity of harm",
        "Overall risk",
    ]
    assert risks[1] == [
        "1",
        "Case notes sent by email\nPotential impact: Informants identified",
        "Probable",
        "Severe",
        "High",
    ]
    assert risks[2] == [
        "2",
        "Notes kept too long\nPotential impact: Outdated intelligence used",
        "Possible",
        "Significant",
        "Low, set by the DPO instead of Medium: Weekly deletion job already runs",
    ]

    measures, progress = tables_under(document, "Step 6: Identify measures to reduce risk")
    assert measures == [
        [
            "Risk",
            "Options to reduce or eliminate risk",
            "Effect on risk",
            "Residual risk",
            "Measure approved",
        ],
        [
            "Risk 1",
            "Send through the secure portal only",
            "Reduced",
            "Medium",
            "Yes",
        ],
    ]
    assert progress == [
        ["Measure", "Owner", "Due", "Status"],
        ["Send through the secure portal only", "Liam Hart", "31 March 2030", "In progress"],
    ]


def test_sign_off_names_each_approver(client, login, full_dpia, world):
    today = world.today
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    step7 = rows(document, "Step 7: Sign off and record outcomes")
    assert step7["Item"] == ["Name, position and date", "Notes"]
    assert step7["Measures approved by"][0] == (
        f"Jane Ellis, Superintendent, {long_date(today - days(3))}"
    )
    assert step7["Residual risks approved by"][0] == (
        f"Tom Price, Chief Superintendent, {long_date(today - days(2))}"
    )
    assert step7["DPO advice provided"][0] == f"Dana Okafor, {long_date(today - days(10))}"
    assert step7["Summary of DPO advice"][1] == "Proceed once access logging is in place."
    assert step7["DPO advice accepted or overruled by"] == [
        f"Overruled by Tom Price, {long_date(today - days(2))}",
        "Logging arrives in the next release.",
    ]
    assert step7["Consultation responses reviewed by"] == [
        f"Asha Patel, {long_date(today - days(4))}",
        "Representatives asked for no sharing at all.",
    ]
    assert step7["This DPIA will be kept under review by"] == [
        "MO3 information asset owner",
        f"Next review: {long_date(full_dpia.next_review_on)}",
    ]
    assert step7["Outcome"] == ["Proceed with conditions"]
    assert step7["Conditions"] == ["Access logging live before go-live."]
    assert step7["DPO's decision on prior consultation"] == [
        "Consult the ICO: Novel matching of community intelligence."
    ]
    assert step7["Signed off by the DPO"] == [f"Dana Okafor, {long_date(today - days(1))}"]
    assert step7["Approved on"] == [long_date(today - days(1))]
    assert step7["Completion confirmed by the project lead"][0].startswith("Liam Hart, ")


def test_prior_consultation_and_history(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.id}.docx"))
    consultation = rows(document, "Prior consultation with the ICO")
    assert consultation["Why"] == ["UK GDPR Article 36: a residual risk stays high"]
    assert consultation["Submitted"] == ["5 January 2026"]
    assert consultation["ICO reference"] == ["ICO-RFA-0042"]
    assert consultation["Accepted by the ICO"] == ["9 January 2026"]
    assert consultation["Advice due"] == ["13 April 2026 (extended to 14 weeks)"]
    assert consultation["Advice received"] == ["2 March 2026"]
    assert consultation["Summary of the advice"] == ["Proceed with the logging in place."]

    reviews, versions, changes = tables_under(document, "Review history")
    # The shared export records add reviews of their own, so find this one by date.
    february = [row for row in reviews[1:] if row[0] == "14 February 2026"]
    assert len(february) == 1
    assert february[0] == [
        "14 February 2026",
        "Triggered by a change or event: New technology or system change",
        "Dana Okafor",
        "New intelligence system in use.",
        "Minor update",
        "14 February 2027",
    ]
    assert versions[1:] == [
        ["1", "Superseded", long_date(world.today - days(400)), long_date(world.today - days(400))],
        [
            "2 (this document)",
            "Approved with conditions",
            long_date(world.today - days(1)),
            long_date(world.today - days(1)),
        ],
    ]
    assert changes[1][1:] == [
        "Dana Okafor",
        "Awaiting sign-off to Approved with conditions",
        "Signed off with conditions",
    ]


def test_earlier_version_lists_later_ones(client, login, full_dpia, world):
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{full_dpia.previous_id}.docx"))
    (versions,) = tables_under(document, "Review history")
    assert versions[0][0] == "Version"
    assert [row[0] for row in versions[1:]] == ["1 (this document)", "2"]


def test_empty_dpia_shows_placeholders(client, login, world):
    dpia = Dpia(project=world.dorothy, decision=world.decision, owner=world.lead, title="Blank")
    db.session.add(dpia)
    db.session.commit()
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{dpia.id}.docx"))
    assert headings(document, 1) == SECTION_HEADINGS
    found = sections(document)
    assert found["Summary of the processing"] == ["Not recorded"]
    assert found["Step 1: Identify the need for a DPIA"] == [
        "Not recorded",
        "Screening",
        "Not screened yet.",
    ]
    assert found["Step 5: Identify and assess risks"] == ["No risks are recorded."]
    assert found["Step 6: Identify measures to reduce risk"] == ["No measures are recorded."]
    assert found["Prior consultation with the ICO"] == [
        "No prior consultation with the ICO is recorded."
    ]
    step2 = rows(document, "Step 2: Describe the processing")
    assert step2["Retention"] == ["Not recorded"]
    assert step2["Special category data"] == ["None"]
    assert step2["Planned start of the processing"] == ["Not recorded"]
    assert rows(document, "Step 3: Consultation process")[
        "Views of individuals or their representatives sought"
    ] == ["Not answered"]
    step4 = rows(document, "Step 4: Assess necessity and proportionality")
    assert step4["UK GDPR Article 6 basis"] == ["Not recorded"]
    assert "DPA 2018 section 35 basis" not in step4
    step7 = rows(document, "Step 7: Sign off and record outcomes")
    assert step7["Measures approved by"][0] == "Not yet"
    assert step7["Residual risks approved by"][0] == "Not yet"
    assert step7["DPO advice provided"][0] == "Not given"
    assert step7["DPO advice accepted or overruled by"][0] == "Not yet accepted or overruled"
    assert step7["This DPIA will be kept under review by"][0] == "Not recorded"
    assert step7["Outcome"] == ["Not decided"]
    assert step7["Signed off by the DPO"] == ["Not signed off"]
    history = sections(document)["Review history"]
    assert "No reviews are recorded yet." in history
    assert "No changes of state are recorded." in history
    decision = rows(document, "Governing decision")
    assert decision["Date signed"] == ["Not recorded"]
    assert decision["Link"] == ["Not recorded"]


def test_consultation_needed_not_recorded(client, login, records, world):
    dpia = records.dorothy_dpia
    dpia.regime = "uk_gdpr"
    dpia.risks = [
        Risk(
            source="Bulk export",
            harm="Loss of data",
            likelihood="probable",
            severity="severe",
            computed_level="high",
        )
    ]
    db.session.commit()
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{dpia.id}.docx"))
    assert sections(document)["Prior consultation with the ICO"] == [
        "Needed but not yet recorded. UK GDPR Article 36: a residual risk stays high."
    ]


def test_hostile_text_kept_as_text(client, login, records, world):
    dpia = records.kestrel_dpia
    dpia.processing_summary = "Bell\x07, escape\x1b and form feed\x0c here\x7f"
    dpia.nature = "=cmd|'/C calc'!A0"
    dpia.necessity = "Vertical\x0btab and unit separator\x1f"
    dpia.risks = [
        Risk(
            source="@SUM(1+1)\x08",
            harm="-2+3",
            likelihood="remote",
            severity="minimal",
            computed_level="low",
        )
    ]
    db.session.commit()
    login(world.dpo)
    document = open_document(client.get(f"/export/dpias/{dpia.id}.docx"))
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ['DPIA: =HYPERLINK("http://evil.example","Kestrel cameras")']
    found = sections(document)
    assert found["Summary of the processing"] == ["Bell, escape and form feed here"]
    step2 = rows(document, "Step 2: Describe the processing")
    assert step2["How the data is collected, used, stored and deleted"] == ["=cmd|'/C calc'!A0"]
    step4 = rows(document, "Step 4: Assess necessity and proportionality")
    assert step4["Necessity and proportionality"] == ["Verticaltab and unit separator"]
    (risks,) = tables_under(document, "Step 5: Identify and assess risks")
    assert risks[1][1] == "@SUM(1+1)\nPotential impact: -2+3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),
        ("null\x00bell\x07", "nullbell"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("not\ufffea\uffffcharacter", "notacharacter"),
        ("accents é and emoji \U0001f600", "accents é and emoji \U0001f600"),
    ],
)
def test_safe_keeps_only_xml_characters(given, expected):
    assert safe(given) == expected


def test_safe_text_accepted_by_python_docx():
    document = Document()
    hostile = "".join(chr(code) for code in range(0x20)) + "\ud800\ufffe\uffff"
    with pytest.raises(ValueError):
        document.add_paragraph(hostile)
    document.add_paragraph(safe(hostile))


def test_document_builds_without_request(app, full_dpia):
    document = Document(io.BytesIO(dpia_document(full_dpia)))
    assert headings(document, 1) == SECTION_HEADINGS


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
    assert 'a.govuk-link[href^="/"]::after{content:none}' in print_rules.replace(" ", "")


def test_audit_trail_not_printed(client, login, records, world):
    login(world.dpo)
    page = client.get(f"/dpias/{records.dorothy_dpia.id}").get_data(as_text=True)
    start = page.index('<div class="app-no-print">\n<h2 class="govuk-heading-m" id="history">')
    assert "Audit trail of changes" in page[start : start + 200]

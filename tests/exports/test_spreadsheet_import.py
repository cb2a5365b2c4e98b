"""Spreadsheet import of DPIAs and agreements: all rows or none, each problem reported."""

import csv
import io
from datetime import date, timedelta

import pytest
from flask_login import login_user
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from core.extensions import db
from dpia.models import Dpia
from register.exports.tabular import write_xlsx
from register.imports.reading import parse_date
from register.imports.spreadsheet import DuplicatePolicy, import_rows
from register.imports.spreadsheet_specs import AGREEMENT_IMPORT, DPIA_IMPORT
from sharing.models import Agreement, AgreementParty, AgreementPurpose
from sharing.rules import activation_problems


def csv_file(headers, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_file(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dpia_row(**overrides) -> dict:
    row = {
        "Title": "Dorothy network feed",
        "Project": "Project Dorothy",
        "Governing decision reference": "PCD 974",
        "Owner email": "lead@example.org",
        "Next review date": "03/04/2030",
        "DPIA reference": "DPIA-MO3-09",
        "Law governing the processing": "Both UK GDPR and DPA 2018 Part 3",
        "Controller": "Chief Constable",
        "Joint controllers and processors": "",
        "DPO name and contact details": "Force DPO, dpo@example.org",
        "Summary of the processing": "Daily feed to the national network.",
    }
    row.update(overrides)
    return row


def agreement_row(**overrides) -> dict:
    row = {
        "Reference": "ISA-MO3-002",
        "Title": "Intelligence to operations",
        "Project": "Project Dorothy",
        "Governing decision reference": "pcd 974",
        "Relationship between the parties": "internal_same_controller",
        "Frequency": "routine",
        "Direction": "Outbound: we disclose",
        "Regime": "uk_gdpr",
        "DPIA title": "",
        "Owner email": "LEAD@example.org",
        "Next review date": "2030-01-31",
        "Purpose": "Tasking",
        "Disclosing parties": "MO3 supervisors",
        "Receiving parties": "MO3 supervisors",
    }
    row.update(overrides)
    return row


def upload(client, kind, policy, content, filename):
    return client.post(
        "/import/",
        data={"kind": kind, "policy": policy, "upload": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def send_rows(client, spec, rows, policy="stop", file_format="csv"):
    headers = spec.headers
    values = [[row[name] for name in headers] for row in rows]
    write = csv_file if file_format == "csv" else xlsx_file
    content = write(headers, values)
    return upload(client, spec.kind, policy, content, f"import.{file_format}")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/2025", date(2025, 4, 3)),
        ("3/4/2025", date(2025, 4, 3)),
        ("03.04.2025", date(2025, 4, 3)),
        ("2025-04-03", date(2025, 4, 3)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_dates_day_first_or_iso(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["30/02/2025", "2025-13-01", "04/03/25", "next week", "1/2/3/4"])
def test_invalid_dates_rejected(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_dpias_imported(client, login, world, file_format):
    login(world.dpo)
    response = send_rows(client, DPIA_IMPORT, [dpia_row()], file_format=file_format)
    assert response.status_code == 302, response.get_data(as_text=True)
    dpia = db.session.scalar(select(Dpia))
    assert dpia.title == "Dorothy network feed"
    assert dpia.project_id == world.dorothy.id
    assert dpia.decision_id == world.decision.id
    assert dpia.owner_id == world.lead.id
    assert dpia.next_review_on == date(2030, 4, 3)
    assert dpia.reference == "DPIA-MO3-09"
    assert dpia.regime == "both"
    assert dpia.controller == "Chief Constable"
    assert dpia.processors == ""
    assert dpia.dpo_contact == "Force DPO, dpo@example.org"
    page = client.get("/import/").get_data(as_text=True)
    assert "1 created, 0 updated, 0 skipped" in page


def test_xlsx_date_cells_accepted(client, login, world):
    login(world.dpo)
    row = dpia_row()
    row["Next review date"] = date(2031, 5, 6)
    assert send_rows(client, DPIA_IMPORT, [row], file_format="xlsx").status_code == 302
    assert db.session.scalar(select(Dpia.next_review_on)) == date(2031, 5, 6)


def test_agreements_imported_with_parties(client, login, records, world):
    login(world.dpo)
    row = agreement_row(
        **{"Relationship between the parties": "Controller to controller (separate controllers)"},
        **{"Receiving parties": "Crown Prosecution Service; National online network"},
        **{"DPIA title": "Dorothy intelligence sharing"},
    )
    response = send_rows(client, AGREEMENT_IMPORT, [row])
    assert response.status_code == 302, response.get_data(as_text=True)
    agreement = db.session.scalar(select(Agreement).where(Agreement.reference == "ISA-MO3-002"))
    assert agreement.scope == "external"
    assert agreement.relationship_kind == "controller_to_controller"
    assert agreement.direction == "outbound"
    assert agreement.dpia_id == records.dorothy_dpia.id
    roles = {link.party.name: link.role for link in agreement.parties}
    assert roles == {
        "MO3 supervisors": "discloser",
        "Crown Prosecution Service": "recipient",
        "National online network": "recipient",
    }


def test_every_rejected_row_reported_and_nothing_stored(client, login, records, world):
    login(world.dpo)
    rows = [
        dpia_row(Title="Good row"),
        dpia_row(Title="Bad date", **{"Next review date": "30/02/2030"}),
        dpia_row(Title="Bad project", Project="Project Nowhere"),
        dpia_row(Title="Wrong decision", **{"Governing decision reference": "PCD 1502"}),
        dpia_row(Title="", **{"Owner email": "nobody@example.org"}),
    ]
    before = count(Dpia)
    response = send_rows(client, DPIA_IMPORT, rows)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert count(Dpia) == before
    assert "Good row" not in {d.title for d in db.session.scalars(select(Dpia))}
    table = page[page.index("Rejected rows") :]
    assert '<td class="govuk-table__cell">3</td>' in table
    assert "&#39;30/02/2030&#39; is not a real date" in table
    assert "No project is named Project Nowhere" in table
    assert "Decision PCD 1502 does not govern Project Dorothy" in table
    assert "No active user has the email address nobody@example.org" in table
    assert "Enter a value" in table
    for number in (3, 4, 5, 6):
        assert f'<td class="govuk-table__cell">{number}</td>' in table
    assert '<td class="govuk-table__cell">2</td>' not in table


def test_row_errors_name_row_and_column(app, world):
    with app.test_request_context():
        login_user(world.dpo)
        header = DPIA_IMPORT.headers
        row = dpia_row(**{"Next review date": "31/04/2030"})
        result = import_rows(
            DPIA_IMPORT, header, [(7, [row[name] for name in header])], DuplicatePolicy.STOP
        )
    [error] = result.errors
    assert (error.row, error.column) == (7, "Next review date")
    assert error.message == "'31/04/2030' is not a real date"
    db.session.rollback()


def test_duplicate_reference_stop(client, login, records, world):
    login(world.dpo)
    rows = [agreement_row(), agreement_row(Reference="ISA-MO3-001", Title="Changed")]
    response = send_rows(client, AGREEMENT_IMPORT, rows, policy="stop")
    page = response.get_data(as_text=True)
    assert "Already in the register; choose skip or update" in page
    assert count(Agreement) == 2
    assert db.session.get(Agreement, records.agreement.id).title == "Evidence to the CPS"


def test_duplicate_reference_skip(client, login, records, world):
    login(world.dpo)
    rows = [agreement_row(), agreement_row(Reference="ISA-MO3-001", Title="Changed")]
    response = send_rows(client, AGREEMENT_IMPORT, rows, policy="skip")
    assert response.status_code == 302
    assert count(Agreement) == 3
    assert db.session.get(Agreement, records.agreement.id).title == "Evidence to the CPS"
    assert "1 created, 0 updated, 1 skipped" in client.get("/import/").get_data(as_text=True)


def test_duplicate_reference_update(client, login, records, world):
    login(world.dpo)
    # The draft agreement is updated, because an agreement in force must
    # also pass the activation checks, which the fixture does not meet.
    rows = [
        agreement_row(
            Reference="ISA-FP-007",
            Title="Changed",
            Purpose="New purpose",
            Project="Project Kestrel",
            **{
                "Governing decision reference": "PCD 1502",
                "Owner email": world.other_lead.email,
                "Disclosing parties": "National online network",
                "Receiving parties": "National online network",
            },
        )
    ]
    response = send_rows(client, AGREEMENT_IMPORT, rows, policy="update")
    assert response.status_code == 302, response.get_data(as_text=True)
    agreement = db.session.get(Agreement, records.kestrel_agreement.id)
    assert agreement.title == "Changed"
    assert agreement.purpose == "New purpose"
    assert [link.role for link in agreement.parties] == ["both"]
    assert count(Agreement) == 2


def test_update_keeps_fields_missing_from_template(client, login, records, world):
    login(world.dpo)
    stored = db.session.get(Agreement, records.kestrel_agreement.id)
    stored.benefits = "Faster training of new officers"
    stored.is_encrypted_in_transit = True
    db.session.commit()
    rows = [
        agreement_row(
            Reference="ISA-FP-007",
            Project="Project Kestrel",
            **{
                "Governing decision reference": "PCD 1502",
                "Owner email": world.other_lead.email,
                "Disclosing parties": "National online network",
                "Receiving parties": "National online network",
            },
        )
    ]
    response = send_rows(client, AGREEMENT_IMPORT, rows, policy="update")
    assert response.status_code == 302, response.get_data(as_text=True)
    agreement = db.session.get(Agreement, records.kestrel_agreement.id)
    assert agreement.benefits == "Faster training of new officers"
    assert agreement.is_encrypted_in_transit is True
    assert agreement.next_review_on == date(2030, 1, 31)


def test_same_reference_twice_in_file(client, login, world):
    login(world.dpo)
    response = send_rows(client, AGREEMENT_IMPORT, [agreement_row(), agreement_row()])
    assert "Same record as row 2" in response.get_data(as_text=True)
    assert count(Agreement) == 0


def test_update_refused_for_other_leads_record(client, login, records, world):
    login(world.lead)
    row = agreement_row(
        Reference="ISA-FP-007",
        Project="Project Dorothy",
    )
    response = send_rows(client, AGREEMENT_IMPORT, [row], policy="update")
    assert "You may not change this record" in response.get_data(as_text=True)
    assert db.session.get(Agreement, records.kestrel_agreement.id).title == "Footage to the network"


def test_lead_cannot_import_into_other_project(client, login, world):
    login(world.lead)
    row = dpia_row(Project="Project Kestrel", **{"Governing decision reference": "PCD 1502"})
    response = send_rows(client, DPIA_IMPORT, [row])
    assert "Select the project" in response.get_data(as_text=True)
    assert count(Dpia) == 0


def test_formula_escape_reversed(client, login, world):
    login(world.dpo)
    row = dpia_row(Title="'=Not a formula", **{"Summary of the processing": "'-starts with minus"})
    assert send_rows(client, DPIA_IMPORT, [row]).status_code == 302
    dpia = db.session.scalar(select(Dpia))
    assert dpia.title == "=Not a formula"
    assert dpia.processing_summary == "-starts with minus"


def test_export_then_import_gives_exact_text(client, login, world):
    """A title that needed escaping comes back unchanged through the template."""
    login(world.dpo)
    title = "+44 line and =sum"
    template = load_workbook(io.BytesIO(client.get("/import/template/dpias.xlsx").data)).active
    headers = [cell.value for cell in template[1]]
    row = dpia_row(Title=title)
    content = write_xlsx("DPIAs", headers, [[row[name] for name in headers]])
    assert upload(client, "dpias", "stop", content, "round.xlsx").status_code == 302
    assert db.session.scalar(select(Dpia.title)) == title


def test_template_downloads(client, login, world):
    login(world.lead)
    response = client.get("/import/template/agreements.csv")
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header == AGREEMENT_IMPORT.headers
    assert client.get("/import/template/users.csv").status_code == 404


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"Title\r\n", "rows.txt", "must be a CSV or XLSX file"),
        (b"\xff\xfe\x00bad", "bad.csv", "must be saved as UTF-8"),
        (b"not a zip", "bad.xlsx", "cannot be read"),
        (b"Title,Project\r\nA,B\r\n", "short.csv", "Column is missing"),
        (b"\xef\xbb\xbfTitle,Shoe size\r\n", "extra.csv", "Column is not in the template"),
        (b"a\x00b\r\n", "nul.csv", "NUL characters"),
    ],
)
def test_bad_files_rejected(client, login, world, content, filename, message):
    login(world.dpo)
    response = upload(client, "dpias", "stop", content, filename)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Dpia) == 0


def test_form_errors_shown(client, login, world):
    login(world.dpo)
    response = client.post(
        "/import/",
        data={"kind": "passwords", "policy": "explode"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error: Import a spreadsheet" in page
    assert "Select what the file contains" in page
    assert "Select what happens to records already in the register" in page
    assert "Select a file to import" in page


def test_auditor_cannot_import(client, login, world):
    login(world.auditor)
    assert client.get("/import/").status_code == 403
    response = upload(client, "dpias", "stop", csv_file(DPIA_IMPORT.headers, []), "a.csv")
    assert response.status_code == 403


@pytest.fixture
def active_agreement(world) -> Agreement:
    """An internal agreement in force that meets every activation rule."""
    agreement = Agreement(
        reference="ISA-MO3-010",
        title="Tasking feed",
        project=world.dorothy,
        decision=world.decision,
        scope="internal",
        relationship_kind="internal_same_controller",
        frequency="routine",
        direction="outbound",
        regime="uk_gdpr",
        status="active",
        purpose="Tasking",
        data_items="Names and tasking notes",
        security="Sent over the force network only",
        termination="One month's notice from either side",
        rights_procedure="Requests go to the force's rights team",
        legal_power="Common law policing purposes",
        start_on=world.today - timedelta(days=30),
        next_review_on=world.today + timedelta(days=200),
        owner=world.lead,
        parties=[AgreementParty(party=world.supervisors, role="both", retention="Six years")],
        purposes=[AgreementPurpose(description="Tasking", art6_basis="e_public_task")],
    )
    db.session.add(agreement)
    db.session.commit()
    assert activation_problems(agreement, world.today) == []
    return agreement


def active_row(**overrides) -> dict:
    values = {"Reference": "ISA-MO3-010", "Title": "Tasking feed", "Purpose": "Tasking"}
    return agreement_row(**values | overrides)


def test_in_force_agreement_update_allowed(client, login, active_agreement, world):
    login(world.dpo)
    row = active_row(Title="Tasking feed, renamed")
    response = send_rows(client, AGREEMENT_IMPORT, [row], policy="update")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(Agreement, active_agreement.id).title == "Tasking feed, renamed"


def test_in_force_agreement_breaking_rules_rejected(client, login, active_agreement, world):
    login(world.dpo)
    rows = [
        agreement_row(),
        active_row(
            Title="Tasking feed, renamed",
            **{"Receiving parties": "MO3 supervisors; Crown Prosecution Service"},
        ),
    ]
    response = send_rows(client, AGREEMENT_IMPORT, rows, policy="update")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<td class="govuk-table__cell">3</td>' in page
    assert "Receiving parties" in page
    assert (
        "Enter the retention period for Crown Prosecution Service, "
        "because the agreement is in force"
    ) in page
    stored = db.session.get(Agreement, active_agreement.id)
    assert stored.title == "Tasking feed"
    assert [link.party.name for link in stored.parties] == ["MO3 supervisors"]
    assert count(Agreement) == 1
    assert count(AgreementParty) == 1


def test_in_force_problems_name_columns(app, active_agreement, world):
    header = AGREEMENT_IMPORT.headers
    row = active_row(**{"Disclosing parties": "Crown Prosecution Service"})
    # The agreement's form does not check the legal power, but activation does.
    active_agreement.legal_power = ""
    with app.test_request_context():
        login_user(world.dpo)
        result = import_rows(
            AGREEMENT_IMPORT,
            header,
            [(2, [row[name] or None for name in header])],
            DuplicatePolicy.UPDATE,
        )
    errors = {(error.row, error.column, error.message) for error in result.errors}
    assert (
        2,
        "Disclosing parties",
        "Enter the retention period for Crown Prosecution Service, "
        "because the agreement is in force",
    ) in errors
    assert (
        2,
        "Whole row",
        "Enter the legal power to share, because the agreement is in force. "
        "Change this on the agreement's page, then import the file again",
    ) in errors
    assert result.created == 0
    assert result.updated == 0
    stored = db.session.get(Agreement, active_agreement.id)
    assert [link.party.name for link in stored.parties] == ["MO3 supervisors"]


def test_terminated_agreement_not_updated(client, login, active_agreement, world):
    active_agreement.status = "terminated"
    db.session.commit()
    login(world.dpo)
    response = send_rows(client, AGREEMENT_IMPORT, [active_row(Title="Renamed")], policy="update")
    page = response.get_data(as_text=True)
    assert "This agreement is terminated, so it cannot be changed" in page
    assert db.session.get(Agreement, active_agreement.id).title == "Tasking feed"


def dorothy_dpia_row(**overrides) -> dict:
    return dpia_row(Title="Dorothy intelligence sharing", **overrides)


@pytest.mark.parametrize("status", ["draft", "under_review"])
def test_editable_dpia_updated(client, login, records, world, status):
    records.dorothy_dpia.status = status
    db.session.commit()
    login(world.dpo)
    row = dorothy_dpia_row(**{"Summary of the processing": "Changed by import."})
    response = send_rows(client, DPIA_IMPORT, [row], policy="update")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(Dpia, records.dorothy_dpia.id).processing_summary == (
        "Changed by import."
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (
            "approved",
            "This DPIA is approved, so it cannot be changed. Only a draft DPIA or one under "
            "review can be changed: start a review on the DPIA&#39;s page to draft a new version",
        ),
        (
            "awaiting_dpo_advice",
            "This DPIA is awaiting dpo advice, so it cannot be changed. Only a draft DPIA or "
            "one under review can be changed",
        ),
        (
            "superseded",
            "This DPIA is superseded, so it cannot be changed. Only a draft DPIA or one under "
            "review can be changed",
        ),
    ],
)
def test_dpia_not_editable_rejected(client, login, records, world, status, reason):
    records.dorothy_dpia.status = status
    db.session.commit()
    login(world.dpo)
    rows = [
        dpia_row(),
        dorothy_dpia_row(**{"Summary of the processing": "Changed by import."}),
    ]
    response = send_rows(client, DPIA_IMPORT, rows, policy="update")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<td class="govuk-table__cell">3</td>' in page
    assert reason in page
    stored = db.session.get(Dpia, records.dorothy_dpia.id)
    assert stored.processing_summary.startswith("Supervisors pass case notes")
    assert count(Dpia) == 2

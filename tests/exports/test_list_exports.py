"""List downloads: every user gets what the list page shows them, filtered the same way."""

import csv
import io

import pytest
from openpyxl import load_workbook

from register.exports.lists import REGISTER_LISTS


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("name", sorted(REGISTER_LISTS))
def test_every_list_downloads_with_headers(client, login, records, world, name):
    login(world.dpo)
    rows = csv_rows(client.get(f"/export/{name}.csv"))
    expected = [column.header for column in REGISTER_LISTS[name].columns]
    assert rows[0] == expected
    assert len(rows) > 1
    sheet = xlsx_rows(client.get(f"/export/{name}.xlsx"))
    assert sheet[0] == expected
    # The audit trail gains the entry of the CSV download before the XLSX one.
    added = 1 if name == "audit" else 0
    assert len(sheet) == len(rows) + added


def test_lead_export_holds_only_own_projects(client, login, records, world):
    login(world.lead)
    titles = [row[1] for row in csv_rows(client.get("/export/dpias.csv"))[1:]]
    assert titles == ["Dorothy intelligence sharing"]
    references = [row[1] for row in csv_rows(client.get("/export/agreements.csv"))[1:]]
    assert references == ["ISA-MO3-001"]
    projects = [row[1] for row in csv_rows(client.get("/export/projects.csv"))[1:]]
    assert projects == ["Project Dorothy"]


def test_auditor_export_holds_every_project(client, login, records, world):
    login(world.auditor)
    rows = csv_rows(client.get("/export/dpias.csv"))[1:]
    assert len(rows) == 2


def test_filters_narrow_the_export(client, login, records, world):
    login(world.dpo)
    rows = csv_rows(client.get(f"/export/agreements.csv?status=active&project={world.dorothy.id}"))
    assert [row[1] for row in rows[1:]] == ["ISA-MO3-001"]
    rows = csv_rows(client.get("/export/agreements.csv?status=draft"))
    assert [row[1] for row in rows[1:]] == ["ISA-FP-007"]
    due_by = (world.today.replace(year=world.today.year + 5)).isoformat()
    rows = csv_rows(client.get(f"/export/dpias.csv?review_due_by={due_by}"))
    assert len(rows) == 3


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "project=abc",
        "review_due_by=2025-02-30",
        "project=" + "9" * 40,
        "project=2147483648",
    ],
)
def test_invalid_filter_rejected(client, login, records, world, query):
    login(world.dpo)
    assert client.get(f"/export/dpias.csv?{query}").status_code == 400


def test_unknown_list_not_found(client, login, world):
    login(world.dpo)
    assert client.get("/export/passwords.csv").status_code == 404
    assert client.get("/export/dpias.exe").status_code == 404


def test_formula_text_neutralised_in_downloads(client, login, records, world):
    login(world.dpo)
    rows = csv_rows(client.get("/export/dpias.csv"))
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","Kestrel cameras")' in titles
    sheet = xlsx_rows(client.get("/export/assessments.xlsx"))
    summaries = [row[sheet[0].index("Summary")] for row in sheet[1:]]
    assert "'+Encryption at rest checked" in summaries


def test_dates_and_ids_typed_in_xlsx(client, login, records, world):
    login(world.dpo)
    sheet = xlsx_rows(client.get("/export/dpias.xlsx"))
    header = sheet[0]
    first = sheet[1]
    assert isinstance(first[header.index("Id")], int)
    assert first[header.index("Next review")].date() == records.dorothy_dpia.next_review_on


def test_list_pages_link_to_downloads(client, login, records, world):
    login(world.dpo)
    page = client.get("/agreements?status=active&page=1").get_data(as_text=True)
    assert "/export/agreements.csv?status=active" in page
    assert "page=1" not in page.split("/export/agreements.csv", 1)[1].split('"', 1)[0]
    assert "/export/agreements.xlsx?status=active" in page


def test_exports_recorded_in_audit_trail(client, login, records, world):
    from core.audit import AuditEvent
    from core.extensions import db

    login(world.auditor)
    assert client.get("/export/dpias.csv").status_code == 200
    assert client.get("/export/register.json").status_code == 200
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    ).all()
    assert [event.actor_id for event in events] == [world.auditor.id, world.auditor.id]
    assert events[0].summary.startswith("Exported dpias as csv")
    assert events[1].summary == "Exported the whole register as json"

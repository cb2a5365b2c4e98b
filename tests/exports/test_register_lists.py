"""Downloads of risks, measures, checklist items, actions, reviews and the audit trail.

Each list is checked against its page where it has one: the same rows, in
the same order, for the same filters.
"""

import html
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import strategies

from core.audit import record_event
from core.auth.models import Role, User
from core.extensions import db
from core.projects.models import Decision, Party, Project
from dpia.models import Dpia
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.risks import Measure, Risk
from register.exports.lists import REGISTER_LISTS
from register.models import Review, ReviewAction
from sharing.models import Agreement, AgreementParty, AgreementPurpose
from tests.conftest import days
from tests.exports.test_list_exports import csv_rows, xlsx_rows


def column(rows: list[list], header: str) -> list:
    """Return one column's cells below the header row."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def export(client, name: str, query: str = "") -> list[list[str]]:
    return csv_rows(client.get(f"/export/{name}.csv?{query}"))


NEW_LISTS = ("risks", "measures", "assessment_items", "assessment_actions", "reviews", "audit")


@pytest.mark.parametrize("name", NEW_LISTS)
def test_new_list_headers_in_both_formats(client, login, records, world, name):
    login(world.dpo)
    expected = [column.header for column in REGISTER_LISTS[name].columns]
    assert export(client, name)[0] == expected
    assert xlsx_rows(client.get(f"/export/{name}.xlsx"))[0] == expected


def test_risks_export_rows(client, login, records, world):
    login(world.dpo)
    rows = export(client, "risks")
    assert column(rows, "Id") == [str(records.dorothy_risk.id), str(records.kestrel_risk.id)]
    assert column(rows, "Project") == ["Project Dorothy", "Project Kestrel"]
    assert column(rows, "Likelihood") == ["Possible", "Probable"]
    assert column(rows, "Severity") == ["Significant", "Severe"]
    assert column(rows, "Level before measures") == ["Medium", "High"]
    assert column(rows, "Residual level after measures") == ["Low", "Medium"]
    assert column(rows, "Measures") == ["1", "1"]
    sheet = xlsx_rows(client.get("/export/risks.xlsx"))
    assert column(sheet, "DPIA id") == [records.dorothy_dpia.id, records.kestrel_dpia.id]


def test_measures_export_rows(client, login, records, world):
    login(world.dpo)
    rows = export(client, "measures")
    assert column(rows, "Risk id") == [str(records.dorothy_risk.id), str(records.kestrel_risk.id)]
    assert column(rows, "Owner") == [world.lead.name, world.other_lead.name]
    assert column(rows, "Status") == ["Planned", "In progress"]
    assert column(rows, "Due") == [
        (world.today + days(30)).isoformat(),
        (world.today + days(60)).isoformat(),
    ]
    sheet = xlsx_rows(client.get("/export/measures.xlsx"))
    assert column(sheet, "Due")[0].date() == world.today + days(30)


def test_assessment_items_export_rows(client, login, records, world):
    login(world.dpo)
    rows = export(client, "assessment_items", f"assessment={records.assessment.id}")
    assert column(rows, "Item code") == ["considered", "core_function"]
    assert column(rows, "Status") == ["Not met", "Met"]
    assert column(rows, "Evidence") == ["", "Design document 4.2"]
    assert column(rows, "Action status") == ["Open", "Done"]
    assert set(column(rows, "Assessment")) == {"Dorothy design stage"}


def test_assessment_actions_export_rows(client, login, records, world):
    login(world.dpo)
    rows = export(client, "assessment_actions")
    assert column(rows, "Action") == [
        "'=Add privacy to the design review",
        "Train camera operators",
    ]
    assert column(rows, "Overdue") == ["Yes", "No"]
    everything = export(client, "assessment_actions", "show=all")
    assert len(everything) == 4
    assert "Publish the design document" in column(everything, "Action")


def test_reviews_export_rows(client, login, records, world):
    login(world.auditor)
    rows = export(client, "reviews")
    # Newest review first.
    assert column(rows, "Id") == [str(records.kestrel_review.id), str(records.dorothy_review.id)]
    assert column(rows, "Record type") == ["Data-sharing agreement", "DPIA"]
    assert column(rows, "Trigger") == ["Change of sharing partner", "Scheduled review date"]
    assert column(rows, "Outcome") == ["New version required", "No change"]
    assert column(rows, "Reviewer") == [world.other_lead.name, world.lead.name]
    assert column(rows, "Open actions") == ["0", "1"]
    sheet = xlsx_rows(client.get("/export/reviews.xlsx"))
    assert column(sheet, "Reviewed on")[1].date() == world.today - days(7)


def test_audit_export_rows(client, login, records, world):
    login(world.dpo)
    rows = export(client, "audit", "record_type=dpias&action=create")
    assert sorted(column(rows, "Record id")) == sorted(
        [str(records.dorothy_dpia.id), str(records.kestrel_dpia.id)]
    )
    assert set(column(rows, "Action")) == {"Created"}
    assert all(
        '"title"' in changes for changes in column(rows, "Changes as JSON (field: [before, after])")
    )


@pytest.mark.parametrize("role", ["lead", "other_lead", "admin"])
def test_audit_export_refused_to_other_roles(client, login, records, world, role):
    login(getattr(world, role))
    assert client.get("/export/audit.csv").status_code == 403
    assert client.get("/export/audit.xlsx").status_code == 403


@pytest.mark.parametrize(
    ("name", "header", "own", "other"),
    [
        ("risks", "Project", "Project Dorothy", "Project Kestrel"),
        ("measures", "Project", "Project Dorothy", "Project Kestrel"),
        ("assessment_items", "Project", "Project Dorothy", "Project Kestrel"),
        ("assessment_actions", "Project", "Project Dorothy", "Project Kestrel"),
        ("reviews", "Project", "Project Dorothy", "Project Kestrel"),
    ],
)
def test_lead_export_excludes_other_project(
    client, login, records, world, name, header, own, other
):
    login(world.lead)
    projects = set(
        column(export(client, name, "show=all" if name == "assessment_actions" else ""), header)
    )
    assert projects == {own}
    assert other not in projects
    sheet = xlsx_rows(client.get(f"/export/{name}.xlsx"))
    assert set(column(sheet, header)) == {own}


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("risks", "dpia=abc"),
        ("risks", "level=extreme"),
        ("measures", "status=finished"),
        ("measures", "due_by=2026-13-01"),
        ("measures", "owner=2147483648"),
        ("assessment_items", "status=maybe"),
        ("assessment_actions", "show=some"),
        ("reviews", "type=spreadsheet"),
        ("reviews", "outcome=shrug"),
        ("reviews", "reviewed_since=yesterday"),
        ("audit", "action=delete_everything"),
        ("audit", "since=31/12/2025"),
        ("audit", "record_id=-1"),
        ("audit", "record_type=" + "x" * 61),
        ("audit", "actor=" + "x" * 255),
        ("dpias", "residual=extreme"),
        ("dpias", "review=someday"),
        ("dpias", "sort=colour"),
        ("agreements", "party=abc"),
        ("agreements", "review=45"),
        ("agreements", "scope=galactic"),
        ("assessments", "stage=launch"),
        ("assessments", "open_actions=maybe"),
    ],
)
def test_invalid_filter_value_gives_400(client, login, records, world, name, query):
    login(world.dpo)
    assert client.get(f"/export/{name}.csv?{query}").status_code == 400
    assert client.get(f"/export/{name}.xlsx?{query}").status_code == 400


def test_formula_text_neutralised_in_new_lists(client, login, records, world):
    login(world.dpo)
    measures = export(client, "measures")
    assert "'-Encrypt the mailbox" in column(measures, "Measure")
    items = xlsx_rows(client.get("/export/assessment_items.xlsx"))
    assert "'=Add privacy to the design review" in column(items, "Action")
    reviews = export(client, "reviews")
    assert "'@Dorothy intelligence sharing" in column(reviews, "Record")


def test_new_list_exports_audited(client, login, records, world):
    login(world.auditor)
    client.get("/export/risks.csv")
    rows = export(client, "audit", "action=export")
    # Newest first, and the audit download itself is recorded after it is read.
    assert column(rows, "Summary")[0] == "Exported risks as csv: 2 rows"


def test_audit_filters_match_page(client, login, records, world):
    login(world.dpo)
    today = world.today
    page = client.get(
        f"/audit?action=create&record_type=dpias&since={today.day}&since={today.month}"
        f"&since={today.year}"
    ).get_data(as_text=True)
    link = re.search(r'href="(/export/audit\.csv\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"since={today.isoformat()}" in link
    rows = csv_rows(client.get(link))
    assert sorted(column(rows, "Record id")) == sorted(
        [str(records.dorothy_dpia.id), str(records.kestrel_dpia.id)]
    )
    tomorrow = (today + days(1)).isoformat()
    assert len(export(client, "audit", f"since={tomorrow}")) == 1


# Each page lists its records with links from which the record ids are read.
PAGE_IDS = {
    "dpias": ("/dpias", r'href="/dpias/(\d+)"'),
    "agreements": ("/agreements", r'href="/agreements/(\d+)"'),
    "assessments": ("/assessments", r'href="/assessments/(\d+)"'),
    "assessment_actions": ("/assessments/actions", r"/items/(\d+)/action"),
}


def page_ids(client, name: str, query: str) -> list[str]:
    path, pattern = PAGE_IDS[name]
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    return re.findall(pattern, response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("dpias", ""),
        ("dpias", "regime=part3"),
        ("dpias", "residual=low"),
        ("dpias", "residual=medium"),
        ("dpias", "review=due_soon"),
        ("dpias", "review=later"),
        ("dpias", "review=not_set"),
        ("dpias", "sort=title"),
        ("dpias", "sort=residual"),
        ("dpias", "status=draft&sort=status"),
        ("dpias", "project_name=kestrel"),
        ("dpias", "project_name=DOROTHY"),
        ("dpias", "project_name=no+such+project"),
        ("agreements", ""),
        ("agreements", "status=active"),
        ("agreements", "status=draft"),
        ("agreements", "scope=external&sort=title"),
        ("agreements", "review=90"),
        ("agreements", "review=none"),
        ("agreements", "sort=review"),
        ("agreements", "relationship=controller_to_controller"),
        ("assessments", ""),
        ("assessments", "stage=build"),
        ("assessments", "open_actions=yes"),
        ("assessments", "open_actions=no"),
        ("assessments", "project_name=dorothy"),
        ("assessment_actions", ""),
        ("assessment_actions", "show=all"),
    ],
)
def test_export_filters_match_page(client, login, records, world, name, query):
    login(world.dpo)
    shown = page_ids(client, name, query)
    exported = column(export(client, name, query), "Id")
    assert exported == shown


def test_agreement_party_filter_matches_page(client, login, records, world):
    login(world.dpo)
    query = f"party={world.network.id}"
    shown = page_ids(client, "agreements", query)
    assert shown == [str(records.kestrel_agreement.id)]
    assert column(export(client, "agreements", query), "Id") == shown


def test_agreement_status_counts_end_date(client, login, records, world):
    records.agreement.end_on = world.today - days(1)
    db.session.commit()
    login(world.dpo)
    expired = export(client, "agreements", "status=expired")
    assert column(expired, "Reference") == ["ISA-MO3-001"]
    assert column(expired, "Status") == ["Expired"]
    assert column(export(client, "agreements", "status=active"), "Reference") == []


def test_project_name_filter_narrows_reviews(client, login, records, world):
    login(world.dpo)
    projects = set(column(export(client, "reviews", "project_name=dorothy"), "Project"))
    assert projects == {"Project Dorothy"}
    page = client.get("/reviews?project_name=dorothy").get_data(as_text=True)
    links = download_links(page, "reviews")
    assert links
    assert all("project_name=dorothy" in link for link in links)


def test_risk_and_measure_filters(client, login, records, world):
    login(world.dpo)
    dpia = records.dorothy_dpia.id
    assert column(export(client, "risks", f"dpia={dpia}"), "Id") == [str(records.dorothy_risk.id)]
    assert column(export(client, "risks", "level=high"), "Id") == [str(records.kestrel_risk.id)]
    owned = export(client, "measures", f"owner={world.other_lead.id}")
    assert column(owned, "Project") == ["Project Kestrel"]
    due = export(client, "measures", f"due_by={(world.today + days(45)).isoformat()}")
    assert column(due, "Project") == ["Project Dorothy"]
    assert column(export(client, "measures", "status=in_progress"), "Project") == [
        "Project Kestrel"
    ]


def test_review_filters(client, login, records, world):
    login(world.dpo)
    by_type = export(client, "reviews", "type=dpia")
    assert column(by_type, "Id") == [str(records.dorothy_review.id)]
    by_project = export(client, "reviews", f"project={world.kestrel.id}")
    assert column(by_project, "Id") == [str(records.kestrel_review.id)]
    since = (world.today - days(3)).isoformat()
    assert column(export(client, "reviews", f"reviewed_since={since}"), "Id") == [
        str(records.kestrel_review.id)
    ]
    record = f"type=agreement&record={records.kestrel_agreement.id}"
    assert column(export(client, "reviews", record), "Id") == [str(records.kestrel_review.id)]


def download_links(html: str, name: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(rf'href="(/export/{name}\.(?:csv|xlsx)[^"]*)"', html)
    ]


def test_pages_link_to_new_downloads(client, login, records, world):
    login(world.dpo)
    dpia = client.get(f"/dpias/{records.dorothy_dpia.id}").get_data(as_text=True)
    assert f"/export/risks.csv?dpia={records.dorothy_dpia.id}" in download_links(dpia, "risks")
    assert f"/export/measures.xlsx?dpia={records.dorothy_dpia.id}" in download_links(
        dpia, "measures"
    )
    assessment = client.get(f"/assessments/{records.assessment.id}").get_data(as_text=True)
    assert f"/export/assessment_items.csv?assessment={records.assessment.id}" in download_links(
        assessment, "assessment_items"
    )
    actions = client.get("/assessments/actions?show=all").get_data(as_text=True)
    assert "/export/assessment_actions.csv?show=all" in download_links(
        actions, "assessment_actions"
    )
    reviews = client.get(f"/reviews?type=dpia&project={world.dorothy.id}&owner={world.lead.id}")
    links = download_links(reviews.get_data(as_text=True), "reviews")
    assert len(links) == 2
    assert "type=dpia" in links[0]
    assert f"project={world.dorothy.id}" in links[0]
    assert "owner=" not in links[0]
    audit = client.get("/audit?action=export").get_data(as_text=True)
    assert "/export/audit.csv?action=export" in download_links(audit, "audit")


def test_lead_downloads_actions_not_audit(client, login, records, world):
    login(world.lead)
    page = client.get("/assessments/actions").get_data(as_text=True)
    assert download_links(page, "assessment_actions")
    assert client.get("/audit").status_code == 403


@dataclass
class Parents:
    """New records for one row to hang off, so that each row has parents of its own."""

    project: Project
    decision: Decision
    user: User
    other_user: User


def new_parents(world, make_user) -> Parents:
    """Return a new project of the lead, with its own decision, and two new users."""
    number = db.session.scalar(select(func.count()).select_from(Project))
    decision = Decision(
        title=f"Decision {number}", decision_maker="Deputy Mayor", issuing_body="MOPAC"
    )
    decision.set_reference(f"PCD {9000 + number}")
    project = Project(
        name=f"Project {number}", owning_unit="Unit", lead=world.lead, decisions=[decision]
    )
    db.session.add(project)
    return Parents(project, decision, make_user(Role.LEAD), make_user(Role.LEAD))


# Each adds `count` rows to a list, each under parents of its own, so that
# a lazy load per row shows up as extra queries.
def add_dpias(world, make_user, count: int) -> None:
    for _ in range(count):
        parents = new_parents(world, make_user)
        dpia = Dpia(
            project=parents.project,
            decision=parents.decision,
            owner=parents.user,
            title=f"DPIA of {parents.project.name}",
            risks=[
                Risk(
                    source="Source",
                    harm="Harm",
                    likelihood="possible",
                    severity="severe",
                    computed_level="high",
                    measures=[
                        Measure(
                            description="Measure",
                            effect="reduced",
                            residual_level="low",
                            owner=parents.other_user,
                            status="planned",
                        )
                    ],
                )
            ],
        )
        dpia.refresh_residual_risk()
        db.session.add(dpia)
    db.session.commit()


def add_assessments(world, make_user, count: int) -> None:
    for _ in range(count):
        parents = new_parents(world, make_user)
        db.session.add(
            PbdAssessment(
                project=parents.project,
                decision=parents.decision,
                owner=parents.user,
                title=f"Assessment of {parents.project.name}",
                assessor=parents.other_user,
                assessed_on=world.today,
                items=[
                    PbdItem(
                        code="considered",
                        position=0,
                        status="not_met",
                        action="Action",
                        action_owner=parents.user,
                        action_due_on=world.today,
                        action_status="open",
                    )
                ],
            )
        )
    db.session.commit()


def add_agreements(world, make_user, count: int) -> None:
    for _ in range(count):
        parents = new_parents(world, make_user)
        party = Party(name=f"Party of {parents.project.name}", kind="external")
        db.session.add(
            Agreement(
                reference=f"ISA {parents.project.name}",
                title="Agreement",
                project=parents.project,
                decision=parents.decision,
                scope="external",
                owner=parents.user,
                parties=[AgreementParty(party=party, role="recipient")],
                purposes=[AgreementPurpose(description="Prosecution", art6_basis="e_public_task")],
            )
        )
    db.session.commit()


def add_reviews(world, make_user, count: int) -> None:
    for number in range(count):
        parents = new_parents(world, make_user)
        db.session.add(
            Review(
                record_kind="dpia",
                record_id=number + 1,
                project=parents.project,
                record_title="DPIA",
                review_type="scheduled",
                trigger="scheduled",
                reviewer=parents.user,
                reviewed_on=world.today,
                is_processing_as_recorded=True,
                findings="No change",
                is_risk_changed=False,
                outcome="no_change",
                is_dpo_consulted=False,
                recorded_by=parents.other_user,
                actions=[ReviewAction(description="Check", owner=parents.user, due_on=world.today)],
            )
        )
    db.session.commit()


def add_audit_events(world, make_user, count: int) -> None:
    for number in range(count):
        record_event("export", summary=f"Event {number}", user=make_user(Role.DPO))
    db.session.commit()


def add_projects(world, make_user, count: int) -> None:
    for _ in range(count):
        new_parents(world, make_user).project.lead = make_user(Role.LEAD)
    db.session.commit()


ROW_FACTORIES = {
    "dpias": add_dpias,
    "risks": add_dpias,
    "measures": add_dpias,
    "assessments": add_assessments,
    "assessment_items": add_assessments,
    "assessment_actions": add_assessments,
    "agreements": add_agreements,
    "reviews": add_reviews,
    "audit": add_audit_events,
    "projects": add_projects,
}


def count_queries(client, url: str) -> tuple[int, int]:
    """Return the number of SQL statements a download runs and its number of rows."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), len(csv_rows(response)) - 1


# Leads may not download the audit trail, and the projects the factory adds
# have leads of their own, so a lead's download of either has no rows to count.
QUERY_COUNT_CASES = [
    (name, role)
    for name in sorted(ROW_FACTORIES)
    for role in ("dpo", "lead")
    if not (role == "lead" and name in ("audit", "projects"))
]


@pytest.mark.parametrize(("name", "role"), QUERY_COUNT_CASES)
def test_export_query_count_fixed(client, login, world, make_user, monkeypatch, name, role):
    # selectinload sends one query per 500 parent rows. With batches of two
    # rows, a loader that batches by rows adds queries here, as a lazy load
    # per row does.
    # NOTE: _chunksize is private to SQLAlchemy (2.1.9 here). If it is
    # renamed, setattr raises AttributeError and the test fails.
    monkeypatch.setattr(strategies._SelectInLoader, "_chunksize", 2)
    login(getattr(world, role))
    url = f"/export/{name}.csv"
    add_rows = ROW_FACTORIES[name]
    add_rows(world, make_user, 2)
    few_queries, few_rows = count_queries(client, url)
    add_rows(world, make_user, 18)
    many_queries, many_rows = count_queries(client, url)
    assert many_rows > few_rows
    assert many_queries == few_queries


@pytest.mark.parametrize("role", ["admin", "dpo", "lead", "other_lead", "auditor"])
def test_every_list_open_to_its_roles(client, login, records, world, role):
    user = getattr(world, role)
    login(user)
    for name, declared in REGISTER_LISTS.items():
        expected = 200 if user.role in declared.roles else 403
        assert client.get(f"/export/{name}.csv").status_code == expected, name


@pytest.mark.parametrize(
    ("path", "name", "query"),
    [
        ("/dpias", "dpias", "residual=medium&sort=title"),
        ("/assessments", "assessments", "stage=design&open_actions=yes"),
        ("/agreements", "agreements", "review=90&sort=end"),
        ("/dpias", "dpias", "project_name=Kestrel"),
    ],
)
def test_page_links_carry_its_filters(client, login, records, world, path, name, query):
    login(world.dpo)
    links = download_links(client.get(f"{path}?{query}&page=1").get_data(as_text=True), name)
    assert len(links) == 2
    for link in links:
        for argument in query.split("&"):
            assert argument in link
        assert "page=" not in link


def test_due_dates_download_matches_reviews_page(client, login, records, world):
    login(world.dpo)
    page = client.get("/reviews?project_name=dorothy").get_data(as_text=True)
    links = [link for link in re.findall(r'href="([^"]+)"', page) if "reviews-due" in link]
    assert len(links) == 2
    assert all("project_name=dorothy" in link for link in links)
    rows = export(client, "reviews-due", "project_name=dorothy")
    assert rows[0] == ["Due", "State", "Item", "Type", "Project", "Owner", "Record id"]
    assert len(rows) > 1
    assert {row[4] for row in rows[1:]} == {"Project Dorothy"}
    shown = html.unescape(page)
    for row in rows[1:]:
        # A title that looks like a formula is exported with a leading quote.
        title = row[2][1:] if row[2][:2] in ("'=", "'+", "'-", "'@") else row[2]
        assert title in shown


def test_due_dates_download_limited_to_lead(client, login, records, world):
    login(world.lead)
    rows = export(client, "reviews-due", "")
    assert len(rows) > 1
    assert {row[4] for row in rows[1:]} == {"Project Dorothy"}
    sheet = xlsx_rows(client.get("/export/reviews-due.xlsx"))
    assert len(sheet) == len(rows)


def test_due_dates_download_ignores_bad_filters(client, login, records, world):
    login(world.dpo)
    response = client.get("/export/reviews-due.csv?owner=abc&type=nonsense&project=99999999999")
    assert response.status_code == 200

"""The register, the party and project pages, the sharing map and hostile input."""

import html

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.projects.models import Party
from core.timeutil import local_today
from register.demo import load
from register.reviews import review_items
from sharing.models import Agreement, AgreementParty
from sharing.rules import activation_problems
from tests.conftest import days


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def register(world, make_agreement):
    """Three agreements of Dorothy: internal, external and a processor contract."""
    internal = make_agreement(
        reference="ISA-A",
        title="Internal flows",
        relationship_kind="internal_same_controller",
        scope="internal",
        status="active",
        next_review_on=world.today - days(5),
        parties=[
            AgreementParty(party=world.supervisors, role="discloser", retention="6 years"),
            AgreementParty(party=make_agreement.intelligence, role="recipient", retention="6y"),
        ],
    )
    external = make_agreement(
        reference="ISA-B", title="National network", next_review_on=world.today + days(20)
    )
    supplier = Party(name="Stratus Secure Cloud Ltd", kind="external")
    contract = make_agreement(
        reference="DPA-C",
        title="Hosting",
        relationship_kind="controller_to_processor",
        processor_contract_reference="CON-1",
        status="active",
        direction="outbound",
        next_review_on=world.today + days(200),
        parties=[
            AgreementParty(party=make_agreement.intelligence, role="discloser", retention="x"),
            AgreementParty(party=supplier, role="recipient", controller_status="processor"),
        ],
    )
    return internal, external, contract


def listed(body: str) -> list[str]:
    return [ref for ref in ("ISA-A", "ISA-B", "DPA-C") if f">{ref}<" in body]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ISA-A", "ISA-B", "DPA-C"]),
        ("scope=internal", ["ISA-A"]),
        ("scope=external", ["ISA-B", "DPA-C"]),
        ("relationship=controller_to_processor", ["DPA-C"]),
        ("status=draft", ["ISA-B"]),
        ("status=active", ["ISA-A", "DPA-C"]),
        ("regime=uk_gdpr", []),
        ("regime=dpa_part3", ["ISA-A", "ISA-B", "DPA-C"]),
        ("review=overdue", ["ISA-A"]),
        ("review=30", ["ISA-B"]),
        ("scope=sideways&status=%00&regime=' OR 1=1", ["ISA-A", "ISA-B", "DPA-C"]),
    ],
)
def test_register_filters(client, login, world, register, query, expected):
    login(world.auditor)
    response = client.get(f"/agreements?{query}")
    assert response.status_code == 200
    assert listed(page(response)) == expected


def test_register_filters_by_party(client, login, world, register):
    login(world.dpo)
    body = page(client.get(f"/agreements?party={world.network.id}"))
    assert listed(body) == ["ISA-B"]
    assert listed(page(client.get("/agreements?party=99999"))) == ["ISA-A", "ISA-B", "DPA-C"]


def test_register_sorts_by_review(client, login, world, register):
    login(world.dpo)
    body = page(client.get("/agreements?sort=review"))
    assert [body.index(f">{ref}<") for ref in ("ISA-A", "ISA-B", "DPA-C")] == sorted(
        body.index(f">{ref}<") for ref in ("ISA-A", "ISA-B", "DPA-C")
    )
    titles = page(client.get("/agreements?sort=title"))
    assert titles.index(">DPA-C<") < titles.index(">ISA-A<") < titles.index(">ISA-B<")


def test_register_paginates(app, client, login, world, make_agreement):
    app.config["REGISTER_PAGE_SIZE"] = 2
    for _ in range(5):
        make_agreement()
    login(world.dpo)
    first = page(client.get("/agreements"))
    last = page(client.get("/agreements?page=3"))
    assert first.count("ISA-TEST-") == 2
    assert "ISA-TEST-005" in last
    assert "5 records in all" in first
    assert client.get("/agreements?page=99999999").status_code == 200


def test_processor_contract_kept_apart(client, login, world, register):
    login(world.dpo)
    project = page(client.get(f"/projects/{world.dorothy.id}"))
    assert "2 data-sharing agreements" in project
    assert "1 processor contract" in project
    sharing_map = page(client.get(f"/projects/{world.dorothy.id}/sharing-map"))
    flows = sharing_map.split("Flows of personal data")[1].split("Processor contracts")[0]
    assert "ISA-A" in flows
    assert "DPA-C" not in flows
    assert "Stratus Secure Cloud Ltd" not in sharing_map.split("</svg>")[0]
    assert "DPA-C" in sharing_map.split("Processor contracts", 1)[1]


def test_register_counts_contracts_apart(client, login, world, register):
    login(world.dpo)
    body = page(client.get("/agreements"))
    assert "2 data-sharing agreements and 1 processor contract match" in body
    external = page(client.get("/agreements?scope=external"))
    assert "1 data-sharing agreement and 1 processor contract match" in external


def test_processor_contract_own_review_source(app, world, register):
    with app.test_request_context():
        items, total = review_items(None, offset=0, limit=50)
    kinds = {item.title.split(":")[0]: item.kind for item in items}
    assert kinds == {"ISA-A": "agreement", "ISA-B": "agreement", "DPA-C": "processor_contract"}


def test_terminated_agreement_needs_no_review(app, world, make_agreement):
    make_agreement(reference="ISA-OLD", status="terminated")
    with app.test_request_context():
        items, total = review_items(None, offset=0, limit=50)
    assert total == 0
    assert items == []


def test_sharing_map_lists_each_direction(client, login, world, register):
    login(world.auditor)
    body = page(client.get(f"/projects/{world.dorothy.id}/sharing-map"))
    assert 'role="img"' in body
    assert '<title id="map-title">Data flows in Project Dorothy</title>' in body
    table = body.split("Flows of personal data")[1].split("Processor contracts")[0]
    assert table.count('<tr class="govuk-table__row">') == 1 + 3
    assert "MO3 supervisors</td>" in table
    assert "3 flows between 3 parties" in body.split("</desc>")[0]


def test_sharing_map_hidden_from_other_lead(client, login, world, register):
    login(world.other_lead)
    assert client.get(f"/projects/{world.dorothy.id}/sharing-map").status_code == 404


def test_party_page_lists_agreements(client, login, world, register, make_agreement):
    login(world.auditor)
    body = page(client.get(f"/parties/{make_agreement.intelligence.id}"))
    sharing_part, contracts_part = body.split("Processor contracts (not sharing)")
    assert "ISA-A" in sharing_part
    assert "ISA-B" in sharing_part
    assert "DPA-C" in contracts_part


def test_party_page_hides_other_projects(client, login, world, register, make_agreement):
    login(world.other_lead)
    body = page(client.get(f"/parties/{world.network.id}"))
    assert "ISA-B" not in body
    assert "is not a party to any data-sharing agreement you can see" in body


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "Nul\x00byte title", "purpose": "a\x00b"},
        {"title": "x" * 5000},
        {"purpose": "y" * 30000},
        {"start_on": ["30", "2", "2026"]},
        {"start_on": ["1", "", "2026"]},
        {"start_on": ["a", "b", "c"]},
        {"start_on": ["1", "1", "99999999999999999999"]},
        {"project_id": "not-a-number"},
        {"owner_id": "99999999999999999999999"},
        {"dpia_id": "-1"},
        {"relationship_kind": "everything"},
        {"special_categories": ["health", "astrology"]},
        {"marking": ["official", "secret"]},
        {"is_criminal_offence_data": "maybe"},
        {"transfer_mechanism": "\x00"},
    ],
)
def test_hostile_agreement_input(client, login, world, agreement_form, overrides):
    login(world.dpo)
    response = client.post("/agreements/new", data=agreement_form(**overrides))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        stored = db.session.scalar(select(Agreement))
        assert "\x00" not in stored.title + stored.purpose


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/{id}/purposes/new",
        "/agreements/{id}/parties/new",
        "/agreements/{id}/versions/new",
        "/agreements/{id}/decisions/new",
        "/agreements/{id}/status/terminate",
    ],
)
def test_hostile_part_input(client, login, world, make_agreement, path):
    agreement = make_agreement()
    login(world.dpo)
    hostile = {
        "description": "\x00" * 10,
        "art6_basis": "z",
        "art9_schedule_1_paragraph": "999",
        "party_id": "abc",
        "role": "\x00",
        "signed_on": ["31", "4", "2026"],
        "changed_on": ["0", "0", "0"],
        "requested_on": ["29", "2", "2025"],
        "outcome": ["approved", "refused"],
        "reason": "r" * 100000,
    }
    response = client.post(path.format(id=agreement.id), data=hostile)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(AgreementParty.id))) == 2


def test_missing_parts_not_found(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.dpo)
    assert client.get(f"/agreements/{agreement.id}/parties/99999").status_code == 404
    assert client.get("/agreements/99999").status_code == 404
    assert client.post(f"/agreements/{agreement.id}/widgets/1/remove").status_code == 404


def test_demo_agreements_are_complete(app):
    today = local_today()
    load(today)
    agreements = {a.reference: a for a in db.session.scalars(select(Agreement))}
    assert set(agreements) == {
        "ISA-MO3-001",
        "ISA-MO3-002",
        "ISA-MO3-003",
        "DPA-MO3-004",
        "ISA-MO3-005",
    }
    assert agreements["ISA-MO3-003"].effective_status(today) == "expired"
    assert agreements["DPA-MO3-004"].is_processor_contract
    for reference in ("ISA-MO3-001", "ISA-MO3-002", "DPA-MO3-004"):
        assert activation_problems(agreements[reference], today) == [], reference
    expired = activation_problems(agreements["ISA-MO3-003"], today)
    assert "Move the end date to today or later" in expired

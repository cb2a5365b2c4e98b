"""A party's page lists its agreements a page at a time, with the same queries for any number."""

import re

from core.extensions import db
from sharing.choices import PROCESSOR
from sharing.models import Agreement, AgreementParty
from tests.conftest import counted_queries


def add_agreements(
    world,
    party,
    count: int,
    start: int = 0,
    kind: str = "controller_to_controller",
    project=None,
) -> None:
    for number in range(start, start + count):
        agreement = Agreement(
            reference=f"ISA-{number:03d}",
            title=f"Agreement {number}",
            project=project or world.dorothy,
            decision=world.decision,
            scope="external",
            relationship_kind=kind,
            owner=world.lead,
        )
        agreement.parties.append(AgreementParty(party=party, role="recipient"))
        db.session.add(agreement)
    db.session.commit()


def count_queries(client, path: str) -> int:
    client.get(path)
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_party_page_queries_do_not_grow(client, login, world):
    login(world.dpo)
    path = f"/parties/{world.network.id}"
    add_agreements(world, world.network, 2)
    two = count_queries(client, path)
    add_agreements(world, world.network, 20, start=2)
    twenty_two = count_queries(client, path)
    assert twenty_two == two


def test_party_page_pages_agreements(app, client, login, world):
    app.config["REGISTER_PAGE_SIZE"] = 3
    add_agreements(world, world.network, 7)
    login(world.dpo)
    path = f"/parties/{world.network.id}"
    # Newest first: ISA-006, ISA-005 and ISA-004 on the first page.
    first = client.get(path).get_data(as_text=True)
    assert "ISA-006" in first
    assert "ISA-004" in first
    assert "ISA-003" not in first
    assert "agreements_page=3" in first
    last = client.get(f"{path}?agreements_page=3").get_data(as_text=True)
    assert "ISA-000" in last
    assert "ISA-006" not in last


def totals_shown(html: str) -> list[int]:
    """Return the "N records in all" figures of the page's lists, in order."""
    return [int(number) for number in re.findall(r"(\d+) records? in all", html)]


def test_party_page_counts_each_kind(app, client, login, world):
    app.config["REGISTER_PAGE_SIZE"] = 2
    add_agreements(world, world.network, 5)
    add_agreements(world, world.network, 3, start=5, kind=PROCESSOR)
    add_agreements(world, world.cps, 4, start=8)
    login(world.dpo)
    html = client.get(f"/parties/{world.network.id}").get_data(as_text=True)
    assert totals_shown(html) == [5, 3]
    assert "agreements_page=3" in html
    assert "contracts_page=2" in html
    # Newest first in each list: ISA-004 leads the agreements, ISA-007 the contracts.
    assert "ISA-004" in html
    assert "ISA-007" in html
    assert "ISA-002" not in html


def test_party_page_counts_contracts_alone(client, login, world):
    add_agreements(world, world.network, 1, kind=PROCESSOR)
    login(world.dpo)
    html = client.get(f"/parties/{world.network.id}").get_data(as_text=True)
    assert totals_shown(html) == [1]
    assert "is not a party to any data-sharing agreement you can see" in html
    assert "Processor contracts (not sharing)" in html


def test_party_page_counts_visible_agreements(app, client, login, world):
    app.config["REGISTER_PAGE_SIZE"] = 2
    add_agreements(world, world.network, 3)
    add_agreements(world, world.network, 2, start=3, kind=PROCESSOR)
    add_agreements(world, world.network, 4, start=5, project=world.kestrel)
    add_agreements(world, world.network, 1, start=9, kind=PROCESSOR, project=world.kestrel)
    path = f"/parties/{world.network.id}"
    login(world.lead)
    own = client.get(path).get_data(as_text=True)
    assert totals_shown(own) == [3, 2]
    assert "ISA-005" not in own
    login(world.other_lead)
    other = client.get(path).get_data(as_text=True)
    assert totals_shown(other) == [4, 1]
    login(world.auditor)
    every = client.get(path).get_data(as_text=True)
    assert totals_shown(every) == [7, 3]

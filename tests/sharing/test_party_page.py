"""A party's page lists its agreements a page at a time, with the same queries for any number."""

from core.extensions import db
from sharing.models import Agreement, AgreementParty
from tests.conftest import counted_queries


def add_agreements(
    world, party, count: int, start: int = 0, kind: str = "controller_to_controller"
) -> None:
    for number in range(start, start + count):
        agreement = Agreement(
            reference=f"ISA-{number:03d}",
            title=f"Agreement {number}",
            project=world.dorothy,
            decision=world.decision,
            scope="external",
            relationship_kind="controller_to_controller",
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

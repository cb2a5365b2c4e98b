"""DPIA pages and downloads run the same number of queries however many rows they show.

Queries are counted, not timed, so these tests hold on any machine.
"""

from datetime import timedelta

from core.extensions import db
from tests.conftest import counted_queries
from tests.dpia.conftest import add_risk


def count_page_queries(client, path: str) -> int:
    client.get(path)
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_risks_page_queries_do_not_grow(client, login, world, make_dpia):
    single = make_dpia("draft", title="One risk")
    six = make_dpia("draft", title="Six risks")
    for _ in range(5):
        add_risk(six, "probable", "severe", "medium", owner=world.auditor)
    db.session.commit()
    login(world.lead)
    assert len(six.risks) == 6
    single_count = count_page_queries(client, f"/dpias/{single.id}/risks")
    six_count = count_page_queries(client, f"/dpias/{six.id}/risks")
    assert six_count == single_count


def test_dpia_page_queries_do_not_grow(client, login, world, make_dpia):
    single = make_dpia("draft", title="One risk")
    six = make_dpia("draft", title="Six risks")
    # The DPIA's owner owns these measures too, so a user that loads with the
    # measures must not save the page a query that the other DPIA runs.
    for _ in range(5):
        add_risk(six, "probable", "severe", "medium", owner=world.lead)
    db.session.commit()
    login(world.dpo)
    assert count_page_queries(client, f"/dpias/{six.id}") == count_page_queries(
        client, f"/dpias/{single.id}"
    )


def test_download_queries_do_not_grow(client, login, world, make_dpia):
    due = world.today + timedelta(days=3)
    for number in range(2):
        make_dpia("new", title=f"First {number}", next_review_on=due)
    login(world.dpo)
    path = "/export/dpias.csv?review=due_soon"
    two = count_page_queries(client, path)
    for number in range(10):
        make_dpia(
            "new",
            title=f"Second {number}",
            next_review_on=due,
            project=world.kestrel if number % 2 else world.dorothy,
            decision=world.other_decision if number % 2 else world.decision,
            owner=world.other_lead if number % 2 else world.lead,
        )
    twelve = count_page_queries(client, path)
    assert twelve == two

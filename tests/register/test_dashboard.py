from datetime import timedelta

from core.extensions import db
from dpia.models import Dpia, PbdAssessment
from sharing.models import Agreement, AgreementParty


def add_records(world):
    overdue = Dpia(
        project=world.dorothy,
        decision=world.decision,
        title="Overdue DPIA",
        owner=world.lead,
        next_review_on=world.today - timedelta(days=5),
    )
    later = PbdAssessment(
        project=world.dorothy,
        assessor=world.lead,
        assessed_on=world.today,
        decision=world.decision,
        title="Later assessment",
        owner=world.lead,
        next_review_on=world.today + timedelta(days=300),
    )
    soon = Agreement(
        reference="ISA-1",
        title="Soon agreement",
        project=world.dorothy,
        decision=world.decision,
        scope="external",
        owner=world.dpo,
        next_review_on=world.today + timedelta(days=10),
        parties=[AgreementParty(party=world.network, role="both")],
    )
    kestrel = Dpia(
        project=world.kestrel,
        decision=world.other_decision,
        title="Kestrel DPIA",
        owner=world.other_lead,
        next_review_on=world.today - timedelta(days=50),
    )
    db.session.add_all([overdue, later, soon, kestrel])
    db.session.commit()


def test_dashboard_lists_by_review_date_overdue_first(client, login, world):
    add_records(world)
    login(world.dpo)
    text = client.get("/").get_data(as_text=True)
    order = [
        text.index(title)
        for title in ("Kestrel DPIA", "Overdue DPIA", "ISA-1: Soon agreement", "Later assessment")
    ]
    assert order == sorted(order)
    assert text.count("Overdue</strong>") == 2
    assert "Due soon" in text


def test_dashboard_shows_lead_only_own_projects(client, login, world):
    add_records(world)
    login(world.lead)
    text = client.get("/").get_data(as_text=True)
    assert "Overdue DPIA" in text
    assert "Kestrel DPIA" not in text


def test_dashboard_today_in_london_not_utc(app, client, login, world, monkeypatch):
    from datetime import UTC, datetime

    import core.timeutil

    # 23:30 UTC on 30 June is 00:30 BST on 1 July.
    monkeypatch.setattr(core.timeutil, "utc_now", lambda: datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    login(world.dpo)
    assert "Today is 1 July 2026" in client.get("/").get_data(as_text=True)

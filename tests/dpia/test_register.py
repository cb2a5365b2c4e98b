"""The DPIA register, the dashboard panels and measure reminders."""

from datetime import timedelta

import pytest

from core.extensions import db
from dpia.risks import Measure
from tests.dpia.conftest import add_risk


def titles_in_order(text, titles):
    return sorted(titles, key=text.index)


@pytest.mark.parametrize("query", ["", "?project=&status=&regime=&residual=&review="])
def test_register_without_filters_shows_no_error(client, login, world, make_dpia, query):
    make_dpia("draft", title="Draft gdpr")
    login(world.dpo)
    text = client.get(f"/dpias{query}").get_data(as_text=True)
    assert "<title>Error:" not in text
    assert "govuk-error-summary" not in text
    assert "Draft gdpr" in text


def test_register_filters(client, login, world, make_dpia):
    make_dpia("approved", title="Approved both", regime="both")
    make_dpia(
        "draft", title="Draft gdpr", regime="uk_gdpr", risks=(("probable", "severe", "high"),)
    )
    make_dpia(
        "new",
        title="Kestrel new",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
        regime="part3",
        next_review_on=world.today - timedelta(days=2),
    )
    login(world.dpo)
    cases = {
        "status=approved": {"Approved both"},
        "regime=part3": {"Kestrel new"},
        "residual=high": {"Draft gdpr"},
        "residual=low": {"Approved both"},
        f"project={world.kestrel.id}": {"Kestrel new"},
        "project_name=kestrel": {"Kestrel new"},
        "project_name=Project": {"Approved both", "Draft gdpr", "Kestrel new"},
        "project_name=nothing%25like": set(),
        "project=99999": {"Approved both", "Draft gdpr", "Kestrel new"},
        "review=overdue": {"Kestrel new"},
        "review=not_set": set(),
        "status=bogus&regime=%00": {"Approved both", "Draft gdpr", "Kestrel new"},
        "project=abc&sort=zzz&page=-4": {"Approved both", "Draft gdpr", "Kestrel new"},
    }
    for query, expected in cases.items():
        response = client.get(f"/dpias?{query}")
        assert response.status_code == 200, query
        text = response.get_data(as_text=True)
        shown = {title for title in ("Approved both", "Draft gdpr", "Kestrel new") if title in text}
        assert shown == expected, query


def test_register_sorts(client, login, world, make_dpia):
    make_dpia("draft", title="B low", risks=(("remote", "minimal", "low"),))
    make_dpia("draft", title="A high", risks=(("probable", "severe", "high"),))
    make_dpia("draft", title="C medium", risks=(("possible", "significant", "medium"),))
    login(world.auditor)
    text = client.get("/dpias?sort=title").get_data(as_text=True)
    assert titles_in_order(text, ["C medium", "A high", "B low"]) == ["A high", "B low", "C medium"]
    text = client.get("/dpias?sort=residual").get_data(as_text=True)
    order = titles_in_order(text, ["B low", "A high", "C medium"])
    assert order == ["A high", "C medium", "B low"]


def test_register_paginates(app, client, login, world, make_dpia):
    app.config["REGISTER_PAGE_SIZE"] = 2
    for number in range(5):
        make_dpia("new", title=f"DPIA number {number}")
    login(world.dpo)
    first = client.get("/dpias?sort=title").get_data(as_text=True)
    assert "DPIA number 0" in first
    assert "DPIA number 2" not in first
    last = client.get("/dpias?sort=title&page=3").get_data(as_text=True)
    assert "DPIA number 4" in last
    assert "sort=title" in last


def test_lead_register_shows_own_projects_only(client, login, world, make_dpia):
    make_dpia("new", title="Dorothy record")
    make_dpia(
        "new",
        title="Kestrel record",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
    )
    login(world.lead)
    text = client.get(f"/dpias?project={world.kestrel.id}").get_data(as_text=True)
    assert "Kestrel record" not in text
    assert "Kestrel record" not in client.get("/dpias").get_data(as_text=True)


def test_dashboard_panels(client, login, world, make_dpia):
    make_dpia("awaiting_dpo_advice", title="Needs advice")
    make_dpia("awaiting_signoff", title="Needs sign-off")
    make_dpia("approved", title="Needs confirmation")
    make_dpia("draft", title="Stays high", risks=(("probable", "severe", "high"),))
    login(world.dpo)
    text = client.get("/").get_data(as_text=True)
    for heading, title in (
        ("DPIAs awaiting DPO advice (1)", "Needs advice"),
        ("DPIAs awaiting sign-off (1)", "Needs sign-off"),
        ("DPIAs awaiting the project lead&#39;s confirmation (1)", "Needs confirmation"),
        ("DPIAs with a high residual risk (1)", "Stays high"),
    ):
        assert heading in text
        assert text.index(heading) < text.index(title)
    assert "Your confirmation needed" not in text
    login(world.lead)
    assert "Your confirmation needed" in client.get("/").get_data(as_text=True)
    login(world.other_lead)
    assert "Needs advice" not in client.get("/").get_data(as_text=True)


def test_dashboard_lists_open_prior_consultation(client, login, world, make_dpia):
    from dpia.history import PriorConsultation

    dpia = make_dpia("awaiting_signoff", title="With the ICO")
    dpia.status = "prior_consultation"
    dpia.prior_consultation = PriorConsultation(
        trigger="art36_residual_high", submitted_on=world.today
    )
    db.session.commit()
    login(world.auditor)
    text = client.get("/").get_data(as_text=True)
    assert "Prior consultations with the ICO open (1)" in text
    assert "advice due" in text


@pytest.fixture
def measures(world, make_dpia):
    dpia = make_dpia("draft", risks=())
    due = world.today + timedelta(days=5)
    add_risk(
        dpia,
        residual="low",
        owner_id=world.lead.id,
        due_on=due,
        status="planned",
        description="Train officers",
    )
    add_risk(
        dpia,
        residual="low",
        owner_id=world.lead.id,
        due_on=due,
        status="in_place",
        description="Already done",
    )
    add_risk(dpia, residual="low", description="No owner")
    db.session.commit()
    return dpia


def test_measure_due_dates_on_dashboard(client, login, world, measures):
    login(world.lead)
    text = client.get("/").get_data(as_text=True)
    assert "Train officers" in text
    assert "DPIA measure" in text
    assert f'href="/dpias/{measures.id}"' in text
    assert "Already done" not in text
    assert "No owner" not in text


def test_measure_reminder_mail(runner, world, measures, smtp_server):
    result = runner.invoke(args=["reminders", "send", "--today", world.today.isoformat()])
    assert result.exit_code == 0, result.output
    texts = [message.get_body(("plain",)).get_content() for _, message in smtp_server.messages]
    lead_text = "".join(texts)
    assert "DPIA measure: Train officers" in lead_text
    assert f"https://register.example.org/dpias/{measures.id}" in lead_text
    assert "Already done" not in lead_text


def test_superseded_measures_leave_reminders(client, login, world, make_dpia):
    dpia = make_dpia("approved")
    dpia.risks[0].measures[0].owner_id = world.lead.id
    dpia.risks[0].measures[0].due_on = world.today + timedelta(days=3)
    dpia.risks[0].measures[0].status = "planned"
    db.session.commit()
    login(world.dpo)
    client.post(f"/dpias/{dpia.id}/review", data={"reason": "Scheduled"})
    assert db.session.query(Measure).filter(Measure.due_on.is_not(None)).count() == 2
    text = client.get("/").get_data(as_text=True)
    assert text.count("Supervisors check each capture weekly") == 1


def test_register_shows_project_chosen_by_id(client, login, world, make_dpia):
    make_dpia("draft", title="Draft gdpr")
    login(world.dpo)
    text = client.get(f"/dpias?project={world.dorothy.id}").get_data(as_text=True)
    assert 'name="project_name"' in text
    assert 'value="Project Dorothy"' in text
    assert "Project Kestrel" not in text


def test_register_lists_no_project_choices(client, login, world, make_dpia):
    make_dpia("draft", title="Draft gdpr")
    login(world.dpo)
    text = client.get("/dpias").get_data(as_text=True)
    # Kestrel has no DPIA, so only a select of every project would name it.
    assert "Project Kestrel" not in text


def test_due_soon_download_filters_by_review(client, login, world, make_dpia):
    make_dpia("draft", title="Due soon DPIA", next_review_on=world.today + timedelta(days=3))
    make_dpia("draft", title="Later DPIA", next_review_on=world.today + timedelta(days=200))
    login(world.dpo)
    response = client.get("/export/dpias.csv?review=due_soon")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Due soon DPIA" in text
    assert "Later DPIA" not in text

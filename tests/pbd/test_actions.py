"""The actions list, action reminders, the dashboard and the demo assessments."""

import re

from sqlalchemy import select

from core.extensions import db
from core.timeutil import local_today
from dpia.pbd_models import PbdAssessment
from dpia.pbd_workflow import start_next_stage
from register.demo import DEMO_PASSWORD, load
from register.reminders import send_reminders
from tests.conftest import days, sign_in
from tests.pbd.conftest import answer_all, give_action


def add_actions(make_assessment, world):
    """Add a Dorothy assessment with three actions and a Kestrel one with one."""
    dorothy = make_assessment()
    answer_all(dorothy, "partly_met")

    give_action(dorothy.item("techniques"), world.lead, world.today + days(40), text="Later fix")
    give_action(
        dorothy.item("strong_defaults"),
        world.dpo,
        world.today - days(2),
        text="Overdue fix",
    )
    give_action(
        dorothy.item("contacts_published"),
        world.lead,
        world.today - days(30),
        status="done",
        text="Finished fix",
    )
    give_action(
        dorothy.item("core_function"),
        world.lead,
        world.today + days(3),
        status="in_progress",
        text="Soon fix",
    )

    kestrel = make_assessment(
        title="Kestrel design",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
    )
    give_action(
        kestrel.item("techniques"), world.other_lead, world.today - days(9), text="Kestrel fix"
    )
    kestrel.item("techniques").status = "not_met"
    db.session.commit()
    return dorothy, kestrel


def action_order(page: str) -> list[str]:
    return re.findall(r"(Later fix|Overdue fix|Finished fix|Soon fix|Kestrel fix)", page)


def test_actions_list_overdue_first(make_assessment, world, login):
    add_actions(make_assessment, world)
    page = login(world.dpo).get("/assessments/actions").get_data(as_text=True)
    assert action_order(page) == ["Kestrel fix", "Overdue fix", "Soon fix", "Later fix"]
    assert page.count("app-tag--overdue") == 2


def test_actions_list_can_include_done(make_assessment, world, login):
    add_actions(make_assessment, world)
    page = login(world.dpo).get("/assessments/actions?show=all").get_data(as_text=True)
    assert "Finished fix" in page


def test_actions_list_limited_to_lead_projects(make_assessment, world, login):
    add_actions(make_assessment, world)
    page = login(world.lead).get("/assessments/actions").get_data(as_text=True)
    assert action_order(page) == ["Overdue fix", "Soon fix", "Later fix"]


def test_actions_list_read_only_for_auditor(make_assessment, world, login):
    add_actions(make_assessment, world)
    page = login(world.auditor).get("/assessments/actions").get_data(as_text=True)
    assert "Kestrel fix" in page
    assert "/action?back=actions" not in page


def test_replaced_stage_actions_leave_the_list(make_assessment, world, login):
    dorothy, _ = add_actions(make_assessment, world)
    later = start_next_stage(
        dorothy,
        title="Dorothy build",
        stage="build",
        assessor_id=world.lead.id,
        assessed_on=world.today,
        next_review_on=world.today + days(50),
    )
    db.session.add(later)
    db.session.commit()
    page = login(world.lead).get("/assessments/actions").get_data(as_text=True)
    assert action_order(page) == ["Overdue fix", "Soon fix", "Later fix"]
    assert page.count("Dorothy build") == 3
    assert "Case system: design stage" not in page


def test_action_owner_gets_reminder(make_assessment, world, smtp_server):
    add_actions(make_assessment, world)
    summary = send_reminders(world.today)
    assert summary.failed == []
    by_recipient = {tuple(rcpt): message for rcpt, message in smtp_server.messages}
    dpo_mail = by_recipient[("dpo@example.org",)].get_body(("plain",)).get_content()
    lead_mail = by_recipient[("lead@example.org",)].get_body(("plain",)).get_content()
    other_mail = by_recipient[("lead2@example.org",)].get_body(("plain",)).get_content()
    assert "Privacy-by-design action: Overdue fix" in dpo_mail
    assert "Privacy-by-design action: Soon fix" in lead_mail
    assert "Later fix" not in lead_mail
    assert "Finished fix" not in lead_mail
    assert "Privacy-by-design action: Kestrel fix" in other_mail
    assessment = db.session.scalar(
        select(PbdAssessment).where(PbdAssessment.title != "Kestrel design")
    )
    assert f"https://register.example.org/assessments/{assessment.id}" in dpo_mail


def test_dashboard_shows_open_actions(make_assessment, world, login):
    add_actions(make_assessment, world)
    page = login(world.lead).get("/").get_data(as_text=True)
    assert "Privacy-by-design action" in page
    assert "Overdue fix" in page
    assert "Finished fix" not in page
    assert "Kestrel fix" not in page


def test_demo_has_design_and_pre_deployment_stages(app, client):
    today = local_today()
    users = load(today)
    assessments = db.session.scalars(select(PbdAssessment).order_by(PbdAssessment.id)).all()
    design, pre_live = assessments
    assert design.stage == "design"
    assert design.status == "approved"
    assert pre_live.stage == "pre_live"
    assert pre_live.previous_id == design.id
    assert design.item("logging").status == "not_met"
    assert pre_live.item("logging").status == "met"
    open_actions = pre_live.open_actions
    assert len(open_actions) == 2
    assert sum(1 for item in open_actions if item.action_due_on < today) == 1
    dpo = next(user for user in users if user.email == "dpo@example.org")
    assert sign_in(client, dpo, DEMO_PASSWORD).status_code == 302
    page = client.get(f"/assessments/{pre_live.id}").get_data(as_text=True)
    assert "Logging of processing" in page
    assert "Changes since the design stage" in page


def test_part3_actions_drop_when_flag_cleared(make_assessment, world, login, smtp_server):
    assessment = make_assessment(is_law_enforcement=True)
    item = assessment.item("logging")
    item.status = "not_met"
    give_action(item, world.lead, world.today - days(1), text="Log disclosures")
    db.session.commit()
    client = login(world.lead)
    assert "Log disclosures" in client.get("/assessments/actions").get_data(as_text=True)

    assessment.is_law_enforcement = False
    db.session.commit()

    assert "Log disclosures" not in client.get("/assessments/actions").get_data(as_text=True)
    page = client.get("/assessments?open_actions=yes").get_data(as_text=True)
    assert "Case system: design stage" not in page
    send_reminders(world.today)
    assert smtp_server.messages == []

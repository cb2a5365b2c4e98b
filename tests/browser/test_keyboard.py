"""The DPO's and the project lead's main tasks, done with the keyboard alone."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.auth.models import Role, User
from core.extensions import db
from core.projects.models import Decision, Project
from core.timeutil import local_today
from dpia.models import Dpia
from dpia.signoff import sign_off
from dpia.workflow import record_advice, record_creation, submit
from tests.browser import keyboard
from tests.browser.checks import DEFAULT_VIEWPORT
from tests.browser.conftest import axe_source, served_app
from tests.dpia.conftest import add_risk, fill_steps, sign_off_values

pytestmark = pytest.mark.browser

PASSWORD = "keyboard-journey-password"
DPO_EMAIL = "dana.okafor@example.org"
LEAD_EMAIL = "liam.hart@example.org"


def add_users() -> None:
    for email, name, role in (
        (DPO_EMAIL, "Dana Okafor", Role.DPO),
        (LEAD_EMAIL, "Liam Hart", Role.LEAD),
    ):
        user = User(email=email, name=name, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()


def add_signed_off_dpia() -> None:
    """Add Dorothy's DPIA with every step complete, signed off and awaiting confirmation."""
    add_users()
    dpo = db.session.scalar(select(User).where(User.email == DPO_EMAIL))
    lead = db.session.scalar(select(User).where(User.email == LEAD_EMAIL))
    today = local_today()
    decision = Decision(
        title="Grant Funding Project Dorothy 2020/21",
        decision_maker="Deputy Mayor for Policing and Crime",
        issuing_body="MOPAC",
    )
    decision.set_reference("PCD 974")
    project = Project(
        name="Project Dorothy", owning_unit="Met Operations 3", lead=lead, decisions=[decision]
    )
    dpia = Dpia(
        project=project,
        decision=decision,
        title="Dorothy online investigation upgrade",
        processing_summary="Material gathered online and shared with the national network.",
        owner=lead,
    )
    record_creation(dpia, lead)
    fill_steps(dpia, today)
    add_risk(dpia)
    db.session.add(dpia)
    submit(dpia, lead)
    record_advice(dpia, "Proceed with role-based access to deployment logs.", today, dpo)
    sign_off(dpia, sign_off_values(today, next_review_on=today + timedelta(days=365)), dpo)
    db.session.commit()


@pytest.fixture
def keyboard_user(chromium, save_screenshot):
    """Return a function that opens a fresh browser tab for one keyboard user."""
    contexts = []

    def open_tab(name: str) -> keyboard.KeyboardUser:
        # The app's Content Security Policy allows only scripts with its nonce,
        # so the context bypasses it to let the test inject axe-core.
        context = chromium.new_context(viewport=DEFAULT_VIEWPORT, bypass_csp=True)
        contexts.append(context)
        return keyboard.KeyboardUser(context.new_page(), axe_source(), save_screenshot, name)

    yield open_tab
    for context in contexts:
        context.close()


def test_dpo_journey_by_keyboard(tmp_path, keyboard_user):
    with served_app(tmp_path, add_users) as (app, base_url):
        with app.app_context():
            today = local_today()
        review_on = today + timedelta(days=180)
        user = keyboard_user("dpo")
        keyboard.sign_in(user, base_url, DPO_EMAIL, PASSWORD)
        keyboard.record_decision(user, "PCD 974", "Grant Funding Project Dorothy 2020/21")
        keyboard.record_project(user, "Project Dorothy", "Liam Hart", "PCD 974")
        keyboard.log_dpia(
            user, "Project Dorothy", "PCD 974", "Liam Hart", "Dorothy online upgrade", review_on
        )
        keyboard.complete_screening(user)
        keyboard.describe_need(user)
        keyboard.describe_processing(user)
        keyboard.record_consultation(user)
        keyboard.assess_necessity(user)
        keyboard.add_risk_with_measure(user)
        task_list = user.page.locator("main").inner_text()
        keyboard.send_for_advice(user)
        keyboard.record_advice(user, "Proceed, with role-based access to deployment logs.")
        keyboard.sign_off(user, "Liam Hart", "Detective Superintendent", today, review_on)

        assert not user.problems, "\n".join(user.problems)
        assert "You have completed 7 of 8 steps" in task_list
        assert "signed off" in user.page.locator(".govuk-notification-banner").inner_text()
        with app.app_context():
            dpia = db.session.scalar(select(Dpia))
            assert dpia.title == "Dorothy online upgrade"
            assert dpia.project.name == "Project Dorothy"
            assert dpia.project.lead.email == LEAD_EMAIL
            assert dpia.decision.reference == "PCD 974"
            assert dpia.project.decisions == [dpia.decision]
            assert dpia.owner.email == LEAD_EMAIL
            assert dpia.regime == "both"
            assert dpia.screening.is_dpia_required
            assert dpia.views_sought is False
            assert dpia.views_not_sought_reason == "Asking would reveal covert tactics."
            assert dpia.art6_basis == "e_public_task"
            assert len(dpia.risks) == 1
            risk = dpia.risks[0]
            assert risk.likelihood == "probable"
            assert risk.severity == "significant"
            assert len(risk.measures) == 1
            measure = risk.measures[0]
            assert measure.residual_level == "low"
            assert measure.status == "in_place"
            assert measure.is_approved
            assert dpia.dpo_advice.startswith("Proceed, with role-based access")
            assert dpia.status == "approved"
            assert dpia.signed_off_by.email == DPO_EMAIL
            assert dpia.signed_off_on == today
            assert dpia.next_review_on == review_on
            assert dpia.confirmed_at is None


def test_lead_confirms_by_keyboard(tmp_path, keyboard_user):
    with served_app(tmp_path, add_signed_off_dpia) as (app, base_url):
        user = keyboard_user("lead")
        keyboard.sign_in(user, base_url, LEAD_EMAIL, PASSWORD)
        keyboard.confirm_completion(user, "Dorothy online investigation upgrade")
        banner = user.page.locator(".govuk-notification-banner").inner_text()
        keyboard.sign_out(user)

        assert not user.problems, "\n".join(user.problems)
        assert "You confirmed that DPIA Dorothy online investigation upgrade is complete" in banner
        assert user.page.url == f"{base_url}/sign-in"
        with app.app_context():
            dpia = db.session.scalar(select(Dpia))
            assert dpia.confirmed_at is not None
            assert dpia.confirmed_by.email == LEAD_EMAIL

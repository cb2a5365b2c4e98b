"""An assessment recorded and answered in headless Chromium."""

import pytest
from sqlalchemy import select

from core.extensions import db
from dpia.pbd_models import PbdAssessment
from tests.conftest import days
from tests.register.test_journey_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    browser,
    click_and_wait,
    fill_date,
    live_server,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not found at /usr/bin/chromium"),
]


def test_lead_records_and_answers_assessment(world, live_server, browser, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, world.lead.email)

    page.goto(f"{live_server}/assessments/new")
    page.fill("#title", "Case system: design stage")
    page.select_option("#project_id", str(world.dorothy.id))
    page.fill("#decision_reference", "PCD 974")
    page.fill("#system_or_component", "Case system")
    page.select_option("#stage", "design")
    page.check("input[name=is_law_enforcement][value=yes]")
    fill_date(page, "assessed_on", world.today - days(1))
    fill_date(page, "next_review_on", world.today + days(90))
    page.check("input[name=techniques][value=encryption_at_rest]")
    page.check("input[name=is_retention_automated][value=no]")
    click_and_wait(page, "button:has-text('Save assessment'), input[value='Save assessment']")
    assert "Summary by principle" in page.content()
    assessment = db.session.scalars(select(PbdAssessment)).one()
    assert len(assessment.items) == 15

    item = assessment.item("logging")
    page.goto(f"{live_server}/assessments/{assessment.id}/items/{item.id}")
    page.check("input[name=status][value=not_met]")
    click_and_wait(page, "input[value='Save item'], button:has-text('Save item')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the action, because an item that is not met needs one" in summary

    page.fill("#action", "Log consultation and disclosure.")
    page.select_option("#action_owner_id", str(world.lead.id))
    fill_date(page, "action_due_on", world.today - days(2))
    click_and_wait(page, "input[value='Save item'], button:has-text('Save item')")
    card = page.locator("#item-logging").inner_text()
    assert "Not met" in card
    assert "Overdue" in card
    assert page.locator("svg[role=img] title").count() == 1
    page.screenshot(path=str(tmp_path / "assessment.png"), full_page=True)

    page.goto(f"{live_server}/assessments/actions")
    assert "Log consultation and disclosure." in page.locator("table").inner_text()

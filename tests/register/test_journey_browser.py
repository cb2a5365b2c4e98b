"""The Dorothy journey once more, in headless Chromium, with a screenshot of each step."""

import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from core.extensions import db
from dpia.models import Dpia
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Chromium not found at /usr/bin/chromium: browser tests skipped",
    ),
]


@pytest.fixture
def live_server(app):
    if not (Path(app.static_folder) / "dist" / "register.css").exists():
        pytest.fail("static/dist/register.css is missing: run `make assets` first")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "screenshots" / "journey"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    print(f"\nscreenshots of the journey: {folder}")
    return folder


def fill_date(page, name, day):
    page.fill(f"#{name}", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def click_and_wait(page, selector):
    """Click a link or button that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    click_and_wait(page, "button:has-text('Sign in')")


def draft_in_browser(page):
    """Complete screening and steps 1 to 6 from the task list."""
    click_and_wait(page, "a:has-text('Screening')")
    page.check("#mandatory_cases-2")
    page.check("#wp248_criteria-4")
    page.check("#involves_sharing")
    page.check("#is_dpia_required")
    page.fill("#rationale", "Criminal offence data on a large scale.")
    click_and_wait(page, "button:has-text('Save and return')")
    click_and_wait(page, "a:has-text('Step 1')")
    page.fill("#need_summary", "Upgrade of covert online deployments.")
    click_and_wait(page, "button:has-text('Save and return')")
    click_and_wait(page, "a:has-text('Step 2')")
    for name in (
        "nature",
        "data_categories",
        "individuals_affected",
        "retention",
        "geography",
        "context",
        "purposes",
    ):
        page.fill(f"#{name}", f"Dorothy {name.replace('_', ' ')}")
    page.check("#has_criminal_offence_data")
    page.check("#involves_vulnerable_people")
    click_and_wait(page, "button:has-text('Save and return')")
    click_and_wait(page, "a:has-text('Step 3')")
    page.check("#views_sought-2")
    page.fill("#views_not_sought_reason", "Asking would reveal covert tactics.")
    click_and_wait(page, "button:has-text('Save and return')")
    click_and_wait(page, "a:has-text('Step 4')")
    page.check("#art6_basis-6")
    page.check("#le_basis-3")
    page.check("#is_sensitive_processing-2")
    page.check("#is_new_filing_system-2")
    page.fill("#necessity", "No less intrusive way to gather the evidence.")
    click_and_wait(page, "button:has-text('Save and return')")
    click_and_wait(page, "a:has-text('Step 5')")
    click_and_wait(page, "a:has-text('Add a risk')")
    page.fill("#source", "Officers capture more than needed")
    page.fill("#harm", "Bystanders' data is held")
    page.check("#likelihood-3")
    page.check("#severity-2")
    click_and_wait(page, "button:has-text('Save risk')")
    click_and_wait(page, "a:has-text('Add a measure')")
    page.fill("#description", "Supervisors check each capture weekly")
    page.check("#effect-2")
    page.check("#residual_level")
    page.check("#is_approved")
    page.check("#status-3")
    click_and_wait(page, "button:has-text('Save measure')")
    click_and_wait(page, "a:has-text('Return to the task list')")
    assert "You have completed 7 of 8 steps" in page.content()


def test_dorothy_journey_in_browser(live_server, browser, shots, world):
    base = live_server
    today = world.today
    external_requests = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(base) else external_requests.append(request.url)
        ),
    )

    sign_in(page, base, world.dpo.email)
    assert page.locator("h1").inner_text() == "Dashboard"
    page.screenshot(path=shots / "01-dpo-dashboard.png", full_page=True)

    page.goto(f"{base}/decisions/new")
    click_and_wait(page, "button:has-text('Save decision')")
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    page.screenshot(path=shots / "02-decision-errors.png", full_page=True)
    page.fill("#reference", "PCD 980")
    page.fill("#title", "Dorothy extension")
    page.fill("#decision_maker", "Deputy Mayor for Policing and Crime")
    page.fill("#issuing_body", "MOPAC")
    click_and_wait(page, "button:has-text('Save decision')")
    assert "Decision PCD 980 recorded" in page.content()

    page.goto(f"{base}/dpias/new?project={world.dorothy.id}")
    page.fill("#decision_reference", "PCD 974")
    page.select_option("#owner_id", str(world.lead.id))
    fill_date(page, "next_review_on", today + timedelta(days=180))
    page.fill("#title", "Dorothy online investigation upgrade")
    page.check("#regime-3")
    page.fill("#controller", "Commissioner of Police of the Metropolis")
    page.fill("#dpo_contact", "Dana Okafor, dpo@example.org")
    page.fill("#processing_summary", "Material gathered online during covert deployments.")
    page.screenshot(path=shots / "03-dpia-form.png", full_page=True)
    click_and_wait(page, "button:has-text('Save DPIA')")
    assert "DPIA Dorothy online investigation upgrade started" in page.content()
    dpia = db.session.query(Dpia).one()

    draft_in_browser(page)
    page.screenshot(path=shots / "04-dpia-task-list.png", full_page=True)
    click_and_wait(page, "a:has-text('View the whole DPIA')")
    click_and_wait(page, "button:has-text('Send to the DPO for advice')")
    assert "is now awaiting dpo advice" in page.content()

    click_and_wait(page, "a:has-text('Record advice')")
    page.fill("#dpo_advice", "Proceed with role-based access and automated retention.")
    click_and_wait(page, "button:has-text('Save advice')")
    click_and_wait(page, "a:has-text('Sign off')")
    for name in ("measures_approved_by", "residual_approved_by", "advice_response_by"):
        page.fill(f"#{name}", "Liam Hart")
    page.fill("#measures_approved_position", "Detective Superintendent")
    page.fill("#residual_approved_position", "Detective Superintendent")
    fill_date(page, "measures_approved_on", today)
    fill_date(page, "residual_approved_on", today)
    fill_date(page, "advice_response_on", today)
    page.check("#advice_response")
    page.check("#departs_from_views")
    page.fill("#kept_under_review_by", "MO3 leadership")
    page.check("#prior_consultation_override")
    page.check("#outcome-2")
    page.fill("#conditions", "No sharing until the agreement is signed.")
    fill_date(page, "next_review_on", today + timedelta(days=180))
    click_and_wait(page, "button:has-text('Sign off DPIA')")
    assert "signed off: approved with conditions" in page.content()
    page.screenshot(path=shots / "05-dpia-signed-off.png", full_page=True)
    click_and_wait(page, "button:has-text('Sign out')")

    sign_in(page, base, world.lead.email)
    assert "Your confirmation needed" in page.content()
    page.screenshot(path=shots / "06-lead-dashboard.png", full_page=True)
    page.goto(f"{base}/dpias/{dpia.id}")
    click_and_wait(page, "button:has-text('Confirm the DPIA is complete')")
    assert "You confirmed that DPIA" in page.content()
    assert "By Liam Hart on" in page.content()
    page.screenshot(path=shots / "07-lead-confirmed.png", full_page=True)

    context.close()
    assert external_requests == []
    assert len(list(shots.glob("*.png"))) == 7

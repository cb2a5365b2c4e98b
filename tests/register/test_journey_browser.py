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
    page.fill("#processing_summary", "Material gathered online during covert deployments.")
    page.screenshot(path=shots / "03-dpia-form.png", full_page=True)
    click_and_wait(page, "button:has-text('Save DPIA')")
    assert "DPIA Dorothy online investigation upgrade logged" in page.content()
    dpia = db.session.query(Dpia).one()

    click_and_wait(page, "a:has-text('Record advice')")
    page.fill("#dpo_advice", "Proceed with role-based access and automated retention.")
    click_and_wait(page, "button:has-text('Save advice')")
    click_and_wait(page, "a:has-text('Sign off')")
    fill_date(page, "next_review_on", today + timedelta(days=180))
    click_and_wait(page, "button:has-text('Sign off DPIA')")
    assert "signed off" in page.content()
    page.screenshot(path=shots / "04-dpia-signed-off.png", full_page=True)
    click_and_wait(page, "button:has-text('Sign out')")

    sign_in(page, base, world.lead.email)
    assert "Your confirmation needed" in page.content()
    page.screenshot(path=shots / "05-lead-dashboard.png", full_page=True)
    page.goto(f"{base}/dpias/{dpia.id}")
    click_and_wait(page, "button:has-text('Confirm the DPIA is complete')")
    assert "You confirmed that DPIA" in page.content()
    assert "By Liam Hart on" in page.content()
    page.screenshot(path=shots / "06-lead-confirmed.png", full_page=True)

    context.close()
    assert external_requests == []
    assert len(list(shots.glob("*.png"))) == 6

"""The page checks themselves, on pages built to fail them."""

import pytest

from tests.browser.checks import (
    DEFAULT_VIEWPORT,
    axe_violations,
    error_summary_problems,
    horizontal_overflow,
)
from tests.browser.conftest import axe_source
from tests.browser.keyboard import KeyboardUser

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=DEFAULT_VIEWPORT, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_axe_reports_rule_and_target(page):
    page.set_content(
        '<html lang="en"><head><title>Test</title></head><body><main>'
        '<h1>Test</h1><img src="data:," id="unnamed-image"></main></body></html>'
    )
    violations = axe_violations(page, axe_source())
    rules = {violation.rule: violation for violation in violations}
    assert "image-alt" in rules
    assert rules["image-alt"].impact == "critical"
    assert rules["image-alt"].targets == ["#unnamed-image"]
    assert "#unnamed-image" in rules["image-alt"].describe()


def test_overflow_found_at_narrow_widths(page):
    page.set_content('<html lang="en"><body><div id="wide" style="width: 500px">x</div></body>')
    problems = horizontal_overflow(page)
    assert len(problems) == 1
    assert problems[0].startswith("320 CSS px wide")
    assert "div#wide" in problems[0]


def test_broken_error_summary_reported(page):
    page.set_content(
        '<html lang="en"><head><title>Form</title></head><body>'
        '<div class="govuk-error-summary"><a href="#missing">Enter a name</a></div>'
        '<p class="govuk-error-message">Enter a name</p>'
        '<p class="govuk-error-message">Enter a date</p></body></html>'
    )
    problems = error_summary_problems(page)
    assert "title 'Form' does not start with 'Error: '" in problems
    assert "the error summary did not receive focus when the page loaded" in problems
    assert "2 error messages beside fields but 1 summary links" in problems
    assert "summary link 'Enter a name' points at #missing, which does not exist" in problems


def test_hidden_focus_and_trap_reported(page, save_screenshot):
    page.set_content(
        '<html lang="en"><head><title>Trap</title></head><body>'
        '<a class="govuk-skip-link" href="#main-content">Skip to main content</a>'
        '<main id="main-content"><a href="/a" style="outline: none">Hidden focus</a>'
        '<input id="trap" onkeydown="if (event.key === \'Tab\') event.preventDefault()">'
        '</main><footer><a href="/b">Last link</a></footer></body></html>'
    )
    user = KeyboardUser(page, axe_source(), save_screenshot, "check")
    user.walk_to_footer()
    assert any("focus not visible on a Hidden focus" in problem for problem in user.problems)
    assert any("keyboard trap" in problem for problem in user.problems)

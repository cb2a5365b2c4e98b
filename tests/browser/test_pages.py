"""Every page the register shows, as each role and signed out, checked in Chromium.

The pages are found by crawling links from the dashboard, so new pages are
checked without being listed here. Each page must have no axe-core
violations of WCAG 2.2 A and AA, must not scroll sideways at 320 CSS px or at
200% zoom, and must have a title no other page has. Each form, submitted
empty, must announce its errors in a GOV.UK error summary linked to the fields.
"""

from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from core.auth.models import Role
from core.timeutil import local_today
from register import demo
from tests.browser.checks import DEFAULT_VIEWPORT, error_summary_problems
from tests.browser.conftest import axe_source, served_app
from tests.browser.crawl import Crawl, Crawler, sign_in

pytestmark = pytest.mark.browser

ROLES = [Role.ADMIN, Role.DPO, Role.LEAD, Role.AUDITOR]
SIGNED_OUT = "signed-out"
EMAILS = {
    Role.ADMIN: "admin@example.org",
    Role.DPO: "dpo@example.org",
    Role.LEAD: "lead@example.org",
    Role.AUDITOR: "auditor@example.org",
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The register with the demo data, served on loopback for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("demo-site")
    with served_app(tmp_path, lambda: demo.load(local_today())) as site:
        yield site


@pytest.fixture(scope="module")
def crawls(demo_site, chromium, save_screenshot):
    """Return a function that crawls the site as one role, once per module."""
    _, base_url = demo_site
    source = axe_source()
    done: dict[str, Crawl] = {}
    checked: dict[str, object] = {}

    def crawl_as(role: str) -> Crawl:
        if role not in done:
            context = chromium.new_context(
                viewport=DEFAULT_VIEWPORT,
                # axe-core goes in as an inline script, which the CSP blocks.
                bypass_csp=True,
            )
            page = context.new_page()
            try:
                crawler = Crawler(page, base_url, source, save_screenshot, role, checked)
                done[role] = crawl_site(crawler, role)
            finally:
                context.close()
        return done[role]

    return crawl_as


def crawl_site(crawler: Crawler, role) -> Crawl:
    page, base_url = crawler.page, crawler.base_url
    if role == SIGNED_OUT:
        crawler.run("/sign-in")
        check_signed_out_errors(crawler)
        crawler.visit(f"{base_url}/no-such-page", "not-found")
        return crawler.crawl
    sign_in(page, base_url, EMAILS[role], demo.DEMO_PASSWORD)
    crawler.run("/")
    if role == Role.DPO:
        # The error pages look the same for every role, so one role checks them.
        crawler.visit(f"{base_url}/users", "forbidden")
        crawler.visit(f"{base_url}/sign-out", "method-not-allowed")
    return crawler.crawl


def check_signed_out_errors(crawler: Crawler) -> None:
    """Check a rejected password and an expired form, which the crawl cannot reach."""
    page, base_url = crawler.page, crawler.base_url
    page.goto(f"{base_url}/sign-in")
    page.fill("#email", EMAILS[Role.DPO])
    page.fill("#password", "not the password")
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit], main input[type=submit]")
    report = crawler.check_page("sign-in-wrong-password", navigation.value.status)
    report.error_summary.extend(error_summary_problems(page))

    page.goto(f"{base_url}/sign-in")
    page.fill("#email", EMAILS[Role.DPO])
    page.fill("#password", demo.DEMO_PASSWORD)
    page.eval_on_selector("main input[name=csrf_token]", "(input) => { input.value = 'stale'; }")
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit], main input[type=submit]")
    crawler.check_page("sign-in-expired-form", navigation.value.status)


ALL = [*ROLES, SIGNED_OUT]


@pytest.mark.parametrize("role", ALL)
def test_pages_pass_axe(crawls, role):
    crawl = crawls(role)
    problems = crawl.problems("violations")
    assert not problems, "axe-core found WCAG 2.2 A/AA violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ALL)
def test_pages_reflow_without_sideways_scroll(crawls, role):
    crawl = crawls(role)
    problems = crawl.problems("overflow")
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ALL)
def test_form_errors_linked_from_summary(crawls, role):
    crawl = crawls(role)
    problems = crawl.problems("error_summary")
    assert not problems, "form errors not announced properly:\n" + "\n".join(problems)
    error_pages = [report for report in crawl.reports if report.label.endswith("-errors")]
    if role != Role.AUDITOR:
        assert error_pages, f"the crawl as {role} sent no form back with errors"


@pytest.mark.parametrize("role", ALL)
def test_page_titles_unique(crawls, role):
    paths_by_title = defaultdict(set)
    for report in crawls(role).reports:
        if report.status == 200:
            paths_by_title[report.title].add(urlsplit(report.url).path)
    shared = {title: sorted(paths) for title, paths in paths_by_title.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


ERROR_PAGES = {
    SIGNED_OUT: {"not-found": 404, "sign-in-expired-form": 400, "sign-in-wrong-password": 200},
    Role.DPO: {"forbidden": 403, "method-not-allowed": 405},
}


@pytest.mark.parametrize("role", ALL)
def test_pages_return_expected_status(crawls, role):
    expected = ERROR_PAGES.get(role, {})
    names = set()
    wrong = []
    for report in crawls(role).reports:
        name = report.label.split(": ", 1)[1]
        names.add(name)
        want = expected.get(name, 200)
        if report.status != want:
            wrong.append(f"{report.url} ({name}) returned {report.status}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert set(expected) <= names, f"error pages not checked: {set(expected) - names}"


# Pages that only exist for a record in a state the demo data does not have.
# The demo data has no DPIA waiting for the DPO's advice; the keyboard
# journeys open the advice page and run axe-core on it.
NOT_IN_DEMO_DATA = {"dpia.advise"}

# The demo lead's DPIAs are past drafting, so the lead reaches no DPIA
# editing page. The imported DPIA belongs to the other lead's project. The
# DPO's crawl checks these pages on a draft DPIA.
NOT_IN_DEMO_DATA_FOR_ROLE = {
    Role.LEAD: {
        "dpia.edit_dpia",
        "dpia.edit_measure",
        "imports.dpia_notes",
        "dpia.edit_risk",
        "dpia.risks",
        "dpia.screening",
        "dpia.step",
    },
}

# GET endpoints that return no HTML page for a person to browse, so no link
# has to lead to them. They return files (CSV, XLSX, JSON, ZIP, DOCX, an
# uploaded attachment) or a calendar feed that a calendar application
# fetches. The crawl does not follow download links.
NOT_HTML_PAGES = {
    "attachments.download",
    "calendar.feed",
    "exports.dpia_docx",
    "exports.register_list",
    "exports.due_dates",
    "exports.whole_register",
}

# The read API for other systems, which returns JSON.
NOT_HTML_BLUEPRINTS = ("api.",)

# The two-factor sign-in pages. The demo accounts never reach them, because
# the suite's app turns the second factor off (REGISTER_TWO_FACTOR_ROLES is
# empty in conftest.served_app). tests/test_sessions.py covers them without a browser.
TWO_FACTOR_PAGES = {"auth.two_factor", "auth.set_up_two_factor"}

NOT_CRAWLED = NOT_IN_DEMO_DATA | NOT_HTML_PAGES | TWO_FACTOR_PAGES


@pytest.mark.parametrize("role", ALL)
def test_crawl_reaches_every_page(demo_site, crawls, role):
    """Every GET page the role may open is reachable by links, within the crawl's bounds."""
    app, _ = demo_site
    crawl = crawls(role)
    assert not crawl.capped, (
        f"the crawl stopped after {len(crawl.reports)} checked and "
        f"{len(crawl.skimmed)} unchecked pages"
    )
    visited = {path_endpoint(app, report.url) for report in crawl.reports}
    visited |= {path_endpoint(app, entry.split(" ")[0]) for entry in crawl.skipped}
    not_crawled = NOT_CRAWLED | NOT_IN_DEMO_DATA_FOR_ROLE.get(role, set())
    unreached = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if role == SIGNED_OUT:
            expected = getattr(view, "is_public", False)
        else:
            expected = role in getattr(view, "allowed_roles", ())
        if rule.endpoint in visited | not_crawled or rule.endpoint.startswith(NOT_HTML_BLUEPRINTS):
            continue
        if expected:
            unreached.append(f"{rule.endpoint} ({rule.rule})")
    assert not unreached, "pages no link leads to: " + ", ".join(sorted(unreached))


def path_endpoint(app, url: str) -> str | None:
    adapter = app.url_map.bind("127.0.0.1")
    try:
        endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
    except Exception:  # noqa: BLE001 - error pages match no GET endpoint
        return None
    return endpoint

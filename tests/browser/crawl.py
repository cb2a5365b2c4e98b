"""A bounded crawl of the register as one user sees it, checking every page.

From a start page the crawler follows every same-origin link it finds,
except signing out, static files and downloads. Each page is checked with
axe-core, at narrow widths, and photographed. Each page holding a form is
also submitted with every field cleared, and the error page is checked the
same way, together with its error summary.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Error as PlaywrightError

from tests.browser.checks import (
    PageReport,
    axe_violations,
    error_summary_problems,
    horizontal_overflow,
)

# Bounds that keep the run short however much demo data there is. The crawl
# stops after loading MAX_PAGES pages. It checks at most MAX_PER_PATTERN pages
# whose paths differ only in record ids, such as /dpias/1 and /dpias/2. Further
# pages of that pattern are loaded unchecked, only for links to pages of a
# pattern not yet visited. Some pages are linked from only some records of a
# kind, such as the decision log of a one-off agreement. The crawl skips a
# path seen before with another query string, unless the query pages a list.
MAX_PAGES = 400
MAX_PER_PATTERN = 2
SKIPPED_PREFIXES = ("/sign-out", "/static/")

FORMS_WITH_FIELDS = """() => [...document.querySelectorAll("main form")]
  .map((form, index) => ({form, index}))
  .filter(({form}) => (form.method || "").toLowerCase() === "post"
    && form.querySelector("input:not([type=hidden]):not([type=submit]), textarea, select"))
  .map(({index}) => index)"""

CLEAR_FORM = """(form) => {
  for (const element of form.elements) {
    if (element.tagName === "TEXTAREA") {
      element.value = "";
    } else if (element.tagName === "SELECT") {
      const blank = [...element.options].findIndex((option) => option.value === "");
      if (blank >= 0) element.selectedIndex = blank;
    } else if (element.tagName === "INPUT") {
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = false;
      } else if (!["hidden", "submit", "button", "image", "reset"].includes(element.type)) {
        element.value = "";
      }
    }
  }
}"""

# The main content's markup without CSRF tokens, which differ per session.
MAIN_CONTENT = """() => {
  const main = document.querySelector("main");
  if (!main) return null;
  const copy = main.cloneNode(true);
  for (const input of copy.querySelectorAll("input[name=csrf_token]")) {
    input.removeAttribute("value");
  }
  return copy.innerHTML;
}"""

LINKS = """() => [...document.querySelectorAll("a[href]")]
  .filter((link) => !link.hasAttribute("download"))
  .map((link) => link.href)"""


def path_pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


def page_name(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.strip("/") or "home"
    return f"{name}-{parts.query}" if parts.query else name


@dataclass
class Crawl:
    """Every page one user's crawl checked, and what it left out."""

    label: str
    reports: list[PageReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    skimmed: list[str] = field(default_factory=list)
    accepted_empty: list[str] = field(default_factory=list)
    capped: bool = False

    def problems(self, attribute: str) -> list[str]:
        """Return one entry per page with problems of one kind, for a failure message."""
        lines = []
        for report in self.reports:
            found = getattr(report, attribute)
            if not found:
                continue
            lines.append(f"{report.label} ({report.url}, screenshot {report.screenshot}):")
            for item in found:
                lines.append(item.describe() if hasattr(item, "describe") else f"  {item}")
        return lines


class Crawler:
    def __init__(
        self, page, base_url: str, axe_source: str, save_screenshot, label: str, checked: dict
    ):
        """Crawl as one user. `checked` maps main content already checked to its report.

        Crawls of several roles share `checked`, so a page whose main content
        another role's crawl has checked is not checked again. The header and
        footer are the same on every page a role sees, and are checked on
        that role's other pages.
        """
        self.checked = checked
        self.page = page
        self.base_url = base_url
        self.axe_source = axe_source
        self.save_screenshot = save_screenshot
        self.crawl = Crawl(label)

    def check_page(self, name: str, status: int) -> PageReport:
        """Run every page check on the page the browser shows now."""
        report = PageReport(
            label=f"{self.crawl.label}: {name}",
            url=self.page.url,
            status=status,
            title=self.page.title(),
        )
        report.violations = axe_violations(self.page, self.axe_source)
        report.overflow = horizontal_overflow(self.page)
        report.screenshot = str(self.save_screenshot(self.page, f"{self.crawl.label}-{name}"))
        self.crawl.reports.append(report)
        return report

    def open(self, url: str) -> int | None:
        """Load `url`; return its status, or None when it is not an HTML page."""
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                self.crawl.skipped.append(f"{url} (download)")
                return None
            raise
        content_type = response.headers.get("content-type", "") if response else ""
        if not content_type.startswith("text/html"):
            self.crawl.skipped.append(f"{url} ({content_type or 'no content type'})")
            return None
        return response.status

    def visit(self, url: str, name: str | None = None) -> PageReport | None:
        status = self.open(url)
        if status is None:
            return None
        name = name or page_name(url)
        main = self.page.evaluate(MAIN_CONTENT)
        earlier = self.checked.get(main)
        if earlier is not None:
            report = PageReport(
                label=f"{self.crawl.label}: {name}",
                url=self.page.url,
                status=status,
                title=self.page.title(),
                screenshot=earlier.screenshot,
                same_as=earlier.label,
            )
            self.crawl.reports.append(report)
            return report
        report = self.check_page(name, status)
        if main is not None:
            self.checked[main] = report
        return report

    def links(self) -> list[str]:
        found = []
        for href in self.page.evaluate(LINKS):
            url, _ = urldefrag(href)
            parts = urlsplit(url)
            if not url.startswith(self.base_url + "/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            found.append(url)
        return found

    def submit_empty(self, url: str) -> None:
        """Submit each form on `url` with every field cleared, and check the errors shown."""
        name = page_name(url)
        for index in self.page.evaluate(FORMS_WITH_FIELDS):
            self.open(url)
            form = self.page.locator("main form").nth(index)
            form.evaluate(CLEAR_FORM)
            button = form.locator("button[type=submit], input[type=submit], button:not([type])")
            with self.page.expect_navigation() as navigation:
                button.first.click()
            status = navigation.value.status if navigation.value else 0
            if urlsplit(self.page.url).path != urlsplit(url).path:
                # The form has no required field and saved, then redirected.
                self.crawl.accepted_empty.append(url)
                self.check_page(f"{name}-saved-empty", status)
                continue
            suffix = "errors" if index == 0 else f"form-{index + 1}-errors"
            report = self.check_page(f"{name}-{suffix}", status)
            if self.page.locator(".govuk-error-summary").count() == 0:
                report.error_summary.append(
                    f"submitting the form at {url} with every field empty showed "
                    "the form again without an error summary"
                )
            else:
                report.error_summary.extend(error_summary_problems(self.page))

    def skim(self, url: str, seen: set[str], queue: list[str], per_pattern: dict) -> None:
        """Load `url` unchecked and queue its links to pages of patterns not yet visited."""
        if self.open(url) is None:
            return
        self.crawl.skimmed.append(url)
        for link in self.links():
            if link in seen or path_pattern(urlsplit(link).path) in per_pattern:
                continue
            seen.add(link)
            queue.append(link)

    def run(self, start: str) -> Crawl:
        """Crawl from `start`, checking each page found and each form on it."""
        queue = [self.base_url + start]
        seen = set(queue)
        per_pattern: dict[str, int] = {}
        paths: set[str] = set()
        while queue:
            if len(self.crawl.reports) + len(self.crawl.skimmed) >= MAX_PAGES:
                self.crawl.capped = True
                break
            url = queue.pop(0)
            parts = urlsplit(url)
            if parts.query and "page=" not in parts.query and parts.path in paths:
                # The same form or list with a preset filter, such as
                # /dpias/new?project=1, adds nothing new to check.
                continue
            paths.add(parts.path)
            pattern = path_pattern(parts.path)
            if per_pattern.get(pattern, 0) >= MAX_PER_PATTERN:
                self.skim(url, seen, queue, per_pattern)
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            report = self.visit(url)
            if report is None:
                continue
            for link in self.links():
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            if not report.same_as:
                self.submit_empty(url)
        return self.crawl


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the sign-in form and wait for the dashboard."""
    page.goto(f"{base_url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit], main input[type=submit]")
    if urlsplit(page.url).path != "/":
        raise AssertionError(f"signing in as {email} ended on {page.url}, not the dashboard")

"""Checks run on every page in the browser: axe-core, reflow, error summary, focus."""

from dataclasses import dataclass, field

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The default window, then the widths WCAG 1.4.10 (reflow) cares about: 320
# CSS px, and a 1280 px wide window zoomed to 200%, which lays out at 640 CSS px.
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
NARROW_VIEWPORTS = {
    "320 CSS px wide": {"width": 320, "height": 640},
    "200% zoom of a 1280 px window": {"width": 640, "height": 400},
}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((rule) => ({
    rule: rule.id,
    impact: rule.impact,
    help: rule.help,
    targets: rule.nodes.map((node) => node.target.join(" ")),
  }));
}"""

# Elements whose right edge lies beyond the window, skipping those inside a
# wrapper that scrolls on its own (tables may scroll inside their wrapper).
OVERFLOWING_ELEMENTS = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest(".app-table-wrapper")) continue;
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      const classes = [...element.classList].slice(0, 2).map((name) => "." + name).join("");
      found.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes);
    }
    if (found.length >= 5) break;
  }
  return found;
}"""

# Whether the focused element shows a focus indicator: an outline that is not
# transparent, or a box shadow. GOV.UK checkboxes and radios hide the input and
# draw the indicator on the label's ::before, so those are read from the label.
FOCUS_INDICATOR = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {visible: false, element: "body"};
  const visibleIn = (style) => {
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !/rgba\\(.*,\\s*0\\)$/.test(style.outlineColor) && style.outlineColor !== "transparent";
    return outline || (style.boxShadow && style.boxShadow !== "none");
  };
  let visible = visibleIn(getComputedStyle(element));
  if (!visible && element.labels && element.labels.length) {
    visible = visibleIn(getComputedStyle(element.labels[0], "::before"))
      || visibleIn(getComputedStyle(element.labels[0], "::after"));
  }
  const name = (element.innerText || element.value || element.getAttribute("aria-label") || "")
    .trim().slice(0, 60);
  return {
    visible,
    element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " " + name,
  };
}"""


@dataclass
class Violation:
    rule: str
    impact: str | None
    help: str
    targets: list[str]

    def describe(self) -> str:
        lines = [f"  {self.rule} ({self.impact or 'impact not given'}): {self.help}"]
        lines += [f"      {target}" for target in self.targets]
        return "\n".join(lines)


@dataclass
class PageReport:
    """What the checks found on one page, as one user saw it."""

    label: str
    url: str
    status: int
    title: str
    screenshot: str = ""
    # The label of an earlier report on the same main content, when the
    # checks were not run again.
    same_as: str = ""
    violations: list[Violation] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    error_summary: list[str] = field(default_factory=list)


def axe_violations(page, axe_source: str) -> list[Violation]:
    """Inject axe-core into the page and return its WCAG A and AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return [Violation(**rule) for rule in page.evaluate(RUN_AXE, AXE_TAGS)]


def horizontal_overflow(page) -> list[str]:
    """Return a problem for each narrow viewport at which the page scrolls sideways."""
    problems = []
    for name, size in NARROW_VIEWPORTS.items():
        page.set_viewport_size(size)
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            culprits = ", ".join(page.evaluate(OVERFLOWING_ELEMENTS)) or "none found"
            problems.append(
                f"{name}: page is {scroll_width} px wide in a {inner_width} px window "
                f"(widest elements: {culprits})"
            )
    page.set_viewport_size(DEFAULT_VIEWPORT)
    return problems


def wait_for_error_summary_focus(page) -> bool:
    """Wait until GOV.UK Frontend has moved focus to the error summary."""
    try:
        page.wait_for_function(
            "() => document.activeElement"
            " && document.activeElement.classList.contains('govuk-error-summary')",
            timeout=3000,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def error_summary_problems(page) -> list[str]:
    """Check that a page showing form errors announces and links each one.

    The title starts with "Error: ", the error summary has focus, every
    error message beside a field has a summary link, and following each
    link moves focus to the element it targets.
    """
    problems = []
    title = page.title()
    if not title.startswith("Error: "):
        problems.append(f"title {title!r} does not start with 'Error: '")
    summary = page.locator(".govuk-error-summary")
    if summary.count() != 1:
        return [*problems, f"expected 1 error summary, found {summary.count()}"]
    if not wait_for_error_summary_focus(page):
        problems.append("the error summary did not receive focus when the page loaded")
    links = summary.locator("a")
    messages = page.locator(".govuk-error-message").count()
    if links.count() == 0:
        problems.append("the error summary lists no errors")
    if links.count() < messages:
        problems.append(
            f"{messages} error messages beside fields but {links.count()} summary links"
        )
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        text = link.inner_text().strip()
        if not href.startswith("#") or len(href) < 2:
            problems.append(f"summary link {text!r} has href {href!r}, not a #fragment")
            continue
        target = href[1:]
        exists = page.evaluate("(id) => document.getElementById(id) !== null", target)
        if not exists:
            problems.append(f"summary link {text!r} points at #{target}, which does not exist")
            continue
        link.click()
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        if focused != target:
            problems.append(
                f"following summary link {text!r} focused {focused or 'nothing'!r}, not #{target}"
            )
    return problems

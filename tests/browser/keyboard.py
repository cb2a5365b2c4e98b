"""Keyboard-only journeys through the register, and the checks made on the way.

Every step moves with Tab and Shift+Tab, types into the focused field, picks
options in a select by typing, ticks boxes with Space, moves through a radio
group with the arrow keys and follows links and buttons with Enter. On each
new page the whole page is walked with Tab first. The skip link must come
first and work. Every focused element must show a focus indicator. Focus
must move through the main content from top to bottom and reach the footer,
which shows that nothing traps it.

The journey steps are the functions at the end of this module. When a form
changes, only its step needs changing.
"""

from dataclasses import dataclass, field

from tests.browser.checks import FOCUS_INDICATOR, axe_violations

# Presses allowed to reach one element, and to walk a whole page.
MAX_TABS_TO_ELEMENT = 80
MAX_TABS_PER_PAGE = 150

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const box = element.getBoundingClientRect();
  const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
  return {
    key: [element.tagName, element.id, element.name, element.getAttribute("href"),
          (element.innerText || element.value || "").trim().slice(0, 80)].join("|"),
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.name || "",
    checked: element.checked === true,
    text: (element.innerText || element.value || "").trim(),
    label: label.trim(),
    inMain: element.closest("main") !== null,
    inFooter: element.closest("footer") !== null,
    top: Math.round(box.top + window.scrollY),
    bottom: Math.round(box.bottom + window.scrollY),
    left: Math.round(box.left + window.scrollX),
  };
}"""

# Put focus back where a freshly loaded page has it, so the next Tab reaches
# the first element. Only the walk does this, to start from a known place.
START_FROM_TOP = """() => {
  window.scrollTo(0, 0);
  document.body.setAttribute("tabindex", "-1");
  document.body.focus();
  document.body.removeAttribute("tabindex");
}"""

LAST_FOOTER_LINK = """() => {
  const links = document.querySelectorAll("footer a");
  const last = links[links.length - 1];
  return last ? last.innerText.trim() : null;
}"""


@dataclass
class KeyboardUser:
    """A user who has only a keyboard, and the problems they met."""

    page: object
    axe_source: str
    save_screenshot: object
    name: str
    problems: list[str] = field(default_factory=list)
    pages_walked: list[str] = field(default_factory=list)

    # Moving focus

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def press(self, key: str) -> dict | None:
        """Press a key; after Tab, check that the newly focused element shows focus."""
        self.page.keyboard.press(key)
        if key not in ("Tab", "Shift+Tab"):
            return self.focused()
        indicator = self.page.evaluate(FOCUS_INDICATOR)
        # Past the last element, focus leaves the page for the browser's own
        # controls and the body reports focus. That is not a fault of the page.
        if not indicator["visible"] and indicator["element"] != "body":
            self.problems.append(
                f"{self.page.url}: focus not visible on {indicator['element'].strip()}"
            )
        return self.focused()

    def tab_to(self, description: str, matches) -> dict:
        """Press Tab until `matches(focused)` holds; fail if focus sticks or never arrives."""
        previous = self.focused()
        for _ in range(MAX_TABS_TO_ELEMENT):
            current = self.press("Tab")
            if current and matches(current):
                return current
            if current and previous and current["key"] == previous["key"]:
                raise AssertionError(
                    f"{self.page.url}: focus is stuck on {current['key']} (keyboard trap)"
                )
            previous = current
        raise AssertionError(
            f"{self.page.url}: Tab never reached {description} in {MAX_TABS_TO_ELEMENT} presses"
        )

    def tab_to_id(self, element_id: str) -> dict:
        return self.tab_to(f"#{element_id}", lambda focused: focused["id"] == element_id)

    def tab_to_text(self, text: str) -> dict:
        """Tab to the link or button whose text starts with `text`."""
        return self.tab_to(repr(text), lambda focused: focused["text"].startswith(text))

    def type_into(self, element_id: str, text: str) -> None:
        """Tab to a field and type `text`, replacing what the form filled in."""
        self.tab_to_id(element_id)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, element_id: str, option_text: str) -> None:
        """Pick an option in a select by typing the start of its text, as a user would."""
        self.tab_to_id(element_id)
        self.page.keyboard.type(option_text)
        chosen = self.page.evaluate(
            "(id) => { const select = document.getElementById(id);"
            " return select.options[select.selectedIndex].text; }",
            element_id,
        )
        assert chosen.startswith(option_text), f"typing {option_text!r} selected {chosen!r}"

    def tick(self, label_start: str) -> None:
        """Tick the checkbox whose label starts with `label_start`, with Space."""
        self.tab_to(
            f"checkbox {label_start!r}",
            lambda focused: focused["tag"] == "input" and focused["label"].startswith(label_start),
        )
        self.page.keyboard.press("Space")

    def tick_id(self, element_id: str) -> None:
        """Tick the checkbox `element_id` with Space, leaving it ticked."""
        focused = self.tab_to_id(element_id)
        if not focused["checked"]:
            self.page.keyboard.press("Space")
        assert self.focused()["checked"], f"Space did not tick #{element_id}"

    def pick(self, element_id: str) -> None:
        """Select the radio `element_id` as a keyboard user does.

        Tab enters a radio group once, on its checked radio or, when none is
        checked, on its first. The arrow keys then move and select, and Space
        selects the radio that has focus. GOV.UK gives the first radio of
        group `name` the id `name` and the others `name-2`, `name-3` and so on.
        """
        group = element_id.rsplit("-", 1)[0] if element_id[-1].isdigit() else element_id
        focused = self.tab_to(
            f"radio group {group!r}",
            lambda focused: focused["tag"] == "input" and focused["name"] == group,
        )
        for _ in range(MAX_TABS_TO_ELEMENT):
            if focused["id"] == element_id:
                break
            focused = self.press("ArrowDown")
        if not focused["checked"]:
            self.page.keyboard.press("Space")
        assert self.focused()["id"] == element_id, f"the arrow keys never reached #{element_id}"
        assert self.focused()["checked"], f"the keyboard did not select #{element_id}"

    def type_date(self, element_id: str, day: int, month: int, year: int) -> None:
        """Type a date into the GOV.UK date input whose day box is `element_id`."""
        for box_id, value in (
            (element_id, day),
            (f"{element_id}-month", month),
            (f"{element_id}-year", year),
        ):
            self.tab_to_id(box_id)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(str(value))

    def activate(self, text: str, key: str = "Enter") -> int:
        """Tab to a link or button and press `key`; walk the page it leads to."""
        self.tab_to_text(text)
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        status = navigation.value.status if navigation.value else 0
        self.arrive()
        return status

    # Checks on arrival

    def arrive(self) -> None:
        """Check the page just loaded: axe-core, a screenshot, then a walk with Tab."""
        self.page.wait_for_load_state()
        step = len(self.pages_walked) + 1
        for violation in axe_violations(self.page, self.axe_source):
            self.problems.append(f"{self.page.url}: axe-core\n{violation.describe()}")
        self.save_screenshot(self.page, f"keyboard-{self.name}-{step:02d}-{self.page.title()}")
        if self.page.locator(".govuk-error-summary").count():
            # The error summary has taken focus, and the walk starts from there.
            self.walk_from_error_summary()
        else:
            self.walk_page()
        self.pages_walked.append(self.page.url)

    def walk_page(self) -> None:
        """Tab from the top of the page to the footer's last link.

        The first Tab must land on the skip link, and Enter on it must move
        focus to the main content. The walk then continues from there.
        """
        self.page.evaluate(START_FROM_TOP)
        first = self.press("Tab")
        if not first or "govuk-skip-link" not in self.page.evaluate(
            "() => document.activeElement.className"
        ):
            self.problems.append(f"{self.page.url}: the first Tab reached {first}, not a skip link")
        else:
            self.page.keyboard.press("Enter")
            main = self.page.evaluate("() => document.activeElement.id")
            if main != "main-content":
                self.problems.append(f"{self.page.url}: the skip link moved focus to {main!r}")
        self.walk_to_footer()
        self.page.evaluate(START_FROM_TOP)

    def walk_from_error_summary(self) -> None:
        focused = self.page.evaluate("() => document.activeElement.className")
        if "govuk-error-summary" not in focused:
            self.problems.append(f"{self.page.url}: the error summary did not take focus")
        self.walk_to_footer()

    def walk_to_footer(self) -> None:
        """Tab until the footer's last link, checking order in the main content."""
        last_link = self.page.evaluate(LAST_FOOTER_LINK)
        positive = self.page.evaluate("() => document.querySelectorAll('[tabindex]').length")
        if positive and self.page.evaluate(
            "() => [...document.querySelectorAll('[tabindex]')].some((e) => e.tabIndex > 0)"
        ):
            self.problems.append(f"{self.page.url}: an element has a positive tabindex")
        previous_in_main = None
        for _ in range(MAX_TABS_PER_PAGE):
            current = self.press("Tab")
            if current is None:
                continue
            if current["inMain"]:
                if previous_in_main and not reads_after(previous_in_main, current):
                    self.problems.append(
                        f"{self.page.url}: focus moved back up the page from "
                        f"{previous_in_main['key']} to {current['key']}"
                    )
                previous_in_main = current
            if current["inFooter"] and current["text"] == last_link:
                return
        self.problems.append(
            f"{self.page.url}: Tab did not reach the footer link {last_link!r} "
            f"in {MAX_TABS_PER_PAGE} presses (keyboard trap?)"
        )


def reads_after(earlier: dict, later: dict) -> bool:
    """Return whether `later` comes after `earlier` in reading order (rows, then columns)."""
    same_row = later["top"] < earlier["bottom"] and earlier["top"] < later["bottom"]
    if same_row:
        return later["left"] >= earlier["left"]
    return later["top"] > earlier["top"]


# Journey steps. Each starts on a page the previous step left the user on.


def sign_in(user: KeyboardUser, base_url: str, email: str, password: str) -> None:
    user.page.goto(f"{base_url}/sign-in")
    user.arrive()
    user.type_into("email", email)
    user.type_into("password", password)
    user.activate("Sign in")


def sign_out(user: KeyboardUser) -> None:
    user.activate("Sign out")


def record_decision(user: KeyboardUser, reference: str, title: str) -> None:
    """From any page: record a governing decision, first showing the form's errors."""
    user.activate("Decisions")
    user.activate("Record a decision")
    # Sending the form empty shows the error summary. Its first link leads
    # to the reference field, where typing starts.
    user.activate("Save decision")
    user.tab_to(
        "the first error summary link",
        lambda focused: focused["tag"] == "a" and focused["text"].startswith("Enter"),
    )
    user.page.keyboard.press("Enter")
    assert user.focused()["id"] == "reference", "the error link did not focus the reference field"
    user.page.keyboard.type(reference)
    user.type_into("title", title)
    user.type_into("decision_maker", "Deputy Mayor for Policing and Crime")
    user.type_into("issuing_body", "MOPAC")
    user.type_into(
        "summary", "Accepts a grant from Bedfordshire Police to upgrade Project Dorothy."
    )
    user.activate("Save decision")


def record_project(user: KeyboardUser, name: str, lead: str, decision_reference: str) -> None:
    user.activate("Projects")
    user.activate("Record a project")
    user.type_into("name", name)
    user.type_into("description", "Upgrade of the online investigation capability.")
    user.type_into("owning_unit", "Met Operations 3")
    user.choose("lead_id", lead)
    user.tick(decision_reference)
    user.activate("Save project")


def log_dpia(
    user: KeyboardUser, project: str, decision_reference: str, owner: str, title: str, review_on
) -> None:
    """Log a DPIA through the DPIA form, which leads to the DPIA's task list."""
    user.activate("DPIAs")
    user.activate("Start a DPIA")
    user.choose("project_id", project)
    user.type_into("decision_reference", decision_reference)
    user.choose("owner_id", owner)
    user.type_date("next_review_on", review_on.day, review_on.month, review_on.year)
    user.type_into("title", title)
    user.pick("regime-3")
    user.type_into("controller", "Commissioner of Police of the Metropolis")
    user.type_into("dpo_contact", "Dana Okafor, dpo@example.org")
    user.type_into(
        "processing_summary",
        "Material gathered online is assessed by analysts and shared with the national network.",
    )
    user.activate("Save DPIA")


def complete_screening(user: KeyboardUser) -> None:
    """From the task list: answer the screening questions, which require a DPIA."""
    user.activate("Screening")
    user.tick_id("mandatory_cases-2")
    user.tick_id("wp248_criteria-4")
    user.pick("involves_sharing")
    user.pick("is_dpia_required")
    user.type_into("rationale", "Criminal offence data on a large scale.")
    user.activate("Save and return")


def describe_need(user: KeyboardUser) -> None:
    """From the task list: complete step 1, the need for a DPIA."""
    user.activate("Step 1")
    user.type_into("need_summary", "Upgrade of covert online deployments.")
    user.activate("Save and return")


def describe_processing(user: KeyboardUser) -> None:
    """From the task list: complete step 2, the description of the processing."""
    user.activate("Step 2")
    user.type_into("nature", "Capture, review and sharing of online material.")
    user.type_into("data_categories", "Names, identifiers, messages")
    user.pick("has_criminal_offence_data")
    user.type_into("individuals_affected", "About 5,000 a year")
    user.type_into("retention", "6 years")
    user.type_into("geography", "London")
    user.type_into("context", "People do not know they are observed.")
    user.pick("involves_vulnerable_people")
    user.type_into("purposes", "Preventing and detecting serious crime.")
    user.activate("Save and return")


def record_consultation(user: KeyboardUser) -> None:
    """From the task list: complete step 3, saying why no views were sought."""
    user.activate("Step 3")
    user.pick("views_sought-2")
    user.type_into("views_not_sought_reason", "Asking would reveal covert tactics.")
    user.activate("Save and return")


def assess_necessity(user: KeyboardUser) -> None:
    """From the task list: complete step 4, the lawful basis and necessity."""
    user.activate("Step 4")
    user.pick("art6_basis-6")
    user.pick("le_basis-3")
    user.pick("is_sensitive_processing-2")
    user.pick("is_new_filing_system-2")
    user.type_into("necessity", "No less intrusive way to gather the evidence.")
    user.activate("Save and return")


def add_risk_with_measure(user: KeyboardUser) -> None:
    """From the task list: add a risk in step 5 and a measure against it, then return."""
    user.activate("Step 5")
    user.activate("Add a risk")
    user.type_into("source", "Officers capture more than needed")
    user.type_into("harm", "Bystanders' data is held")
    user.pick("likelihood-3")
    user.pick("severity-2")
    user.activate("Save risk")
    user.activate("Add a measure")
    user.type_into("description", "Supervisors check each capture weekly")
    user.pick("effect-2")
    user.pick("residual_level")
    user.pick("is_approved")
    user.pick("status-3")
    user.activate("Save measure")
    user.activate("Return to the task list")


def send_for_advice(user: KeyboardUser) -> None:
    """From the task list: open the whole DPIA and send it to the DPO for advice."""
    user.activate("View the whole DPIA")
    user.activate("Send to the DPO for advice")


def record_advice(user: KeyboardUser, advice: str) -> None:
    """On a DPIA's page: record the DPO's advice, dated today as the form suggests."""
    user.activate("Record advice")
    user.type_into("dpo_advice", advice)
    user.activate("Save advice")


def sign_off(user: KeyboardUser, approver: str, position: str, day, review_on) -> None:
    """On a DPIA's page: sign it off to proceed, on the sign-off date the form suggests."""
    user.activate("Sign off")
    user.type_into("measures_approved_by", approver)
    user.type_into("measures_approved_position", position)
    user.type_date("measures_approved_on", day.day, day.month, day.year)
    user.type_into("residual_approved_by", approver)
    user.type_into("residual_approved_position", position)
    user.type_date("residual_approved_on", day.day, day.month, day.year)
    user.pick("advice_response")
    user.type_into("advice_response_by", approver)
    user.type_date("advice_response_on", day.day, day.month, day.year)
    user.pick("departs_from_views")
    user.type_into("kept_under_review_by", "MO3 leadership")
    user.pick("prior_consultation_override")
    user.pick("outcome")
    user.type_date("next_review_on", review_on.day, review_on.month, review_on.year)
    user.activate("Sign off DPIA")


def confirm_completion(user: KeyboardUser, dpia_title: str) -> None:
    """From the dashboard: open the DPIA awaiting confirmation and confirm it with Space."""
    user.activate(dpia_title)
    user.activate("Confirm the DPIA is complete", key="Space")

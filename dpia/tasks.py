"""The DPIA's steps as a task list: what each step still needs before it is complete."""

from dataclasses import dataclass
from datetime import date

from core.timeutil import local_today

STEP_TITLES = {
    "screening": "Screening: is a DPIA required?",
    "need": "Step 1: Identify the need for a DPIA",
    "description": "Step 2: Describe the processing",
    "consultation": "Step 3: Consultation",
    "necessity": "Step 4: Necessity, proportionality and lawful bases",
    "risks": "Step 5: Identify and assess risks",
    "measures": "Step 6: Measures to reduce risk",
    "signoff": "Step 7: Sign off and record outcomes",
}

# Steps the project lead completes before the DPIA goes to the DPO.
DRAFTING_STEPS = ("screening", "need", "description", "consultation", "necessity", "risks")


@dataclass(frozen=True)
class Task:
    step: str
    title: str
    problems: tuple[str, ...]
    is_started: bool

    @property
    def is_complete(self) -> bool:
        return not self.problems

    @property
    def status_label(self) -> str:
        if self.is_complete:
            return "Completed"
        return "In progress" if self.is_started else "Not yet started"


def _missing(dpia, fields: dict[str, str]) -> list[str]:
    return [message for name, message in fields.items() if not getattr(dpia, name)]


def screening_problems(dpia) -> list[str]:
    if dpia.screening is None:
        return ["Answer the screening questions"]
    if not dpia.screening.rationale:
        return ["Explain the screening outcome"]
    return []


def need_problems(dpia) -> list[str]:
    return _missing(dpia, {"need_summary": "Explain why the project needs a DPIA"})


def description_problems(dpia) -> list[str]:
    return _missing(
        dpia,
        {
            "nature": "Describe how the data is collected, used, stored and deleted",
            "data_categories": "List the categories of personal data",
            "individuals_affected": "Give the number of people affected",
            "retention": "Say how long the data is kept",
            "geography": "Describe the geographical area covered",
            "context": "Describe the context of the processing",
            "purposes": "Describe the purposes of the processing",
        },
    )


def consultation_problems(dpia) -> list[str]:
    if dpia.views_sought is None:
        return ["Say whether the views of individuals or their representatives were sought"]
    if dpia.views_sought and not dpia.consultation_method:
        return ["Describe how views were sought"]
    if not dpia.views_sought and not dpia.views_not_sought_reason:
        return ["Explain why views were not sought"]
    return []


def necessity_problems(dpia) -> list[str]:
    problems = _missing(dpia, {"necessity": "Explain why the processing is necessary"})
    if dpia.includes_uk_gdpr and not dpia.art6_basis:
        problems.append("Select the UK GDPR Article 6 lawful basis")
    if dpia.includes_part3:
        if not dpia.le_basis:
            problems.append("Select the DPA 2018 section 35 lawful basis")
        needs_condition = dpia.is_sensitive_processing and dpia.le_basis != "consent"
        if needs_condition and not dpia.schedule8_condition:
            problems.append("Select the Schedule 8 condition for sensitive processing")
        if dpia.is_sensitive_processing and not dpia.policy_document_reference:
            problems.append("Give the reference of the appropriate policy document")
    return problems


def risk_problems(dpia) -> list[str]:
    return [] if dpia.risks else ["Add at least one risk"]


def measure_problems(dpia) -> list[str]:
    return [
        f"Add a measure for risk {number}, which is {risk.level_label.lower()}"
        for number, risk in enumerate(dpia.risks, start=1)
        if risk.needs_measure and not risk.measures
    ]


def signoff_problems(dpia) -> list[str]:
    return [] if dpia.is_signed_off else ["The DPO signs off the DPIA"]


PROBLEMS = {
    "screening": screening_problems,
    "need": need_problems,
    "description": description_problems,
    "consultation": consultation_problems,
    "necessity": necessity_problems,
    "risks": risk_problems,
    "measures": measure_problems,
    "signoff": signoff_problems,
}

STARTED = {
    "screening": lambda d: d.screening is not None,
    "need": lambda d: bool(d.need_summary),
    "description": lambda d: any((d.nature, d.data_categories, d.context, d.purposes)),
    "consultation": lambda d: d.views_sought is not None or bool(d.consultees),
    "necessity": lambda d: any((d.necessity, d.art6_basis, d.le_basis)),
    "risks": lambda d: bool(d.risks),
    "measures": lambda d: bool(d.measures),
    "signoff": lambda d: bool(d.measures_approved_by or d.outcome),
}


def task_list(dpia) -> list[Task]:
    return [
        Task(step, title, tuple(PROBLEMS[step](dpia)), STARTED[step](dpia))
        for step, title in STEP_TITLES.items()
    ]


def mark_step(dpia, step: str) -> None:
    """Record today as the step's completion date when the step is now complete."""
    if PROBLEMS[step](dpia):
        return
    completed = dict(dpia.steps_completed_on or {})
    completed[step] = local_today().isoformat()
    dpia.steps_completed_on = completed


def latest_completion(dpia) -> date | None:
    """Return the latest date a step was completed, which sign-off dates may not precede."""
    dates = []
    for value in (dpia.steps_completed_on or {}).values():
        try:
            dates.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return max(dates, default=None)

"""DPIA state changes that views, commands and the demo data share.

Every change goes through `move`, which accepts only the transitions in
TRANSITIONS and records who made it in the DPIA's history. The functions
below check their own rules first and change nothing when they raise.
"""

from datetime import date

from core.auth.models import Role, User
from core.timeutil import local_today, utc_now
from dpia.history import StateChange
from dpia.models import Dpia
from dpia.tasks import DRAFTING_STEPS, PROBLEMS, STEP_TITLES
from dpia.vocabulary import APPROVED_STATUSES, DPIA_STATUSES

TRANSITIONS = {
    "draft": {"awaiting_dpo_advice"},
    "under_review": {"awaiting_dpo_advice"},
    "awaiting_dpo_advice": {"draft", "under_review", "awaiting_signoff"},
    "awaiting_signoff": {
        "draft",
        "under_review",
        "approved",
        "approved_with_conditions",
        "prior_consultation",
        "not_proceeding",
    },
    "prior_consultation": {"approved", "approved_with_conditions", "not_proceeding"},
    "approved": {"superseded"},
    "approved_with_conditions": {"superseded"},
    "not_proceeding": {"draft"},
    "superseded": set(),
}


class WorkflowError(Exception):
    """A change the DPIA's state or rules do not allow. The message tells the user what to do.

    `errors` maps form field names to messages when the problem lies in
    values the user entered.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def allowed_moves(dpia: Dpia) -> set[str]:
    return TRANSITIONS.get(dpia.status, set())


def check_move(dpia: Dpia, to_status: str) -> None:
    if to_status not in DPIA_STATUSES:
        raise WorkflowError("Choose a state from the list")
    if to_status not in allowed_moves(dpia):
        allowed = ", ".join(sorted(DPIA_STATUSES[s].lower() for s in allowed_moves(dpia)))
        raise WorkflowError(
            f"A DPIA that is {dpia.status_label.lower()} cannot move to "
            f"{DPIA_STATUSES[to_status].lower()}. "
            + (f"It can move to: {allowed}" if allowed else "It can no longer change state")
        )


def move(dpia: Dpia, to_status: str, user: User, comment: str = "") -> None:
    """Move the DPIA to `to_status` and record the change in its history."""
    check_move(dpia, to_status)
    dpia.history.append(
        StateChange(
            from_status=dpia.status,
            to_status=to_status,
            comment=comment,
            changed_by=user,
            changed_at=utc_now(),
        )
    )
    dpia.status = to_status


def record_creation(dpia: Dpia, user: User) -> None:
    dpia.history.append(
        StateChange(from_status="", to_status=dpia.status, changed_by=user, changed_at=utc_now())
    )


def drafting_state(dpia: Dpia) -> str:
    """Return the state a DPIA goes back to for changes: a review for later versions."""
    return "under_review" if dpia.previous_id else "draft"


def submit(dpia: Dpia, user: User) -> None:
    """Send a drafted DPIA to the DPO for advice once its drafting steps are complete."""
    check_move(dpia, "awaiting_dpo_advice")
    problems = [
        f"{STEP_TITLES[step]}: {problem}"
        for step in (*DRAFTING_STEPS, "measures")
        for problem in PROBLEMS[step](dpia)
    ]
    if problems:
        raise WorkflowError(
            "Complete these steps before sending the DPIA to the DPO: " + "; ".join(problems)
        )
    move(dpia, "awaiting_dpo_advice", user)


def send_back(dpia: Dpia, comment: str, user: User) -> None:
    """Return the DPIA to its drafter with the DPO's comment on what to change."""
    target = drafting_state(dpia)
    check_move(dpia, target)
    if dpia.status not in ("awaiting_dpo_advice", "awaiting_signoff"):
        raise WorkflowError("Only a DPIA awaiting advice or sign-off can be sent back")
    if not comment.strip():
        raise WorkflowError(
            "Enter what the drafter should change",
            {"comment": "Enter what the drafter should change"},
        )
    move(dpia, target, user, comment.strip())


def record_advice(dpia: Dpia, advice: str, advice_on: date, dpo: User) -> None:
    """Record the DPO's advice and move the DPIA on to sign-off."""
    check_move(dpia, "awaiting_signoff")
    if not advice.strip():
        raise WorkflowError("Enter the DPO's advice", {"dpo_advice": "Enter the DPO's advice"})
    if advice_on > local_today():
        message = "Date the advice was given must be today or in the past"
        raise WorkflowError(message, {"dpo_advice_on": message})
    dpia.dpo_advice = advice.strip()
    dpia.dpo_advice_on = advice_on
    dpia.dpo_advice_by = dpo
    move(dpia, "awaiting_signoff", dpo)


def reopen(dpia: Dpia, user: User, comment: str = "") -> None:
    """Return a DPIA that is not proceeding to draft, keeping its content."""
    if dpia.status != "not_proceeding":
        raise WorkflowError("Only a DPIA that is not proceeding can be reopened")
    move(dpia, "draft", user, comment)


def confirm_completion(dpia: Dpia, lead: User) -> None:
    """Record the project lead's confirmation that the approved DPIA is complete."""
    if dpia.status not in APPROVED_STATUSES:
        raise WorkflowError("The DPIA must be approved before its project lead confirms it")
    if dpia.confirmed_at is not None:
        raise WorkflowError("Completion of this DPIA is already confirmed")
    if dpia.project.lead_id != lead.id:
        raise WorkflowError("Only the project's lead can confirm completion")
    dpia.confirmed_at = utc_now()
    dpia.confirmed_by = lead


def can_draft(dpia: Dpia, user: User) -> bool:
    """Return whether `user` may change the DPIA's steps now."""
    if not dpia.is_editable:
        return False
    return user.role == Role.DPO or (user.role == Role.LEAD and dpia.project.lead_id == user.id)

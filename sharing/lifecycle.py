"""Status changes of an agreement and its version history.

The stored status is one of draft, active, suspended or terminated. Expired is
worked out on read from the end date (Agreement.effective_status), so an
agreement whose end date passes expires without anyone editing it.
"""

from dataclasses import dataclass
from datetime import date

from core.auth.models import User
from sharing.models import Agreement, AgreementVersion
from sharing.rules import activation_problems


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    target: str
    sources: frozenset[str]
    needs_reason: bool


ACTIONS = {
    action.name: action
    for action in (
        Action("activate", "Approve and activate", "active", frozenset({"draft"}), False),
        Action("suspend", "Suspend", "suspended", frozenset({"active"}), True),
        Action("reinstate", "Reinstate", "active", frozenset({"suspended"}), False),
        Action(
            "terminate",
            "Terminate",
            "terminated",
            frozenset({"draft", "active", "suspended", "expired"}),
            True,
        ),
    )
}


class LifecycleError(Exception):
    """A status change the agreement's state does not allow, with what to fix."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


def available_actions(agreement: Agreement, today: date) -> list[Action]:
    status = agreement.effective_status(today)
    return [action for action in ACTIONS.values() if status in action.sources]


def change_status(
    agreement: Agreement, action_name: str, user: User, today: date, reason: str = ""
) -> None:
    """Apply a lifecycle action, or raise LifecycleError leaving the agreement unchanged."""
    action = ACTIONS.get(action_name)
    status = agreement.effective_status(today)
    if action is None or status not in action.sources:
        raise LifecycleError(f"A {status} agreement cannot be changed in that way")
    if action.needs_reason and not reason:
        raise LifecycleError(f"Enter the reason to {action.label.lower()} the agreement")
    if action.target == "active":
        problems = activation_problems(agreement, today)
        if problems:
            raise LifecycleError("The agreement cannot become active yet", problems)
    if action.name == "activate":
        agreement.approved_on = today
        agreement.approved_by = user
    agreement.status = action.target
    agreement.status_changed_on = today
    agreement.status_reason = reason


def record_version(
    agreement: Agreement, change: str, authorised_by: str, changed_on: date
) -> AgreementVersion:
    """Add the next version to the history and make it the agreement's current version."""
    number = max((v.number for v in agreement.versions), default=0) + 1
    version = AgreementVersion(
        number=number, change=change, authorised_by=authorised_by, changed_on=changed_on
    )
    agreement.versions.append(version)
    agreement.version = number
    return version


def is_locked(agreement: Agreement) -> bool:
    """Return whether the agreement is terminated and so no longer changes."""
    return agreement.status == "terminated"

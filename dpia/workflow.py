"""DPIA state changes that views, commands and the demo data share."""

from datetime import date

from core.auth.models import User
from core.timeutil import utc_now
from dpia.models import Dpia


class WorkflowError(Exception):
    """A state change that the DPIA's current state does not allow."""


def record_advice(dpia: Dpia, advice: str, advice_on: date, dpo: User) -> None:
    if dpia.is_signed_off:
        raise WorkflowError("This DPIA is signed off; its advice can no longer change")
    dpia.dpo_advice = advice
    dpia.dpo_advice_on = advice_on
    dpia.dpo_advice_by = dpo


def sign_off(dpia: Dpia, signed_off_on: date, next_review_on: date, dpo: User) -> None:
    """Approve the DPIA; the DPO's advice must already be recorded."""
    if dpia.is_signed_off:
        raise WorkflowError("This DPIA is already signed off")
    if not dpia.dpo_advice or dpia.dpo_advice_on is None:
        raise WorkflowError("Record the DPO's advice before signing off")
    if signed_off_on < dpia.dpo_advice_on:
        raise WorkflowError("The sign-off date is before the DPO's advice")
    if next_review_on <= signed_off_on:
        raise WorkflowError("The next review date must be after the sign-off date")
    dpia.signed_off_on = signed_off_on
    dpia.signed_off_by = dpo
    dpia.next_review_on = next_review_on
    dpia.status = "approved"


def confirm_completion(dpia: Dpia, lead: User) -> None:
    """Record the project lead's confirmation that the signed-off DPIA is complete."""
    if not dpia.is_signed_off:
        raise WorkflowError("The DPIA must be signed off before its lead confirms it")
    if dpia.confirmed_at is not None:
        raise WorkflowError("Completion of this DPIA is already confirmed")
    if dpia.project.lead_id != lead.id:
        raise WorkflowError("Only the project's lead can confirm completion")
    dpia.confirmed_at = utc_now()
    dpia.confirmed_by = lead

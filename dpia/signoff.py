"""Step 7 sign-off and the prior consultation with the ICO that may follow it."""

from datetime import date

from core.auth.models import User
from core.timeutil import local_today
from dpia.history import PriorConsultation
from dpia.models import Dpia
from dpia.tasks import DRAFTING_STEPS, PROBLEMS, STEP_TITLES, latest_completion, mark_step
from dpia.vocabulary import OUTCOME_STATUS
from dpia.workflow import WorkflowError, check_move, move

APPROVING_OUTCOMES = ("proceed", "proceed_with_conditions")

SIGN_OFF_FIELDS = (
    "measures_approved_by",
    "measures_approved_position",
    "measures_approved_on",
    "residual_approved_by",
    "residual_approved_position",
    "residual_approved_on",
    "advice_response",
    "advice_response_by",
    "advice_response_on",
    "overrule_reasons",
    "consultation_reviewed_by",
    "consultation_reviewed_on",
    "departs_from_views",
    "departure_reasons",
    "kept_under_review_by",
    "outcome",
    "conditions",
    "prior_consultation_override",
    "prior_consultation_override_reason",
)

DATE_LABELS = {
    "measures_approved_on": "Date the measures were approved",
    "residual_approved_on": "Date the residual risks were approved",
    "advice_response_on": "Date the DPO's advice was accepted or overruled",
    "consultation_reviewed_on": "Date the consultation responses were reviewed",
    "signed_off_on": "Sign-off date",
}


def _trigger_after_override(dpia: Dpia, override: bool | None) -> str | None:
    if override is False:
        return None
    computed = dpia.computed_prior_consultation_trigger
    return computed or ("dpo_decision" if override else None)


def _check_dates(dpia: Dpia, values: dict, errors: dict[str, str]) -> None:
    """Sign-off dates lie between the last completed step and today, and after the advice."""
    today = local_today()
    completed = latest_completion(dpia)
    for name, label in DATE_LABELS.items():
        value = values.get(name)
        if value is None or name in errors:
            continue
        if value > today:
            errors[name] = f"{label} must be today or in the past"
        elif completed and value < completed:
            errors[name] = (
                f"{label} must be on or after {completed:%d %B %Y}, "
                "when the last step of the DPIA was completed"
            )
        elif name in ("signed_off_on", "advice_response_on") and value < dpia.dpo_advice_on:
            errors[name] = (
                f"{label} must be on or after the date of the DPO's advice "
                f"({dpia.dpo_advice_on:%d %B %Y})"
            )


def sign_off_errors(dpia: Dpia, values: dict) -> dict[str, str]:
    """Return a message per form field for every sign-off rule the values break."""
    errors: dict[str, str] = {}
    outcome = values.get("outcome")
    required = {
        "measures_approved_by": "Enter who approved the measures",
        "measures_approved_position": "Enter the position of who approved the measures",
        "measures_approved_on": "Enter the date the measures were approved",
        "residual_approved_by": "Enter who approved the residual risks",
        "residual_approved_position": "Enter the position of who approved the residual risks",
        "residual_approved_on": "Enter the date the residual risks were approved",
        "advice_response": "Select whether the DPO's advice was accepted or overruled",
        "advice_response_by": "Enter who accepted or overruled the DPO's advice",
        "advice_response_on": "Enter the date the DPO's advice was accepted or overruled",
        "kept_under_review_by": "Enter who keeps the DPIA under review",
        "outcome": "Select the outcome",
        "signed_off_on": "Enter the sign-off date",
    }
    for name, message in required.items():
        if values.get(name) in (None, ""):
            errors[name] = message

    if values.get("advice_response") == "overruled" and not values.get("overrule_reasons"):
        errors["overrule_reasons"] = "Give the reasons for overruling the DPO's advice"
    if dpia.views_sought and not values.get("consultation_reviewed_by"):
        errors["consultation_reviewed_by"] = "Enter who reviewed the consultation responses"
    if dpia.views_sought and values.get("consultation_reviewed_on") is None:
        errors["consultation_reviewed_on"] = (
            "Enter the date the consultation responses were reviewed"
        )
    if values.get("departs_from_views") and not values.get("departure_reasons"):
        errors["departure_reasons"] = (
            "Give the reasons for departing from the views of the people consulted"
        )
    if outcome == "proceed_with_conditions" and not values.get("conditions"):
        errors["conditions"] = "List the conditions the processing must meet"

    override = values.get("prior_consultation_override")
    if override is not None and not values.get("prior_consultation_override_reason"):
        errors["prior_consultation_override_reason"] = (
            "Give the reason for overriding whether the ICO must be consulted"
        )
    trigger = _trigger_after_override(dpia, override)
    if trigger and outcome in APPROVING_OUTCOMES:
        errors["outcome"] = (
            "This DPIA needs prior consultation with the ICO. Select prior consultation "
            "required, or do not proceed"
        )
    if outcome == "prior_consultation_required" and trigger is None:
        errors["outcome"] = (
            "Nothing in this DPIA requires prior consultation. Select another outcome, or "
            "record that the DPO decided to consult the ICO"
        )

    _check_dates(dpia, values, errors)
    if outcome in APPROVING_OUTCOMES:
        signed_off_on = values.get("signed_off_on")
        next_review_on = values.get("next_review_on")
        if next_review_on is None:
            errors["next_review_on"] = "Enter the next review date"
        elif signed_off_on and next_review_on <= signed_off_on:
            errors["next_review_on"] = "Next review date must be after the sign-off date"
        if signed_off_on and dpia.go_live_on and signed_off_on > dpia.go_live_on:
            errors["signed_off_on"] = (
                "Sign-off date must be on or before the go-live date "
                f"({dpia.go_live_on:%d %B %Y}): "
                "measures must be in place before high-risk processing starts"
            )
    return errors


def sign_off(dpia: Dpia, values: dict, dpo: User) -> None:
    """Record step 7 and move the DPIA to the state its outcome gives."""
    if not dpia.dpo_advice or dpia.dpo_advice_on is None:
        raise WorkflowError("Record the DPO's advice before signing off")
    outcome = values.get("outcome")
    check_move(dpia, OUTCOME_STATUS.get(outcome, "approved"))
    if outcome != "do_not_proceed":
        problems = [
            f"{STEP_TITLES[step]}: {problem}"
            for step in (*DRAFTING_STEPS, "measures")
            for problem in PROBLEMS[step](dpia)
        ]
        if problems:
            raise WorkflowError("Complete every step before signing off: " + "; ".join(problems))
    errors = sign_off_errors(dpia, values)
    if errors:
        raise WorkflowError("Correct the sign-off details", errors)

    for name in SIGN_OFF_FIELDS:
        setattr(dpia, name, values.get(name) if values.get(name) is not None else _blank(name))
    dpia.signed_off_on = values["signed_off_on"]
    dpia.signed_off_by = dpo
    if outcome in APPROVING_OUTCOMES:
        dpia.approved_on = values["signed_off_on"]
        dpia.next_review_on = values["next_review_on"]
    elif values.get("next_review_on"):
        dpia.next_review_on = values["next_review_on"]
    if outcome == "prior_consultation_required":
        trigger = _trigger_after_override(dpia, values.get("prior_consultation_override"))
        dpia.prior_consultation = PriorConsultation(trigger=trigger)
    mark_step(dpia, "signoff")
    move(dpia, OUTCOME_STATUS[outcome], dpo)


def _blank(name: str):
    if name in ("departs_from_views",):
        return False
    if name.endswith("_on") or name == "prior_consultation_override":
        return None
    return ""


def update_prior_consultation(dpia: Dpia, values: dict) -> None:
    """Record the submission to the ICO and its advice while the consultation is open."""
    consultation = dpia.prior_consultation
    if dpia.status != "prior_consultation" or consultation is None:
        raise WorkflowError("This DPIA has no open prior consultation with the ICO")
    errors: dict[str, str] = {}
    today = local_today()
    submitted_on = values.get("submitted_on")
    labels = {
        "submitted_on": "Date submitted to the ICO",
        "accepted_on": "Date the ICO accepted the consultation",
        "advice_received_on": "Date the ICO's advice was received",
    }
    for name, label in labels.items():
        value = values.get(name)
        if value is None:
            continue
        if value > today:
            errors[name] = f"{label} must be today or in the past"
        elif name != "submitted_on" and submitted_on is None:
            errors["submitted_on"] = "Enter the date the DPIA was submitted to the ICO"
        elif name != "submitted_on" and value < submitted_on:
            errors[name] = f"{label} must be on or after the date submitted"
        elif name == "submitted_on" and dpia.signed_off_on and value < dpia.signed_off_on:
            errors[name] = f"{label} must be on or after the sign-off date"
    if values.get("advice_received_on") and not values.get("advice_summary"):
        errors["advice_summary"] = "Summarise the ICO's advice"
    if errors:
        raise WorkflowError("Correct the prior consultation details", errors)

    for name in ("submitted_on", "accepted_on", "advice_received_on"):
        setattr(consultation, name, values.get(name))
    consultation.ico_reference = values.get("ico_reference") or ""
    consultation.is_extended = bool(values.get("is_extended"))
    consultation.advice_summary = values.get("advice_summary") or ""


def conclude_prior_consultation(
    dpia: Dpia, outcome: str, decided_on: date | None, next_review_on: date | None, dpo: User
) -> None:
    """Approve the DPIA once the ICO's advice is in, or stop it, which needs no advice."""
    target = OUTCOME_STATUS.get(outcome)
    if target is None or outcome == "prior_consultation_required":
        raise WorkflowError("Select the outcome", {"outcome": "Select the outcome"})
    check_move(dpia, target)
    errors: dict[str, str] = {}
    if outcome in APPROVING_OUTCOMES and not dpia.has_regulator_advice:
        errors["outcome"] = "Record the ICO's advice before approving, or select do not proceed"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > local_today():
        errors["decided_on"] = "Date of the decision must be today or in the past"
    elif dpia.has_regulator_advice and decided_on < dpia.prior_consultation.advice_received_on:
        errors["decided_on"] = "Date of the decision must be on or after the ICO's advice"
    if outcome in APPROVING_OUTCOMES:
        if next_review_on is None:
            errors["next_review_on"] = "Enter the next review date"
        elif decided_on and next_review_on <= decided_on:
            errors["next_review_on"] = "Next review date must be after the date of the decision"
        if decided_on and dpia.go_live_on and decided_on > dpia.go_live_on:
            errors["decided_on"] = (
                f"Date of the decision must be on or before the go-live date "
                f"({dpia.go_live_on:%d %B %Y})"
            )
    if errors:
        raise WorkflowError("Correct the decision", errors)

    dpia.outcome = outcome
    if outcome in APPROVING_OUTCOMES:
        dpia.approved_on = decided_on
        dpia.next_review_on = next_review_on
    move(dpia, target, dpo)

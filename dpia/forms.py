"""Forms for a DPIA's details, advice, sign-off and workflow buttons, and for assessments."""

from core.forms import (
    ChoiceField,
    DateField,
    RegisterForm,
    long_text,
    optional_text,
    required_text,
    submit,
)
from core.projects.forms import ProjectRecordForm
from dpia.fields import RadioField
from dpia.vocabulary import ADVICE_RESPONSES, DPIA_STATUSES, OUTCOMES, REGIMES


class DpiaForm(ProjectRecordForm):
    title = required_text("Title", "Enter the DPIA's title")
    reference = optional_text(
        "DPIA reference", max_length=40, description="Your own reference, for example DPIA-MO3-07"
    )
    regime = RadioField(
        "Which law governs the processing?",
        choices=REGIMES,
        message="Select the law that governs the processing",
        description="Police forces often process under both",
    )
    controller = required_text(
        "Controller",
        "Enter the controller",
        description="The organisation that decides why and how the data is processed",
    )
    processors = long_text(
        "Joint controllers and processors",
        max_length=5000,
        description="Name each one and its role, or leave empty if there are none",
    )
    dpo_contact = required_text(
        "DPO name and contact details", "Enter the DPO's name and contact details"
    )
    processing_summary = long_text(
        "Summary of the processing",
        "Describe the processing the DPIA covers",
        description="What personal data is processed, whose, why and how",
    )
    submit = submit("Save DPIA")


class AdviceForm(RegisterForm):
    dpo_advice = long_text(
        "DPO advice",
        "Enter the DPO's advice",
        description="On compliance, the measures and whether the processing should go ahead",
    )
    dpo_advice_on = DateField(
        "Date the advice was given", required_message="Enter the date of the advice"
    )
    submit = submit("Save advice and send for sign-off")


class SignOffForm(RegisterForm):
    """Step 7 of the ICO template: approvals, the response to advice and the outcome."""

    measures_approved_by = optional_text("Measures approved by", description="Name")
    measures_approved_position = optional_text("Position of who approved the measures")
    measures_approved_on = DateField("Date the measures were approved")
    residual_approved_by = optional_text("Residual risks approved by", description="Name")
    residual_approved_position = optional_text("Position of who approved the residual risks")
    residual_approved_on = DateField("Date the residual risks were approved")
    advice_response = RadioField(
        "Was the DPO's advice accepted or overruled?",
        choices=ADVICE_RESPONSES,
        message="Select whether the DPO's advice was accepted or overruled",
    )
    advice_response_by = optional_text(
        "Advice accepted or overruled by", description="Name and position"
    )
    advice_response_on = DateField("Date the DPO's advice was accepted or overruled")
    overrule_reasons = long_text(
        "Reasons for overruling the DPO's advice",
        max_length=5000,
        description="Required if the advice was overruled",
    )
    consultation_reviewed_by = optional_text(
        "Consultation responses reviewed by",
        description="Required if the views of individuals were sought",
    )
    consultation_reviewed_on = DateField("Date the consultation responses were reviewed")
    departs_from_views = RadioField(
        "Does the decision depart from the views of the people consulted?",
        choices={"no": "No", "yes": "Yes"},
        message="Select whether the decision departs from the views of the people consulted",
    )
    departure_reasons = long_text(
        "Reasons for departing from their views",
        max_length=5000,
        description="Required if the decision departs from them",
    )
    kept_under_review_by = optional_text(
        "This DPIA will be kept under review by", description="Name or role"
    )
    prior_consultation_override = RadioField(
        "Prior consultation with the ICO",
        choices={
            "computed": "Follow the register's assessment",
            "consult": "Consult the ICO",
            "no_consult": "Do not consult the ICO",
        },
        message="Select whether to follow the register's assessment of prior consultation",
    )
    prior_consultation_override_reason = long_text(
        "Reason for departing from the register's assessment",
        max_length=5000,
        description="Required unless you follow the register's assessment",
    )
    outcome = RadioField("Outcome", choices=OUTCOMES, message="Select the outcome")
    conditions = long_text(
        "Conditions",
        max_length=5000,
        description="Required when the processing proceeds with conditions",
    )
    signed_off_on = DateField("Sign-off date")
    next_review_on = DateField(
        "Next review date", description="Required when the processing goes ahead"
    )
    submit = submit("Sign off DPIA")

    def values(self) -> dict:
        """Return the entered values, with the radios turned into the model's values."""
        data = {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", "submit")
        }
        data["departs_from_views"] = data["departs_from_views"] == "yes"
        data["prior_consultation_override"] = {"consult": True, "no_consult": False}.get(
            data["prior_consultation_override"]
        )
        return data


class PriorConsultationForm(RegisterForm):
    submitted_on = DateField("Date submitted to the ICO")
    ico_reference = optional_text("ICO reference", max_length=100)
    accepted_on = DateField("Date the ICO accepted the consultation")
    is_extended = RadioField(
        "Has the ICO extended its time for advice to 14 weeks?",
        choices={"no": "No, advice is due within 8 weeks", "yes": "Yes, 14 weeks"},
        message="Select whether the ICO extended its time for advice",
    )
    advice_received_on = DateField("Date the ICO's advice was received")
    advice_summary = long_text("Summary of the ICO's advice", max_length=10000)
    submit = submit("Save prior consultation")


class ConcludeForm(RegisterForm):
    outcome = RadioField(
        "Decision after the ICO's advice",
        choices={
            key: OUTCOMES[key] for key in ("proceed", "proceed_with_conditions", "do_not_proceed")
        },
        message="Select the decision",
    )
    decided_on = DateField("Date of the decision")
    next_review_on = DateField(
        "Next review date", description="Required when the processing goes ahead"
    )
    submit = submit("Record the decision")


class ConfirmForm(RegisterForm):
    """The lead's confirmation that the DPIA is complete: a button and CSRF."""

    submit = submit("Confirm the DPIA is complete")


class MoveForm(RegisterForm):
    """A state change sent from a button: the target state and an optional comment."""

    to = ChoiceField("Move to", choices=DPIA_STATUSES, message="Choose a state from the list")
    comment = long_text("Comment", max_length=5000)
    submit = submit("Change state")


class SendBackForm(RegisterForm):
    comment = long_text(
        "What should the drafter change?",
        "Enter what the drafter should change",
        max_length=5000,
    )
    submit = submit("Send back for changes")


class ReviewForm(RegisterForm):
    reason = long_text(
        "Why is the DPIA being reviewed?",
        "Enter why the DPIA is being reviewed",
        max_length=5000,
        description="For example a scheduled review, a new recipient or a change of system",
    )
    submit = submit("Start review")

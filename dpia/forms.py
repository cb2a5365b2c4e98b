"""Forms for DPIAs and privacy-by-design assessments."""

from wtforms.validators import ValidationError

from core.forms import DateField, RegisterForm, long_text, required_text, submit
from core.projects.forms import ProjectRecordForm


class DpiaForm(ProjectRecordForm):
    title = required_text("Title", "Enter the DPIA's title")
    processing_summary = long_text(
        "Summary of the processing",
        "Describe the processing the DPIA covers",
        description="What personal data is processed, whose, why and how",
    )
    submit = submit("Save DPIA")

    def __init__(self, *args, signed_off_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_off_on = signed_off_on

    def validate_next_review_on(self, field):
        if field.data and self.signed_off_on and field.data <= self.signed_off_on:
            raise ValidationError(
                f"Next review date must be after the sign-off date ({self.signed_off_on:%d %B %Y})"
            )


class AdviceForm(RegisterForm):
    dpo_advice = long_text(
        "DPO advice",
        "Enter the DPO's advice",
        description="On compliance, the measures and whether the processing should go ahead",
    )
    dpo_advice_on = DateField(
        "Date the advice was given", required_message="Enter the date of the advice"
    )
    submit = submit("Save advice")


class SignOffForm(RegisterForm):
    signed_off_on = DateField("Sign-off date", required_message="Enter the sign-off date")
    next_review_on = DateField("Next review date", required_message="Enter the next review date")
    submit = submit("Sign off DPIA")

    def __init__(self, *args, advice_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.advice_on = advice_on

    def validate_signed_off_on(self, field):
        if field.data and self.advice_on and field.data < self.advice_on:
            raise ValidationError(
                "Sign-off date must be on or after the date of the DPO's advice "
                f"({self.advice_on:%d %B %Y})"
            )

    def validate_next_review_on(self, field):
        if field.data and self.signed_off_on.data and field.data <= self.signed_off_on.data:
            raise ValidationError("Next review date must be after the sign-off date")


class ConfirmForm(RegisterForm):
    """The lead's confirmation that the DPIA is complete: a button and CSRF."""

    submit = submit("Confirm the DPIA is complete")

"""The form for recording a completed review, with up to three follow-up actions."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import StopValidation, ValidationError

from core.forms import ChoiceField, DateField, RegisterForm, long_text, optional_text, submit
from core.projects.forms import person_choices
from register.models import OUTCOMES, REVIEW_TYPES, RISK_LEVEL_LABELS, TRIGGERS

YES_NO = {"yes": "Yes", "no": "No"}

ACTION_SLOTS = 3


def to_id(value) -> int | None:
    """Coerce a select's value to an id, so the blank prompt option becomes None."""
    return None if value in ("", None) else int(value)


class YesNoField(RadioField):
    """Yes or No radios, where any other value gets the given message."""

    widget = GovRadioInput()

    def __init__(self, label=None, message="Select yes or no", **kwargs):
        super().__init__(label, choices=YES_NO, validate_choice=False, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if self.data not in YES_NO:
            raise StopValidation(self.message)

    @property
    def is_yes(self) -> bool:
        return self.data == "yes"


class OptionalChoiceField(ChoiceField):
    """A select that may be left on its blank first option."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = None
            return
        super().pre_validate(form)


class ReviewForm(RegisterForm):
    review_type = ChoiceField(
        "Type of review",
        choices={"": "Select the type of review", **REVIEW_TYPES},
        message="Select the type of review",
    )
    trigger = ChoiceField(
        "What prompted the review",
        choices={"": "Select what prompted the review", **TRIGGERS},
        message="Select what prompted the review",
    )
    reviewer_id = ChoiceField("Reviewer", coerce=to_id, message="Select who carried out the review")
    reviewed_on = DateField(
        "Review date",
        required_message="Enter the date of the review",
        description="For example, 27 3 2026",
    )
    is_processing_as_recorded = YesNoField(
        "Does the processing still match the record?",
        message="Select yes if the processing still matches the record",
    )
    findings = long_text(
        "Findings",
        "Enter what the review found",
        description="What was checked, what has changed and what needs doing",
    )
    is_risk_changed = YesNoField(
        "Has the risk changed?", message="Select yes if the risk has changed"
    )
    new_risk_level = OptionalChoiceField(
        "New residual risk level",
        choices={"": "Select the new residual risk", **RISK_LEVEL_LABELS},
        message="Select the new residual risk level",
        description="Only if the risk has changed; it sets the default interval to the next review",
    )
    outcome = ChoiceField(
        "Outcome",
        choices={"": "Select the outcome", **OUTCOMES},
        message="Select the outcome of the review",
    )
    is_dpo_consulted = YesNoField(
        "Was the data protection officer consulted?",
        message="Select yes if the data protection officer was consulted",
    )
    next_review_on = DateField("Next review date")
    submit = submit("Record review")

    def __init__(self, *args, today: date, default_hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        people = person_choices("Select the reviewer")
        self.reviewer_id.choices = people
        self.next_review_on.description = default_hint
        for number in range(1, ACTION_SLOTS + 1):
            self.action_field(number, "owner_id").choices = {"": "Select the owner"} | {
                key: label for key, label in people.items() if key
            }

    def action_field(self, number: int, name: str):
        return self[f"action_{number}_{name}"]

    def action_fields(self, number: int):
        return [self.action_field(number, name) for name in ("description", "owner_id", "due_on")]

    def validate_trigger(self, field):
        if self.review_type.data == "triggered" and field.data == "scheduled":
            raise ValidationError("Select the change or event that triggered the review")
        if self.review_type.data == "scheduled" and field.data != "scheduled":
            raise ValidationError(
                "Select Scheduled review date, or change the type of review to triggered"
            )

    def validate_reviewed_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("Review date must be today or in the past")

    def validate_new_risk_level(self, field):
        if self.is_risk_changed.data == "yes" and not field.data:
            raise ValidationError("Select the new residual risk level, as the risk has changed")

    def validate_next_review_on(self, field):
        if self.outcome.data == "terminate":
            if field.data:
                raise ValidationError(
                    "Leave the next review date blank, as the review terminates the record"
                )
            return
        if field.data and self.reviewed_on.data and field.data <= self.reviewed_on.data:
            raise ValidationError("Next review date must be after the review date")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for number in range(1, ACTION_SLOTS + 1):
            valid = self._validate_action(number) and valid
        return valid

    def _validate_action(self, number: int) -> bool:
        description, owner, due = self.action_fields(number)
        if description.errors or owner.errors or due.errors:
            return False
        if not (description.data or owner.data or due.data):
            return True
        valid = True
        if not description.data:
            description.errors.append(f"Describe action {number}, or clear its owner and date")
            valid = False
        if not owner.data:
            owner.errors.append(f"Select who owns action {number}")
            valid = False
        if due.data is None:
            due.errors.append(f"Enter the date action {number} is due")
            valid = False
        elif self.reviewed_on.data and due.data < self.reviewed_on.data:
            due.errors.append(f"Action {number} must be due on or after the review date")
            valid = False
        return valid

    def actions(self) -> list[tuple[str, int, date]]:
        """Return the filled-in actions as (description, owner id, due date)."""
        result = []
        for number in range(1, ACTION_SLOTS + 1):
            description, owner, due = self.action_fields(number)
            if description.data:
                result.append((description.data, owner.data, due.data))
        return result


for _number in range(1, ACTION_SLOTS + 1):
    setattr(
        ReviewForm,
        f"action_{_number}_description",
        optional_text(f"Action {_number}", max_length=500),
    )
    setattr(
        ReviewForm,
        f"action_{_number}_owner_id",
        OptionalChoiceField(
            f"Action {_number} owner", coerce=to_id, message=f"Select who owns action {_number}"
        ),
    )
    setattr(ReviewForm, f"action_{_number}_due_on", DateField(f"Action {_number} due date"))

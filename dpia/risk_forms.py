"""Forms for step 5 risks and step 6 measures."""

from core.auth.models import Role
from core.forms import DateField, RegisterForm, long_text, submit
from core.projects.forms import person_choices
from dpia.fields import OptionalSelectField, RadioField, yes_no_radio
from dpia.vocabulary import LIKELIHOODS, MEASURE_EFFECTS, MEASURE_STATUSES, RISK_LEVELS, SEVERITIES


class RiskForm(RegisterForm):
    source = long_text(
        "Source of the risk",
        "Describe the source of the risk",
        max_length=5000,
        description="What could happen, including any compliance or corporate risk",
    )
    harm = long_text(
        "Potential harm to individuals",
        "Describe the harm the risk could cause to individuals",
        max_length=5000,
    )
    likelihood = RadioField(
        "Likelihood of harm", choices=LIKELIHOODS, message="Select a likelihood"
    )
    severity = RadioField("Severity of harm", choices=SEVERITIES, message="Select a severity")
    override_level = RadioField(
        "Overall risk set by the DPO",
        choices={"": "Use the level from the risk matrix", **RISK_LEVELS},
        message="Select an overall risk level",
        required=False,
        description="Only the DPO can set the overall risk, and must give a reason",
    )
    override_reason = long_text("Reason for setting the overall risk", max_length=5000)
    submit = submit("Save risk")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.override_level.data:
            if self.user is None or self.user.role != Role.DPO:
                self.override_level.errors.append(
                    "Only the DPO can set the overall risk. Select the level from the risk matrix"
                )
                valid = False
            elif not self.override_reason.data:
                self.override_reason.errors.append("Give the reason for setting the overall risk")
                valid = False
        return valid


class MeasureForm(RegisterForm):
    description = long_text(
        "Measure",
        "Describe the measure",
        max_length=5000,
        description="For example collect less data, shorten retention, train staff, or encrypt",
    )
    effect = RadioField(
        "Effect on the risk", choices=MEASURE_EFFECTS, message="Select the effect on the risk"
    )
    residual_level = RadioField(
        "Residual risk", choices=RISK_LEVELS, message="Select the residual risk"
    )
    is_approved = yes_no_radio("Is the measure approved?", "Select whether the measure is approved")
    owner_id = OptionalSelectField(
        "Owner",
        message="Select who owns the measure",
        description="The owner is reminded before the due date",
    )
    due_on = DateField("Due date", description="For example, 27 3 2027")
    status = RadioField("Status", choices=MEASURE_STATUSES, message="Select the measure's status")
    submit = submit("Save measure")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = person_choices("No owner")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.due_on.data and not self.owner_id.data:
            self.owner_id.errors.append("Select who owns the measure, as it has a due date")
            valid = False
        return valid

    @property
    def owner(self) -> int | None:
        return int(self.owner_id.data) if self.owner_id.data else None

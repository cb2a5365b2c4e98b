"""Forms for privacy-by-design assessments, their checklist items and approval."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from sqlalchemy import select
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from core.extensions import db
from core.forms import (
    ChoiceField,
    DateField,
    RegisterForm,
    http_link,
    long_text,
    optional_text,
    required_text,
    submit,
)
from core.projects.forms import ProjectRecordForm, person_choices
from core.timeutil import local_today
from dpia.models import Dpia
from dpia.pbd_checklist import (
    ACTION_STATUSES,
    ITEM_STATUSES,
    STAGES,
    STATUSES_NEEDING_ACTION,
    TECHNIQUES,
)

YES_NO = {"yes": "Yes", "no": "No"}


def optional_id(value) -> int:
    """Coerce a select's value to an id, with 0 for "none chosen"."""
    return int(value) if value not in ("", None) else 0


def yes_no_field(label: str, message: str, **kwargs) -> ChoiceField:
    return ChoiceField(label, choices=YES_NO, message=message, widget=GovRadioInput(), **kwargs)


def check_not_future(field) -> None:
    if field.data and field.data > local_today():
        raise ValidationError(f"{field.label.text} must be today or in the past")


class OptionalChoiceField(ChoiceField):
    """A select that may be left empty, when its value is `empty`.

    A request that leaves the field out, or sends the empty prompt, is
    treated as empty too.
    """

    def __init__(self, *args, empty="", **kwargs):
        super().__init__(*args, **kwargs)
        self.empty = empty

    def pre_validate(self, form):
        if self.data is None and (not self.raw_data or self.raw_data[0] in ("", None)):
            self.data = self.empty
        if self.data != self.empty:
            super().pre_validate(form)


class StageDetailsForm(RegisterForm):
    """Fields that describe one stage's assessment, shared by new and next-stage forms."""

    title = required_text("Title", "Enter the assessment's title")
    stage = ChoiceField(
        "Lifecycle stage",
        choices={"": "Select the stage", **STAGES},
        message="Select the project's lifecycle stage",
    )
    assessor_id = ChoiceField(
        "Assessor", coerce=int, message="Select who carried out the assessment"
    )
    assessed_on = DateField(
        "Date of the assessment",
        required_message="Enter the date of the assessment",
        description="For example, 27 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessor_id.choices = person_choices("Select the assessor")

    def validate_assessed_on(self, field):
        check_not_future(field)

    def validate_next_review_on(self, field):
        if field.data and self.assessed_on.data and field.data <= self.assessed_on.data:
            raise ValidationError("Next review date must be after the date of the assessment")


class AssessmentForm(StageDetailsForm, ProjectRecordForm):
    system_or_component = required_text(
        "System or component assessed",
        "Enter the system or component assessed",
        description="For example, the case system that stores material gathered online",
    )
    dpia_id = OptionalChoiceField(
        "DPIA this assessment feeds",
        coerce=optional_id,
        empty=0,
        message="Select a DPIA from the list, or none",
    )
    is_law_enforcement = yes_no_field(
        "Does the project process personal data for a law-enforcement purpose?",
        "Select yes if the processing falls under Part 3 of the Data Protection Act 2018",
        description="Part 3 of the Data Protection Act 2018 adds three checklist items",
    )
    techniques = SelectMultipleField(
        "Privacy-enhancing techniques in use",
        widget=GovCheckboxesInput(),
        choices=TECHNIQUES,
        validate_choice=False,
        description="Select all that apply",
    )
    other_techniques = long_text(
        "Other techniques", max_length=5000, description="Describe them if you selected other"
    )
    is_retention_automated = yes_no_field(
        "Is retention automated?",
        "Select yes if records are deleted or reviewed automatically at the end of retention",
    )
    retention_notes = long_text(
        "How retention works", max_length=5000, description="The periods and how they are applied"
    )
    summary = long_text(
        "Summary of findings",
        max_length=20000,
        description="The overall outcome of the assessment and what was found",
    )
    submit = submit("Save assessment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        project_ids = [int(key) for key in self.project_id.choices if key]
        dpias = db.session.scalars(
            select(Dpia).where(Dpia.project_id.in_(project_ids)).order_by(Dpia.title)
        ).all()
        self.dpia_id.choices = {"0": "No DPIA linked"} | {
            str(d.id): f"{d.title} ({d.project.name})" for d in dpias
        }

    def validate_dpia_id(self, field):
        if not field.data:
            return
        dpia = db.session.get(Dpia, field.data)
        if dpia is not None and dpia.project_id != self.project_id.data:
            raise ValidationError("Select a DPIA of the same project, or none")

    def validate_techniques(self, field):
        if any(value not in TECHNIQUES for value in field.data or []):
            raise ValidationError("Select techniques from the list")

    def validate_other_techniques(self, field):
        if "other" in (self.techniques.data or []) and not field.data:
            raise ValidationError("Describe the other privacy-enhancing techniques")


class NextStageForm(StageDetailsForm):
    """A later stage's assessment, which starts from the earlier stage's answers."""

    next_review_on = DateField(
        "Next review date",
        required_message="Enter the next review date",
        description="For example, 27 3 2027",
    )
    submit = submit("Start the assessment")

    def __init__(self, *args, previous, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous

    def validate_stage(self, field):
        order = list(STAGES)
        if field.data not in order:
            return
        earlier = order.index(self.previous.stage) if self.previous.stage in order else -1
        repeats = field.data == "live_change" and self.previous.stage == "live_change"
        if order.index(field.data) <= earlier and not repeats:
            raise ValidationError(
                f"Select a stage after {self.previous.stage_label.lower()}, "
                "the stage of the earlier assessment"
            )

    def validate_assessed_on(self, field):
        super().validate_assessed_on(field)
        if field.data and field.data < self.previous.assessed_on:
            raise ValidationError(
                "Date of the assessment must be on or after the earlier stage's date "
                f"({self.previous.assessed_on:%d %B %Y})"
            )


class ItemForm(RegisterForm):
    status = ChoiceField(
        "Status",
        choices=ITEM_STATUSES,
        message="Select whether the item is met, partly met, not met or not applicable",
        widget=GovRadioInput(),
    )
    not_applicable_reason = long_text(
        "Why the item does not apply",
        max_length=5000,
        description="Needed when the item is not applicable",
    )
    evidence = long_text(
        "Evidence", max_length=20000, description="What shows the item is met, or how far"
    )
    evidence_link = optional_text(
        "Link to the evidence",
        max_length=500,
        validators=[http_link],
        description="An address starting with https://",
    )
    action = long_text(
        "Action",
        max_length=5000,
        description="Needed when the item is partly met or not met: what will be done",
    )
    action_owner_id = OptionalChoiceField(
        "Action owner",
        coerce=optional_id,
        empty=0,
        message="Select the action's owner from the list",
    )
    action_due_on = DateField("Action due date", description="For example, 27 3 2026")
    action_status = OptionalChoiceField(
        "Action status",
        choices={"": "Select the status (a new action starts open)", **ACTION_STATUSES},
        message="Select the action's status from the list",
    )
    submit = submit("Save item")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_owner_id.choices = person_choices("Select the action's owner")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        status = self.status.data
        if status == "not_applicable" and not self.not_applicable_reason.data:
            self.not_applicable_reason.errors.append(
                "Enter why the item does not apply to this project"
            )
            valid = False
        has_action_field = any(
            (self.action.data, self.action_owner_id.data, self.action_due_on.data)
        )
        if status not in STATUSES_NEEDING_ACTION and not has_action_field:
            return valid
        if not self.action.data:
            label = ITEM_STATUSES.get(status, "").lower()
            self.action.errors.append(
                f"Enter the action, because an item that is {label} needs one"
                if status in STATUSES_NEEDING_ACTION
                else "Enter the action, or clear its owner and due date"
            )
            valid = False
        if not self.action_owner_id.data and not self.action_owner_id.errors:
            self.action_owner_id.errors.append("Select the action's owner")
            valid = False
        if self.action_due_on.data is None and not self.action_due_on.errors:
            self.action_due_on.errors.append("Enter the date the action is due")
            valid = False
        return valid


class ActionStatusForm(RegisterForm):
    action_status = ChoiceField(
        "Action status",
        choices=ACTION_STATUSES,
        message="Select the action's status",
        widget=GovRadioInput(),
    )
    submit = submit("Save status")


class ApproveForm(RegisterForm):
    approved_on = DateField("Date of approval", required_message="Enter the date of approval")
    next_review_on = DateField("Next review date", required_message="Enter the next review date")
    submit = submit("Approve assessment")

    def __init__(self, *args, assessed_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessed_on = assessed_on

    def validate_approved_on(self, field):
        check_not_future(field)
        if field.data and self.assessed_on and field.data < self.assessed_on:
            raise ValidationError(
                "Date of approval must be on or after the date of the assessment "
                f"({self.assessed_on:%d %B %Y})"
            )

    def validate_next_review_on(self, field):
        if field.data and self.approved_on.data and field.data <= self.approved_on.data:
            raise ValidationError("Next review date must be after the date of approval")

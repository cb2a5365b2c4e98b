"""Forms for an agreement's parties, purposes, versions, decision log and status."""

from types import SimpleNamespace

from sqlalchemy import select
from wtforms.validators import ValidationError

from core.extensions import db
from core.forms import (
    ChoiceField,
    DateField,
    RegisterForm,
    long_text,
    optional_text,
    required_text,
    submit,
)
from core.projects.models import Party
from core.timeutil import local_today
from sharing import bases, choices
from sharing.forms import OptionalChoiceField, select_field
from sharing.models import Agreement, AgreementParty
from sharing.rules import purpose_problems


class PartyLinkForm(RegisterForm):
    party_id = ChoiceField("Party", coerce=int, message="Select the party")
    role = select_field("Role in the sharing", choices.PARTY_ROLES, "Select the party's role")
    controller_status = select_field(
        "Controller status", choices.CONTROLLER_STATUSES, "Select the party's controller status"
    )
    contact = optional_text("Named contact", description="Name and email or telephone number")
    dpo_contact = optional_text("Data protection officer contact")
    retention = long_text(
        "Retention period",
        "Enter how long this party keeps the data",
        max_length=2000,
        description="For example, 6 years from the end of the investigation, then deleted",
    )
    signatory_name = optional_text("Signatory's name")
    signatory_position = optional_text("Signatory's position")
    signed_on = DateField("Date signed", description="For example, 14 3 2026")
    submit = submit("Save party")

    def __init__(self, *args, agreement: Agreement, link: AgreementParty | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.link = link
        parties = db.session.scalars(select(Party).order_by(Party.kind, Party.name)).all()
        self.party_id.choices = {"": "Select the party"} | {
            str(p.id): f"{p.name} ({p.kind_label.lower()})" for p in parties
        }

    def validate_party_id(self, field):
        for existing in self.agreement.parties:
            if existing.party_id == field.data and existing is not self.link:
                raise ValidationError(f"{existing.party.name} is already a party to this agreement")

    def validate_signatory_name(self, field):
        entered = [self.signatory_name.data, self.signatory_position.data, self.signed_on.data]
        if any(entered) and not field.data:
            raise ValidationError("Enter the signatory's name")

    def validate_signatory_position(self, field):
        if (self.signatory_name.data or self.signed_on.data) and not field.data:
            raise ValidationError("Enter the signatory's position")

    def validate_signed_on(self, field):
        if field.data is None and (self.signatory_name.data or self.signatory_position.data):
            raise ValidationError("Enter the date the signatory signed")
        if field.data and field.data > local_today():
            raise ValidationError("Date signed must be today or in the past")


class PurposeForm(RegisterForm):
    description = long_text(
        "Purpose", "Describe the purpose", max_length=5000, description="One purpose of the sharing"
    )
    art6_basis = OptionalChoiceField(
        "UK GDPR Article 6 basis",
        choices={"": "Not applicable"} | bases.ART6_BASES,
        message="Select an Article 6 basis from the list",
    )
    outside_public_tasks_reason = long_text(
        "Why this processing falls outside our public tasks",
        max_length=5000,
        description="Needed only for 6(1)(ea) or (f), which a public authority cannot use for "
        "its tasks",
    )
    art9_condition = OptionalChoiceField(
        "Article 9 condition",
        choices={"": "Not applicable"} | bases.ART9_CONDITIONS,
        message="Select an Article 9 condition from the list",
    )
    art9_schedule_1_paragraph = OptionalChoiceField(
        "Schedule 1 condition for Article 9",
        choices={"": "Not applicable"} | bases.SCHEDULE_1_PART_1 | bases.SCHEDULE_1_PART_2,
        message="Select a Schedule 1 condition from the list",
    )
    art10_basis = OptionalChoiceField(
        "Article 10 basis for criminal offence data",
        choices={"": "Not applicable"} | bases.ART10_BASES,
        message="Select an Article 10 basis from the list",
    )
    art10_law = optional_text("Law giving official authority", max_length=300)
    art10_schedule_1_paragraph = OptionalChoiceField(
        "Schedule 1 condition for Article 10",
        choices={"": "Not applicable"} | bases.SCHEDULE_1,
        message="Select a Schedule 1 condition from the list",
    )
    le_basis = OptionalChoiceField(
        "DPA 2018 s.35(2) basis",
        choices={"": "Not applicable"} | bases.LE_BASES,
        message="Select a s.35(2) basis from the list",
    )
    schedule_8_condition = OptionalChoiceField(
        "Schedule 8 condition",
        choices={"": "Not applicable"} | bases.SCHEDULE_8_CONDITIONS,
        message="Select a Schedule 8 condition from the list",
    )
    submit = submit("Save purpose")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        purpose = SimpleNamespace(**{name: field.data for name, field in self._fields.items()})
        for name, message in purpose_problems(self.agreement, purpose).items():
            field = self._fields[name]
            if not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid


class VersionForm(RegisterForm):
    change = long_text("What changed", "Describe what changed in this version", max_length=5000)
    authorised_by = required_text(
        "Authorised by",
        "Enter who authorised the change",
        description="Name and position, for example Dana Okafor, Data Protection Officer",
    )
    changed_on = DateField("Date of the change", required_message="Enter the date of the change")
    submit = submit("Record new version")

    def validate_changed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError("Date of the change must be today or in the past")


class DecisionLogForm(RegisterForm):
    requested_on = DateField(
        "Date of the request", required_message="Enter the date of the request"
    )
    requester = required_text(
        "Requester", "Enter who made the request", description="Name, role and organisation"
    )
    outcome = select_field("Decision", choices.ONE_OFF_DECISIONS, "Select the decision")
    reasons = long_text("Reasons for the decision", "Enter the reasons", max_length=5000)
    decided_by = required_text("Decided by", "Enter who decided")
    decided_on = DateField(
        "Date of the decision", required_message="Enter the date of the decision"
    )
    submit = submit("Log the decision")

    def validate_decided_on(self, field):
        if field.data is None:
            return
        if field.data > local_today():
            raise ValidationError("Date of the decision must be today or in the past")
        if self.requested_on.data and field.data < self.requested_on.data:
            raise ValidationError(
                "Date of the decision must be on or after the date of the request"
            )


class StatusForm(RegisterForm):
    """Confirm a lifecycle action, with the reason where one is needed."""

    reason = long_text("Reason", max_length=5000)
    submit = submit("Confirm")


class ButtonForm(RegisterForm):
    """A form with only the CSRF token, for buttons that remove a row."""


class FilterForm(RegisterForm):
    class Meta:
        csrf = False

    scope = OptionalChoiceField("Scope", choices={"": "Any scope"} | choices.SCOPES)
    relationship = OptionalChoiceField(
        "Relationship", choices={"": "Any relationship"} | choices.RELATIONSHIPS
    )
    status = OptionalChoiceField("Status", choices={"": "Any status"} | choices.AGREEMENT_STATUSES)
    regime = OptionalChoiceField("Regime", choices={"": "Any regime"} | choices.REGIMES)
    party = OptionalChoiceField("Party", coerce=str)
    review = OptionalChoiceField(
        "Next review",
        choices={
            "": "Any date",
            "overdue": "Overdue",
            "30": "Due in the next 30 days",
            "90": "Due in the next 90 days",
            "none": "No review date",
        },
    )
    sort = OptionalChoiceField(
        "Sort by",
        choices={
            "": "Reference",
            "title": "Title",
            "review": "Next review date",
            "end": "End date",
            "updated": "Last changed",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parties = db.session.scalars(select(Party).order_by(Party.name)).all()
        self.party.choices = {"": "Any party"} | {str(p.id): p.name for p in parties}

    def value(self, name: str) -> str:
        """Return a filter's valid value, or "" when it is missing or not one of the choices."""
        field = self._fields[name]
        return "" if field.errors else (field.data or "")

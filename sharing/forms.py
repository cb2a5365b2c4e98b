"""The agreement form: classification, content, transfers and dates."""

from types import SimpleNamespace

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovCheckboxInput
from sqlalchemy import select
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import ValidationError

from core.extensions import db
from core.forms import ChoiceField, DateField, long_text, optional_text, required_text, submit
from core.projects.forms import ProjectRecordForm
from dpia.models import Dpia
from sharing import choices
from sharing.bases import SPECIAL_CATEGORIES
from sharing.models import Agreement
from sharing.rules import purpose_problems, record_problems

# Fields an agreement that is already in force must keep filled in.
IN_FORCE_REQUIRED = {
    "purpose": "Enter the purpose of the sharing",
    "data_items": "List at least one data item",
    "security": "Describe the security measures",
    "termination": "Describe how the agreement is terminated",
    "start_on": "Enter the start date",
}

# The agreement field whose change breaks each purpose field, for placing the error.
PURPOSE_FIELD_CAUSES = {
    "art6_basis": "regime",
    "le_basis": "regime",
    "art9_condition": "special_categories",
    "art9_schedule_1_paragraph": "special_categories",
    "art10_basis": "is_criminal_offence_data",
    "art10_law": "is_criminal_offence_data",
    "art10_schedule_1_paragraph": "is_criminal_offence_data",
    "schedule_8_condition": "is_sensitive_processing",
}


def select_field(label: str, options: dict[str, str], message: str, **kwargs):
    return ChoiceField(label, choices={"": message} | options, message=message, **kwargs)


class OptionalChoiceField(ChoiceField):
    """A select whose empty first option is a valid choice, stored as ""."""

    def pre_validate(self, form):
        if self.data in ("", None):
            self.data = ""
            return
        super().pre_validate(form)


def checkbox(label: str, **kwargs):
    return BooleanField(label, widget=GovCheckboxInput(), **kwargs)


class AgreementForm(ProjectRecordForm):
    reference = required_text(
        "Agreement reference",
        "Enter the agreement's reference",
        max_length=40,
        description="For example ISA-MO3-001",
    )
    title = required_text("Title", "Enter the agreement's title")
    dpia_id = ChoiceField(
        "DPIA that covers this sharing",
        coerce=lambda value: int(value) if value not in ("", None) else 0,
        message="Select a DPIA from the list, or none",
    )
    relationship_kind = select_field(
        "Relationship between the parties",
        choices.RELATIONSHIPS,
        "Select the relationship between the parties",
        description="Moves between teams of one controller are internal. A processor contract "
        "is kept here but is not counted as sharing",
    )
    frequency = select_field("Frequency", choices.FREQUENCIES, "Select how often data is shared")
    direction = select_field("Direction", choices.DIRECTIONS, "Select the direction of the flow")
    regime = select_field("Regime", choices.REGIMES, "Select the data protection regime")
    marking = OptionalChoiceField(
        "Protective marking", choices=choices.MARKINGS, message="Select a protective marking"
    )

    purpose = long_text("Purpose of the sharing", max_length=10000)
    benefits = long_text("Benefits expected", max_length=10000)
    legal_power = long_text(
        "Legal power to share",
        max_length=5000,
        description="The statutory or common-law gateway, for example the common-law power "
        "of the police to share for a policing purpose",
    )
    necessity = long_text("Why the sharing is necessary", max_length=10000)
    data_subjects = long_text("Data subjects", max_length=5000)
    data_items = long_text(
        "Data items", max_length=10000, description="List each item shared, one a line"
    )
    special_categories = SelectMultipleField(
        "Special category data shared",
        widget=GovCheckboxesInput(),
        choices=SPECIAL_CATEGORIES,
        validate_choice=False,
        description="Select every category that applies, or none",
    )
    is_criminal_offence_data = checkbox("Criminal offence data is shared")
    is_sensitive_processing = checkbox("The sharing involves Part 3 sensitive processing")
    apd_reference = optional_text("Appropriate policy document reference")

    transparency = long_text("Transparency and privacy information", max_length=10000)
    access_controls = long_text("Who may access the data, on what need to know", max_length=10000)
    accuracy = long_text("Accuracy checks and notice of corrections", max_length=10000)
    rights_procedure = long_text("How individuals' rights and complaints are handled")
    transfer_method = OptionalChoiceField(
        "Transfer method",
        choices={"": "Not yet agreed"} | choices.TRANSFER_METHODS,
        message="Select a transfer method from the list",
    )
    is_encrypted_in_transit = checkbox("Data is encrypted in transit")
    security = long_text("Security measures", max_length=10000)
    breach_handling = long_text("How breaches are reported and handled", max_length=10000)
    deletion_at_end = long_text("Deletion or return at the end", max_length=10000)
    termination = long_text("Termination", max_length=10000)
    signed_copy_location = optional_text("Where the signed copy is kept", max_length=500)
    joint_arrangement_reference = optional_text(
        "Joint controller arrangement reference", description="Article 26 or s.58 arrangement"
    )
    processor_contract_reference = optional_text(
        "Processor contract reference", description="Article 28 or s.59 contract"
    )

    is_international = checkbox("Data is transferred outside the UK")
    destination = optional_text("Destination country or territory")
    transfer_mechanism = OptionalChoiceField(
        "UK GDPR transfer mechanism",
        choices={"": "Not applicable"} | choices.TRANSFER_MECHANISMS,
        message="Select a transfer mechanism from the list",
    )
    tra_reference = optional_text("Transfer risk assessment reference")
    le_transfer_necessary = checkbox("The transfer is necessary for a law enforcement purpose")
    le_transfer_ground = OptionalChoiceField(
        "Part 3 transfer ground (s.73)",
        choices={"": "Not applicable"} | choices.LE_TRANSFER_GROUNDS,
        message="Select a transfer ground from the list",
    )
    recipient_is_relevant_authority = checkbox("The recipient is a relevant authority")
    s77_documented = checkbox("The transfer is documented under s.77")
    commissioner_informed_on = DateField("Date the Commissioner was informed")

    start_on = DateField("Start date", description="For example, 1 4 2026")
    end_on = DateField("End date", description="Leave empty if the agreement has no end date")
    submit = submit("Save agreement")

    SECTIONS = (
        ("About the agreement", ("reference", "title", "project_id", "decision_reference",
                                 "dpia_id", "owner_id", "relationship_kind", "frequency",
                                 "direction", "regime", "marking")),
        ("Purpose and data", ("purpose", "benefits", "legal_power", "necessity",
                              "data_subjects", "data_items", "special_categories",
                              "is_criminal_offence_data", "is_sensitive_processing",
                              "apd_reference")),
        ("Handling the data", ("transparency", "access_controls", "accuracy",
                               "rights_procedure", "transfer_method", "is_encrypted_in_transit",
                               "security", "breach_handling", "deletion_at_end", "termination",
                               "signed_copy_location", "joint_arrangement_reference",
                               "processor_contract_reference")),
        ("Transfers outside the UK", ("is_international", "destination", "transfer_mechanism",
                                      "tra_reference", "le_transfer_necessary",
                                      "le_transfer_ground", "recipient_is_relevant_authority",
                                      "s77_documented", "commissioner_informed_on")),
        ("Dates", ("start_on", "end_on", "next_review_on")),
    )  # fmt: skip

    def __init__(self, *args, agreement: Agreement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Put the fields in page order, so the error summary lists them as they appear.
        order = [name for _, names in self.SECTIONS for name in names]
        rest = [name for name in self._fields if name not in order]
        self._fields = {name: self._fields[name] for name in order + rest}
        self.agreement = agreement
        project_ids = [int(key) for key in self.project_id.choices if key]
        dpias = db.session.scalars(
            select(Dpia).where(Dpia.project_id.in_(project_ids)).order_by(Dpia.title)
        ).all()
        self.dpia_id.choices = {"0": "No DPIA linked"} | {
            str(d.id): f"{d.title} ({d.project.name})" for d in dpias
        }

    @property
    def in_force(self) -> bool:
        return self.agreement is not None and self.agreement.status in ("active", "suspended")

    def validate_reference(self, field):
        clash = db.session.scalar(select(Agreement).where(Agreement.reference == field.data))
        if clash is not None and clash is not self.agreement:
            raise ValidationError(f"An agreement with the reference {field.data} already exists")

    def validate_dpia_id(self, field):
        if not field.data:
            return
        dpia = db.session.get(Dpia, field.data)
        if dpia is not None and dpia.project_id != self.project_id.data:
            raise ValidationError("Select a DPIA of the same project, or none")

    def validate_special_categories(self, field):
        if any(value not in SPECIAL_CATEGORIES for value in field.data or []):
            raise ValidationError("Select special categories from the list")

    def record_data(self) -> SimpleNamespace:
        """Return the submitted values as the rules read them."""
        data = {name: field.data for name, field in self._fields.items()}
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.strip()
        data["special_categories"] = ",".join(data["special_categories"] or [])
        return SimpleNamespace(**data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        record = self.record_data()
        problems = record_problems(record)
        if self.in_force:
            for name, message in IN_FORCE_REQUIRED.items():
                if not getattr(record, name):
                    problems.setdefault(name, f"{message}, because the agreement is in force")
            if record.relationship_kind != choices.PROCESSOR:
                for number, purpose in enumerate(self.agreement.purposes, start=1):
                    for key, message in purpose_problems(record, purpose).items():
                        problems.setdefault(
                            PURPOSE_FIELD_CAUSES[key],
                            f"Purpose {number}: {message}. Change the purpose first",
                        )
        for name, message in problems.items():
            field = self._fields[name]
            if not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

"""Forms for data-sharing agreements."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from sqlalchemy import select
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from core.extensions import db
from core.forms import ChoiceField, long_text, required_text, submit
from core.projects.forms import ProjectRecordForm
from core.projects.models import Party
from dpia.models import Dpia
from sharing.models import SCOPES, Agreement


def party_field(label: str, description: str):
    return SelectMultipleField(
        label,
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
        description=description,
    )


class AgreementForm(ProjectRecordForm):
    reference = required_text(
        "Agreement reference",
        "Enter the agreement's reference",
        max_length=40,
        description="For example ISA-MO3-001",
    )
    title = required_text("Title", "Enter the agreement's title")
    scope = ChoiceField(
        "Scope",
        choices={"": "Select the scope", **SCOPES},
        message="Select whether the agreement is internal or external",
    )
    dpia_id = ChoiceField(
        "DPIA that covers this sharing",
        coerce=lambda value: int(value) if value not in ("", None) else 0,
        message="Select a DPIA from the list, or none",
    )
    purpose = long_text("Purpose of the sharing", "Enter the purpose of the sharing")
    discloser_ids = party_field("Parties that disclose data", "Select every party that sends data")
    recipient_ids = party_field(
        "Parties that receive data", "Select every party that receives data"
    )
    submit = submit("Save agreement")

    def __init__(self, *args, agreement: Agreement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        parties = db.session.scalars(select(Party).order_by(Party.kind, Party.name)).all()
        self.parties_by_id = {party.id: party for party in parties}
        party_choices = {str(p.id): f"{p.name} ({p.kind_label.lower()})" for p in parties}
        self.discloser_ids.choices = party_choices
        self.recipient_ids.choices = party_choices
        project_ids = [int(key) for key in self.project_id.choices if key]
        dpias = db.session.scalars(
            select(Dpia).where(Dpia.project_id.in_(project_ids)).order_by(Dpia.title)
        ).all()
        self.dpia_id.choices = {"0": "No DPIA linked"} | {
            str(d.id): f"{d.title} ({d.project.name})" for d in dpias
        }

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

    def _check_parties(self, field):
        if any(value not in self.parties_by_id for value in field.data or []):
            raise ValidationError("Select parties from the list")

    def validate_discloser_ids(self, field):
        self._check_parties(field)
        if not field.data:
            raise ValidationError("Select at least one party that discloses data")

    def validate_recipient_ids(self, field):
        self._check_parties(field)
        if not field.data:
            raise ValidationError("Select at least one party that receives data")
        chosen = set(field.data) | set(self.discloser_ids.data or [])
        if self.scope.data == "external" and not any(
            self.parties_by_id[p].is_external for p in chosen if p in self.parties_by_id
        ):
            raise ValidationError(
                "An external agreement needs at least one external organisation as a party"
            )

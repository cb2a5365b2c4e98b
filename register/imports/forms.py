"""Upload forms for spreadsheet and CNIL PIA imports."""

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import RadioField
from wtforms.validators import StopValidation, ValidationError

from core.extensions import db
from core.forms import ChoiceField, RegisterForm, required_text, submit
from core.projects.forms import find_decision
from core.projects.models import Project
from register.imports.reading import MAX_UPLOAD_BYTES
from register.imports.spreadsheet import DUPLICATE_POLICIES
from register.imports.spreadsheet_specs import IMPORT_SPECS


def uploaded_file(form, field):
    """Require a non-empty file upload no larger than the import limit."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        raise StopValidation("Select a file to import")
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if not content:
        raise StopValidation("The selected file is empty")
    if len(content) > MAX_UPLOAD_BYTES:
        megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise StopValidation(f"The selected file must be smaller than {megabytes} MB")
    field.content = content


class RequiredRadioField(RadioField):
    """Radio buttons whose missing or unknown value gets `message`."""

    widget = GovRadioInput()

    def __init__(self, label, choices, message, **kwargs):
        super().__init__(label, choices=choices, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if self.data not in {str(value) for value in dict(self.choices)}:
            raise StopValidation(self.message)


class SpreadsheetImportForm(RegisterForm):
    kind = RequiredRadioField(
        "What does the file contain?",
        choices={spec.kind: spec.title for spec in IMPORT_SPECS.values()},
        message="Select what the file contains",
    )
    policy = RequiredRadioField(
        "If a row's record is already in the register",
        choices={str(key): label for key, label in DUPLICATE_POLICIES.items()},
        message="Select what happens to records already in the register",
    )
    upload = FileField(
        "Spreadsheet",
        validators=[uploaded_file],
        widget=GovFileInput(),
        description="A CSV (UTF-8) or XLSX file made from the template",
    )
    submit = submit("Import spreadsheet")

    def validate_upload(self, field):
        name = field.data.filename.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError("The selected file must be a CSV or XLSX file")


class CnilImportForm(RegisterForm):
    project_id = ChoiceField("Project", coerce=int, message="Select the project the DPIA is for")
    decision_reference = required_text(
        "Governing decision reference",
        "Enter the reference of the decision that governs the DPIA",
        max_length=40,
        description="For example PCD 974",
    )
    upload = FileField(
        "PIA file",
        validators=[uploaded_file],
        widget=GovFileInput(),
        description="The .json file that the CNIL PIA tool exports",
    )
    submit = submit("Import PIA")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = {"": "Select the project"} | {str(p.id): p.name for p in projects}
        self.decision = None

    def validate_decision_reference(self, field):
        decision = find_decision(field.data)
        if decision is None:
            raise ValidationError(
                f"No decision has the reference {field.data}. "
                "Check the reference or record the decision first"
            )
        project = db.session.get(Project, self.project_id.data) if self.project_id.data else None
        if project is not None and decision not in project.decisions:
            raise ValidationError(
                f"Decision {decision.reference} does not govern {project.name}. "
                "Add it to the project's governing decisions first"
            )
        self.decision = decision

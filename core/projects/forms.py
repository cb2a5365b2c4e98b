"""Forms for decisions, projects and parties."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from sqlalchemy import select
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from core.auth.models import Role, User
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
from core.projects.models import (
    PARTY_KINDS,
    PROJECT_STATUSES,
    Decision,
    Party,
    Project,
    reference_key,
)
from core.timeutil import local_today


class DecisionForm(RegisterForm):
    reference = required_text(
        "Reference code",
        "Enter the decision's reference code",
        max_length=40,
        description="As printed on the signed decision, for example PCD 974",
    )
    title = required_text("Title", "Enter the decision's title")
    decision_maker = required_text(
        "Decision maker",
        "Enter who made the decision",
        description="The role that signed it, for example Deputy Mayor for Policing and Crime",
    )
    issuing_body = required_text(
        "Issuing body", "Enter the body that issued the decision", description="For example MOPAC"
    )
    signed_on = DateField(
        "Date signed",
        description="Leave empty if the date is not known. For example, 27 3 2021",
    )
    summary = long_text("Summary", max_length=5000)
    link = optional_text("Link to the published decision", max_length=500, validators=[http_link])
    submit = submit("Save decision")

    def __init__(self, *args, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def validate_reference(self, field):
        clash = db.session.scalar(
            select(Decision).where(Decision.reference_key == reference_key(field.data))
        )
        if clash is not None and clash is not self.decision:
            raise ValidationError(f"A decision with the reference {clash.reference} already exists")

    def validate_signed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError("Date signed must be today or in the past")


def decision_choices(project: Project | None = None) -> dict[str, str]:
    """Return the decisions in use, plus any archived ones `project` is already governed by."""
    in_use = Decision.archived_at.is_(None)
    if project is not None and project.id is not None:
        in_use = in_use | Decision.id.in_([decision.id for decision in project.decisions])
    decisions = db.session.scalars(select(Decision).where(in_use).order_by(Decision.reference_key))
    return {str(d.id): f"{d.reference}: {d.title}" for d in decisions}


def lead_choices() -> dict[str, str]:
    users = db.session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.role.in_([Role.LEAD, Role.DPO]))
        .order_by(User.name)
    )
    return {"": "Select the project lead"} | {str(u.id): f"{u.name} ({u.email})" for u in users}


class ProjectForm(RegisterForm):
    name = required_text("Project name", "Enter the project's name")
    description = long_text("Description", max_length=5000)
    owning_unit = required_text(
        "Owning unit",
        "Enter the unit that runs the project",
        description="For example Met Operations 3",
    )
    lead_id = ChoiceField("Project lead", coerce=int, message="Select the project lead")
    status = ChoiceField("Status", choices=PROJECT_STATUSES, message="Select the project's status")
    decision_ids = SelectMultipleField(
        "Governing decisions",
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
        description="Select every signed decision that governs the project",
    )
    submit = submit("Save project")

    def __init__(self, *args, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.lead_id.choices = lead_choices()
        self.decision_ids.choices = decision_choices(project)

    def validate_name(self, field):
        clash = db.session.scalar(select(Project).where(Project.name == field.data))
        if clash is not None and clash is not self.project:
            raise ValidationError("A project with this name already exists")

    def validate_decision_ids(self, field):
        known = {int(key) for key in self.decision_ids.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Select decisions from the list")


class PartyForm(RegisterForm):
    name = required_text("Name", "Enter the party's name")
    kind = ChoiceField(
        "Kind of party",
        choices={"": "Select the kind of party", **PARTY_KINDS},
        message="Select whether the party is an internal team or an external organisation",
    )
    description = long_text("Description", max_length=5000)
    submit = submit("Save party")

    def __init__(self, *args, party: Party | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party

    def validate_name(self, field):
        clash = db.session.scalar(select(Party).where(Party.name == field.data))
        if clash is not None and clash is not self.party:
            raise ValidationError("A party with this name already exists")


def person_choices(prompt: str) -> dict[str, str]:
    """Return the active leads and DPOs who can own a record, for a select."""
    users = db.session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.role.in_([Role.LEAD, Role.DPO]))
        .order_by(User.name)
    )
    return {"": prompt} | {str(u.id): f"{u.name} ({u.email})" for u in users}


def find_decision(reference: str) -> Decision | None:
    return db.session.scalar(
        select(Decision).where(Decision.reference_key == reference_key(reference or ""))
    )


class ProjectRecordForm(RegisterForm):
    """Fields every project record shares: project, governing decision, owner, review date.

    The decision is typed as its reference code, as it appears on the
    signed decision, and must govern the chosen project.
    """

    project_id = ChoiceField("Project", coerce=int, message="Select the project")
    decision_reference = required_text(
        "Governing decision reference",
        "Enter the reference of the decision that governs this record",
        max_length=40,
        description="For example PCD 974",
    )
    owner_id = ChoiceField(
        "Owner",
        coerce=int,
        message="Select who owns this record",
        description="The owner is reminded before the review falls due",
    )
    next_review_on = DateField(
        "Next review date",
        required_message="Enter the next review date",
        description="For example, 27 3 2027",
    )

    def __init__(self, *args, projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = {"": "Select the project"} | {str(p.id): p.name for p in projects}
        self.owner_id.choices = person_choices("Select the owner")
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

"""The spreadsheet import templates: their columns and how each cell becomes form input.

A new column is one ImportColumn naming the form field it fills, so the
template, the import and the page's form stay in step.
"""

from collections.abc import Callable

from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField

from core.auth.models import User, normalise_email
from core.extensions import db
from core.forms import DateField
from core.projects.access import editable_projects
from core.projects.models import Party, Project
from core.timeutil import local_today
from dpia.forms import DpiaForm
from dpia.models import Dpia
from dpia.views import fill_dpia
from dpia.vocabulary import REGIMES as DPIA_REGIMES
from register.imports.reading import parse_date
from register.imports.spreadsheet import CellError, ImportColumn, ImportSpec
from sharing import choices
from sharing.forms import AgreementForm
from sharing.lifecycle import is_locked
from sharing.models import Agreement, AgreementParty
from sharing.rules import activation_problem_details
from sharing.views import fill_agreement

DISCLOSERS = "Disclosing parties"
RECIPIENTS = "Receiving parties"
WHOLE_ROW = "Whole row"


def _date_parts(value) -> list[str]:
    try:
        parsed = parse_date(value)
    except ValueError as error:
        raise CellError(str(error)) from None
    return [str(parsed.day), str(parsed.month), str(parsed.year)]


def _project_id(value) -> list[str]:
    project = db.session.scalar(select(Project).where(Project.name == str(value)))
    if project is None:
        raise CellError(f"No project is named {value}")
    return [str(project.id)]


def _user_id(value) -> list[str]:
    user = db.session.scalar(select(User).where(User.email == normalise_email(str(value))))
    if user is None or not user.is_active:
        raise CellError(f"No active user has the email address {value}")
    return [str(user.id)]


def _party_ids(value) -> list[str]:
    ids = []
    for name in str(value).split(";"):
        name = name.strip()
        if not name:
            continue
        party = db.session.scalar(select(Party).where(Party.name == name))
        if party is None:
            raise CellError(f"No party is named {name}; separate names with ;")
        ids.append(str(party.id))
    return ids


def _choice(choices: dict[str, str]) -> Callable[[object], list[str]]:
    """Return a converter accepting a choice's stored value or its label, in any case."""
    lookup = {key.lower(): key for key in choices} | {
        label.lower(): key for key, label in choices.items()
    }

    def convert(value) -> list[str]:
        key = lookup.get(str(value).strip().lower())
        if key is None:
            raise CellError(f"{value!r} is not one of: {', '.join(choices)}")
        return [key]

    return convert


def _dpia_id(value) -> list[str]:
    dpia = db.session.scalar(select(Dpia).where(Dpia.title == str(value)))
    if dpia is None:
        raise CellError(f"No DPIA has the title {value}")
    return [str(dpia.id)]


def _find_dpia(values: dict) -> Dpia | None:
    project = db.session.scalar(select(Project).where(Project.name == values.get("Project")))
    if project is None or not values.get("Title"):
        return None
    return db.session.scalar(
        select(Dpia).where(Dpia.project_id == project.id, Dpia.title == values["Title"])
    )


def _find_agreement(values: dict) -> Agreement | None:
    if not values.get("Reference"):
        return None
    return db.session.scalar(select(Agreement).where(Agreement.reference == values["Reference"]))


def _record_formdata(form) -> MultiDict:
    """Return the form input that would show a form's current data unchanged."""
    formdata = MultiDict()
    for field in form:
        value = field.data
        if field.type in ("SubmitField", "CSRFTokenField") or value is None:
            continue
        if isinstance(field, DateField):
            formdata.setlist(field.name, [str(value.day), str(value.month), str(value.year)])
        elif isinstance(field, BooleanField):
            if value:
                formdata.add(field.name, "y")
        elif isinstance(value, list | tuple | set):
            formdata.setlist(field.name, [str(item) for item in value])
        else:
            formdata.add(field.name, str(value))
    return formdata


def _merged_formdata(spec, stored, formdata: MultiDict) -> MultiDict:
    """Return the record's stored input with the template's columns taken from the row.

    An update therefore keeps every field that the template has no column
    for, while an empty cell in a template column clears that field.
    """
    merged = _record_formdata(stored)
    for column in spec.columns:
        merged.setlist(column.field_name, formdata.getlist(column.field_name))
    return merged


def _dpia_form(formdata: MultiDict, existing: Dpia | None) -> DpiaForm:
    def make(data, obj=None) -> DpiaForm:
        return DpiaForm(
            formdata=data,
            obj=obj,
            projects=editable_projects(),
            signed_off_on=existing.signed_off_on if existing else None,
            meta={"csrf": False},
        )

    if existing is None:
        return make(formdata)
    stored = make(None, existing)
    stored.decision_reference.data = existing.decision.reference
    return make(_merged_formdata(DPIA_IMPORT, stored, formdata))


def _agreement_form(formdata: MultiDict, existing: Agreement | None) -> AgreementForm:
    def make(data, obj=None) -> AgreementForm:
        return AgreementForm(
            formdata=data,
            obj=obj,
            projects=editable_projects(),
            agreement=existing,
            meta={"csrf": False},
        )

    if existing is None:
        form = make(formdata)
    else:
        stored = make(None, existing)
        stored.decision_reference.data = existing.decision.reference
        stored.dpia_id.data = existing.dpia_id or 0
        stored.special_categories.data = existing.special_category_keys
        form = make(_merged_formdata(AGREEMENT_IMPORT, stored, formdata))
    # The agreement's page adds parties one by one, so its form has no party
    # fields. The import carries the party ids on the form for the fill step.
    form.discloser_ids = [int(value) for value in formdata.getlist("discloser_ids")]
    form.recipient_ids = [int(value) for value in formdata.getlist("recipient_ids")]
    return form


def _party_roles(form: AgreementForm) -> dict[int, str]:
    roles = {}
    for party_id in form.discloser_ids:
        roles[party_id] = "discloser"
    for party_id in form.recipient_ids:
        roles[party_id] = "both" if roles.get(party_id) in ("discloser", "both") else "recipient"
    return roles


def _fill_agreement_and_parties(agreement: Agreement, form: AgreementForm) -> None:
    """Fill the agreement as its page does, then set its parties from the party columns.

    A party already on the agreement keeps its contacts, retention and
    signatory and only takes its new role. A party not named in the row is
    removed from the agreement.
    """
    fill_agreement(agreement, form)
    roles = _party_roles(form)
    links = {link.party_id: link for link in agreement.parties}
    for party_id, link in links.items():
        if party_id not in roles:
            agreement.parties.remove(link)
    for party_id, role in roles.items():
        link = links.get(party_id)
        if link is None:
            agreement.parties.append(AgreementParty(party_id=party_id, role=role))
        else:
            link.role = role


def _dpia_locked_reason(dpia: Dpia) -> str | None:
    """Return why the DPIA's page would not let it be changed now, as the import must not."""
    if dpia.is_editable:
        return None
    reason = (
        f"This DPIA is {dpia.status_label.lower()}, so it cannot be changed. "
        "Only a draft DPIA or one under review can be changed"
    )
    if dpia.is_approved:
        return f"{reason}: start a review on the DPIA's page to draft a new version"
    return reason


def _agreement_locked_reason(agreement: Agreement) -> str | None:
    if is_locked(agreement):
        return "This agreement is terminated, so it cannot be changed"
    return None


def _problem_column(agreement: Agreement, problem) -> str:
    """Return the template column where the user can fix an activation problem."""
    if problem.party_id is not None:
        link = next(link for link in agreement.parties if link.party_id == problem.party_id)
        return DISCLOSERS if link.discloses else RECIPIENTS
    if problem.field == "disclosers":
        return DISCLOSERS
    if problem.field in ("recipients", "parties"):
        return RECIPIENTS
    headers = {column.field_name: column.header for column in AGREEMENT_IMPORT.columns}
    return headers.get(problem.field, WHOLE_ROW)


def _agreement_problems(agreement: Agreement) -> list[tuple[str, str]]:
    """Return the activation rules an agreement in force breaks once the row is applied.

    The agreement's pages reject a change that leaves an active or
    suspended agreement without what activation needs, so the import does too.
    """
    if agreement.status not in ("active", "suspended"):
        return []
    problems = []
    for problem in activation_problem_details(agreement, local_today()):
        column = _problem_column(agreement, problem)
        message = f"{problem.message}, because the agreement is in force"
        if column == WHOLE_ROW:
            message += ". Change this on the agreement's page, then import the file again"
        problems.append((column, message))
    return problems


# DPIA references are optional and need not be unique, so a DPIA is matched
# by its project and title.
DPIA_IMPORT = ImportSpec(
    kind="dpias",
    title="DPIAs",
    model=Dpia,
    columns=(
        ImportColumn("Title", "title", required=True),
        ImportColumn("Project", "project_id", _project_id, required=True),
        ImportColumn("Governing decision reference", "decision_reference", required=True),
        ImportColumn("Owner email", "owner_id", _user_id, required=True),
        ImportColumn("Next review date", "next_review_on", _date_parts),
        ImportColumn("DPIA reference", "reference"),
        ImportColumn(
            "Law governing the processing", "regime", _choice(DPIA_REGIMES), required=True
        ),
        ImportColumn("Controller", "controller", required=True),
        ImportColumn("Joint controllers and processors", "processors"),
        ImportColumn("DPO name and contact details", "dpo_contact", required=True),
        ImportColumn("Summary of the processing", "processing_summary", required=True),
    ),
    key_headers=("Project", "Title"),
    find_existing=_find_dpia,
    make_form=_dpia_form,
    fill=fill_dpia,
    locked_reason=_dpia_locked_reason,
)

AGREEMENT_IMPORT = ImportSpec(
    kind="agreements",
    title="Data-sharing agreements",
    model=Agreement,
    columns=(
        ImportColumn("Reference", "reference", required=True),
        ImportColumn("Title", "title", required=True),
        ImportColumn("Project", "project_id", _project_id, required=True),
        ImportColumn("Governing decision reference", "decision_reference", required=True),
        ImportColumn(
            "Relationship between the parties",
            "relationship_kind",
            _choice(choices.RELATIONSHIPS),
            required=True,
        ),
        ImportColumn("Frequency", "frequency", _choice(choices.FREQUENCIES), required=True),
        ImportColumn("Direction", "direction", _choice(choices.DIRECTIONS), required=True),
        ImportColumn("Regime", "regime", _choice(choices.REGIMES), required=True),
        ImportColumn("DPIA title", "dpia_id", _dpia_id, empty=("0",)),
        ImportColumn("Owner email", "owner_id", _user_id, required=True),
        ImportColumn("Next review date", "next_review_on", _date_parts),
        ImportColumn("Purpose", "purpose", required=True),
        ImportColumn(DISCLOSERS, "discloser_ids", _party_ids, required=True),
        ImportColumn(RECIPIENTS, "recipient_ids", _party_ids, required=True),
    ),
    key_headers=("Reference",),
    find_existing=_find_agreement,
    make_form=_agreement_form,
    fill=_fill_agreement_and_parties,
    locked_reason=_agreement_locked_reason,
    filled_problems=_agreement_problems,
)

IMPORT_SPECS = {spec.kind: spec for spec in (DPIA_IMPORT, AGREEMENT_IMPORT)}

"""The spreadsheet import templates: their columns and how each cell becomes form input.

A new column is one ImportColumn naming the form field it fills, so the
template, the import and the page's form stay in step.
"""

from collections.abc import Callable

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from core.auth.models import User, normalise_email
from core.extensions import db
from core.projects.access import editable_projects
from core.projects.models import Party, Project
from dpia.forms import DpiaForm
from dpia.models import Dpia
from dpia.views import fill_dpia
from register.imports.reading import parse_date
from register.imports.spreadsheet import CellError, ImportColumn, ImportSpec
from sharing.forms import AgreementForm
from sharing.models import SCOPES, Agreement
from sharing.views import fill_agreement


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


def _dpia_form(formdata: MultiDict, existing: Dpia | None) -> DpiaForm:
    return DpiaForm(
        formdata=formdata,
        projects=editable_projects(),
        signed_off_on=existing.signed_off_on if existing else None,
        meta={"csrf": False},
    )


def _agreement_form(formdata: MultiDict, existing: Agreement | None) -> AgreementForm:
    return AgreementForm(
        formdata=formdata, projects=editable_projects(), agreement=existing, meta={"csrf": False}
    )


# NOTE: DPIAs have no reference of their own yet, so a DPIA is matched by
# its project and title. Match on the DPIA reference once the record has one.
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
        ImportColumn("Summary of the processing", "processing_summary", required=True),
    ),
    key_headers=("Project", "Title"),
    find_existing=_find_dpia,
    make_form=_dpia_form,
    fill=fill_dpia,
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
        ImportColumn("Scope", "scope", _choice(SCOPES), required=True),
        ImportColumn("DPIA title", "dpia_id", _dpia_id, empty=("0",)),
        ImportColumn("Owner email", "owner_id", _user_id, required=True),
        ImportColumn("Next review date", "next_review_on", _date_parts),
        ImportColumn("Purpose", "purpose", required=True),
        ImportColumn("Disclosing parties", "discloser_ids", _party_ids, required=True),
        ImportColumn("Receiving parties", "recipient_ids", _party_ids, required=True),
    ),
    key_headers=("Reference",),
    find_existing=_find_agreement,
    make_form=_agreement_form,
    fill=fill_agreement,
)

IMPORT_SPECS = {spec.kind: spec for spec in (DPIA_IMPORT, AGREEMENT_IMPORT)}

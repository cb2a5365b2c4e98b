"""The demo data contains records in the states the register's pages deal with."""

from sqlalchemy import select

from core.attachments.models import Attachment
from core.attachments.storage import checksum, path_of
from core.auth.models import User
from core.extensions import db
from core.projects.models import Decision, Party, Project
from core.timeutil import local_today
from dpia.models import Dpia
from dpia.tasks import DRAFTING_STEPS, PROBLEMS
from register import demo
from register.demo import DEMO_PASSWORD
from register.imports.models import notes_for
from tests.conftest import sign_in


def load_demo():
    demo.load(local_today())


def dpia_titled(title: str) -> Dpia:
    return db.session.scalar(select(Dpia).where(Dpia.title == title))


def test_prior_consultation_dpia(app):
    load_demo()
    dpia = dpia_titled("Facial matching of body-worn video footage")
    assert dpia.status == "prior_consultation"
    assert dpia.residual_risk == "high"
    assert dpia.prior_consultation.submitted_on is not None
    assert dpia.prior_consultation.is_open
    assert dpia.prior_consultation.advice_due_on > local_today()
    assert dpia.prior_consultation_trigger == dpia.prior_consultation.trigger


def test_dpia_awaiting_signoff_is_complete(app):
    load_demo()
    dpia = dpia_titled("Dorothy evidence transfer to the Crown Prosecution Service")
    assert dpia.status == "awaiting_signoff"
    assert dpia.dpo_advice
    problems = [p for step in (*DRAFTING_STEPS, "measures") for p in PROBLEMS[step](dpia)]
    assert problems == []


def test_archived_trial(app):
    load_demo()
    for model, name_column, name in (
        (Project, Project.name, "Project Heron"),
        (Decision, Decision.title, "ANPR mobile trial 2022/23"),
        (Party, Party.name, "Heron camera supplier"),
    ):
        record = db.session.scalar(select(model).where(name_column == name))
        assert record.is_archived, name
        assert record.archive_reason


def test_signed_copy_matches_checksum(app):
    load_demo()
    attachment = db.session.scalar(select(Attachment))
    assert attachment.is_signed_copy
    assert checksum(path_of(attachment)) == attachment.sha256
    assert path_of(attachment).read_bytes().startswith(b"%PDF-")


def test_imported_dpia_has_notes(app):
    load_demo()
    dpia = dpia_titled("Body-worn video redaction service (imported)")
    assert dpia.status == "draft"
    assert dpia.risks[0].measures
    assert dpia.residual_risk == "low"
    note = notes_for(dpia.id)
    assert "CNIL" in note.source
    assert note.notes


def test_imported_dpia_notes_page(app, client):
    load_demo()
    dpia = dpia_titled("Body-worn video redaction service (imported)")
    dpo = db.session.scalar(select(User).where(User.email == "dpo@example.org"))
    sign_in(client, dpo, DEMO_PASSWORD)
    page = client.get(f"/import/dpias/{dpia.id}/notes")
    assert page.status_code == 200
    assert "Risks: illegitimate access to data" in page.get_data(as_text=True)

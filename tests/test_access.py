"""Who may use which page: every endpoint, every role, nothing changed when refused."""

import io
from dataclasses import dataclass

import pytest
from flask import url_for

from core.attachments import storage
from core.attachments.models import Attachment
from core.extensions import db
from dpia.models import Dpia, PbdAssessment
from sharing.models import Agreement
from tests.conftest import sign_in, table_snapshot

ROLES = ("admin", "dpo", "lead", "other_lead", "auditor")

# Pages anyone may open without signing in.
PUBLIC = {"auth.sign_in", "static", "main.health"}

# Account actions every signed-in user takes on their own account. Every
# other POST changes the register and is refused to auditors.
OWN_ACCOUNT = {
    "auth.sign_in",
    "auth.two_factor",
    "auth.set_up_two_factor",
    "auth.sign_out",
    "auth.change_password",
    "auth.turn_off_two_factor",
}

ALL = (200, 200, 200, 200, 200)
RECORD_READ = (200, 200, 200, 404, 200)
RECORD_EDIT = (403, 200, 200, 404, 403)
RECORD_CREATE = (403, 200, 200, 200, 403)
DPO_ONLY = (403, 200, 403, 403, 403)
ADMIN_ONLY = (200, 403, 403, 403, 403)
POST_ONLY = (405, 405, 405, 405, 405)

# Expected GET status per endpoint, for (admin, DPO, lead of the record's
# project, lead of another project, auditor). Every record used belongs to
# Project Dorothy, which the lead runs.
GET_STATUS = {
    "attachments.download": RECORD_READ,
    "attachments.remove": RECORD_EDIT,
    "attachments.upload": RECORD_EDIT,
    "audit.events": (403, 200, 403, 403, 200),
    "auth.account": ALL,
    "auth.change_password": ALL,
    "auth.create_user": ADMIN_ONLY,
    "auth.edit_user": ADMIN_ONLY,
    "auth.set_up_two_factor": ALL,
    "auth.sign_in": (302, 302, 302, 302, 302),
    "auth.sign_out": POST_ONLY,
    "auth.turn_off_two_factor": POST_ONLY,
    "auth.two_factor": (302, 302, 302, 302, 302),
    "auth.users": ADMIN_ONLY,
    "dpia.advise": DPO_ONLY,
    "dpia.assessment": RECORD_READ,
    "dpia.assessments": ALL,
    "dpia.confirm": POST_ONLY,
    "dpia.create_assessment": RECORD_CREATE,
    "dpia.create_dpia": RECORD_CREATE,
    "dpia.dpia": RECORD_READ,
    "dpia.dpias": ALL,
    "dpia.edit_assessment": RECORD_EDIT,
    "dpia.edit_dpia": RECORD_EDIT,
    "dpia.sign_off_dpia": DPO_ONLY,
    "main.dashboard": ALL,
    "main.health": ALL,
    "projects.archive_decision": DPO_ONLY,
    "projects.archive_party": DPO_ONLY,
    "projects.archive_project": DPO_ONLY,
    "projects.create_decision": DPO_ONLY,
    "projects.create_party": DPO_ONLY,
    "projects.create_project": DPO_ONLY,
    "projects.decision": ALL,
    "projects.decisions": ALL,
    "projects.edit_decision": DPO_ONLY,
    "projects.edit_party": DPO_ONLY,
    "projects.edit_project": DPO_ONLY,
    "projects.parties": ALL,
    "projects.party": ALL,
    "projects.project": RECORD_READ,
    "projects.projects": ALL,
    # Restoring a record that is not archived sends the DPO back to it.
    "projects.restore_decision": (403, 302, 403, 403, 403),
    "projects.restore_party": (403, 302, 403, 403, 403),
    "projects.restore_project": (403, 302, 403, 403, 403),
    "sharing.agreement": RECORD_READ,
    "sharing.agreements": ALL,
    "sharing.create_agreement": RECORD_CREATE,
    "sharing.edit_agreement": RECORD_EDIT,
    "static": ALL,
}

# Expected POST status where it differs from GET: actions that exist only as POST.
POST_STATUS = {
    "auth.sign_out": (302, 302, 302, 302, 302),
    "auth.turn_off_two_factor": (302, 302, 302, 302, 302),
    # Only the lead of the DPIA's project confirms it is complete.
    "dpia.confirm": (403, 403, 302, 404, 403),
}


@dataclass
class Records:
    dpia: Dpia
    assessment: PbdAssessment
    agreement: Agreement
    attachment: Attachment


@pytest.fixture
def records(app, world) -> Records:
    dpia = Dpia(
        project=world.dorothy,
        decision=world.decision,
        title="Dorothy upgrade DPIA",
        owner_id=world.lead.id,
        next_review_on=world.today,
    )
    assessment = PbdAssessment(
        project=world.dorothy,
        decision=world.decision,
        title="Dorothy design review",
        owner_id=world.lead.id,
    )
    agreement = Agreement(
        reference="DSA-001",
        title="Dorothy and the national network",
        project=world.dorothy,
        decision=world.decision,
        scope="external",
        owner_id=world.lead.id,
    )
    db.session.add_all([dpia, assessment, agreement])
    db.session.flush()
    with app.test_request_context():
        stored = storage.store(io.BytesIO(b"%PDF-1.7 signed agreement"), "signed.pdf")
    attachment = Attachment(
        owner_kind="dpia",
        owner_id=dpia.id,
        filename="signed.pdf",
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        uploaded_by_id=world.dpo.id,
    )
    db.session.add(attachment)
    db.session.commit()
    return Records(dpia, assessment, agreement, attachment)


def url_arguments(world, records) -> dict:
    return {
        "decision_id": world.decision.id,
        "project_id": world.dorothy.id,
        "party_id": world.supervisors.id,
        "user_id": world.lead.id,
        "dpia_id": records.dpia.id,
        "assessment_id": records.assessment.id,
        "agreement_id": records.agreement.id,
        "attachment_id": records.attachment.id,
        "kind": "dpia",
        "owner_id": records.dpia.id,
        "filename": "favicon.svg",
    }


def endpoint_urls(app, world, records) -> dict[str, tuple[str, set[str]]]:
    """Return {endpoint: (url, methods)} for every rule of the app."""
    arguments = url_arguments(world, records)
    urls = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            values = {name: arguments[name] for name in rule.arguments}
            urls[rule.endpoint] = (url_for(rule.endpoint, **values), rule.methods)
    return urls


def test_every_endpoint_in_table(app, world, records):
    missing = set(endpoint_urls(app, world, records)) - set(GET_STATUS)
    assert not missing, f"add these endpoints to GET_STATUS: {sorted(missing)}"


def test_anonymous_sent_to_sign_in(app, client, world, records):
    for endpoint, (url, methods) in endpoint_urls(app, world, records).items():
        if endpoint in PUBLIC:
            continue
        for method in ("GET", "POST"):
            if method not in methods:
                continue
            response = client.open(url, method=method)
            response.close()
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/sign-in"), (endpoint, method)


def test_public_pages_open_anonymously(client, world):
    assert client.get("/sign-in").status_code == 200
    assert client.get("/health").status_code == 200
    response = client.get("/static/favicon.svg")
    response.close()
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_role_endpoint_matrix(app, client, world, records, role):
    index = ROLES.index(role)
    user = getattr(world, role)
    urls = endpoint_urls(app, world, records)
    failures = []
    sign_in(client, user)
    for endpoint, (url, methods) in sorted(urls.items()):
        if endpoint in ("auth.sign_out", "auth.turn_off_two_factor"):
            continue
        before = table_snapshot()
        response = client.get(url)
        response.close()
        if response.status_code != GET_STATUS[endpoint][index]:
            failures.append((endpoint, "GET", response.status_code))
        if table_snapshot() != before:
            failures.append((endpoint, "GET changed the database", response.status_code))
        if "POST" not in methods:
            continue
        expected = POST_STATUS.get(endpoint, GET_STATUS[endpoint])[index]
        if expected not in (403, 404, 405):
            continue
        response = client.post(url, data={})
        if response.status_code != expected:
            failures.append((endpoint, "POST", response.status_code))
        if table_snapshot() != before:
            failures.append((endpoint, "refused POST changed the database", response.status_code))
    assert not failures


def test_auditor_refused_every_state_change(app, client, world, records):
    urls = endpoint_urls(app, world, records)
    sign_in(client, world.auditor)
    before = table_snapshot()
    for endpoint, (url, methods) in urls.items():
        if "POST" not in methods or endpoint in OWN_ACCOUNT:
            continue
        response = client.post(url, data={"title": "Changed by an auditor", "reason": "x"})
        assert response.status_code == 403, endpoint
    assert table_snapshot() == before


@pytest.mark.parametrize("endpoint", sorted(POST_STATUS))
def test_post_only_actions_refuse_get(app, client, world, records, endpoint):
    url, methods = endpoint_urls(app, world, records)[endpoint]
    assert methods & {"GET"} == set()
    sign_in(client, world.dpo)
    assert client.get(url).status_code == 405


def test_lead_cannot_move_record_to_other_project(login, world, records):
    client = login(world.lead)
    before = table_snapshot()
    response = client.post(
        f"/dpias/{records.dpia.id}/edit",
        data={
            "project_id": str(world.kestrel.id),
            "decision_reference": "PCD 1502",
            "owner_id": str(world.lead.id),
            "title": "Moved",
            "next_review_on": ["1", "1", "2030"],
        },
    )
    assert response.status_code == 200
    assert table_snapshot() == before

"""Who may use which page: every endpoint, every role, nothing changed when refused."""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from core.attachments import storage
from core.attachments.models import Attachment
from core.audit import AuditEvent
from core.extensions import db
from core.timeutil import utc_now
from dpia.models import Dpia, PbdAssessment
from dpia.pbd_checklist import checklist_for
from dpia.pbd_models import PbdItem
from dpia.risks import Measure, Risk
from dpia.screening import Screening
from register.api.models import ApiToken
from register.calendar import issue_feed
from register.imports.models import DpiaImportNote
from register.models import Review, ReviewAction
from sharing.models import (
    Agreement,
    AgreementParty,
    AgreementPurpose,
    AgreementVersion,
    OneOffDecision,
)
from tests.conftest import sign_in, table_snapshot

ROLES = ("admin", "dpo", "lead", "other_lead", "auditor")

# Pages anyone may open without signing in. The two-factor pages are the
# second step of signing in, and the calendar feed carries its token in the path.
PUBLIC = {
    "auth.sign_in",
    "auth.two_factor",
    "auth.set_up_two_factor",
    "calendar.feed",
    "pages.accessibility",
    "static",
    "main.health",
}

# The read API authenticates with a bearer token and ignores the session.
API_PREFIX = "/api/v1/"

# Account actions every signed-in user takes on their own account. Every
# other POST changes the register and is refused to auditors.
OWN_ACCOUNT = {
    "auth.sign_in",
    "auth.two_factor",
    "auth.set_up_two_factor",
    "auth.sign_out",
    "auth.change_password",
    "auth.turn_off_two_factor",
    "calendar.create",
    "calendar.revoke",
}

# GET requests that record their own use, with the one table each may change.
# Downloads write an "export" entry to the audit trail.
GET_RECORDS_USE = {
    "calendar.feed": {"calendar_feeds"},
    "exports.register_list": {"audit_events"},
    "exports.due_dates": {"audit_events"},
    "exports.whole_register": {"audit_events"},
    "exports.dpia_docx": {"audit_events"},
}

ALL = (200, 200, 200, 200, 200)
RECORD_READ = (200, 200, 200, 404, 200)
RECORD_EDIT = (403, 200, 200, 404, 403)
RECORD_CREATE = (403, 200, 200, 200, 403)
DPO_ONLY = (403, 200, 403, 403, 403)
ADMIN_ONLY = (200, 403, 403, 403, 403)
POST_ONLY = (405, 405, 405, 405, 405)
TOKEN_ONLY = (401, 401, 401, 401, 401)
# The audit trail, open to the DPO and auditors.
AUDIT_READ = (403, 200, 403, 403, 200)
# A POST-only change to a record of the lead's project, by the DPO or the lead.
RECORD_ACTION = (403, 302, 302, 404, 403)

# Expected GET status per endpoint, for (admin, DPO, lead of the record's
# project, lead of another project, auditor). Every record used belongs to
# Project Dorothy, which the lead runs. An endpoint with a second rule that
# adds a record is listed again with ":new".
GET_STATUS = {
    "api.get_agreements": TOKEN_ONLY,
    "api.get_assessment_actions": TOKEN_ONLY,
    "api.get_assessment_items": TOKEN_ONLY,
    "api.get_assessments": TOKEN_ONLY,
    "api.get_audit": TOKEN_ONLY,
    "api.get_decisions": TOKEN_ONLY,
    "api.get_dpias": TOKEN_ONLY,
    "api.get_measures": TOKEN_ONLY,
    "api.get_parties": TOKEN_ONLY,
    "api.get_projects": TOKEN_ONLY,
    "api.get_reviews": TOKEN_ONLY,
    "api.get_risks": TOKEN_ONLY,
    "api.list_agreements": TOKEN_ONLY,
    "api.list_assessment_actions": TOKEN_ONLY,
    "api.list_assessment_items": TOKEN_ONLY,
    "api.list_assessments": TOKEN_ONLY,
    "api.list_audit": TOKEN_ONLY,
    "api.list_decisions": TOKEN_ONLY,
    "api.list_dpias": TOKEN_ONLY,
    "api.list_measures": TOKEN_ONLY,
    "api.list_parties": TOKEN_ONLY,
    "api.list_projects": TOKEN_ONLY,
    "api.list_reviews": TOKEN_ONLY,
    "api.list_risks": TOKEN_ONLY,
    "api.openapi": TOKEN_ONLY,
    "api.reviews_due": TOKEN_ONLY,
    "api_tokens.revoke": POST_ONLY,
    "api_tokens.tokens": ADMIN_ONLY,
    "attachments.download": RECORD_READ,
    "attachments.remove": RECORD_EDIT,
    "attachments.upload": RECORD_EDIT,
    "audit.events": AUDIT_READ,
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
    # Creating a calendar feed shares its address with the settings page.
    "calendar.create": ALL,
    "calendar.feed": ALL,
    "calendar.revoke": POST_ONLY,
    "calendar.settings": ALL,
    "dpia.advise": DPO_ONLY,
    "dpia.approve_assessment": DPO_ONLY,
    "dpia.assessment": RECORD_READ,
    "dpia.assessment_actions": ALL,
    "dpia.assessments": ALL,
    "dpia.conclude": DPO_ONLY,
    "dpia.confirm": POST_ONLY,
    "dpia.create_assessment": RECORD_CREATE,
    "dpia.create_dpia": RECORD_CREATE,
    "dpia.delete_measure": POST_ONLY,
    "dpia.delete_risk": POST_ONLY,
    "dpia.dpia": RECORD_READ,
    "dpia.dpias": ALL,
    "dpia.edit_assessment": RECORD_EDIT,
    "dpia.edit_assessment_item": RECORD_EDIT,
    "dpia.edit_dpia": RECORD_EDIT,
    "dpia.edit_measure": RECORD_EDIT,
    "dpia.edit_measure:new": RECORD_EDIT,
    "dpia.edit_risk": RECORD_EDIT,
    "dpia.edit_risk:new": RECORD_EDIT,
    "dpia.move_dpia": POST_ONLY,
    "dpia.prior_consultation": DPO_ONLY,
    "dpia.project_screening": RECORD_EDIT,
    "dpia.review": DPO_ONLY,
    "dpia.risks": RECORD_EDIT,
    "dpia.screening": RECORD_EDIT,
    "dpia.send_back": DPO_ONLY,
    "dpia.sign_off_dpia": DPO_ONLY,
    "dpia.start_assessment_stage": RECORD_EDIT,
    "dpia.step": RECORD_EDIT,
    "dpia.tasks": RECORD_READ,
    "dpia.update_assessment_action": RECORD_EDIT,
    "exports.dpia_docx": RECORD_READ,
    "exports.register_list": ALL,
    "exports.due_dates": ALL,
    "exports.whole_register": (403, 200, 403, 403, 200),
    "imports.cnil_pia": RECORD_CREATE,
    "imports.dpia_notes": RECORD_READ,
    "imports.spreadsheet": RECORD_CREATE,
    "imports.template": RECORD_CREATE,
    "main.dashboard": ALL,
    "main.health": ALL,
    "pages.accessibility": ALL,
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
    "reviews.complete_action": POST_ONLY,
    "reviews.new_review": RECORD_EDIT,
    "reviews.record_reviews": RECORD_READ,
    "reviews.review": RECORD_READ,
    "reviews.reviews": ALL,
    "sharing.agreement": RECORD_READ,
    "sharing.agreements": ALL,
    "sharing.change_agreement_status": DPO_ONLY,
    "sharing.create_agreement": RECORD_CREATE,
    "sharing.edit_agreement": RECORD_EDIT,
    "sharing.edit_party_link": RECORD_EDIT,
    "sharing.edit_party_link:new": RECORD_EDIT,
    "sharing.edit_purpose": RECORD_EDIT,
    "sharing.edit_purpose:new": RECORD_EDIT,
    "sharing.log_decision": RECORD_EDIT,
    "sharing.new_version": RECORD_EDIT,
    "sharing.remove_part": POST_ONLY,
    "sharing.sharing_map": RECORD_READ,
    "static": ALL,
}

# Expected POST status where it differs from GET: actions that exist only as POST.
POST_STATUS = {
    "api_tokens.revoke": (302, 403, 403, 403, 403),
    "auth.sign_out": (302, 302, 302, 302, 302),
    "auth.turn_off_two_factor": (302, 302, 302, 302, 302),
    "calendar.revoke": (302, 302, 302, 302, 302),
    "dpia.delete_measure": RECORD_ACTION,
    "dpia.delete_risk": RECORD_ACTION,
    "dpia.move_dpia": RECORD_ACTION,
    # Only the lead of the DPIA's project confirms it is complete.
    "dpia.confirm": (403, 403, 302, 404, 403),
    "reviews.complete_action": RECORD_ACTION,
    "sharing.remove_part": RECORD_ACTION,
}

# Expected status of each API endpoint for a bearer token of each role.
API_STATUS = {
    "api.get_agreements": RECORD_READ,
    "api.get_assessment_actions": RECORD_READ,
    "api.get_assessment_items": RECORD_READ,
    "api.get_assessments": RECORD_READ,
    "api.get_audit": AUDIT_READ,
    "api.get_decisions": ALL,
    "api.get_dpias": RECORD_READ,
    "api.get_measures": RECORD_READ,
    "api.get_parties": ALL,
    "api.get_projects": RECORD_READ,
    "api.get_reviews": RECORD_READ,
    "api.get_risks": RECORD_READ,
    "api.list_agreements": ALL,
    "api.list_assessment_actions": ALL,
    "api.list_assessment_items": ALL,
    "api.list_assessments": ALL,
    "api.list_audit": AUDIT_READ,
    "api.list_decisions": ALL,
    "api.list_dpias": ALL,
    "api.list_measures": ALL,
    "api.list_parties": ALL,
    "api.list_projects": ALL,
    "api.list_reviews": ALL,
    "api.list_risks": ALL,
    "api.openapi": ALL,
    "api.reviews_due": ALL,
}


@dataclass
class Records:
    """Records of Project Dorothy, one in each state that some page needs."""

    dpia: Dpia
    awaiting_advice: Dpia
    awaiting_signoff: Dpia
    in_consultation: Dpia
    approved: Dpia
    risk: Risk
    measure: Measure
    screening: Screening
    import_note: DpiaImportNote
    assessment: PbdAssessment
    item: PbdItem
    item_with_action: PbdItem
    agreement: Agreement
    party_link: AgreementParty
    purpose: AgreementPurpose
    version: AgreementVersion
    one_off_decision: OneOffDecision
    review: Review
    review_action: ReviewAction
    attachment: Attachment
    api_token: ApiToken
    calendar_token: str
    audit_event_id: int


def dorothy_dpia(world, title: str, **fields) -> Dpia:
    return Dpia(
        project=world.dorothy,
        decision=world.decision,
        title=title,
        owner_id=world.lead.id,
        next_review_on=world.today,
        **fields,
    )


@pytest.fixture
def records(app, world) -> Records:
    dpia = dorothy_dpia(world, "Dorothy upgrade DPIA")
    awaiting_advice = dorothy_dpia(world, "Dorothy case notes", status="awaiting_dpo_advice")
    awaiting_signoff = dorothy_dpia(
        world,
        "Dorothy referrals",
        status="awaiting_signoff",
        dpo_advice="Proceed once access logging is in place.",
        dpo_advice_on=world.today,
        dpo_advice_by_id=world.dpo.id,
    )
    in_consultation = dorothy_dpia(world, "Dorothy facial matching", status="prior_consultation")
    approved = dorothy_dpia(
        world,
        "Dorothy intelligence sharing",
        status="approved",
        signed_off_on=world.today,
        signed_off_by_id=world.dpo.id,
    )

    risk = Risk(
        dpia=dpia,
        source="Supervisors keep case notes on shared drives",
        harm="Victims' details seen by staff without a need to know",
        likelihood="possible",
        severity="significant",
        computed_level="medium",
    )
    measure = Measure(
        risk=risk,
        description="Move case notes to the records system with access control",
        effect="reduced",
        residual_level="low",
        owner_id=world.lead.id,
        due_on=world.today + timedelta(days=30),
    )

    screening = Screening(
        project=world.dorothy,
        dpia=dpia,
        rationale="Large-scale processing of criminal offence data",
        decided_by_id=world.lead.id,
    )
    import_note = DpiaImportNote(
        dpia=dpia,
        source="dorothy-pia.json",
        report="[]",
        notes="Imported from the CNIL PIA tool.",
        created_by_id=world.lead.id,
    )

    first, second = checklist_for(False)[:2]
    item = PbdItem(code=first.code, position=1, status="met", evidence="Design document")
    item_with_action = PbdItem(
        code=second.code,
        position=2,
        status="not_met",
        action="Encrypt the database at rest",
        action_owner_id=world.lead.id,
        action_due_on=world.today + timedelta(days=30),
        action_status="open",
    )
    assessment = PbdAssessment(
        project=world.dorothy,
        decision=world.decision,
        title="Dorothy design review",
        owner_id=world.lead.id,
        assessor_id=world.lead.id,
        assessed_on=world.today,
        items=[item, item_with_action],
    )

    party_link = AgreementParty(party=world.supervisors, role="discloser")
    purpose = AgreementPurpose(description="Prosecution files", art6_basis="public_task")
    version = AgreementVersion(
        number=1, changed_on=world.today, change="First issue", authorised_by="Dana Okafor"
    )
    one_off_decision = OneOffDecision(
        requested_on=world.today,
        requester="Crown Prosecution Service",
        outcome="approved",
        reasons="Needed for a charging decision",
        decided_by="Dana Okafor",
        decided_on=world.today,
    )
    agreement = Agreement(
        reference="DSA-001",
        title="Dorothy and the national network",
        project=world.dorothy,
        decision=world.decision,
        scope="external",
        owner_id=world.lead.id,
        parties=[party_link],
        purposes=[purpose],
        versions=[version],
        decision_log=[one_off_decision],
    )

    db.session.add_all(
        [dpia, awaiting_advice, awaiting_signoff, in_consultation, approved, assessment, agreement]
    )
    db.session.add_all([screening, import_note])
    db.session.flush()

    review = Review(
        record_kind="dpia",
        record_id=approved.id,
        project=world.dorothy,
        record_title=approved.title,
        review_type="scheduled",
        trigger="scheduled",
        reviewer=world.lead,
        reviewed_on=world.today,
        is_processing_as_recorded=True,
        findings="Processing matches the DPIA",
        is_risk_changed=False,
        outcome="no_change",
        is_dpo_consulted=True,
        next_review_on=world.today + timedelta(days=365),
        recorded_by=world.lead,
    )
    review_action = ReviewAction(
        review=review,
        description="Update the retention schedule",
        owner=world.lead,
        due_on=world.today + timedelta(days=30),
    )

    api_token, _ = ApiToken.issue(world.auditor, "Audit reports", created_by=world.admin)
    calendar_token = issue_feed(world.lead)

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

    db.session.add_all([review, review_action, api_token, attachment])
    db.session.commit()
    return Records(
        dpia=dpia,
        awaiting_advice=awaiting_advice,
        awaiting_signoff=awaiting_signoff,
        in_consultation=in_consultation,
        approved=approved,
        risk=risk,
        measure=measure,
        screening=screening,
        import_note=import_note,
        assessment=assessment,
        item=item,
        item_with_action=item_with_action,
        agreement=agreement,
        party_link=party_link,
        purpose=purpose,
        version=version,
        one_off_decision=one_off_decision,
        review=review,
        review_action=review_action,
        attachment=attachment,
        api_token=api_token,
        calendar_token=calendar_token,
        audit_event_id=db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).limit(1)),
    )


def url_arguments(world, records) -> dict:
    """Return the URL arguments that most rules take."""
    return {
        "decision_id": world.decision.id,
        "project_id": world.dorothy.id,
        "party_id": world.supervisors.id,
        "user_id": world.lead.id,
        "dpia_id": records.dpia.id,
        "risk_id": records.risk.id,
        "measure_id": records.measure.id,
        "assessment_id": records.assessment.id,
        "item_id": records.item.id,
        "agreement_id": records.agreement.id,
        "link_id": records.party_link.id,
        "purpose_id": records.purpose.id,
        "attachment_id": records.attachment.id,
        "review_id": records.review.id,
        "action_id": records.review_action.id,
        "token_id": records.api_token.id,
        "token": records.calendar_token,
        "kind": "dpia",
        "owner_id": records.dpia.id,
        "record_id": records.dpia.id,
        "step": "need",
        "file_format": "csv",
        "filename": "favicon.svg",
    }


def endpoint_arguments(world, records) -> dict[str, dict]:
    """Return the URL arguments of endpoints that need another record, or one in another state."""
    return {
        "api.get_agreements": {"record_id": records.agreement.id},
        "api.get_assessments": {"record_id": records.assessment.id},
        "api.get_decisions": {"record_id": world.decision.id},
        "api.get_parties": {"record_id": world.supervisors.id},
        "api.get_projects": {"record_id": world.dorothy.id},
        "api.get_risks": {"record_id": records.risk.id},
        "api.get_measures": {"record_id": records.measure.id},
        "api.get_assessment_items": {"record_id": records.item.id},
        "api.get_assessment_actions": {"record_id": records.item_with_action.id},
        "api.get_reviews": {"record_id": records.review.id},
        "api.get_audit": {"record_id": records.audit_event_id},
        "dpia.advise": {"dpia_id": records.awaiting_advice.id},
        "dpia.send_back": {"dpia_id": records.awaiting_advice.id},
        "dpia.sign_off_dpia": {"dpia_id": records.awaiting_signoff.id},
        "dpia.prior_consultation": {"dpia_id": records.in_consultation.id},
        "dpia.conclude": {"dpia_id": records.in_consultation.id},
        "dpia.review": {"dpia_id": records.approved.id},
        "dpia.confirm": {"dpia_id": records.approved.id},
        "dpia.update_assessment_action": {"item_id": records.item_with_action.id},
        "exports.register_list": {"name": "dpias"},
        "exports.due_dates": {"file_format": "csv"},
        "exports.whole_register": {"file_format": "json"},
        "imports.template": {"kind": "dpias"},
        "sharing.change_agreement_status": {"action": "activate"},
        "sharing.remove_part": {"kind": "purposes", "child_id": records.purpose.id},
    }


def endpoint_urls(app, world, records) -> dict[str, tuple[str, set[str]]]:
    """Return {endpoint: (url, methods)} for every rule of the app.

    An endpoint's second rule whose path ends in /new, which adds a record
    where the first changes one, is keyed "<endpoint>:new".
    """
    arguments = url_arguments(world, records)
    overrides = endpoint_arguments(world, records)
    rules = list(app.url_map.iter_rules())
    rule_counts = {}
    for rule in rules:
        rule_counts[rule.endpoint] = rule_counts.get(rule.endpoint, 0) + 1
    urls = {}
    with app.test_request_context():
        for rule in rules:
            key = rule.endpoint
            if rule_counts[rule.endpoint] > 1 and rule.rule.endswith("/new"):
                key = f"{rule.endpoint}:new"
            assert key not in urls, f"two rules of {key}: give the second a key of its own"
            values = dict(arguments, **overrides.get(rule.endpoint, {}))
            values = {name: values[name] for name in rule.arguments}
            url = url_for(rule.endpoint, **values)
            # An argument the built rule does not take would end up in the query string.
            assert "?" not in url, (key, url)
            urls[key] = (url, rule.methods)
    return urls


def changed_tables(before: dict, after: dict, allowed: frozenset[str] = frozenset()) -> set[str]:
    """Return the tables whose rows differ between two snapshots, apart from `allowed`.

    New audit entries about rows of `allowed` tables are allowed too.
    """
    changed = {name for name in before if before[name] != after[name]} - allowed
    old_events = before["audit_events"]
    new_events = after["audit_events"][len(old_events) :]
    if "audit_events" in changed and after["audit_events"][: len(old_events)] == old_events:
        record_type = list(AuditEvent.__table__.columns.keys()).index("record_type")
        if all(event[record_type] in allowed for event in new_events):
            changed.discard("audit_events")
    return changed


def test_every_endpoint_in_table(app, world, records):
    missing = set(endpoint_urls(app, world, records)) - set(GET_STATUS)
    assert not missing, f"add these endpoints to GET_STATUS: {sorted(missing)}"


def test_every_table_entry_is_an_endpoint(app, world, records):
    stale = set(GET_STATUS) - set(endpoint_urls(app, world, records))
    assert not stale, f"remove these entries from GET_STATUS: {sorted(stale)}"


def test_anonymous_sent_to_sign_in(app, client, world, records):
    for endpoint, (url, methods) in endpoint_urls(app, world, records).items():
        if endpoint in PUBLIC:
            continue
        for method in ("GET", "POST"):
            if method not in methods:
                continue
            response = client.open(url, method=method)
            response.close()
            if url.startswith(API_PREFIX):
                assert response.status_code == 401, (endpoint, method)
                continue
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/sign-in"), (endpoint, method)


def test_public_pages_open_anonymously(client, world, records):
    assert client.get("/sign-in").status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get("/accessibility").status_code == 200
    response = client.get("/static/favicon.svg")
    response.close()
    assert response.status_code == 200
    feed = client.get(f"/calendar/feed/{records.calendar_token}.ics")
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"


def test_calendar_feed_unknown_token_not_found(client, world, records):
    before = table_snapshot()
    response = client.get("/calendar/feed/" + "x" * 43 + ".ics")
    assert response.status_code == 404
    assert table_snapshot() == before


@pytest.mark.parametrize("path", ["/sign-in/code", "/account/two-factor"])
def test_second_sign_in_step_needs_first(client, world, path):
    before = table_snapshot()
    for method in ("GET", "POST"):
        response = client.open(path, method=method)
        assert response.status_code == 302, method
        assert response.headers["Location"].startswith("/sign-in"), method
    assert table_snapshot() == before


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
        allowed = frozenset(GET_RECORDS_USE.get(endpoint, ()))
        written = changed_tables(before, table_snapshot(), allowed)
        if written:
            failures.append((endpoint, "GET changed the database", sorted(written)))
        before = table_snapshot()
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


@pytest.mark.parametrize("role", ROLES)
def test_api_token_matrix(app, client, world, records, role):
    index = ROLES.index(role)
    user = getattr(world, role)
    api_token, token = ApiToken.issue(user, f"{role} token", created_by=world.admin)
    db.session.add(api_token)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    urls = endpoint_urls(app, world, records)
    api_endpoints = {endpoint for endpoint, (url, _) in urls.items() if url.startswith(API_PREFIX)}
    assert api_endpoints == set(API_STATUS)
    failures = []
    for endpoint in sorted(api_endpoints):
        url, _ = urls[endpoint]
        before = table_snapshot()
        try:
            response = client.get(url, headers=headers)
        except Exception as error:  # noqa: BLE001 (a server error is one more failure to list)
            failures.append((endpoint, "server error", repr(error)))
            continue
        if response.status_code != API_STATUS[endpoint][index]:
            failures.append((endpoint, response.status_code))
        # A token's use is recorded on it, and nothing else may change.
        written = changed_tables(before, table_snapshot(), frozenset({"api_tokens"}))
        if written:
            failures.append((endpoint, "GET changed the database", sorted(written)))
    assert not failures


def test_api_refuses_revoked_token(client, world, records):
    api_token, token = ApiToken.issue(world.dpo, "Revoked", created_by=world.admin)
    api_token.revoked_at = utc_now()
    db.session.add(api_token)
    db.session.commit()
    response = client.get("/api/v1/dpias", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_api_ignores_session(login, world, records):
    client = login(world.dpo)
    assert client.get("/api/v1/dpias").status_code == 401


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

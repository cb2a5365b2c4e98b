"""The read API: token authentication, page access rules, pagination and its OpenAPI."""

import hashlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.timeutil import utc_now
from register.api.models import ApiToken
from register.api.openapi import openapi_document
from register.exports.lists import REGISTER_LISTS


@pytest.fixture
def issue_token(world):
    """Return a function that issues an API token for a user and returns the token."""

    def issue(user) -> str:
        record, token = ApiToken.issue(user, f"Token of {user.name}", world.admin)
        db.session.add(record)
        db.session.commit()
        return token

    return issue


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_missing_token_gets_401(client, world):
    response = client.get("/api/v1/dpias")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["error"]["message"].startswith("Send a valid API token")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer prt_not-a-real-token",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "prt_x",
        "Bearer " + "x" * 5000,
    ],
)
def test_bad_token_gets_401(client, world, header):
    response = client.get("/api/v1/dpias", headers={"Authorization": header})
    assert response.status_code == 401


def test_session_cookie_not_enough(client, login, world):
    login(world.dpo)
    assert client.get("/api/v1/dpias").status_code == 401


def test_revoked_token_refused(client, world, issue_token):
    token = issue_token(world.auditor)
    assert client.get("/api/v1/dpias", headers=bearer(token)).status_code == 200
    record = db.session.scalar(select(ApiToken))
    record.revoked_at = utc_now()
    db.session.commit()
    assert client.get("/api/v1/dpias", headers=bearer(token)).status_code == 401


def test_inactive_user_token_refused(client, world, issue_token):
    token = issue_token(world.auditor)
    world.auditor.is_active = False
    db.session.commit()
    assert client.get("/api/v1/dpias", headers=bearer(token)).status_code == 401


def test_token_stored_as_hash(client, world, issue_token):
    token = issue_token(world.auditor)
    record = db.session.scalar(select(ApiToken))
    assert token.startswith("prt_")
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (record.token_hash, record.hint)
    assert record.last_used_at is None
    client.get("/api/v1/decisions", headers=bearer(token))
    assert db.session.get(ApiToken, record.id).last_used_at is not None


def test_lead_sees_own_projects_only(client, records, world, issue_token):
    headers = bearer(issue_token(world.lead))
    body = client.get("/api/v1/dpias", headers=headers).json
    assert [item["title"] for item in body["items"]] == ["Dorothy intelligence sharing"]
    assert body["total"] == 1
    other = client.get(f"/api/v1/dpias/{records.kestrel_dpia.id}", headers=headers)
    assert other.status_code == 404
    own = client.get(f"/api/v1/dpias/{records.dorothy_dpia.id}", headers=headers)
    assert own.status_code == 200
    assert own.json["project_id"] == world.dorothy.id
    projects = client.get("/api/v1/projects", headers=headers).json["items"]
    assert [project["name"] for project in projects] == ["Project Dorothy"]


def test_records_carry_links_and_children(client, records, world, issue_token):
    headers = bearer(issue_token(world.auditor))
    agreement = client.get(f"/api/v1/agreements/{records.agreement.id}", headers=headers).json
    assert agreement["reference"] == "ISA-MO3-001"
    assert agreement["dpia_id"] == records.dorothy_dpia.id
    assert agreement["next_review_on"] == records.agreement.next_review_on.isoformat()
    roles = {party["party_id"]: party["role"] for party in agreement["parties"]}
    assert roles == {world.supervisors.id: "discloser", world.cps.id: "recipient"}
    project = client.get(f"/api/v1/projects/{world.dorothy.id}", headers=headers).json
    assert project["decisions_ids"] == [world.decision.id]
    users = client.get("/api/v1/dpias", headers=headers).json["items"]
    assert all("password_hash" not in item for item in users)


def test_pagination(client, records, world, issue_token):
    headers = bearer(issue_token(world.auditor))
    first = client.get("/api/v1/dpias?per_page=1", headers=headers).json
    second = client.get("/api/v1/dpias?per_page=1&page=2", headers=headers).json
    beyond = client.get("/api/v1/dpias?per_page=1&page=3", headers=headers).json
    assert (first["total"], first["pages"], first["per_page"]) == (2, 2, 1)
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert beyond["items"] == []


def test_filters(client, records, world, issue_token):
    headers = bearer(issue_token(world.auditor))
    body = client.get(f"/api/v1/agreements?project={world.kestrel.id}", headers=headers).json
    assert [item["reference"] for item in body["items"]] == ["ISA-FP-007"]
    body = client.get("/api/v1/agreements?status=active", headers=headers).json
    assert [item["reference"] for item in body["items"]] == ["ISA-MO3-001"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=101", "per_page"),
        ("per_page=%C2%B2", "per_page"),
        ("status=lost", "status"),
        ("project=-1", "project"),
        ("decision=2147483648", "decision"),
        ("review_due_by=31/12/2030", "review_due_by"),
    ],
)
def test_invalid_parameters_get_400(client, world, issue_token, query, field):
    response = client.get(f"/api/v1/dpias?{query}", headers=bearer(issue_token(world.auditor)))
    assert response.status_code == 400
    assert field in response.json["error"]["details"]


def test_due_reviews_endpoint(client, records, world, issue_token):
    headers = bearer(issue_token(world.lead))
    body = client.get("/api/v1/reviews/due", headers=headers).json
    titles = [item["title"] for item in body["items"]]
    assert "Dorothy intelligence sharing" in titles
    assert all("Kestrel" not in title for title in titles)
    due_by = (world.today.replace(year=world.today.year + 1)).isoformat()
    soon = client.get(f"/api/v1/reviews/due?due_by={world.today.isoformat()}", headers=headers)
    # Only the overdue privacy-by-design action is due by today.
    assert [item["kind"] for item in soon.json["items"]] == ["pbd_action"]
    later = client.get(f"/api/v1/reviews/due?due_by={due_by}", headers=headers).json
    kinds = sorted(item["kind"] for item in later["items"])
    assert kinds == [
        "agreement",
        "assessment",
        "dpia",
        "dpia_measure",
        "pbd_action",
        "review_action",
    ]
    bad = client.get("/api/v1/reviews/due?due_by=2025-02-30", headers=headers)
    assert bad.status_code == 400


def test_reviews_endpoint_lists_review_records(client, records, world, issue_token):
    lead = bearer(issue_token(world.lead))
    body = client.get("/api/v1/reviews", headers=lead).json
    assert [item["id"] for item in body["items"]] == [records.dorothy_review.id]
    assert body["items"][0]["outcome"] == "no_change"
    assert [action["description"] for action in body["items"][0]["actions"]] == [
        "Update the retention schedule"
    ]
    other = client.get(f"/api/v1/reviews/{records.kestrel_review.id}", headers=lead)
    assert other.status_code == 404
    auditor = bearer(issue_token(world.auditor))
    everything = client.get("/api/v1/reviews", headers=auditor).json
    assert everything["total"] == 2
    agreements = client.get("/api/v1/reviews?type=agreement", headers=auditor).json
    assert [item["id"] for item in agreements["items"]] == [records.kestrel_review.id]
    bad = client.get("/api/v1/reviews?type=spreadsheet", headers=auditor)
    assert bad.status_code == 400
    assert "type" in bad.json["error"]["details"]


def test_audit_endpoint_only_for_dpo_and_auditor(client, records, world, issue_token):
    lead = client.get("/api/v1/audit", headers=bearer(issue_token(world.lead)))
    assert lead.status_code == 403
    admin = client.get("/api/v1/audit", headers=bearer(issue_token(world.admin)))
    assert admin.status_code == 403
    auditor = client.get("/api/v1/audit?action=create", headers=bearer(issue_token(world.auditor)))
    assert auditor.status_code == 200
    assert auditor.json["total"] > 0
    assert {item["action"] for item in auditor.json["items"]} == {"create"}


def test_token_use_audited_with_its_user(client, world, issue_token):
    token = issue_token(world.auditor)
    assert client.get("/api/v1/decisions", headers=bearer(token)).status_code == 200
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "api_tokens", AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert "last_used_at" in event.changes
    assert event.actor_id == world.auditor.id
    assert event.actor_label == world.auditor.email


def test_huge_id_not_found(client, world, issue_token):
    response = client.get(f"/api/v1/dpias/{10**30}", headers=bearer(issue_token(world.dpo)))
    assert response.status_code == 404


def test_openapi_describes_every_endpoint(client, world, issue_token):
    document = client.get("/api/v1/openapi.json", headers=bearer(issue_token(world.dpo))).json
    assert document["openapi"].startswith("3.0")
    expected = {f"/api/v1/{name}" for name in REGISTER_LISTS} | {
        f"/api/v1/{name}/{{record_id}}" for name in REGISTER_LISTS
    }
    assert expected | {"/api/v1/reviews/due"} == set(document["paths"])


@pytest.mark.parametrize("role", ["auditor", "lead"])
def test_every_endpoint_matches_openapi(app, records, world, issue_token, role):
    """Generate requests from the OpenAPI document and check each response against it."""
    headers = bearer(issue_token(getattr(world, role)))
    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2 * len(REGISTER_LISTS) + 1
    for operation in operations:
        # A list open to fewer roles rejects other roles' tokens with 403.
        name = operation.path.split("/")[3]
        allowed = name not in REGISTER_LISTS or REGISTER_LISTS[name].allows(getattr(world, role))
        expected = (200, 400, 404) if allowed else (403,)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers=headers)
            assert response.status_code in expected, (case.path, response.text[:200])  # noqa: B023 (check runs within this iteration)
            case.validate_response(response, headers=headers)

        check()


def test_unauthenticated_responses_match_openapi(app, world):
    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.app = app
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=2, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            response = case.call()
            assert response.status_code == 401
            case.validate_response(response)

        check()


def test_admin_issues_token_shown_once(client, login, world):
    login(world.admin)
    response = client.post("/api-tokens/", data={"user_id": str(world.auditor.id), "name": "Copy"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    record = db.session.scalar(select(ApiToken))
    token = page.split('<code id="issued-token">', 1)[1].split("</code>", 1)[0]
    assert hashlib.sha256(token.encode()).hexdigest() == record.token_hash
    assert record.user_id == world.auditor.id
    assert record.created_by_id == world.admin.id
    assert token not in client.get("/api-tokens/").get_data(as_text=True)
    assert client.get("/api/v1/decisions", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"user_id": "", "name": "Copy"}, "Select the user the token acts for"),
        ({"user_id": "99999", "name": "Copy"}, "Select the user the token acts for"),
        ({"user_id": "abc", "name": "Copy"}, "Select the user the token acts for"),
        ({"name": "", "user_id": "1"}, "Enter a name that says where the token is used"),
        ({"name": "x" * 500, "user_id": "1"}, "120 characters or fewer"),
    ],
)
def test_token_form_errors(client, login, world, data, message):
    login(world.admin)
    response = client.post("/api-tokens/", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Error: API tokens" in page
    assert db.session.scalar(select(ApiToken)) is None


def test_admin_revokes_token(client, login, world, issue_token):
    token = issue_token(world.auditor)
    record = db.session.scalar(select(ApiToken))
    login(world.admin)
    response = client.post(f"/api-tokens/{record.id}/revoke")
    assert response.status_code == 302
    revoked = db.session.get(ApiToken, record.id)
    assert revoked.revoked_by_id == world.admin.id
    assert client.get("/api/v1/decisions", headers=bearer(token)).status_code == 401
    assert client.post("/api-tokens/99999/revoke").status_code == 404


@pytest.mark.parametrize("role", ["dpo", "lead", "auditor"])
def test_only_admin_manages_tokens(client, login, world, issue_token, role):
    token = issue_token(world.auditor)
    record = db.session.scalar(select(ApiToken))
    login(getattr(world, role))
    assert client.get("/api-tokens/").status_code == 403
    assert client.post(f"/api-tokens/{record.id}/revoke").status_code == 403
    assert client.get("/api/v1/decisions", headers=bearer(token)).status_code == 200
    assert db.session.get(ApiToken, record.id).revoked_at is None

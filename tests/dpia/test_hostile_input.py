"""No value a user can send to a DPIA page produces a server error."""

import pytest

from core.extensions import db

JUNK_VALUES = [
    "\x00",
    "x" * 100_000,
    "<script>alert(1)</script>",
    "-1",
    "99999999999999999999",
    "yes\x00no",
    "",
]

JUNK_DATES = [
    ["30", "2", "2027"],
    ["31", "4", "2027"],
    ["1", "13", "2027"],
    ["a", "b", "c"],
    ["1", "1", "27"],
    ["1", "1", "99999"],
    ["\x00", "1", "2027"],
    ["1"],
]

DRAFT_PAGES = [
    "screening",
    "steps/need",
    "steps/description",
    "steps/consultation",
    "steps/necessity",
    "risks/new",
    "edit",
]
DPO_PAGES = {
    "awaiting_dpo_advice": ["advice", "send-back"],
    "awaiting_signoff": ["sign-off"],
    "approved": ["review"],
}

FIELDS = [
    "mandatory_cases",
    "ico_types",
    "wp248_criteria",
    "involves_sharing",
    "is_dpia_required",
    "rationale",
    "need_summary",
    "nature",
    "special_categories",
    "has_criminal_offence_data",
    "views_sought",
    "art6_basis",
    "le_basis",
    "is_sensitive_processing",
    "schedule8_condition",
    "logged_operations",
    "likelihood",
    "severity",
    "override_level",
    "project_id",
    "owner_id",
    "regime",
    "title",
    "dpo_advice",
    "advice_response",
    "departs_from_views",
    "prior_consultation_override",
    "outcome",
    "comment",
    "reason",
    "to",
]
DATE_FIELDS = [
    "go_live_on",
    "next_review_on",
    "dpo_advice_on",
    "signed_off_on",
    "measures_approved_on",
    "due_on",
]


def payloads():
    for value in JUNK_VALUES:
        yield dict.fromkeys(FIELDS, value) | {name: [value] * 3 for name in DATE_FIELDS}
    for dates in JUNK_DATES:
        yield {name: dates for name in DATE_FIELDS}
    yield {name: [JUNK_VALUES[0], JUNK_VALUES[2]] for name in FIELDS}


@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_draft_pages_survive_junk(client, login, world, make_dpia, page):
    dpia = make_dpia("draft")
    login(world.dpo)
    for data in payloads():
        response = client.post(f"/dpias/{dpia.id}/{page}", data=data)
        assert response.status_code < 500, (page, data)
    db.session.refresh(dpia)
    assert dpia.status == "draft"


@pytest.mark.parametrize(("state", "page"), [(s, p) for s, ps in DPO_PAGES.items() for p in ps])
def test_dpo_pages_survive_junk(client, login, world, make_dpia, state, page):
    dpia = make_dpia(state)
    risk_id = dpia.risks[0].id
    login(world.dpo)
    for data in payloads():
        response = client.post(f"/dpias/{dpia.id}/{page}", data=data)
        assert response.status_code < 500, (page, data)
        response = client.post(f"/dpias/{dpia.id}/move", data=data)
        assert response.status_code < 500, ("move", data)
    assert db.session.query(type(dpia.risks[0])).filter_by(id=risk_id).count() == 1


def test_measure_page_survives_junk(client, login, world, make_dpia):
    dpia = make_dpia("draft")
    risk = dpia.risks[0]
    login(world.lead)
    for data in payloads():
        data = data | {"effect": data.get("title", "x"), "status": data.get("title", "x")}
        response = client.post(f"/dpias/{dpia.id}/risks/{risk.id}/measures/new", data=data)
        assert response.status_code < 500, data
    assert len(risk.measures) == 1


@pytest.mark.parametrize(
    "query",
    [
        "project=%00",
        "status=" + "a" * 10000,
        "sort=residual&residual=extreme",
        "review=overdue&page=99999999999",
        "project=1&project=2",
        "regime[]=both",
    ],
)
def test_register_survives_junk(client, login, world, query):
    login(world.auditor)
    assert client.get(f"/dpias?{query}").status_code == 200

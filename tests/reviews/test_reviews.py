"""Recording reviews, the next review date they set, and the reviews page."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from core.extensions import db
from core.reviewable import ReviewSource
from dpia.models import Dpia
from register.models import Review, ReviewAction
from register.review_service import add_months, default_interval
from sharing.models import Agreement


def review_form(today: date, **overrides) -> dict:
    data = {
        "review_type": "scheduled",
        "trigger": "scheduled",
        "reviewed_on": [str(today.day), str(today.month), str(today.year)],
        "is_processing_as_recorded": "yes",
        "findings": "Deployment logs checked; access is limited to MO3 supervisors.",
        "is_risk_changed": "no",
        "new_risk_level": "",
        "outcome": "no_change",
        "is_dpo_consulted": "yes",
        "next_review_on": ["", "", ""],
    }
    data.update(overrides)
    return data


def as_date_parts(value: date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def reviews_of(record) -> list[Review]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Review).where(Review.record_id == record.id)))


def test_record_review_sets_next_date(world, make_dpia, login):
    dpia = make_dpia(world.today + timedelta(days=3))
    client = login(world.dpo)
    next_review = world.today + timedelta(days=200)
    data = review_form(
        world.today,
        reviewer_id=str(world.lead.id),
        next_review_on=as_date_parts(next_review),
        action_1_description="Apply the retention rule automatically",
        action_1_owner_id=str(world.lead.id),
        action_1_due_on=as_date_parts(world.today + timedelta(days=30)),
    )

    response = client.post(f"/reviews/dpia/{dpia.id}/new", data=data)

    assert response.status_code == 302, response.get_data(as_text=True)
    [review] = reviews_of(dpia)
    assert response.headers["Location"] == f"/reviews/{review.id}"
    assert review.reviewer_id == world.lead.id
    assert review.recorded_by_id == world.dpo.id
    assert review.outcome == "no_change"
    assert review.is_processing_as_recorded is True
    assert review.next_review_on == next_review
    assert [(a.description, a.owner_id) for a in review.actions] == [
        ("Apply the retention rule automatically", world.lead.id)
    ]
    assert db.session.get(Dpia, dpia.id).next_review_on == next_review
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Review of Dorothy online investigation recorded" in page
    assert "Apply the retention rule automatically" in page


def test_blank_next_date_uses_default(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    response = client.post(
        f"/reviews/dpia/{dpia.id}/new", data=review_form(world.today, reviewer_id=str(world.dpo.id))
    )
    assert response.status_code == 302
    assert db.session.get(Dpia, dpia.id).next_review_on == add_months(world.today, 12)


def test_new_risk_level_sets_interval(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    data = review_form(
        world.today,
        reviewer_id=str(world.dpo.id),
        is_risk_changed="yes",
        new_risk_level="high",
        outcome="minor_update",
    )
    assert client.post(f"/reviews/dpia/{dpia.id}/new", data=data).status_code == 302
    assert db.session.get(Dpia, dpia.id).next_review_on == add_months(world.today, 6)
    assert reviews_of(dpia)[0].new_risk_level == "high"


def test_agreement_interval_capped(world, make_agreement, login):
    agreement = make_agreement(world.today)
    agreement.frequency = "one_off"
    db.session.commit()
    client = login(world.dpo)
    data = review_form(
        world.today,
        reviewer_id=str(world.dpo.id),
        is_risk_changed="yes",
        new_risk_level="low",
    )
    assert client.post(f"/reviews/agreement/{agreement.id}/new", data=data).status_code == 302
    assert db.session.get(Agreement, agreement.id).next_review_on == add_months(world.today, 12)


def test_new_routine_agreement_first_review_at_six_months(world, make_agreement, login):
    agreement = make_agreement(world.today)
    assert agreement.frequency == "routine"
    client = login(world.dpo)
    data = review_form(world.today, reviewer_id=str(world.dpo.id))
    assert client.post(f"/reviews/agreement/{agreement.id}/new", data=data).status_code == 302
    assert db.session.get(Agreement, agreement.id).next_review_on == add_months(world.today, 6)


@pytest.mark.parametrize(
    ("policy", "level", "routine", "reviews", "months"),
    [
        ("risk", "high", False, 0, 6),
        ("risk", "medium", False, 0, 12),
        ("risk", "low", False, 0, 24),
        ("risk", None, False, 0, 12),
        ("risk", "low", True, 0, 24),
        ("agreement", "low", False, 0, 12),
        ("agreement", "low", True, 0, 6),
        ("agreement", "low", True, 1, 12),
        ("agreement", "high", True, 0, 6),
        ("agreement", "high", False, 0, 6),
    ],
)
def test_default_interval_rules(world, make_agreement, policy, level, routine, reviews, months):
    agreement = make_agreement(world.today)
    for _ in range(reviews):
        db.session.add(
            Review(
                record_kind="agreement",
                record_id=agreement.id,
                project_id=world.dorothy.id,
                record_title="x",
                review_type="scheduled",
                trigger="scheduled",
                reviewer=world.dpo,
                reviewed_on=world.today,
                is_processing_as_recorded=True,
                findings="x",
                is_risk_changed=False,
                outcome="no_change",
                is_dpo_consulted=True,
                recorded_by=world.dpo,
            )
        )
    db.session.commit()
    source = ReviewSource(
        "agreement",
        "Agreement",
        "sharing.agreement",
        "agreement_id",
        lambda: None,
        model=Agreement,
        review_policy=policy,
        risk_level=lambda record: level,
        is_routine=lambda record: routine,
    )
    assert default_interval(source, agreement).months == months


def test_add_months_clamps_day():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), 24) == date(2028, 1, 15)


def test_terminate_clears_next_date(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    data = review_form(world.today, reviewer_id=str(world.dpo.id), outcome="terminate")
    assert client.post(f"/reviews/dpia/{dpia.id}/new", data=data).status_code == 302
    assert db.session.get(Dpia, dpia.id).next_review_on is None
    assert reviews_of(dpia)[0].next_review_on is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"next_review_on": "same-day"}, "Next review date must be after the review date"),
        ({"next_review_on": ["30", "2", "2027"]}, "Next review date must be a real date"),
        ({"reviewed_on": ["", "", ""]}, "Enter the date of the review"),
        ({"reviewed_on": "future"}, "Review date must be today or in the past"),
        ({"reviewed_on": ["1", "", "2026"]}, "Review date must include a month"),
        ({"review_type": ""}, "Select the type of review"),
        ({"review_type": "weekly"}, "Select the type of review"),
        ({"trigger": "\x00"}, "Select what prompted the review"),
        (
            {"review_type": "triggered"},
            "Select the change or event that triggered the review",
        ),
        ({"trigger": "complaint"}, "or change the type of review to triggered"),
        ({"reviewer_id": "not-a-number"}, "Select who carried out the review"),
        ({"reviewer_id": "99999999999999999999"}, "Select who carried out the review"),
        ({"is_processing_as_recorded": "maybe"}, "Select yes if the processing still matches"),
        ({"findings": "\x00\x00  "}, "Enter what the review found"),
        ({"findings": "x" * 20001}, "Findings must be 20000 characters or fewer"),
        ({"is_risk_changed": "yes"}, "Select the new residual risk level, as the risk has changed"),
        ({"outcome": "terminate", "next_review_on": "later"}, "Leave the next review date blank"),
        ({"action_1_description": "Check the logs"}, "Select who owns action 1"),
        ({"action_2_owner_id": "owner"}, "Describe action 2, or clear its owner and date"),
        ({"action_3_due_on": ["31", "4", "2026"]}, "Action 3 due date must be a real date"),
    ],
)
def test_review_rules_reject(world, make_dpia, login, overrides, message):
    due = world.today + timedelta(days=3)
    dpia = make_dpia(due)
    client = login(world.dpo)
    data = review_form(world.today, reviewer_id=str(world.dpo.id))
    special = {
        "same-day": as_date_parts(world.today),
        "future": as_date_parts(world.today + timedelta(days=1)),
        "later": as_date_parts(world.today + timedelta(days=90)),
        "owner": str(world.lead.id),
    }
    data.update(
        {
            key: special.get(value, value)
            for key, value in overrides.items()
            if isinstance(value, str)
        }
    )
    data.update({key: value for key, value in overrides.items() if not isinstance(value, str)})

    response = client.post(f"/reviews/dpia/{dpia.id}/new", data=data)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert reviews_of(dpia) == []
    assert db.session.get(Dpia, dpia.id).next_review_on == due


def test_rejected_form_keeps_input(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    data = review_form(world.today, reviewer_id=str(world.dpo.id), review_type="")
    data["findings"] = "Supervisors still export logs by hand."
    page = client.post(f"/reviews/dpia/{dpia.id}/new", data=data).get_data(as_text=True)
    assert "Supervisors still export logs by hand." in page
    assert "<title>Error: " in page


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("auditor", "/reviews/dpia/{id}/new", 403),
        ("admin", "/reviews/dpia/{id}/new", 403),
        ("other_lead", "/reviews/dpia/{id}/new", 404),
        ("other_lead", "/reviews/dpia/{id}", 404),
        ("lead", "/reviews/dpia/{id}/new", 200),
        ("auditor", "/reviews/dpia/{id}", 200),
        ("dpo", "/reviews/dpia/999999/new", 404),
        ("dpo", "/reviews/dpia/99999999999999999999/new", 404),
        ("dpo", "/reviews/unknown/{id}/new", 404),
        ("dpo", "/reviews/review_action/{id}/new", 404),
        ("dpo", "/reviews/99999999999999999999", 404),
    ],
)
def test_review_page_access(world, make_dpia, login, who, path, status):
    dpia = make_dpia(world.today)
    client = login(getattr(world, who))
    assert client.get(path.format(id=dpia.id)).status_code == status


def test_lead_of_other_project_cannot_post(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.other_lead)
    data = review_form(world.today, reviewer_id=str(world.other_lead.id))
    assert client.post(f"/reviews/dpia/{dpia.id}/new", data=data).status_code == 404
    assert reviews_of(dpia) == []


def test_record_page_shows_history(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    data = review_form(world.today, reviewer_id=str(world.lead.id), outcome="minor_update")
    client.post(f"/reviews/dpia/{dpia.id}/new", data=data)
    page = client.get(f"/dpias/{dpia.id}").get_data(as_text=True)
    assert "Review history" in page
    assert "Minor update" in page
    assert "Liam Hart" in page
    history = client.get(f"/reviews/dpia/{dpia.id}").get_data(as_text=True)
    assert "Minor update" in history


def test_reviews_page_groups_and_filters(world, make_dpia, make_agreement, login):
    make_dpia(world.today - timedelta(days=1), title="Past its date")
    make_dpia(world.today + timedelta(days=30), title="Within the month")
    make_dpia(world.today + timedelta(days=31), title="Next quarter")
    make_dpia(
        world.today + timedelta(days=5),
        owner=world.other_lead,
        title="Kestrel footage",
        project=world.kestrel,
    )
    make_agreement(world.today + timedelta(days=2))
    client = login(world.dpo)

    page = client.get("/reviews").get_data(as_text=True)
    overdue, rest = page.split('id="soon"')
    soon, later = rest.split('id="later"')
    assert "Past its date" in overdue
    assert "Within the month" in soon
    assert "Kestrel footage" in soon
    assert "Next quarter" in later
    assert "Next quarter" not in soon

    by_owner = client.get(f"/reviews?owner={world.other_lead.id}").get_data(as_text=True)
    assert "Kestrel footage" in by_owner
    assert "Past its date" not in by_owner
    assert 'value="Priya Shah"' in by_owner
    by_owner_name = client.get("/reviews?owner_name=priya").get_data(as_text=True)
    assert "Kestrel footage" in by_owner_name
    assert "Past its date" not in by_owner_name
    by_project = client.get(f"/reviews?project={world.kestrel.id}").get_data(as_text=True)
    assert "Kestrel footage" in by_project
    assert "Within the month" not in by_project
    assert 'value="Project Kestrel"' in by_project
    by_project_name = client.get("/reviews?project_name=KESTREL").get_data(as_text=True)
    assert "Kestrel footage" in by_project_name
    assert "Within the month" not in by_project_name
    by_type = client.get("/reviews?type=agreement").get_data(as_text=True)
    assert "ISA-MO3-002" in by_type
    assert "Past its date" not in by_type


def add_numbered_records(app, world, make_dpia, count: int) -> None:
    """Add `count` DPIAs due on consecutive days, and show four Reviews items a page."""
    app.config["REGISTER_PAGE_SIZE"] = 1
    for number in range(count):
        make_dpia(world.today + timedelta(days=number), title=f"Record number {number}")


def test_reviews_page_paginated(app, world, make_dpia, login):
    add_numbered_records(app, world, make_dpia, 10)
    client = login(world.dpo)

    first = client.get("/reviews").get_data(as_text=True)
    assert "Record number 3" in first
    assert "Record number 4" not in first
    assert "Items 1 to 4 of 10" in first
    assert "10 items." in first
    assert 'rel="prev"' not in first
    assert "First page" not in first

    second = client.get(next_link(first)).get_data(as_text=True)
    assert "Record number 4" in second
    assert "Record number 7" in second
    assert "Record number 3" not in second
    assert "Items 5 to 8 of 10" in second

    last = client.get(next_link(second)).get_data(as_text=True)
    assert "Items 9 to 10 of 10" in last
    assert "Record number 9" in last
    assert 'rel="next"' not in last
    assert "Last page" not in last
    assert "Overdue (0 on this page)" in last
    assert "Nothing overdue on this page." in last

    back = client.get(previous_link(last)).get_data(as_text=True)
    assert "Items 5 to 8 of 10" in back
    assert "Record number 4" in back

    at_the_end = client.get("/reviews?page=last").get_data(as_text=True)
    assert "Items 7 to 10 of 10" in at_the_end
    assert "Record number 6" in at_the_end
    assert "Record number 5" not in at_the_end


def next_link(html: str) -> str:
    return unescape(re.search(r'href="([^"]+)" rel="next"', html).group(1))


def previous_link(html: str) -> str:
    return unescape(re.search(r'href="([^"]+)" rel="prev"', html).group(1))


def test_reviews_page_links_keep_filters(app, world, make_dpia, login):
    add_numbered_records(app, world, make_dpia, 6)
    client = login(world.dpo)

    first = client.get("/reviews?type=dpia&project_name=dorothy").get_data(as_text=True)
    link = next_link(first)
    assert "type=dpia" in link
    assert "project_name=dorothy" in link
    second = client.get(link).get_data(as_text=True)
    assert "Items 5 to 6 of 6" in second
    assert "Record number 5" in second


def test_reviews_page_key_outside_list(app, world, make_dpia, login):
    add_numbered_records(app, world, make_dpia, 6)
    client = login(world.dpo)

    html = client.get("/reviews?after=2999-01-01.dpia.1").get_data(as_text=True)
    assert "Items 3 to 6 of 6" in html
    early = client.get("/reviews?before=2000-01-01.dpia.1").get_data(as_text=True)
    assert "Items 1 to 4 of 6" in early


@pytest.mark.parametrize(
    "query",
    [
        "owner=abc",
        "project=99999999999999999999",
        "type=%00",
        "owner=-1&project=x",
        "page=abc",
        "page=99",
        "after=abc",
        "after=2027-01-01.dpia.x",
        "after=2027-02-30.dpia.1",
        "after=2027-01-01.nothing.1",
        "before=2027-01-01.dpia.99999999999999999999",
        "after=2027-01-01.dpia.2147483648",
        "before=2027-01-01.dpia.999999999999999999",
        "after=%00.dpia.1",
        "before=..",
        "after=%EF%BC%92027-01-01.dpia.1",
    ],
)
def test_reviews_page_hostile_filters(world, make_dpia, login, query):
    make_dpia(world.today)
    client = login(world.dpo)
    response = client.get(f"/reviews?{query}")
    assert response.status_code == 200
    assert "Dorothy online investigation" in response.get_data(as_text=True)


def test_lead_sees_own_projects_only(world, make_dpia, login):
    make_dpia(world.today, title="Dorothy record")
    make_dpia(world.today, owner=world.other_lead, title="Kestrel record", project=world.kestrel)
    page = login(world.lead).get("/reviews").get_data(as_text=True)
    assert "Dorothy record" in page
    assert "Kestrel record" not in page


def test_action_marked_done(world, make_dpia, login):
    dpia = make_dpia(world.today)
    client = login(world.dpo)
    data = review_form(
        world.today,
        reviewer_id=str(world.dpo.id),
        action_1_description="Retrain analysts on grading",
        action_1_owner_id=str(world.lead.id),
        action_1_due_on=as_date_parts(world.today + timedelta(days=10)),
    )
    client.post(f"/reviews/dpia/{dpia.id}/new", data=data)
    action = db.session.scalar(db.select(ReviewAction))
    reviews_page = client.get("/reviews?type=review_action").get_data(as_text=True)
    assert "Retrain analysts on grading" in reviews_page

    auditor = login(world.auditor)
    assert auditor.post(f"/reviews/actions/{action.id}/done").status_code == 403
    lead = login(world.lead)
    response = lead.post(f"/reviews/actions/{action.id}/done")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReviewAction, action.id).completed_on is not None
    assert "Retrain analysts" not in lead.get("/reviews").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "kept"),
    [("endpoint", False), ("_method", False), ("_anchor", False), ("file_format", True)],
)
def test_reviews_page_links_drop_link_argument_names(app, world, make_dpia, login, name, kept):
    """Query arguments named like url_for's arguments break no link and set none of its parts.

    A name that only the download link sets itself stays in the page links.
    """
    add_numbered_records(app, world, make_dpia, 6)
    client = login(world.dpo)

    response = client.get("/reviews", query_string={name: "x", "type": "dpia"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/export/reviews-due.csv?type=dpia"' in html
    link = next_link(html)
    assert "type=dpia" in link
    assert "#" not in link
    assert (f"{name}=x" in link) == kept

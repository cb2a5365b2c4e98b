"""The actions page lists the same actions, in the same order, as a plain reading of the rules."""

from datetime import date

import pytest
from flask import template_rendered
from sqlalchemy import select

from benchmarks.pages import FLOOR_PREFIX, add_floor_routes
from core.extensions import db
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.pbd_workflow import start_next_stage
from tests.conftest import days
from tests.pbd.conftest import answer_all, give_action

# Codes of the checklist items that every assessment counts, in checklist order.
CODES = (
    "techniques",
    "strong_defaults",
    "core_function",
    "contacts_published",
    "necessary_data",
    "plain_language",
)


def build_register(make_assessment, world):
    """Add actions of every kind the page orders: overdue, due today and later, undated, done."""
    today = world.today
    dorothy = make_assessment(is_law_enforcement=True)
    answer_all(dorothy, "partly_met")
    give_action(dorothy.item("techniques"), world.lead, today - days(5))
    give_action(dorothy.item("strong_defaults"), world.dpo, today - days(5), status="in_progress")
    give_action(dorothy.item("core_function"), world.lead, today - days(5), status="done")
    give_action(dorothy.item("contacts_published"), world.lead, today)
    give_action(dorothy.item("logging"), world.lead, today + days(3))
    give_action(dorothy.item("purpose_limitation"), world.lead, None)
    db.session.commit()

    # The later stage copies every action, and the design stage's copies leave the list.
    later = start_next_stage(
        dorothy,
        title="Case system: build stage",
        stage="build",
        assessor_id=world.lead.id,
        assessed_on=today,
        next_review_on=today + days(50),
    )
    db.session.add(later)
    db.session.commit()
    later.item("techniques").action_status = "done"
    give_action(later.item("necessary_data"), world.lead, None, status="done")
    give_action(later.item("plain_language"), world.lead, today - days(40))
    db.session.commit()

    kestrel = make_assessment(
        title="Kestrel design",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
        is_law_enforcement=True,
    )
    for number, code in enumerate(CODES):
        give_action(kestrel.item(code), world.other_lead, today + days(3 * (number % 3) - 3))
    give_action(kestrel.item("core_function"), world.other_lead, today - days(1), status="done")
    give_action(kestrel.item("plain_language"), world.other_lead, None, status="in_progress")
    # Part 3 items stop counting when the processing is no longer for law enforcement.
    give_action(kestrel.item("logging"), world.other_lead, today - days(9))
    give_action(kestrel.item("limited_audience"), world.other_lead, today + days(1), "done")
    kestrel.is_law_enforcement = False
    db.session.commit()


def reference_ids(today: date, show_done: bool, lead_id: int | None = None) -> list[int]:
    """Return the ids the page should list, from the models' own properties, sorted in Python."""
    assessments = db.session.scalars(select(PbdAssessment)).all()
    replaced = {assessment.previous_id for assessment in assessments}
    items = [
        item
        for assessment in assessments
        if assessment.id not in replaced
        and (lead_id is None or assessment.project.lead_id == lead_id)
        for item in assessment.applicable_items
        if item.action and (show_done or item.has_open_action)
    ]

    def order(item: PbdItem):
        due = item.action_due_on
        is_overdue = item.has_open_action and due is not None and due < today
        return (not is_overdue, due is None, due or today, item.id)

    return [item.id for item in sorted(items, key=order)]


def rendered_page(app, client, path: str):
    """Return the pagination object that the page at `path` rendered."""
    pages = []

    def record(sender, template, context, **extra):
        pages.append(context["page"])

    template_rendered.connect(record, app)
    try:
        assert client.get(path).status_code == 200
    finally:
        template_rendered.disconnect(record, app)
    (page,) = pages
    return page


@pytest.fixture
def listed_ids(app):
    """Return a function that walks every page of a path, returning the ids listed and the total."""
    app.config["REGISTER_PAGE_SIZE"] = 2

    def walk(client, path: str) -> tuple[list[int], int]:
        separator = "&" if "?" in path else "?"
        pages = [rendered_page(app, client, f"{path}{separator}page=1")]
        while pages[-1].page < pages[-1].pages:
            number = pages[-1].page + 1
            pages.append(rendered_page(app, client, f"{path}{separator}page={number}"))
        for page in pages[:-1]:
            assert len(page.items) == page.per_page
        return [item.id for page in pages for item in page.items], pages[-1].total

    return walk


@pytest.mark.parametrize("path", ["/assessments/actions", "/assessments/actions?show=all"])
def test_action_list_matches_reference(make_assessment, world, login, listed_ids, path):
    build_register(make_assessment, world)
    show_done = path.endswith("show=all")
    expected = reference_ids(world.today, show_done)

    ids, total = listed_ids(login(world.dpo), path)

    assert ids == expected
    assert total == len(expected)


@pytest.mark.parametrize("path", ["/assessments/actions", "/assessments/actions?show=all"])
def test_action_list_for_lead(make_assessment, world, login, listed_ids, path):
    build_register(make_assessment, world)
    show_done = path.endswith("show=all")
    expected = reference_ids(world.today, show_done, lead_id=world.lead.id)

    ids, total = listed_ids(login(world.lead), path)

    assert ids == expected
    assert total == len(expected)


def test_reference_covers_each_case(make_assessment, world):
    """Check that the register contains each case the order must handle, so the tests above bite."""
    build_register(make_assessment, world)
    today = world.today
    listed = [db.session.get(PbdItem, item_id) for item_id in reference_ids(today, True)]
    dated = [item for item in listed if item.action_due_on is not None]
    undated = [item for item in listed if item.action_due_on is None]
    overdue = [item for item in dated if item.has_open_action and item.action_due_on < today]
    done_past = [item for item in dated if not item.has_open_action and item.action_due_on < today]

    assert len(overdue) >= 3
    assert done_past
    assert any(item.has_open_action and item.action_due_on == today for item in dated)
    assert any(item.has_open_action for item in undated)
    assert any(not item.has_open_action for item in undated)
    # Done actions with past due dates come after the overdue open ones.
    assert listed.index(done_past[0]) > listed.index(overdue[-1])


def test_page_past_end_shows_last_page(make_assessment, world, login, app):
    build_register(make_assessment, world)
    app.config["REGISTER_PAGE_SIZE"] = 2
    expected = reference_ids(world.today, True)

    page = rendered_page(app, login(world.dpo), "/assessments/actions?show=all&page=999")

    assert page.page == (len(expected) + 1) // 2
    assert [item.id for item in page.items] == expected[(page.page - 1) * 2 :]


@pytest.mark.parametrize("path", ["", "?show=all"])
def test_benchmark_floor_matches_reference(make_assessment, world, login, listed_ids, app, path):
    build_register(make_assessment, world)
    add_floor_routes(app)
    expected = reference_ids(world.today, path == "?show=all")

    ids, total = listed_ids(login(world.dpo), f"{FLOOR_PREFIX}dpia.assessment_actions{path}")

    assert ids == expected
    assert total == len(expected)

"""The stored action flags follow every change to an action and its assessment."""

from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text

from core.extensions import db
from dpia.pbd_models import PbdItem
from dpia.pbd_open_actions import refresh_open_actions
from dpia.pbd_workflow import has_open_action, is_current_assessment, start_next_stage
from tests.conftest import days
from tests.pbd.conftest import answer_all, give_action
from tests.pbd.test_migration import ROWS_BEFORE_UPGRADE
from tests.test_migrations import fresh_app


def stored_flag(item: PbdItem) -> bool:
    """Return the flag stored in the database, bypassing the session's copy."""
    return db.session.scalar(select(PbdItem.is_open_action).where(PbdItem.id == item.id))


def stored_current_flag(item: PbdItem) -> bool:
    return db.session.scalar(select(PbdItem.is_current_action).where(PbdItem.id == item.id))


def flagged_ids() -> set[int]:
    return set(db.session.scalars(select(PbdItem.id).where(PbdItem.is_open_action)))


def current_ids() -> set[int]:
    return set(db.session.scalars(select(PbdItem.id).where(PbdItem.is_current_action)))


def derived_ids() -> set[int]:
    """Return the items that should carry the flag, by the list's earlier definition."""
    query = (
        select(PbdItem.id)
        .join(PbdItem.assessment)
        .where(has_open_action(), is_current_assessment())
    )
    return set(db.session.scalars(query))


def next_stage(previous, world):
    later = start_next_stage(
        previous,
        title="Case system: build stage",
        stage="build",
        assessor_id=world.lead.id,
        assessed_on=world.today,
        next_review_on=world.today + days(50),
    )
    db.session.add(later)
    db.session.commit()
    return later


def test_flag_follows_action_changes(make_assessment, world):
    item = make_assessment().item("techniques")
    assert stored_flag(item) is False
    assert stored_current_flag(item) is False

    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    assert stored_flag(item) is True
    assert stored_current_flag(item) is True

    item.action_status = "done"
    db.session.commit()
    assert stored_flag(item) is False
    assert stored_current_flag(item) is True

    item.action_status = "open"
    db.session.commit()
    assert stored_flag(item) is True

    item.action_status = "in_progress"
    db.session.commit()
    assert stored_flag(item) is True

    item.action = ""
    db.session.commit()
    assert stored_flag(item) is False
    assert stored_current_flag(item) is False


def test_flag_reloads_in_session(make_assessment, world):
    item = make_assessment().item("techniques")
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    assert item.is_open_action is True
    item.action_status = "done"
    db.session.flush()
    assert item.is_open_action is False
    assert item.is_current_action is True
    item.action = ""
    db.session.flush()
    assert item.is_current_action is False


def test_flag_follows_new_stage(make_assessment, world):
    earlier = make_assessment()
    give_action(earlier.item("techniques"), world.lead, world.today + days(5))
    db.session.commit()

    later = next_stage(earlier, world)
    assert stored_flag(earlier.item("techniques")) is False
    assert stored_current_flag(earlier.item("techniques")) is False
    assert stored_flag(later.item("techniques")) is True
    assert stored_current_flag(later.item("techniques")) is True

    # Deleting an expired later stage still makes the earlier one current again.
    db.session.expire(later)
    db.session.delete(later)
    db.session.commit()
    assert stored_flag(earlier.item("techniques")) is True
    assert stored_current_flag(earlier.item("techniques")) is True


def test_flag_follows_law_enforcement_switch(make_assessment, world):
    assessment = make_assessment(is_law_enforcement=True)
    item = assessment.item("logging")
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    assert stored_flag(item) is True

    assessment.is_law_enforcement = False
    db.session.commit()
    assert stored_flag(item) is False
    assert stored_current_flag(item) is False

    assessment.is_law_enforcement = True
    db.session.commit()
    assert stored_flag(item) is True
    assert stored_current_flag(item) is True


def test_flag_follows_action_form(make_assessment, world, login):
    assessment = make_assessment()
    item = assessment.item("techniques")
    item.status = "not_met"
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()
    url = f"/assessments/{assessment.id}/items/{item.id}/action"
    client = login(world.lead)

    assert client.post(url, data={"action_status": "done"}).status_code == 302
    assert stored_flag(item) is False

    assert client.post(url, data={"action_status": "open"}).status_code == 302
    assert stored_flag(item) is True


def test_flag_matches_definition_for_mixed_set(make_assessment, world):
    dorothy = make_assessment(is_law_enforcement=True)
    answer_all(dorothy, "partly_met")
    give_action(dorothy.item("techniques"), world.lead, world.today - days(3))
    give_action(dorothy.item("logging"), world.lead, world.today + days(8))
    give_action(dorothy.item("core_function"), world.dpo, world.today, status="done")
    give_action(dorothy.item("strong_defaults"), world.lead, None, status="in_progress")
    db.session.commit()
    later = next_stage(dorothy, world)
    give_action(later.item("contacts_published"), world.lead, world.today + days(1))
    later.item("techniques").action_status = "done"
    kestrel = make_assessment(
        title="Kestrel design",
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
        is_law_enforcement=True,
    )
    give_action(kestrel.item("logging"), world.other_lead, world.today + days(2))
    give_action(kestrel.item("techniques"), world.other_lead, world.today + days(4))
    kestrel.is_law_enforcement = False
    db.session.commit()

    expected = {
        later.item("logging").id,
        later.item("strong_defaults").id,
        later.item("contacts_published").id,
        kestrel.item("techniques").id,
    }
    # Done actions of current assessments are current but not open.
    current = expected | {later.item("core_function").id, later.item("techniques").id}
    assert derived_ids() == expected
    assert flagged_ids() == expected
    assert current_ids() == current

    db.session.execute(
        text("UPDATE pbd_items SET is_open_action = :no, is_current_action = :no"), {"no": False}
    )
    refresh_open_actions(db.session.connection())
    assert flagged_ids() == expected
    assert current_ids() == current


def count_statements(client, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("path", ["/assessments/actions", "/assessments/actions?show=all"])
def test_actions_page_query_count_fixed(make_assessment, world, login, path):
    client = login(world.dpo)
    first = make_assessment()
    give_action(first.item("techniques"), world.lead, world.today + days(5))
    db.session.commit()
    few = count_statements(client, path)
    for number in range(6):
        assessment = make_assessment(title=f"Case system {number}")
        for code in ("techniques", "strong_defaults", "core_function"):
            give_action(assessment.item(code), world.lead, world.today + days(number - 3))
        assessment.item("core_function").action_status = "done"
    db.session.commit()
    assert len(flagged_ids()) == 13
    assert len(current_ids()) == 19
    assert count_statements(client, path) == few


# Rows for revision 0009 on top of ROWS_BEFORE_UPGRADE. Assessment 12 is a
# later stage that replaces 11, and 13 is law-enforcement processing. The
# current-action flag is true only for actions on counted items of 12 and
# 13, and the open-action flag only for those actions still to do.
ITEMS_BEFORE_FLAG = [
    "INSERT INTO pbd_assessments (id, project_id, decision_id, previous_id, title, status, "
    "summary, owner_id, assessor_id, assessed_on, is_law_enforcement, created_at, updated_at) "
    "VALUES (12, 3, 5, 11, 'Later', 'draft', '', 7, 7, '2026-03-20', :no, :at, :at)",
    "INSERT INTO pbd_assessments (id, project_id, decision_id, title, status, "
    "summary, owner_id, assessor_id, assessed_on, is_law_enforcement, created_at, updated_at) "
    "VALUES (13, 3, 5, 'Part 3', 'draft', '', 7, 7, '2026-03-20', :yes, :at, :at)",
]
ITEM_ROWS = [
    # (id, assessment, code, action, action status, expected current flag, expected open flag)
    (101, 11, "techniques", "Fix it", "open", False, False),
    (102, 12, "techniques", "Fix it", "open", True, True),
    (103, 12, "core_function", "Fix it", "done", True, False),
    (104, 12, "strong_defaults", "", "", False, False),
    (105, 12, "logging", "Log it", "in_progress", False, False),
    (106, 13, "logging", "Log it", "in_progress", True, True),
]


def test_migrations_fill_flags(app_config):
    app = fresh_app(app_config)
    with app.app_context():
        upgrade(revision="0001")
        created = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)
        values = {"at": created, "yes": True, "no": False}
        with db.engine.begin() as connection:
            for statement in ROWS_BEFORE_UPGRADE:
                connection.execute(text(statement), values)
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            for statement in ITEMS_BEFORE_FLAG:
                connection.execute(text(statement), values)
            for item_id, assessment_id, code, action, status, *_ in ITEM_ROWS:
                connection.execute(
                    text(
                        "INSERT INTO pbd_items (id, assessment_id, code, position, status, "
                        "not_applicable_reason, evidence, evidence_link, action, "
                        "action_status, created_at, updated_at) VALUES (:id, :assessment, "
                        ":code, 0, 'not_met', '', '', '', :action, :status, :at, :at)"
                    ),
                    {
                        "id": item_id,
                        "assessment": assessment_id,
                        "code": code,
                        "action": action,
                        "status": status,
                        "at": created,
                    },
                )

        upgrade()

        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, is_current_action, is_open_action FROM pbd_items")
            ).all()
        db.engine.dispose()
    flags = {item_id: (bool(current), bool(is_open)) for item_id, current, is_open in rows}
    for item_id, *_, expected_current, expected_open in ITEM_ROWS:
        assert flags[item_id][0] is expected_current, item_id
        assert flags[item_id][1] is expected_open, item_id


def test_flag_refresh_keeps_updated_at(make_assessment, world):
    earlier = make_assessment()
    give_action(earlier.item("techniques"), world.lead, world.today + days(5))
    db.session.commit()
    edited_at = db.session.scalar(
        select(PbdItem.updated_at).where(PbdItem.id == earlier.item("techniques").id)
    )

    next_stage(earlier, world)

    item_id = earlier.item("techniques").id
    assert stored_flag(earlier.item("techniques")) is False
    assert db.session.scalar(select(PbdItem.updated_at).where(PbdItem.id == item_id)) == edited_at

"""The checklist, approval rules, next stages and summaries, without HTTP."""

import pytest

from core.extensions import db
from dpia.pbd_checklist import CHECKLIST, PRINCIPLES
from dpia.pbd_models import PbdAssessment
from dpia.pbd_summary import detail_changes, item_changes, summary_by_principle
from dpia.pbd_workflow import (
    PbdWorkflowError,
    applicable_items,
    approval_problems,
    approve,
    later_stage,
    start_next_stage,
)
from tests.conftest import days
from tests.pbd.conftest import answer_all, give_action


def test_checklist_has_twelve_general_and_three_part3_items():
    general = [item for item in CHECKLIST if not item.is_law_enforcement]
    part3 = [item for item in CHECKLIST if item.is_law_enforcement]
    assert len(general) == 12
    assert [item.code for item in part3] == ["purpose_limitation", "limited_audience", "logging"]
    for item in CHECKLIST:
        assert item.principles, item.code
        assert set(item.principles) <= set(PRINCIPLES), item.code


def test_new_assessment_items_by_regime(make_assessment):
    general = make_assessment()
    law_enforcement = make_assessment(title="Part 3", is_law_enforcement=True)
    assert len(general.items) == 12
    assert len(law_enforcement.items) == 15
    assert all(item.status == "" for item in law_enforcement.items)


def test_part3_items_kept_when_flag_cleared(make_assessment):
    assessment = make_assessment(is_law_enforcement=True)
    assessment.item("logging").status = "met"
    assessment.is_law_enforcement = False
    db.session.commit()
    assert len(applicable_items(assessment)) == 12
    assert assessment.item("logging").status == "met"


def test_approval_refused_while_items_unanswered(make_assessment, world):
    assessment = make_assessment()
    with pytest.raises(PbdWorkflowError, match="Answer every item first"):
        approve(assessment, world.today, world.today + days(30), world.dpo)
    db.session.rollback()
    assert db.session.get(PbdAssessment, assessment.id).status == "draft"


@pytest.mark.parametrize("status", ["not_met", "partly_met"])
def test_approval_refused_when_gap_has_no_action(make_assessment, world, status):
    assessment = make_assessment()
    answer_all(assessment)
    assessment.item("techniques").status = status
    db.session.commit()
    problems = approval_problems(assessment)
    assert len(problems) == 1
    assert "Privacy-enhancing techniques" in problems[0]
    with pytest.raises(PbdWorkflowError, match="needs an action with an owner"):
        approve(assessment, world.today, world.today + days(30), world.dpo)
    db.session.rollback()
    stored = db.session.get(PbdAssessment, assessment.id)
    assert stored.status == "draft"
    assert stored.approved_on is None
    assert stored.approved_by_id is None


def test_approval_with_actions_on_gaps(make_assessment, world):
    assessment = make_assessment()
    answer_all(assessment)
    item = assessment.item("techniques")
    item.status = "not_met"
    give_action(item, world.lead, world.today + days(20))
    approve(assessment, world.today, world.today + days(30), world.dpo)
    db.session.commit()
    stored = db.session.get(PbdAssessment, assessment.id)
    assert stored.status == "approved"
    assert stored.approved_by_id == world.dpo.id
    assert stored.next_review_on == world.today + days(30)


def test_approval_refused_twice(make_assessment, world):
    assessment = make_assessment()
    answer_all(assessment)
    approve(assessment, world.today, world.today + days(30), world.dpo)
    with pytest.raises(PbdWorkflowError, match="already approved"):
        approve(assessment, world.today, world.today + days(40), world.dpo)


def test_next_stage_copies_answers(make_assessment, world):
    design = make_assessment(
        is_law_enforcement=True, techniques=["encryption_at_rest"], is_retention_automated=True
    )
    answer_all(design)
    item = design.item("logging")
    item.status = "partly_met"
    item.evidence_link = "https://intranet.example.org/log-design"
    give_action(item, world.lead, world.today + days(5))
    db.session.commit()

    later = start_next_stage(
        design,
        title="Case system: build",
        stage="build",
        assessor_id=world.dpo.id,
        assessed_on=world.today,
        next_review_on=world.today + days(60),
    )
    db.session.add(later)
    db.session.commit()

    assert later.previous_id == design.id
    assert later.status == "draft"
    assert later.techniques == ["encryption_at_rest"]
    assert later.is_retention_automated is True
    assert len(later.items) == 15
    copied = later.item("logging")
    assert copied.id != item.id
    assert copied.status == "partly_met"
    assert copied.evidence_link == "https://intranet.example.org/log-design"
    assert copied.action_owner_id == world.lead.id
    assert copied.action_status == "open"
    assert later_stage(design) == later
    assert item_changes(later) == []
    assert detail_changes(later) == []


def test_next_stage_leaves_earlier_unchanged(make_assessment, world):
    design = make_assessment()
    answer_all(design)
    later = start_next_stage(
        design,
        title="Build",
        stage="build",
        assessor_id=world.lead.id,
        assessed_on=world.today,
        next_review_on=world.today + days(60),
    )
    db.session.add(later)
    db.session.commit()
    later.item("strong_defaults").status = "not_met"
    later.techniques = ["pseudonymisation"]
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(PbdAssessment, design.id).item("strong_defaults").status == "met"
    assert db.session.get(PbdAssessment, design.id).techniques == []
    changes = item_changes(later)
    assert [entry.item.code for entry in changes] == ["strong_defaults"]
    assert changes[0].changes[0].label == "Status"
    assert changes[0].changes[0].before == "Met"
    assert changes[0].changes[0].after == "Not met"
    assert [change.label for change in detail_changes(later)] == ["Privacy-enhancing techniques"]


def test_second_next_stage_refused(make_assessment, world):
    design = make_assessment()
    arguments = {
        "title": "Build",
        "stage": "build",
        "assessor_id": world.lead.id,
        "assessed_on": world.today,
        "next_review_on": world.today + days(60),
    }
    db.session.add(start_next_stage(design, **arguments))
    db.session.commit()
    with pytest.raises(PbdWorkflowError, match="already starts from this assessment"):
        start_next_stage(design, **arguments)


def test_summary_counts_each_principle(make_assessment):
    assessment = make_assessment()
    answer_all(assessment)
    assessment.item("risks_prevented").status = "not_met"
    assessment.item("contacts_published").status = "not_applicable"
    assessment.item("techniques").status = ""
    summary = {entry.code: entry for entry in summary_by_principle(assessment)}
    assert list(summary) == list(PRINCIPLES)
    assert summary["proactive"].counts == {
        "met": 1,
        "partly_met": 0,
        "not_met": 1,
        "not_applicable": 0,
        "": 0,
    }
    assert summary["transparency"].counts["not_applicable"] == 1
    assert summary["positive_sum"].counts[""] == 1
    tagged = sum(len(item.principles) for item in CHECKLIST if not item.is_law_enforcement)
    assert sum(entry.total for entry in summary.values()) == tagged

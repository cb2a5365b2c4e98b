"""Fixtures for privacy-by-design assessments."""

import pytest

from core.extensions import db
from dpia.pbd_models import PbdAssessment
from dpia.pbd_workflow import add_missing_items
from tests.conftest import days


@pytest.fixture
def make_assessment(world):
    """Return a function that adds a draft assessment of Dorothy with unanswered items."""

    def make(**overrides) -> PbdAssessment:
        fields = {
            "project": world.dorothy,
            "decision": world.decision,
            "title": "Case system: design stage",
            "system_or_component": "Case system",
            "stage": "design",
            "assessor": world.lead,
            "assessed_on": world.today - days(10),
            "owner": world.lead,
            "next_review_on": world.today + days(100),
        }
        fields.update(overrides)
        assessment = PbdAssessment(**fields)
        add_missing_items(assessment)
        db.session.add(assessment)
        db.session.commit()
        return assessment

    return make


def answer_all(assessment: PbdAssessment, status: str = "met") -> None:
    for item in assessment.items:
        item.status = status
        item.evidence = "Checked in the design review."
    db.session.commit()


def give_action(item, owner, due_on, status="open", text="Fix the gap before build.") -> None:
    item.action = text
    item.action_owner = owner
    item.action_due_on = due_on
    item.action_status = status

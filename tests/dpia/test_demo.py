"""The demo data takes Dorothy's DPIA through every step."""

from sqlalchemy import select

from core.extensions import db
from dpia.models import Dpia
from dpia.tasks import task_list
from register import demo


def test_dorothy_dpia_in_demo(app):
    from core.timeutil import local_today

    demo.load(local_today())
    dpia = db.session.scalar(select(Dpia).where(Dpia.reference == "DPIA-MO3-2020-01"))
    assert dpia.status == "approved_with_conditions"
    assert dpia.confirmed_by.email == "lead@example.org"
    assert dpia.signed_off_by.email == "dpo@example.org"
    assert all(task.is_complete for task in task_list(dpia))
    assert len(dpia.risks) == 4
    assert dpia.residual_risk == "low"
    assert dpia.prior_consultation is None
    assert [change.to_status for change in dpia.history] == [
        "draft",
        "awaiting_dpo_advice",
        "awaiting_signoff",
        "approved_with_conditions",
    ]
    assert any(measure.due_on for measure in dpia.measures)
    sources = " ".join(risk.source for risk in dpia.risks)
    assert "Crown Prosecution Service" in sources
    assert "national online network" in sources
    assert "covertly online" in sources

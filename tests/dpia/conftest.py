"""Fixtures for DPIA tests: a complete DPIA in any workflow state."""

from datetime import timedelta

import pytest

from core.extensions import db
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.scoring import overall_level
from dpia.screening import Screening
from dpia.signoff import sign_off
from dpia.workflow import record_advice, record_creation, submit


def date_boxes(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def add_risk(dpia, likelihood="possible", severity="significant", residual="low", **measure):
    """Add a risk with one measure (none when residual is None) and return it."""
    risk = Risk(
        source="Officers capture more than the investigation needs",
        harm="Bystanders' messages are held by the police",
        likelihood=likelihood,
        severity=severity,
        computed_level=overall_level(likelihood, severity),
    )
    if residual is not None:
        risk.measures.append(
            Measure(
                description=measure.pop("description", "Supervisors check each capture weekly"),
                effect=measure.pop("effect", "reduced"),
                residual_level=residual,
                is_approved=True,
                status=measure.pop("status", "in_place"),
                **measure,
            )
        )
    dpia.risks.append(risk)
    dpia.refresh_residual_risk()
    return risk


def fill_steps(dpia, completed_on) -> None:
    """Complete screening and steps 1 to 6, as a lead would before submitting."""
    dpia.screening = Screening(
        project=dpia.project,
        mandatory_cases=["large_scale_special_category"],
        ico_types=[],
        wp248_criteria=["sensitive_data"],
        involves_sharing=True,
        is_dpia_required=True,
        rationale="Criminal offence data on a large scale.",
    )
    dpia.need_summary = "Upgrade of covert online deployments."
    dpia.nature = "Capture, review, assessment and sharing of online material."
    dpia.data_categories = "Names, identifiers, messages"
    dpia.individuals_affected = "About 5,000 a year"
    dpia.retention = "6 years"
    dpia.geography = "London"
    dpia.context = "People do not know they are observed."
    dpia.purposes = "Preventing and detecting serious crime."
    dpia.views_sought = False
    dpia.views_not_sought_reason = "Asking would reveal covert tactics."
    dpia.art6_basis = "e_public_task"
    dpia.le_basis = "le_task"
    dpia.necessity = "No less intrusive way to gather the evidence."
    dpia.steps_completed_on = {
        step: completed_on.isoformat()
        for step in (
            "screening",
            "need",
            "description",
            "consultation",
            "necessity",
            "risks",
            "measures",
        )
    }


def sign_off_values(today, **changes) -> dict:
    values = {
        "measures_approved_by": "Liam Hart",
        "measures_approved_position": "Detective Superintendent",
        "measures_approved_on": today,
        "residual_approved_by": "Liam Hart",
        "residual_approved_position": "Detective Superintendent",
        "residual_approved_on": today,
        "advice_response": "accepted",
        "advice_response_by": "Liam Hart",
        "advice_response_on": today,
        "overrule_reasons": "",
        "consultation_reviewed_by": "",
        "consultation_reviewed_on": None,
        "departs_from_views": False,
        "departure_reasons": "",
        "kept_under_review_by": "MO3 leadership",
        "prior_consultation_override": None,
        "prior_consultation_override_reason": "",
        "outcome": "proceed",
        "conditions": "",
        "signed_off_on": today,
        "next_review_on": today + timedelta(days=180),
    }
    values.update(changes)
    return values


STATES = ("new", "draft", "awaiting_dpo_advice", "awaiting_signoff", "approved")


@pytest.fixture
def make_dpia(world):
    """Return a function that builds a committed DPIA and takes it to `state`.

    "new" is an empty draft; "draft" has every drafting step complete;
    later states follow the workflow as the lead and the DPO would.
    """

    def make(state: str = "draft", risks=(("possible", "significant", "low"),), **fields) -> Dpia:
        assert state in STATES
        dpia = Dpia(
            project=fields.pop("project", world.dorothy),
            decision=fields.pop("decision", world.decision),
            title=fields.pop("title", "Dorothy DPIA"),
            owner=fields.pop("owner", world.lead),
            regime=fields.pop("regime", "both"),
            next_review_on=fields.pop("next_review_on", world.today + timedelta(days=300)),
        )
        record_creation(dpia, world.lead)
        if state != "new":
            fill_steps(dpia, world.today - timedelta(days=10))
            for likelihood, severity, residual in risks:
                add_risk(dpia, likelihood, severity, residual)
        for name, value in fields.items():
            setattr(dpia, name, value)
        dpia.refresh_residual_risk()
        db.session.add(dpia)
        if STATES.index(state) >= STATES.index("awaiting_dpo_advice"):
            submit(dpia, world.lead)
        if STATES.index(state) >= STATES.index("awaiting_signoff"):
            record_advice(dpia, "Proceed with access controls.", world.today, world.dpo)
        if state == "approved":
            sign_off(dpia, sign_off_values(world.today), world.dpo)
        db.session.commit()
        return dpia

    return make


def sign_off_form(today, **changes) -> dict:
    """Return the sign-off page's form data for an approval today."""
    data = {
        "measures_approved_by": "Liam Hart",
        "measures_approved_position": "Detective Superintendent",
        "measures_approved_on": date_boxes(today),
        "residual_approved_by": "Liam Hart",
        "residual_approved_position": "Detective Superintendent",
        "residual_approved_on": date_boxes(today),
        "advice_response": "accepted",
        "advice_response_by": "Liam Hart",
        "advice_response_on": date_boxes(today),
        "overrule_reasons": "",
        "consultation_reviewed_by": "",
        "consultation_reviewed_on": ["", "", ""],
        "departs_from_views": "no",
        "departure_reasons": "",
        "kept_under_review_by": "MO3 leadership",
        "prior_consultation_override": "computed",
        "prior_consultation_override_reason": "",
        "outcome": "proceed",
        "conditions": "",
        "signed_off_on": date_boxes(today),
        "next_review_on": date_boxes(today + timedelta(days=180)),
    }
    data.update(changes)
    return data


def snapshot(dpia) -> dict:
    """Return the DPIA's state and sign-off columns, to show a refusal changed nothing."""
    db.session.expire_all()
    fresh = db.session.get(Dpia, dpia.id)
    return {
        "status": fresh.status,
        "signed_off_on": fresh.signed_off_on,
        "outcome": fresh.outcome,
        "approved_on": fresh.approved_on,
        "next_review_on": fresh.next_review_on,
        "measures_approved_by": fresh.measures_approved_by,
        "history": len(fresh.history),
        "prior_consultation": fresh.prior_consultation is not None,
    }

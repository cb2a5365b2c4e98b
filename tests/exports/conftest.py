"""Records of both projects, for export, import and API tests."""

from dataclasses import dataclass

import pytest

from core.extensions import db
from dpia.models import Dpia
from dpia.pbd_models import PbdAssessment, PbdItem
from dpia.risks import Measure, Risk
from register.models import Review, ReviewAction
from sharing.models import Agreement, AgreementParty
from tests.conftest import days


@dataclass
class Records:
    dorothy_dpia: Dpia
    kestrel_dpia: Dpia
    assessment: PbdAssessment
    agreement: Agreement
    kestrel_agreement: Agreement
    dorothy_risk: Risk
    kestrel_risk: Risk
    kestrel_assessment: PbdAssessment
    dorothy_review: Review
    kestrel_review: Review


@pytest.fixture
def records(world) -> Records:
    dorothy_dpia = Dpia(
        project=world.dorothy,
        decision=world.decision,
        owner=world.lead,
        title="Dorothy intelligence sharing",
        processing_summary="Supervisors pass case notes to the intelligence team.\nSecond line.",
        next_review_on=world.today + days(20),
        dpo_advice="Proceed once access logging is in place.",
        dpo_advice_on=world.today - days(10),
        dpo_advice_by=world.dpo,
    )
    kestrel_dpia = Dpia(
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
        title='=HYPERLINK("http://evil.example","Kestrel cameras")',
        processing_summary="Body-worn video footage.",
        next_review_on=world.today + days(200),
    )
    assessment = PbdAssessment(
        project=world.dorothy,
        decision=world.decision,
        owner=world.lead,
        title="Dorothy design stage",
        summary="+Encryption at rest checked",
        assessor=world.lead,
        assessed_on=world.today - days(5),
        next_review_on=world.today + days(40),
    )
    agreement = Agreement(
        reference="ISA-MO3-001",
        title="Evidence to the CPS",
        project=world.dorothy,
        decision=world.decision,
        dpia=dorothy_dpia,
        scope="external",
        status="active",
        purpose="Prosecution files",
        owner=world.lead,
        next_review_on=world.today + days(90),
        parties=[
            AgreementParty(party=world.supervisors, role="discloser"),
            AgreementParty(party=world.cps, role="recipient"),
        ],
    )
    kestrel_agreement = Agreement(
        reference="ISA-FP-007",
        title="Footage to the network",
        project=world.kestrel,
        decision=world.other_decision,
        scope="external",
        purpose="Training",
        owner=world.other_lead,
        parties=[AgreementParty(party=world.network, role="both")],
    )
    dorothy_risk = Risk(
        dpia=dorothy_dpia,
        source="Case notes sent by email",
        harm="Notes reach the wrong inbox",
        likelihood="possible",
        severity="significant",
        computed_level="medium",
        measures=[
            Measure(
                description="-Encrypt the mailbox",
                effect="reduced",
                residual_level="low",
                owner=world.lead,
                due_on=world.today + days(30),
                status="planned",
            )
        ],
    )
    kestrel_risk = Risk(
        dpia=kestrel_dpia,
        source="Footage kept too long",
        harm="Bystanders identified",
        likelihood="probable",
        severity="severe",
        computed_level="high",
        measures=[
            Measure(
                description="Delete footage after 31 days",
                effect="reduced",
                residual_level="medium",
                owner=world.other_lead,
                due_on=world.today + days(60),
                status="in_progress",
            )
        ],
    )
    dorothy_dpia.refresh_residual_risk()
    kestrel_dpia.refresh_residual_risk()
    assessment.items = [
        PbdItem(
            code="considered",
            position=0,
            status="not_met",
            action="=Add privacy to the design review",
            action_owner=world.lead,
            action_due_on=world.today - days(3),
            action_status="open",
        ),
        PbdItem(
            code="core_function",
            position=1,
            status="met",
            evidence="Design document 4.2",
            action="Publish the design document",
            action_owner=world.lead,
            action_due_on=world.today - days(30),
            action_status="done",
        ),
    ]
    kestrel_assessment = PbdAssessment(
        project=world.kestrel,
        decision=world.other_decision,
        owner=world.other_lead,
        title="Kestrel build stage",
        stage="build",
        assessor=world.other_lead,
        assessed_on=world.today - days(2),
        items=[
            PbdItem(
                code="considered",
                position=0,
                status="partly_met",
                action="Train camera operators",
                action_owner=world.other_lead,
                action_due_on=world.today + days(14),
                action_status="in_progress",
            )
        ],
    )
    db.session.add_all(
        [
            dorothy_dpia,
            kestrel_dpia,
            assessment,
            kestrel_assessment,
            agreement,
            kestrel_agreement,
            dorothy_risk,
            kestrel_risk,
        ]
    )
    db.session.flush()
    dorothy_review = Review(
        record_kind="dpia",
        record_id=dorothy_dpia.id,
        project=world.dorothy,
        record_title="@Dorothy intelligence sharing",
        review_type="scheduled",
        trigger="scheduled",
        reviewer=world.lead,
        reviewed_on=world.today - days(7),
        is_processing_as_recorded=True,
        findings="Processing matches the DPIA",
        is_risk_changed=False,
        outcome="no_change",
        is_dpo_consulted=True,
        recorded_by=world.lead,
        actions=[
            ReviewAction(
                description="Update the retention schedule",
                owner=world.lead,
                due_on=world.today + days(30),
            )
        ],
    )
    kestrel_review = Review(
        record_kind="agreement",
        record_id=kestrel_agreement.id,
        project=world.kestrel,
        record_title="Footage to the network",
        review_type="triggered",
        trigger="partner_change",
        reviewer=world.other_lead,
        reviewed_on=world.today - days(1),
        is_processing_as_recorded=False,
        findings="A new partner joined the network",
        is_risk_changed=True,
        new_risk_level="high",
        outcome="new_version_required",
        is_dpo_consulted=False,
        recorded_by=world.dpo,
    )
    db.session.add_all([dorothy_review, kestrel_review])
    db.session.commit()
    return Records(
        dorothy_dpia,
        kestrel_dpia,
        assessment,
        agreement,
        kestrel_agreement,
        dorothy_risk,
        kestrel_risk,
        kestrel_assessment,
        dorothy_review,
        kestrel_review,
    )

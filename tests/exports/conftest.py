"""Records of both projects, for export, import and API tests."""

from dataclasses import dataclass

import pytest

from core.extensions import db
from dpia.models import Dpia
from dpia.pbd_models import PbdAssessment
from sharing.models import Agreement, AgreementParty
from tests.conftest import days


@dataclass
class Records:
    dorothy_dpia: Dpia
    kestrel_dpia: Dpia
    assessment: PbdAssessment
    agreement: Agreement
    kestrel_agreement: Agreement


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
    db.session.add_all([dorothy_dpia, kestrel_dpia, assessment, agreement, kestrel_agreement])
    db.session.commit()
    return Records(dorothy_dpia, kestrel_dpia, assessment, agreement, kestrel_agreement)

"""Demo data: privacy-by-design assessments of Project Dorothy's case system.

The design-stage review found that the case system would not log who
consulted or disclosed material. The team extended the audit log before
testing, so the pre-deployment assessment records the item as met.
"""

from datetime import date, timedelta

from core.auth.models import User
from core.extensions import db
from core.projects.models import Decision, Project
from dpia.models import Dpia
from dpia.pbd_models import PbdAssessment
from dpia.pbd_workflow import add_missing_items, approve, start_next_stage

EVIDENCE_BASE = "https://intranet.example.org/mo3/dorothy/"


def _answer(assessment: PbdAssessment, code: str, status: str, evidence: str, **fields) -> None:
    item = assessment.item(code)
    item.status = status
    item.evidence = evidence
    for name, value in fields.items():
        setattr(item, name, value)


def _design_stage(today, dorothy, pcd_974, dorothy_dpia, lead: User, dpo: User) -> PbdAssessment:
    assessment = PbdAssessment(
        project=dorothy,
        decision=pcd_974,
        dpia=dorothy_dpia,
        title="Dorothy case system: design stage",
        system_or_component="Dorothy case system, which stores material gathered online",
        stage="design",
        assessor=lead,
        assessed_on=today - timedelta(days=210),
        owner=lead,
        next_review_on=today + timedelta(days=150),
        is_law_enforcement=True,
        techniques=["encryption_at_rest", "encryption_in_transit", "role_based_access"],
        is_retention_automated=True,
        retention_notes=(
            "Material not linked to an investigation is deleted after 6 months; "
            "evidential material follows the force's retention schedule, applied nightly."
        ),
        summary=(
            "The design protects data well by default, but the audit log would not show who "
            "looked at or passed on material. Extending the log is the main change before build."
        ),
    )
    add_missing_items(assessment)
    answers = {
        "considered": "The DPO's team joined the design workshops; requirements list v0.3 "
        "has a data protection section.",
        "core_function": "Access rules and retention are features of the case system itself, "
        "not a separate tool.",
        "risks_prevented": "Each risk in the DPIA's register maps to a design control.",
        "necessary_data": "Capture templates record the subject's content only; other people's "
        "identifiers are redacted on capture.",
        "automatic_protection": "Protection needs nothing from the people whose data is held.",
        "contacts_published": "The force privacy notice names the DPO and gives a contact.",
        "strong_defaults": "New users get no access until a supervisor grants a case role.",
        "third_party_products": "The capture tool was chosen after a supplier data protection "
        "questionnaire.",
        "techniques": "Encryption at rest and in transit; access by case role.",
        "purpose_limitation": "Each record carries the operation it was gathered for, and "
        "search is limited to that operation.",
        "limited_audience": "Material is visible only to the case team and named supervisors.",
    }
    for code, evidence in answers.items():
        _answer(assessment, code, "met", evidence)
    _answer(
        assessment,
        "logging",
        "not_met",
        "The design logs changes to records but not consultation or disclosure.",
        action="Extend the audit log to record consultation and disclosure, with the user, "
        "the time and the reason given.",
        action_owner=lead,
        action_due_on=today - timedelta(days=120),
        action_status="open",
    )
    _answer(
        assessment,
        "plain_language",
        "partly_met",
        "The privacy notice is in plain English but says nothing about online investigation.",
        evidence_link=EVIDENCE_BASE + "privacy-notice-review",
        action="Add a plain-English section on online investigation to the force privacy notice.",
        action_owner=dpo,
        action_due_on=today - timedelta(days=9),
        action_status="open",
    )
    _answer(
        assessment,
        "processor_guarantees",
        "partly_met",
        "The hosting contract has security terms but no audit right.",
        action="Agree an audit right and a deletion certificate at contract end with the "
        "hosting supplier.",
        action_owner=lead,
        action_due_on=today + timedelta(days=21),
        action_status="in_progress",
    )
    _answer(
        assessment,
        "individual_tools",
        "not_applicable",
        "",
        not_applicable_reason="Covert law-enforcement processing: individuals use the force's "
        "subject access process, where restrictions under Part 3 may apply.",
    )
    approve(assessment, today - timedelta(days=195), today + timedelta(days=150), dpo)
    return assessment


def add_pbd_demo(
    today: date, dorothy: Project, pcd_974: Decision, dorothy_dpia: Dpia, lead: User, dpo: User
) -> None:
    """Add Dorothy's design and pre-deployment assessments to the session."""
    design = _design_stage(today, dorothy, pcd_974, dorothy_dpia, lead, dpo)
    db.session.add(design)
    db.session.flush()
    design.item("logging").action_status = "done"
    pre_live = start_next_stage(
        design,
        title="Dorothy case system: pre-deployment",
        stage="pre_live",
        assessor_id=lead.id,
        assessed_on=today - timedelta(days=20),
        next_review_on=today + timedelta(days=40),
    )
    _answer(
        pre_live,
        "logging",
        "met",
        "Test report TR-14 shows all six operations logged with user, time and reason.",
        evidence_link=EVIDENCE_BASE + "test-report-tr-14",
    )
    pre_live.summary = (
        "The logging gap found at design is closed. The privacy notice update is late and the "
        "hosting audit right is still being negotiated."
    )
    db.session.add(pre_live)

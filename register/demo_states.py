"""Demo data: records in the states a register passes through but Dorothy's DPIA has left.

Kestrel's facial matching pilot waits on the ICO's advice under prior
consultation, and Dorothy's evidence transfer DPIA waits for the DPO's
sign-off. A retired ANPR trial and its decision are archived. The first
active agreement has its signed copy attached, and a DPIA brought in from
the CNIL PIA tool keeps its import notes.
"""

import io
import json
from datetime import date, timedelta

from core.attachments.models import Attachment
from core.attachments.storage import store
from core.auth.models import User
from core.extensions import db
from core.projects.models import Decision, Party, Project
from dpia.history import PriorConsultation
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.scoring import overall_level
from dpia.screening import Screening
from dpia.workflow import move, record_advice, record_creation, submit
from register.imports.models import DpiaImportNote
from sharing.models import Agreement

# A one-page PDF used as the signed copy of a demo agreement.
SIGNED_COPY = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
    b"4 0 obj << /Length 62 >> stream\n"
    b"BT /F1 14 Tf 72 770 Td (Signed copy: demo placeholder) Tj ET\n"
    b"endstream endobj\n"
    b"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def _add_risk(dpia: Dpia, source: str, harm: str, likelihood: str, severity: str, measure):
    description, residual, status = measure
    risk = Risk(
        source=source,
        harm=harm,
        likelihood=likelihood,
        severity=severity,
        computed_level=overall_level(likelihood, severity),
    )
    risk.measures.append(
        Measure(
            description=description,
            effect="reduced",
            residual_level=residual,
            is_approved=True,
            status=status,
        )
    )
    dpia.risks.append(risk)


def _mark_drafted(dpia: Dpia, drafted_on: date) -> None:
    steps = ("screening", "need", "description", "consultation", "necessity", "risks", "measures")
    dpia.steps_completed_on = {step: drafted_on.isoformat() for step in steps}

    dpia.refresh_residual_risk()


def _facial_matching_dpia(
    kestrel: Project, decision: Decision, users: dict[str, User], today: date
) -> Dpia:
    """Return Kestrel's facial matching pilot, signed off for prior consultation with the ICO."""
    dpo, lead = users["dpo@example.org"], users["lead2@example.org"]
    dpia = Dpia(
        project=kestrel,
        decision=decision,
        owner=lead,
        title="Facial matching of body-worn video footage",
        reference="DPIA-FP-2025-02",
        regime="part3",
        controller="Commissioner of Police of the Metropolis",
        dpo_contact="Dana Okafor, Data Protection Officer, dpo@example.org",
        processing_summary=(
            "A six-month pilot compares faces in body-worn video footage, after upload, "
            "against a watchlist of people wanted on warrant."
        ),
        need_summary=(
            "The pilot processes biometric data of everyone filmed to identify a few, "
            "using new technology, so a DPIA is required."
        ),
        nature=(
            "Footage uploaded to the evidence store is scanned. Faces are converted to "
            "templates and compared with the watchlist; templates without a match are deleted "
            "at once, and an officer reviews every possible match before any action."
        ),
        data_categories="Facial images, biometric templates, watchlist entries, match results.",
        special_categories=["biometric", "racial_ethnic"],
        has_criminal_offence_data=True,
        individuals_affected="Everyone filmed by about 2,000 cameras: tens of thousands a month",
        retention="Templates without a match: deleted at once. Matches: 31 days unless used.",
        geography="Two London boroughs during the pilot",
        context=(
            "People filmed do not expect their faces to be searched. Accuracy can differ "
            "between demographic groups, which draws public concern."
        ),
        purposes="Locating people wanted on warrant for serious offences.",
        views_sought=True,
        consultation_method=(
            "Independent advisory groups in both boroughs and a public survey of 1,200 residents."
        ),
        consultees="Independent advisory groups, the force's ethics panel, legal services.",
        le_basis="le_task",
        is_sensitive_processing=True,
        schedule8_condition="1",
        policy_document_reference="APD-MPS-LE-2020",
        logged_operations=["collection", "consultation", "combination", "erasure"],
        is_new_filing_system=True,
        necessity=(
            "Manual review of footage for wanted people is not feasible at this volume. "
            "The watchlist is limited to warrants for serious offences."
        ),
        safeguards=(
            "Signs at pilot sites, an accuracy test across demographic groups before go-live, "
            "and human review of every possible match."
        ),
    )

    dpia.screening = Screening(
        project=kestrel,
        mandatory_cases=["public_area_monitoring"],
        ico_types=["innovative_technology", "biometric", "invisible_processing"],
        wp248_criteria=["systematic_monitoring", "sensitive_data", "innovative_use"],
        involves_sharing=False,
        is_dpia_required=True,
        rationale="Biometric matching of the public with new technology.",
        decided_by=lead,
    )
    _add_risk(
        dpia,
        "The matching algorithm wrongly matches people of some demographic groups more often.",
        "Innocent people are stopped and questioned, and trust in policing falls in the "
        "communities most affected.",
        "probable",
        "severe",
        (
            "Accuracy test across demographic groups before go-live, with a match threshold "
            "set from its results and every possible match reviewed by an officer.",
            "high",
            "planned",
        ),
    )
    _add_risk(
        dpia,
        "Templates of people who do not match are kept longer than the comparison needs.",
        "Biometric data of the public builds up in a police system without any purpose.",
        "possible",
        "severe",
        ("Templates without a match are deleted in memory, with a deletion log.", "low", "planned"),
    )
    _mark_drafted(dpia, today - timedelta(days=60))

    signed_on = today - timedelta(days=30)
    record_creation(dpia, lead)
    submit(dpia, lead)
    record_advice(
        dpia,
        "The risk of wrong matches stays high after the planned measures. Consult the ICO "
        "before the pilot starts, as the DPA 2018 section 65 requires.",
        today - timedelta(days=35),
        dpo,
    )
    values = {
        "measures_approved_by": "Priya Shah",
        "measures_approved_position": "Chief Superintendent, Frontline Policing",
        "measures_approved_on": signed_on,
        "residual_approved_by": "Priya Shah",
        "residual_approved_position": "Chief Superintendent, Frontline Policing",
        "residual_approved_on": signed_on,
        "advice_response": "accepted",
        "advice_response_by": "Priya Shah, Chief Superintendent, Frontline Policing",
        "advice_response_on": signed_on,
        "consultation_reviewed_by": "Priya Shah",
        "consultation_reviewed_on": signed_on,
        "departs_from_views": False,
        "kept_under_review_by": "Frontline Policing senior leadership team, with the DPO",
        "outcome": "prior_consultation_required",
        "signed_off_on": signed_on,
    }
    for name, value in values.items():
        setattr(dpia, name, value)
    dpia.signed_off_by = dpo
    dpia.steps_completed_on = dict(dpia.steps_completed_on) | {"signoff": signed_on.isoformat()}
    dpia.prior_consultation = PriorConsultation(
        trigger=dpia.prior_consultation_trigger or "art36_residual_high",
        submitted_on=today - timedelta(days=25),
        ico_reference="RFA-2026-0412",
        accepted_on=today - timedelta(days=21),
    )
    move(dpia, "prior_consultation", dpo)
    return dpia


def _evidence_transfer_dpia(
    dorothy: Project, decision: Decision, users: dict[str, User], today: date
) -> Dpia:
    """Return Dorothy's evidence transfer DPIA, advised on and waiting for sign-off."""
    dpo, lead = users["dpo@example.org"], users["lead@example.org"]
    dpia = Dpia(
        project=dorothy,
        decision=decision,
        owner=lead,
        title="Dorothy evidence transfer to the Crown Prosecution Service",
        reference="DPIA-MO3-2026-03",
        regime="part3",
        controller="Commissioner of Police of the Metropolis",
        dpo_contact="Dana Okafor, Data Protection Officer, dpo@example.org",
        processing_summary=(
            "Evidential material gathered online moves from the case system to the CPS "
            "through the digital case file system."
        ),
        need_summary=(
            "The transfer moves criminal offence data about victims and witnesses to another "
            "controller in bulk, so the DPO asked for a DPIA."
        ),
        nature=(
            "Case officers select evidential material, a supervisor checks it against the "
            "disclosure schedule, and the system sends it to the CPS with a transfer record."
        ),
        data_categories="Messages, images, identifiers and statements of suspects and witnesses.",
        special_categories=["sex_life"],
        has_criminal_offence_data=True,
        individuals_affected="About 150 cases a year, each naming up to 40 people",
        retention="Transfer records: 6 years after the case closes.",
        geography="England and Wales",
        context="Victims and witnesses expect their identities to be protected.",
        purposes="Prosecuting offences found during online investigations.",
        views_sought=False,
        views_not_sought_reason="The transfer follows the disclosure rules set in law.",
        consultees="CPS London, the force's disclosure team, information security.",
        le_basis="le_task",
        is_sensitive_processing=True,
        schedule8_condition="2",
        policy_document_reference="APD-MPS-LE-2020",
        logged_operations=["disclosure"],
        is_new_filing_system=False,
        necessity="Prosecutors need the material to make charging decisions and to disclose.",
        safeguards="Transfers only through the secure system, each checked by a supervisor.",
    )
    dpia.screening = Screening(
        project=dorothy,
        mandatory_cases=["large_scale_special_category"],
        ico_types=["risk_of_physical_harm"],
        wp248_criteria=["sensitive_data", "vulnerable_subjects"],
        involves_sharing=True,
        is_dpia_required=True,
        rationale="Bulk transfer of sensitive material about victims and witnesses.",
        decided_by=dpo,
    )
    _add_risk(
        dpia,
        "Unredacted material names witnesses who were promised anonymity.",
        "Witnesses are identified and intimidated.",
        "possible",
        "severe",
        ("A supervisor checks redactions against the schedule before transfer.", "low", "planned"),
    )
    _mark_drafted(dpia, today - timedelta(days=10))
    record_creation(dpia, lead)
    submit(dpia, lead)
    record_advice(
        dpia,
        "Proceed: the supervisor's redaction check must be recorded for every transfer.",
        today - timedelta(days=4),
        dpo,
    )
    return dpia


def _archived_trial(users: dict[str, User]) -> list:
    """Return a retired ANPR trial, its decision and its supplier, archived with reasons."""
    dpo = users["dpo@example.org"]
    decision = Decision(
        title="ANPR mobile trial 2022/23",
        decision_maker="Deputy Mayor for Policing and Crime",
        issuing_body="MOPAC (Mayor's Office for Policing and Crime)",
        signed_on=date(2022, 6, 9),
        summary="Approves a one-year trial of vehicle-mounted ANPR cameras.",
    )
    decision.set_reference("PCD 1133")
    project = Project(
        name="Project Heron",
        description="A one-year trial of vehicle-mounted ANPR cameras, ended in 2023.",
        owning_unit="Roads and Transport Policing",
        lead=users["lead2@example.org"],
        status="closed",
        decisions=[decision],
    )
    supplier = Party(
        name="Heron camera supplier",
        kind="external",
        description="Supplied and maintained the trial's cameras as processor.",
    )
    db.session.add_all([decision, project, supplier])
    db.session.flush()
    reason = "The trial ended in 2023; the record is kept for audit."
    for record in (decision, project, supplier):
        record.archive(dpo, reason)
    return [decision, project, supplier]


def _signed_copy(users: dict[str, User]) -> None:
    agreement = db.session.query(Agreement).filter_by(status="active").order_by(Agreement.id)
    agreement = agreement.first()
    if agreement is None:
        return
    stored = store(io.BytesIO(SIGNED_COPY), "signed-agreement.pdf")
    db.session.add(
        Attachment(
            owner_kind="agreement",
            owner_id=agreement.id,
            filename=f"{agreement.reference} signed.pdf",
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            storage_name=stored.storage_name,
            description="Signed copy of the agreement",
            is_signed_copy=True,
            uploaded_by=users["dpo@example.org"],
        )
    )


def _imported_dpia(kestrel: Project, decision: Decision, users: dict[str, User]) -> Dpia:
    """Return a draft DPIA brought in from the CNIL PIA tool, with its import notes."""
    lead = users["lead2@example.org"]
    dpia = Dpia(
        project=kestrel,
        decision=decision,
        owner=lead,
        title="Body-worn video redaction service (imported)",
        processing_summary="A supplier blurs faces in footage before it is released.",
        nature="Footage is sent to the supplier's redaction service and returned blurred.",
    )
    _add_risk(
        dpia,
        "Illegitimate access to footage held by the supplier.",
        "Footage of victims and bystanders is disclosed before it is blurred.",
        "possible",
        "significant",
        (
            "Footage is encrypted in transit and at rest, with keys held by the force.",
            "low",
            "planned",
        ),
    )
    dpia.refresh_residual_risk()
    record_creation(dpia, lead)
    db.session.add(dpia)
    db.session.add(
        DpiaImportNote(
            dpia=dpia,
            source="CNIL PIA tool export: bwv-redaction.json",
            report=json.dumps(
                [
                    ["Context: overview", "Step 2: nature of the processing"],
                    ["Risks: illegitimate access to data", "Risks: risk 1"],
                    ["Action plan", "Notes kept from the import"],
                ]
            ),
            notes=(
                "Evaluation of the principles: acceptable, with corrective measures on "
                "storage duration.\nAction plan: agree a deletion certificate with the supplier."
            ),
            created_by=users["dpo@example.org"],
        )
    )
    return dpia


def add_state_demo(
    today: date,
    users: dict[str, User],
    dorothy: Project,
    pcd_974: Decision,
    kestrel: Project,
    kestrel_decision: Decision,
) -> None:
    """Add the records in the states Dorothy's own DPIA and agreements do not show."""
    db.session.add(_facial_matching_dpia(kestrel, kestrel_decision, users, today))
    db.session.add(_evidence_transfer_dpia(dorothy, pcd_974, users, today))
    _imported_dpia(kestrel, kestrel_decision, users)
    _archived_trial(users)
    _signed_copy(users)

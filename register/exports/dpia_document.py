"""A DPIA as a Word document, laid out like the ICO's sample DPIA template.

The document is a list of sections, one function per template step or
register part, each writing its heading and content. A new DPIA field is
shown by changing the one function for its step, and a new part is one
more function in SECTIONS. Steps follow the ICO template's numbering, as
the DPIA page does: step 2 contains nature, scope, context and purposes.
"""

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from sqlalchemy import select

from core.extensions import db
from dpia import vocabulary
from dpia.models import Dpia
from dpia.screening import SCREENING_RESULTS, screening_result
from register.exports.docx_parts import (
    NOT_RECORDED,
    a4_page,
    joined,
    labels,
    name,
    paragraphs,
    safe,
    summary_table,
    table,
    text,
    when,
    yes_no,
)
from register.models import Review


def record_details(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Submitting controller details", level=1)
    previous = dpia.previous
    summary_table(
        document,
        [
            ("DPIA", text(dpia.title)),
            ("Version", str(dpia.version)),
            ("DPIA reference", text(dpia.reference, "None")),
            ("Project", text(dpia.project.name)),
            ("Owning unit", text(dpia.project.owning_unit)),
            ("Project lead", name(dpia.project.lead)),
            ("DPIA owner", name(dpia.owner)),
            ("Status", dpia.status_label),
            ("Law governing the processing", dpia.regime_label),
            ("Controller", text(dpia.controller)),
            ("Joint controllers and processors", text(dpia.processors, "None recorded")),
            ("DPO contact", text(dpia.dpo_contact)),
            (
                "Overall residual risk",
                vocabulary.RISK_LEVELS.get(dpia.overall_residual_level, "No risks recorded"),
            ),
            ("Next review", when(dpia.next_review_on, "Not set")),
            (
                "Previous version",
                f"Version {previous.version} ({previous.status_label})" if previous else "None",
            ),
        ],
    )


def governing_decision(document: DocxDocument, dpia: Dpia) -> None:
    decision = dpia.decision
    document.add_heading("Governing decision", level=1)
    summary_table(
        document,
        [
            ("Reference", text(decision.reference)),
            ("Title", text(decision.title)),
            ("Decision maker", text(decision.decision_maker)),
            ("Issuing body", text(decision.issuing_body)),
            ("Date signed", when(decision.signed_on)),
            ("Summary", text(decision.summary)),
            ("Link", text(decision.link)),
        ],
    )


def processing_summary(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Summary of the processing", level=1)
    paragraphs(document, dpia.processing_summary)


def step_need(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 1: Identify the need for a DPIA", level=1)
    paragraphs(document, dpia.need_summary)
    document.add_heading("Screening", level=2)
    screening = dpia.screening
    if screening is None:
        document.add_paragraph("Not screened yet.")
        return
    result = screening_result(
        screening.mandatory_cases, screening.ico_types, screening.wp248_criteria
    )
    rows = [
        (
            "Mandatory cases (Article 35(3))",
            labels(screening.mandatory_cases, vocabulary.MANDATORY_CASES),
        ),
        ("ICO high-risk types", labels(screening.ico_types, vocabulary.ICO_HIGH_RISK_TYPES)),
        ("WP248 criteria", labels(screening.wp248_criteria, vocabulary.WP248_CRITERIA)),
        ("Involves sharing data", yes_no(screening.involves_sharing)),
        ("What the answers show", SCREENING_RESULTS[result]),
        ("DPIA required", yes_no(screening.is_dpia_required)),
        ("Reasons", text(screening.rationale)),
    ]
    if screening.override_reason:
        rows.append(
            ("Why a DPIA is not needed despite the answers", text(screening.override_reason))
        )
    rows.append(
        ("Recorded by", f"{name(screening.decided_by)}, {when(screening.decided_at)}"),
    )
    summary_table(document, rows)


def step_processing(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 2: Describe the processing", level=1)
    document.add_heading("Nature of the processing", level=2)
    summary_table(
        document,
        [
            ("How the data is collected, used, stored and deleted", text(dpia.nature)),
            ("Sources of the data", text(dpia.data_sources)),
            ("Planned start of the processing", when(dpia.go_live_on)),
        ],
    )
    document.add_heading("Scope of the processing", level=2)
    summary_table(
        document,
        [
            ("Categories of personal data", text(dpia.data_categories)),
            (
                "Special category data",
                labels(dpia.special_categories, vocabulary.SPECIAL_CATEGORIES),
            ),
            ("Criminal offence data", yes_no(dpia.has_criminal_offence_data)),
            ("Volume and frequency", text(dpia.volume)),
            ("Number of people affected", text(dpia.individuals_affected)),
            ("Retention", text(dpia.retention)),
            ("Geographical area", text(dpia.geography)),
        ],
    )
    document.add_heading("Context of the processing", level=2)
    summary_table(
        document,
        [
            ("Context", text(dpia.context)),
            ("Children or vulnerable people", yes_no(dpia.involves_vulnerable_people)),
        ],
    )
    document.add_heading("Purposes of the processing", level=2)
    summary_table(
        document,
        [("Purposes", text(dpia.purposes)), ("Benefits", text(dpia.benefits))],
    )


def step_consultation(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 3: Consultation process", level=1)
    rows = [("Views of individuals or their representatives sought", yes_no(dpia.views_sought))]
    if dpia.views_sought:
        rows.append(("How views were sought", text(dpia.consultation_method)))
    if dpia.views_sought is False:
        rows.append(("Why views were not sought", text(dpia.views_not_sought_reason)))
    rows.append(("Others consulted", text(dpia.consultees, "None recorded")))
    summary_table(document, rows)


def step_necessity(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 4: Assess necessity and proportionality", level=1)
    rows = []
    if dpia.includes_uk_gdpr:
        rows.append(
            (
                "UK GDPR Article 6 basis",
                vocabulary.ART6_BASES.get(dpia.art6_basis, NOT_RECORDED),
            )
        )
    if dpia.includes_part3:
        rows.append(
            ("DPA 2018 section 35 basis", vocabulary.LE_BASES.get(dpia.le_basis, NOT_RECORDED))
        )
        rows.append(("Sensitive processing", yes_no(dpia.is_sensitive_processing)))
        if dpia.is_sensitive_processing:
            rows.append(
                (
                    "Schedule 8 condition",
                    vocabulary.SCHEDULE_8_CONDITIONS.get(dpia.schedule8_condition, "None"),
                )
            )
            rows.append(("Appropriate policy document", text(dpia.policy_document_reference)))
        rows.append(
            (
                "Operations logged (section 62)",
                labels(dpia.logged_operations, vocabulary.LOGGED_OPERATIONS),
            )
        )
        rows.append(("New filing system", yes_no(dpia.is_new_filing_system)))
    rows.append(("Necessity and proportionality", text(dpia.necessity)))
    rows.append(("Rights, information and safeguards", text(dpia.safeguards)))
    summary_table(document, rows)


def _overall_risk(risk) -> str:
    if not risk.override_level:
        return risk.level_label
    computed = vocabulary.RISK_LEVELS.get(risk.computed_level, risk.computed_level)
    return f"{risk.level_label}, set by the DPO instead of {computed}: {text(risk.override_reason)}"


def step_risks(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 5: Identify and assess risks", level=1)
    risks = list(dpia.risks)
    if not risks:
        document.add_paragraph("No risks are recorded.")
        return
    table(
        document,
        [
            "Risk",
            "Source of risk and nature of potential impact",
            "Likelihood of harm",
            "Severity of harm",
            "Overall risk",
        ],
        [
            [
                str(number),
                f"{text(risk.source)}\nPotential impact: {text(risk.harm)}",
                vocabulary.LIKELIHOODS.get(risk.likelihood, text(risk.likelihood)),
                vocabulary.SEVERITIES.get(risk.severity, text(risk.severity)),
                _overall_risk(risk),
            ]
            for number, risk in enumerate(risks, start=1)
        ],
        [1.5, 7.3, 2.7, 2.7, 2.8],
    )


def step_measures(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 6: Identify measures to reduce risk", level=1)
    # Risks are numbered as in step 5, where their source and impact are given.
    numbered = [
        (number, risk, measure)
        for number, risk in enumerate(dpia.risks, start=1)
        for measure in risk.measures
    ]
    if not numbered:
        document.add_paragraph("No measures are recorded.")
        return
    table(
        document,
        [
            "Risk",
            "Options to reduce or eliminate risk",
            "Effect on risk",
            "Residual risk",
            "Measure approved",
        ],
        [
            [
                f"Risk {number}",
                text(measure.description),
                measure.effect_label,
                measure.residual_label,
                "Yes" if measure.is_approved else "No",
            ]
            for number, risk, measure in numbered
        ],
        [1.8, 8.0, 2.2, 2.5, 2.5],
    )
    document.add_heading("Who puts each measure in place", level=2)
    table(
        document,
        ["Measure", "Owner", "Due", "Status"],
        [
            [
                text(measure.description),
                name(measure.owner, "No owner"),
                when(measure.due_on, "No date"),
                measure.status_label,
            ]
            for _, _, measure in numbered
        ],
        [8.5, 3.5, 2.7, 2.3],
    )


def _approval(by: str, position: str, on) -> str:
    if not by:
        return "Not yet"
    return joined(by, position, when(on, ""))


def _advice_response(dpia: Dpia) -> str:
    if not dpia.advice_response:
        return "Not yet accepted or overruled"
    response = vocabulary.ADVICE_RESPONSES.get(dpia.advice_response, dpia.advice_response)
    return joined(
        f"{response} by {safe(dpia.advice_response_by)}", when(dpia.advice_response_on, "")
    )


def step_sign_off(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 7: Sign off and record outcomes", level=1)
    advice_given = (
        joined(name(dpia.dpo_advice_by, "The DPO"), when(dpia.dpo_advice_on))
        if dpia.dpo_advice
        else "Not given"
    )
    reviewed = (
        joined(dpia.consultation_reviewed_by, when(dpia.consultation_reviewed_on, ""))
        if dpia.consultation_reviewed_by
        else NOT_RECORDED
    )
    table(
        document,
        ["Item", "Name, position and date", "Notes"],
        [
            [
                "Measures approved by",
                _approval(
                    dpia.measures_approved_by,
                    dpia.measures_approved_position,
                    dpia.measures_approved_on,
                ),
                "",
            ],
            [
                "Residual risks approved by",
                _approval(
                    dpia.residual_approved_by,
                    dpia.residual_approved_position,
                    dpia.residual_approved_on,
                ),
                "",
            ],
            ["DPO advice provided", advice_given, ""],
            ["Summary of DPO advice", "", text(dpia.dpo_advice, "Not given")],
            [
                "DPO advice accepted or overruled by",
                _advice_response(dpia),
                text(dpia.overrule_reasons, ""),
            ],
            [
                "Consultation responses reviewed by",
                reviewed,
                text(dpia.departure_reasons, "") if dpia.departs_from_views else "",
            ],
            [
                "This DPIA will be kept under review by",
                text(dpia.kept_under_review_by),
                f"Next review: {when(dpia.next_review_on, 'not set')}",
            ],
        ],
        [4.5, 6.5, 6.0],
    )
    document.add_heading("Outcome", level=2)
    rows = [("Outcome", dpia.outcome_label or "Not decided")]
    if dpia.conditions:
        rows.append(("Conditions", text(dpia.conditions)))
    if dpia.prior_consultation_override is not None:
        decision = (
            "Consult the ICO" if dpia.prior_consultation_override else "Do not consult the ICO"
        )
        rows.append(
            (
                "DPO's decision on prior consultation",
                f"{decision}: {text(dpia.prior_consultation_override_reason)}",
            )
        )
    signed = (
        joined(name(dpia.signed_off_by), when(dpia.signed_off_on))
        if dpia.is_signed_off
        else "Not signed off"
    )
    rows.append(("Signed off by the DPO", signed))
    rows.append(("Approved on", when(dpia.approved_on, "Not approved")))
    rows.append(("Completion confirmed by the project lead", _confirmation(dpia)))
    summary_table(document, rows)


def _confirmation(dpia: Dpia) -> str:
    if dpia.confirmed_at:
        return joined(name(dpia.confirmed_by), when(dpia.confirmed_at))
    if dpia.is_approved:
        return f"Awaiting confirmation from {name(dpia.project.lead)}"
    return "Not confirmed: the DPIA must be approved first"


def prior_consultation(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Prior consultation with the ICO", level=1)
    consultation = dpia.prior_consultation
    if consultation is None:
        if dpia.needs_prior_consultation:
            trigger = vocabulary.PRIOR_CONSULTATION_TRIGGERS[dpia.prior_consultation_trigger]
            document.add_paragraph(f"Needed but not yet recorded. {trigger}.")
        else:
            document.add_paragraph("No prior consultation with the ICO is recorded.")
        return
    due = when(consultation.advice_due_on, "Once submitted")
    if consultation.is_extended:
        due += " (extended to 14 weeks)"
    summary_table(
        document,
        [
            ("Why", consultation.trigger_label),
            ("Submitted", when(consultation.submitted_on, "Not yet")),
            ("ICO reference", text(consultation.ico_reference, "None yet")),
            ("Accepted by the ICO", when(consultation.accepted_on, "Not yet")),
            ("Advice due", due),
            ("Advice received", when(consultation.advice_received_on, "Not yet")),
            ("Summary of the advice", text(consultation.advice_summary, "None yet")),
        ],
    )


def _versions(dpia: Dpia) -> list[Dpia]:
    """Return every version of the DPIA, oldest first, following the `previous` links."""
    versions = [dpia]
    while versions[0].previous is not None:
        versions.insert(0, versions[0].previous)
    while True:
        later = db.session.scalar(select(Dpia).where(Dpia.previous_id == versions[-1].id))
        if later is None:
            return versions
        versions.append(later)


def _reviews(dpia: Dpia) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.record_kind == "dpia", Review.record_id == dpia.id)
            .order_by(Review.reviewed_on.desc(), Review.id.desc())
        )
    )


def review_history(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Review history", level=1)
    reviews = _reviews(dpia)
    if reviews:
        table(
            document,
            ["Reviewed", "Type and trigger", "Reviewer", "Findings", "Outcome", "Next review"],
            [
                [
                    when(review.reviewed_on),
                    f"{review.review_type_label}: {review.trigger_label}",
                    name(review.reviewer),
                    text(review.findings),
                    review.outcome_label,
                    when(review.next_review_on, "None: the record ends"),
                ]
                for review in reviews
            ],
            [2.6, 3.2, 2.4, 3.8, 2.4, 2.6],
        )
    else:
        document.add_paragraph("No reviews are recorded yet.")

    document.add_heading("Versions", level=2)
    table(
        document,
        ["Version", "Status", "Signed off", "Approved on"],
        [
            [
                f"{version.version} (this document)" if version is dpia else str(version.version),
                version.status_label,
                when(version.signed_off_on, "Not signed off"),
                when(version.approved_on, "Not approved"),
            ]
            for version in _versions(dpia)
        ],
        [3.0, 5.0, 4.5, 4.5],
    )

    document.add_heading("Changes of state", level=2)
    if not dpia.history:
        document.add_paragraph("No changes of state are recorded.")
        return
    table(
        document,
        ["When", "Who", "Change", "Comment"],
        [
            [
                when(change.changed_at),
                name(change.changed_by),
                f"{change.from_label} to {change.to_label}",
                text(change.comment, ""),
            ]
            for change in dpia.history
        ],
        [3.2, 3.0, 5.0, 5.8],
    )


SECTIONS: list[Callable[[DocxDocument, Dpia], None]] = [
    record_details,
    governing_decision,
    processing_summary,
    step_need,
    step_processing,
    step_consultation,
    step_necessity,
    step_risks,
    step_measures,
    step_sign_off,
    prior_consultation,
    review_history,
]


def dpia_document(dpia: Dpia) -> bytes:
    """Return the DPIA as a .docx file."""
    document = Document()
    a4_page(document)
    document.styles["Normal"].font.size = Pt(11)
    title = safe(f"DPIA: {dpia.title}")
    # python-docx raises ValueError for a core property longer than 255 characters.
    document.core_properties.title = title[:255]
    document.add_heading(title, level=0)
    for section in SECTIONS:
        section(document, dpia)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""A DPIA as a Word document, laid out like the ICO's sample DPIA template.

The document is a list of sections, one function per step, each writing
its heading and content. A new DPIA field is shown by changing the one
function for its step; a new step is one more function in SECTIONS.
"""

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from core.forms import CONTROL_CHARACTERS
from core.timeutil import as_local
from dpia.models import Dpia
from dpia.vocabulary import LIKELIHOODS, RISK_LEVELS, SEVERITIES

NOT_RECORDED = "Not recorded"


def _date(value) -> str:
    if value is None:
        return NOT_RECORDED
    if hasattr(value, "hour"):
        local = as_local(value)
        return f"{local.day} {local:%B %Y at %H:%M}"
    return f"{value.day} {value:%B %Y}"


def _text(value) -> str:
    if value is None or value == "":
        return NOT_RECORDED
    return _safe(str(value))


def _safe(text: str) -> str:
    """Drop control characters, which Word's XML cannot hold."""
    return CONTROL_CHARACTERS.sub("", text)


def _name(user) -> str:
    return user.name if user is not None else NOT_RECORDED


def _paragraphs(document: DocxDocument, text: str | None) -> None:
    if not text:
        document.add_paragraph(NOT_RECORDED)
        return
    for paragraph in text.split("\n"):
        if paragraph.strip():
            document.add_paragraph(_safe(paragraph))


def _table(document: DocxDocument, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _safe(value)


def _summary_table(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = _safe(value)


def record_details(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Submitting controller details", level=1)
    _summary_table(
        document,
        [
            ("DPIA", dpia.title),
            ("Project", dpia.project.name),
            ("Owning unit", dpia.project.owning_unit),
            ("Project lead", _name(dpia.project.lead)),
            ("DPIA owner", _name(dpia.owner)),
            ("Status", dpia.status_label),
            ("Next review", _date(dpia.next_review_on)),
        ],
    )


def governing_decision(document: DocxDocument, dpia: Dpia) -> None:
    decision = dpia.decision
    document.add_heading("Governing decision", level=1)
    _summary_table(
        document,
        [
            ("Reference", decision.reference),
            ("Title", decision.title),
            ("Decision maker", decision.decision_maker),
            ("Issuing body", decision.issuing_body),
            ("Date signed", _date(decision.signed_on)),
            ("Summary", _text(decision.summary)),
        ],
    )


def step_need(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 1: Identify the need for a DPIA", level=1)
    # TODO: add the screening answers and outcome when the DPIA records them.
    _paragraphs(document, dpia.processing_summary)


def step_processing(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 2: Describe the processing", level=1)
    for heading in ("Nature of the processing", "Scope of the processing"):
        document.add_heading(heading, level=2)
        document.add_paragraph(NOT_RECORDED)
    for heading in ("Context of the processing", "Purposes of the processing"):
        document.add_heading(heading, level=2)
        document.add_paragraph(NOT_RECORDED)


def step_consultation(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 3: Consultation process", level=1)
    document.add_paragraph(NOT_RECORDED)


def step_necessity(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 4: Assess necessity and proportionality", level=1)
    document.add_paragraph(NOT_RECORDED)


def step_risks(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 5: Identify and assess risks", level=1)
    risks = list(dpia.risks)
    _table(
        document,
        [
            "Source of risk and nature of potential impact",
            "Likelihood of harm",
            "Severity of harm",
            "Overall risk",
        ],
        [
            [
                f"{_text(risk.source)}: {_text(risk.harm)}",
                LIKELIHOODS.get(risk.likelihood, _text(risk.likelihood)),
                SEVERITIES.get(risk.severity, _text(risk.severity)),
                risk.level_label,
            ]
            for risk in risks
        ],
    )
    if not risks:
        document.add_paragraph("No risks are recorded.")


def step_measures(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 6: Identify measures to reduce risk", level=1)
    rows = [
        [
            _text(risk.source),
            _text(measure.description),
            measure.effect_label,
            RISK_LEVELS.get(measure.residual_level, _text(measure.residual_level)),
            "Yes" if measure.is_approved else "No",
        ]
        for risk in dpia.risks
        for measure in risk.measures
    ]
    _table(
        document,
        [
            "Risk",
            "Options to reduce or eliminate risk",
            "Effect on risk",
            "Residual risk",
            "Measure approved",
        ],
        rows,
    )
    if not rows:
        document.add_paragraph("No measures are recorded.")


def step_sign_off(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Step 7: Sign off and record outcomes", level=1)
    signed = (
        f"{_name(dpia.signed_off_by)}, {_date(dpia.signed_off_on)}"
        if dpia.signed_off_on
        else "Not signed off"
    )
    advice = (
        f"{_name(dpia.dpo_advice_by)}, {_date(dpia.dpo_advice_on)}"
        if dpia.dpo_advice_on
        else "Not given"
    )
    confirmed = (
        f"{_name(dpia.confirmed_by)}, {_date(dpia.confirmed_at)}"
        if dpia.confirmed_at
        else "Not confirmed"
    )
    _table(
        document,
        ["Item", "Name and date", "Notes"],
        [
            ["Measures approved by", signed, ""],
            ["Residual risks approved by", signed, ""],
            ["DPO advice provided", advice, ""],
            ["Summary of DPO advice", "", _text(dpia.dpo_advice)],
            ["Completion confirmed by the project lead", confirmed, ""],
            [
                "This DPIA will be kept under review by",
                _name(dpia.owner),
                _date(dpia.next_review_on),
            ],
        ],
    )


def review_history(document: DocxDocument, dpia: Dpia) -> None:
    document.add_heading("Review history", level=1)
    reviews = getattr(dpia, "reviews", None) or []
    if not reviews:
        document.add_paragraph("No reviews are recorded yet.")
        return
    _table(
        document,
        ["Reviewed on", "Reviewed by", "Outcome", "Next review"],
        [
            [
                _date(getattr(review, "reviewed_on", None)),
                _name(getattr(review, "reviewer", None)),
                _text(getattr(review, "outcome", None)),
                _date(getattr(review, "next_review_on", None)),
            ]
            for review in reviews
        ],
    )


SECTIONS: list[Callable[[DocxDocument, Dpia], None]] = [
    record_details,
    governing_decision,
    step_need,
    step_processing,
    step_consultation,
    step_necessity,
    step_risks,
    step_measures,
    step_sign_off,
    review_history,
]


def dpia_document(dpia: Dpia) -> bytes:
    """Return the DPIA as a .docx file."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    title = _safe(f"DPIA: {dpia.title}")
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for section in SECTIONS:
        section(document, dpia)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

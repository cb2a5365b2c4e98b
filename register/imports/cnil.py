"""Turn a PIA exported by the CNIL's PIA tool (its JSON export) into a draft DPIA.

The PIA tool stores answers by question number (111 to 346), measures,
evaluations with their action plan, and the DPO's and data subjects'
opinions. Each part goes to a DPIA field where one exists (TARGETS). All
other parts go into notes, so nothing in the file is dropped, and the
report lists where each part went. Unknown keys are kept in the notes as
they are.
"""

import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from core.forms import clean_text
from dpia.models import Dpia

# Largest CNIL file accepted, in bytes. The tool's own examples are under 100 kB.
MAX_FILE_BYTES = 5 * 1024 * 1024
TITLE_LENGTH = 200

PROCESSING_SUMMARY = "Summary of the processing"
DPO_ADVICE = "DPO advice"
NOTES = "Notes kept from the import"

# Question numbers of the PIA tool, with our wording of each question.
QUESTIONS = {
    111: "Context: the processing under consideration",
    112: "Context: responsibilities for the processing",
    113: "Context: standards that apply to the processing",
    121: "Context: data processed",
    122: "Context: life cycle of the data and processes",
    123: "Context: assets supporting the data",
    211: "Principles: purposes",
    212: "Principles: legal basis",
    213: "Principles: adequate, relevant and limited data",
    214: "Principles: accurate and up-to-date data",
    215: "Principles: storage duration",
    221: "Rights: information given to data subjects",
    222: "Rights: consent",
    223: "Rights: access and portability",
    224: "Rights: rectification and erasure",
    225: "Rights: restriction and objection",
    226: "Rights: processors",
    227: "Rights: transfers outside the European Union",
}
RISKS = {2: "Illegitimate access to data", 3: "Unwanted change of data", 4: "Disappearance of data"}
RISK_PARTS = {
    1: "potential impacts",
    2: "threats",
    3: "risk sources",
    4: "measures that address the risk",
    5: "severity",
    6: "likelihood",
}
# The PIA tool's four-step scale for severity and likelihood.
GAUGE = {1: "Negligible", 2: "Limited", 3: "Significant", 4: "Maximum"}
EVALUATION_STATUS = {1: "To be corrected", 2: "Improvable", 3: "Acceptable"}

# Target field of each question's answer. Questions not named here go to notes.
# TODO: send the principles, rights and risks to their DPIA steps once the
# DPIA records necessity and proportionality, risks and measures.
TARGETS = {number: PROCESSING_SUMMARY for number in (111, 112, 113, 121, 122, 123)}

KNOWN_PIA_KEYS = {
    "name",
    "author_name",
    "evaluator_name",
    "validator_name",
    "dpo_status",
    "dpo_opinion",
    "dpos_names",
    "people_names",
    "concerned_people_opinion",
    "concerned_people_status",
    "concerned_people_searched_opinion",
    "concerned_people_searched_content",
    "rejection_reason",
    "applied_adjustments",
    "status",
    "category",
}
# Bookkeeping of the PIA tool itself, with no meaning for the assessment.
IGNORED_PIA_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "dbVersion",
    "tableName",
    "serverUrl",
    "objectStore",
    "numberOfQuestions",
    "is_example",
    "progress",
    "lock_version",
    "is_archive",
    "structure_id",
    "structure_name",
    "structure_sector_name",
    "structure_data",
}
KNOWN_TOP_KEYS = {"pia", "answers", "measures", "evaluations", "comments"}


class CnilFileError(ValueError):
    """The file is not a PIA export the register can read. The message gives the reason."""


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(value) -> str:
    """Return the PIA tool's rich text as plain paragraphs."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    text = unescape("".join(extractor.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return clean_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)))


@dataclass
class MappedPia:
    """The DPIA fields built from a PIA, the notes and the report of what went where."""

    title: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    report: list[tuple[str, str]] = field(default_factory=list)

    def put(self, target: str, label: str, text: str) -> None:
        if not text:
            return
        # A field filled from one part takes the text alone; the others name each part.
        block = text if target == DPO_ADVICE else f"{label}\n{text}"
        if target == NOTES:
            self.notes.append(block)
        else:
            self.fields.setdefault(target, []).append(block)
        self.report.append((label, target))

    def text(self, target: str) -> str:
        return "\n\n".join(self.fields.get(target, []))


def _answer_text(data) -> str:
    if not isinstance(data, dict):
        return plain_text(data)
    parts = []
    if data.get("text"):
        parts.append(plain_text(data["text"]))
    if data.get("gauge") not in (None, 0, ""):
        parts.append(f"Rating: {GAUGE.get(data['gauge'], data['gauge'])}")
    items = data.get("list") or []
    if isinstance(items, list) and items:
        parts.append("; ".join(plain_text(item) for item in items))
    extra = {key: value for key, value in data.items() if key not in ("text", "gauge", "list")}
    if extra:
        parts.append(f"Other answer fields: {json.dumps(extra, ensure_ascii=False)}")
    return "\n".join(part for part in parts if part)


def _question_label(number) -> str:
    if not isinstance(number, int) or isinstance(number, bool):
        return f"Answer to question {number}"
    if number in QUESTIONS:
        return f"{QUESTIONS[number]} (question {number})"
    if 300 < number < 400:
        risk, part = divmod(number - 300, 10)
        if risk in RISKS and part in RISK_PARTS:
            return f"Risk, {RISKS[risk].lower()}: {RISK_PARTS[part]} (question {number})"
    return f"Answer to question {number}"


def _answer_order(answer: dict) -> tuple:
    number = answer.get("reference_to")
    if isinstance(number, int) and not isinstance(number, bool):
        return (0, number, "")
    return (1, 0, str(number))


def _list(document: dict, key: str) -> list:
    value = document.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise CnilFileError(f"{key} must be a list in a PIA export")
    return value


def load(content: bytes) -> dict:
    if len(content) > MAX_FILE_BYTES:
        raise CnilFileError(f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise CnilFileError(
            "The file is not JSON: export the PIA again from the PIA tool"
        ) from None
    if not isinstance(document, dict):
        raise CnilFileError("The file is not a PIA export: it has no pia section")
    if "structure" in document and "pia" not in document:
        raise CnilFileError("The file is a PIA tool template, not a PIA: export the PIA itself")
    if not isinstance(document.get("pia"), dict):
        raise CnilFileError("The file is not a PIA export: it has no pia section")
    return document


def map_pia(document: dict) -> MappedPia:
    """Place each part of a PIA export on a DPIA field or in the notes."""
    pia = document["pia"]
    title = plain_text(pia.get("name")).replace("\n", " ")[:TITLE_LENGTH] or "Imported PIA"
    mapped = MappedPia(title=title)
    mapped.report.append(("PIA name", "Title"))

    answers = [a for a in _list(document, "answers") if isinstance(a, dict)]
    unreadable = [
        item
        for key in ("answers", "measures", "evaluations", "comments")
        for item in _list(document, key)
        if not isinstance(item, dict)
    ]
    answers.sort(key=_answer_order)
    for answer in answers:
        number = answer.get("reference_to")
        target = TARGETS.get(number, NOTES) if isinstance(number, int) else NOTES
        mapped.put(target, _question_label(number), _answer_text(answer.get("data")))

    for measure in _list(document, "measures"):
        if isinstance(measure, dict):
            label = f"Measure: {plain_text(measure.get('title')) or 'untitled'}"
            mapped.put(NOTES, label, plain_text(measure.get("content")))

    for evaluation in _list(document, "evaluations"):
        if isinstance(evaluation, dict):
            mapped.put(NOTES, *_evaluation(evaluation))

    dpo = plain_text(pia.get("dpo_opinion"))
    if dpo:
        names = plain_text(pia.get("dpos_names"))
        advice = f"{dpo}\n(Given by {names} in the PIA tool.)" if names else dpo
        mapped.put(DPO_ADVICE, "Opinion of the DPO", advice)
    _opinions(mapped, pia)

    for comment in _list(document, "comments"):
        if isinstance(comment, dict):
            where = comment.get("reference_to")
            mapped.put(
                NOTES, f"Comment on question {where}", plain_text(comment.get("description"))
            )

    others = {
        key: value
        for key, value in pia.items()
        if key not in KNOWN_PIA_KEYS | IGNORED_PIA_KEYS and value not in (None, "", [], {})
    }
    for key in sorted(set(document) - KNOWN_TOP_KEYS):
        others[key] = document[key]
    if unreadable:
        others["entries that are not objects"] = unreadable
    if others:
        mapped.put(
            NOTES,
            "Other fields of the file",
            json.dumps(others, ensure_ascii=False, indent=1, default=str),
        )
    return mapped


def _evaluation(evaluation: dict) -> tuple[str, str]:
    status = evaluation.get("status")
    lines = [f"Evaluation: {EVALUATION_STATUS.get(status, 'not evaluated')}"]
    for key, label in (
        ("evaluation_comment", "Comment"),
        ("action_plan_comment", "Action plan"),
        ("person_in_charge", "Person in charge"),
        ("estimated_implementation_date", "Planned date"),
    ):
        text = plain_text(evaluation.get(key))
        if text:
            lines.append(f"{label}: {text}")
    gauges = evaluation.get("gauges")
    if isinstance(gauges, dict) and any(gauges.values()):
        lines.append(
            "Adjusted ratings: "
            + ", ".join(f"{key} {GAUGE.get(value, value)}" for key, value in gauges.items())
        )
    return f"Evaluation of part {evaluation.get('reference_to')}", "\n".join(lines)


def _opinions(mapped: MappedPia, pia: dict) -> None:
    for key, label in (
        ("author_name", "Author"),
        ("evaluator_name", "Evaluator"),
        ("validator_name", "Validator"),
        ("category", "Category"),
        ("status", "Status code in the PIA tool"),
        ("dpo_status", "DPO opinion status code in the PIA tool"),
        ("people_names", "Data subjects consulted"),
        ("concerned_people_opinion", "Opinion of the data subjects"),
        ("concerned_people_status", "Data subjects' opinion status code in the PIA tool"),
        ("concerned_people_searched_content", "Note on seeking the data subjects' opinion"),
        ("rejection_reason", "Reason the PIA was last rejected"),
        ("applied_adjustments", "Changes made after the rejection"),
    ):
        value = pia.get(key)
        if value not in (None, ""):
            mapped.put(NOTES, label, plain_text(value) if isinstance(value, str) else str(value))
    if pia.get("concerned_people_searched_opinion") is False:
        mapped.put(NOTES, "Data subjects' opinion sought", "No")


def apply(mapped: MappedPia, dpia: Dpia) -> None:
    """Copy the mapped fields onto a new draft DPIA."""
    dpia.title = mapped.title
    dpia.status = "draft"
    dpia.processing_summary = mapped.text(PROCESSING_SUMMARY)
    dpia.dpo_advice = mapped.text(DPO_ADVICE)

"""Turn a PIA exported by the CNIL's PIA tool (its JSON export) into a draft DPIA.

The PIA tool stores answers by question number (111 to 346), measures,
evaluations with their action plan, and the DPO's and data subjects'
opinions. Each part goes to the DPIA field or step where it has a place:
the context (section 1) to the summary and step 2, the principles and
rights (section 2) to step 2's purposes and retention and to step 4, the
risks (section 3) to step 5 with their measures in step 6, and the
opinions to the DPO advice and step 3. All other parts go into notes, so
nothing in the file is dropped, and the report lists where each part went.
Unknown keys are kept in the notes as they are.
"""

import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from core.forms import clean_text
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.scoring import overall_level
from register.imports.cnil_risks import (
    GAUGE,
    RISK_PARTS,
    RISKS,
    MappedMeasure,
    MappedRisk,
    gauge_of,
    parse_due_date,
    risk_part,
    risk_text,
)

# Largest CNIL file accepted, in bytes. The tool's own examples are under 100 kB.
MAX_FILE_BYTES = 5 * 1024 * 1024
TITLE_LENGTH = 200

NOTES = "Notes kept from the import"

# The DPIA fields an import fills, with the names the report gives them.
FIELD_LABELS = {
    "processing_summary": "Summary of the processing",
    "processors": "Joint controllers and processors",
    "nature": "Step 2, nature: how the data is collected, used, stored and deleted",
    "data_categories": "Step 2, scope: categories of personal data",
    "retention": "Step 2, scope: retention",
    "context": "Step 2: context of the processing",
    "purposes": "Step 2: purposes of the processing",
    "consultation_method": "Step 3: how views were sought",
    "views_not_sought_reason": "Step 3: why views were not sought",
    "necessity": "Step 4: necessity and proportionality",
    "safeguards": "Step 4: rights, information and safeguards",
    "dpo_advice": "DPO advice",
}

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
EVALUATION_STATUS = {1: "To be corrected", 2: "Improvable", 3: "Acceptable"}
# The evaluator's adjusted gauges of a risk: the PIA tool's summary reads
# x as the seriousness (severity) and y as the likelihood.
GAUGE_NAMES = {"x": "severity", "y": "likelihood"}

# The DPIA field each section 1 and 2 answer goes to. The ICO template's
# step 4 asks for the lawful basis, data quality and minimisation, and then
# for the information, rights, processors and transfer safeguards, so the
# CNIL's principles go to its necessity field and its rights to safeguards.
TARGETS = {
    111: "processing_summary",
    112: "processors",
    113: "context",
    121: "data_categories",
    122: "nature",
    123: "nature",
    211: "purposes",
    212: "necessity",
    213: "necessity",
    214: "necessity",
    215: "retention",
    221: "safeguards",
    222: "safeguards",
    223: "safeguards",
    224: "safeguards",
    225: "safeguards",
    226: "safeguards",
    227: "safeguards",
}

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
    "structure_data",
    "structure_sector_name",
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
    """The DPIA fields and risks built from a PIA, the notes and the report of what went where."""

    title: str
    # Blocks of text per DPIA field, each with the label of the part it came from.
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    risks: list[MappedRisk] = field(default_factory=list)
    views_sought: bool | None = None
    notes: list[str] = field(default_factory=list)
    report: list[tuple[str, str]] = field(default_factory=list)

    def put(self, target: str, label: str, text: str) -> None:
        """Place one part's text on a DPIA field, or in the notes when `target` is NOTES."""
        if not text:
            return
        if target == NOTES:
            self.notes.append(f"{label}\n{text}")
            self.report.append((label, NOTES))
        else:
            self.fields.setdefault(target, []).append((label, text))
            self.report.append((label, FIELD_LABELS[target]))

    def text(self, target: str) -> str:
        """Return a field's text: one part alone, or several parts each under its label."""
        blocks = self.fields.get(target, [])
        if len(blocks) == 1:
            return blocks[0][1]
        return "\n\n".join(f"{label}\n{text}" for label, text in blocks)


def _answer_text(data) -> str:
    if not isinstance(data, dict):
        return plain_text(data)
    parts = []
    if data.get("text"):
        parts.append(plain_text(data["text"]))
    gauge = data.get("gauge")
    if gauge not in (None, 0, ""):
        parts.append(f"Rating: {GAUGE.get(gauge, gauge) if isinstance(gauge, int) else gauge}")
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
    """Place each part of a PIA export on a DPIA field, a DPIA risk or in the notes."""
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
    risk_answers: dict[int, dict[int, dict]] = {}
    for answer in answers:
        number = answer.get("reference_to")
        located = risk_part(number)
        if located is not None and located[1] not in risk_answers.get(located[0], {}):
            risk, part = located
            risk_answers.setdefault(risk, {})[part] = answer
            continue
        target = TARGETS.get(number, NOTES) if isinstance(number, int) else NOTES
        mapped.put(target, _question_label(number), _answer_text(answer.get("data")))

    measures = [m for m in _list(document, "measures") if isinstance(m, dict)]
    used_measures = _map_risks(mapped, risk_answers, measures)
    for measure in measures:
        if id(measure) not in used_measures:
            label = f"Measure: {plain_text(measure.get('title')) or 'untitled'}"
            mapped.put(NOTES, label, plain_text(measure.get("content")))

    for evaluation in _list(document, "evaluations"):
        if isinstance(evaluation, dict):
            mapped.put(NOTES, *_evaluation(evaluation))
            _map_action_plan(mapped, evaluation, measures)

    dpo = plain_text(pia.get("dpo_opinion"))
    if dpo:
        names = plain_text(pia.get("dpos_names"))
        advice = f"{dpo}\n(Given by {names} in the PIA tool.)" if names else dpo
        mapped.put("dpo_advice", "Opinion of the DPO", advice)
    _data_subjects(mapped, pia)
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


def _part_text(data) -> str:
    """Return a risk answer's text, or its list joined with semicolons, without the gauge."""
    if not isinstance(data, dict):
        return plain_text(data)
    items = data.get("list") or []
    listed = "; ".join(plain_text(item) for item in items) if isinstance(items, list) else ""
    return "\n".join(part for part in (plain_text(data.get("text")), listed) if part)


def _extra_fields(data) -> dict:
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if key not in ("text", "gauge", "list")}


def _measure_names(data) -> list[str]:
    """Return the measure titles a risk's answer 3R4 lists, or its text when it has no list."""
    if not isinstance(data, dict):
        text = plain_text(data)
        return [text] if text else []
    items = data.get("list")
    if isinstance(items, list) and items:
        return [name for name in (plain_text(item) for item in items) if name]
    text = plain_text(data.get("text"))
    return [text] if text else []


def _map_risks(
    mapped: MappedPia, risk_answers: dict[int, dict[int, dict]], measures: list[dict]
) -> set[int]:
    """Add a DPIA risk for each rated PIA risk, and return the ids of the measures it used.

    A risk without a severity and a likelihood on the 1 to 4 scale cannot
    be placed on the matrix, so its answers go to the notes instead.
    """
    by_title = {plain_text(m.get("title")).casefold(): m for m in measures}
    used: set[int] = set()
    for risk_number, name in RISKS.items():
        parts = risk_answers.get(risk_number, {})
        if not parts:
            continue
        severity = gauge_of(parts.get(5, {}).get("data"))
        likelihood = gauge_of(parts.get(6, {}).get("data"))
        if severity is None or likelihood is None:
            for answer in parts.values():
                number = answer.get("reference_to")
                mapped.put(NOTES, _question_label(number), _answer_text(answer.get("data")))
            continue
        texts = {
            part: _part_text(answer.get("data")) for part, answer in parts.items() if part != 4
        }
        source, harm = risk_text(name, texts, severity, likelihood)
        risk = MappedRisk(len(mapped.risks) + 1, name, source, harm, severity, likelihood)
        mapped.risks.append(risk)
        for _, answer in sorted(parts.items()):
            number = answer.get("reference_to")
            mapped.report.append((_question_label(number), risk.label))
            extra = _extra_fields(answer.get("data"))
            if extra:
                mapped.put(
                    NOTES,
                    f"Other answer fields of question {number}",
                    json.dumps(extra, ensure_ascii=False),
                )
        measure_answer = parts.get(4)
        for title in _measure_names(measure_answer.get("data")) if measure_answer else []:
            measure = by_title.get(title.casefold())
            content = plain_text(measure.get("content")) if measure else ""
            risk.measures.append(
                MappedMeasure(
                    f"{title}\n{content}" if content else title,
                    cnil_id=measure.get("id") if measure else None,
                )
            )
            if measure is not None:
                used.add(id(measure))
            mapped.report.append(
                (f"Measure: {title}", f"Step 6: measure against risk {risk.number}")
            )
    return used


def _map_action_plan(mapped: MappedPia, evaluation: dict, measures: list[dict]) -> None:
    """Turn the action plan of a risk's or a measure's evaluation into step 6 measures.

    The whole evaluation also stays in the notes. Part "3.2" to "3.4" is a
    risk, and part "3.1.<id>" the measure with that id.
    """
    plan = plain_text(evaluation.get("action_plan_comment"))
    if not plan:
        return
    person = plain_text(evaluation.get("person_in_charge"))
    due_on = parse_due_date(evaluation.get("estimated_implementation_date"))
    owner = f"\nPerson in charge in the PIA: {person}" if person else ""
    reference = str(evaluation.get("reference_to"))
    match = re.fullmatch(r"3\.([234])", reference)
    if match:
        risk = next((r for r in mapped.risks if r.name == RISKS[int(match.group(1))]), None)
        if risk is None:
            return
        risk.measures.append(
            MappedMeasure(f"Action plan from the PIA's evaluation: {plan}{owner}", due_on=due_on)
        )
        mapped.report.append(
            (f"Action plan for part {reference}", f"Step 6: measure against risk {risk.number}")
        )
        return
    match = re.fullmatch(r"3\.1\.(.+)", reference)
    if not match:
        return
    for risk in mapped.risks:
        for measure in risk.measures:
            if measure.cnil_id is not None and str(measure.cnil_id) == match.group(1):
                measure.description += f"\nAction plan: {plan}{owner}"
                measure.due_on = due_on or measure.due_on
                title = measure.description.split("\n", 1)[0]
                mapped.report.append(
                    (
                        f"Action plan for measure {title}",
                        f"Step 6: measure against risk {risk.number}",
                    )
                )


def _data_subjects(mapped: MappedPia, pia: dict) -> None:
    """Map whether the data subjects' views were sought, and their opinion, to step 3."""
    sought = pia.get("concerned_people_searched_opinion")
    if isinstance(sought, bool):
        mapped.views_sought = sought
        mapped.report.append(
            ("Data subjects' opinion sought", "Step 3: views of individuals sought")
        )
    if sought is False:
        mapped.put(
            "views_not_sought_reason",
            "Why the data subjects' opinion was not sought",
            plain_text(pia.get("concerned_people_searched_content")),
        )
        return
    mapped.put(
        "consultation_method", "Data subjects consulted", plain_text(pia.get("people_names"))
    )
    mapped.put(
        "consultation_method",
        "Opinion of the data subjects",
        plain_text(pia.get("concerned_people_opinion")),
    )
    mapped.put(
        "consultation_method",
        "Note on seeking the data subjects' opinion",
        plain_text(pia.get("concerned_people_searched_content")),
    )


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
        ratings = []
        for key, value in gauges.items():
            rating = GAUGE.get(value, value) if isinstance(value, int) else value
            ratings.append(f"{GAUGE_NAMES.get(key, key)} {rating}")
        lines.append("Adjusted ratings: " + ", ".join(ratings))
    return f"Evaluation of part {evaluation.get('reference_to')}", "\n".join(lines)


def _opinions(mapped: MappedPia, pia: dict) -> None:
    for key, label in (
        ("author_name", "Author"),
        ("evaluator_name", "Evaluator"),
        ("validator_name", "Validator"),
        ("category", "Category"),
        ("status", "Status code in the PIA tool"),
        ("dpo_status", "DPO opinion status code in the PIA tool"),
        ("concerned_people_status", "Data subjects' opinion status code in the PIA tool"),
        ("rejection_reason", "Reason the PIA was last rejected"),
        ("applied_adjustments", "Changes made after the rejection"),
    ):
        value = pia.get(key)
        if value not in (None, ""):
            mapped.put(NOTES, label, plain_text(value) if isinstance(value, str) else str(value))


def apply(mapped: MappedPia, dpia: Dpia) -> None:
    """Copy the mapped fields and risks onto a new draft DPIA.

    The overall level of each risk comes from the configured risk matrix,
    so this runs inside the application.
    """
    dpia.title = mapped.title
    dpia.status = "draft"
    for name in FIELD_LABELS:
        if name in mapped.fields:
            setattr(dpia, name, mapped.text(name))
    if mapped.views_sought is not None:
        dpia.views_sought = mapped.views_sought
    # NOTE: the PIA tool asks for each risk's severity and likelihood given the
    # existing or planned measures, and has no rating before them. So its one
    # rating becomes both the risk's level and each measure's residual level,
    # which the DPO should review before approving the measures.
    for mapped_risk in mapped.risks:
        level = overall_level(mapped_risk.likelihood, mapped_risk.severity)
        dpia.risks.append(
            Risk(
                source=mapped_risk.source,
                harm=mapped_risk.harm,
                likelihood=mapped_risk.likelihood,
                severity=mapped_risk.severity,
                computed_level=level,
                measures=[
                    Measure(
                        description=measure.description,
                        effect="reduced",
                        residual_level=level,
                        status="planned",
                        due_on=measure.due_on,
                    )
                    for measure in mapped_risk.measures
                ],
            )
        )
    dpia.refresh_residual_risk()

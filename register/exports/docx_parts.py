"""Building blocks of the Word exports: safe text, dates, paragraphs and tables."""

import re
from datetime import date, datetime

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from core.timeutil import as_local

NOT_RECORDED = "Not recorded"

# Width of the text on an A4 page with 2 cm margins, as set by a4_page().
TEXT_WIDTH_CM = 17.0
LABEL_WIDTH_CM = 5.5

# Characters that XML 1.0 cannot contain, which python-docx rejects with a
# ValueError: C0 controls other than tab, line feed and carriage return,
# lone surrogates, and U+FFFE and U+FFFF. DEL is dropped too, as the
# register's form cleaning drops it.
XML_INVALID = re.compile("[^\t\n\r\x20-\x7e\x80-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe(text: str) -> str:
    """Return `text` without the characters a Word document cannot contain."""
    return XML_INVALID.sub("", text)


def text(value, missing: str = NOT_RECORDED) -> str:
    if value is None or str(value).strip() == "":
        return missing
    return safe(str(value))


def when(value: date | datetime | None, missing: str = NOT_RECORDED) -> str:
    """Format a date as "4 December 2026", and a UTC date and time in local time."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        local = as_local(value)
        return f"{local.day} {local:%B %Y at %H:%M}"
    return f"{value.day} {value:%B %Y}"


def name(user, missing: str = NOT_RECORDED) -> str:
    return safe(user.name) if user is not None else missing


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not answered")


def labels(codes, vocabulary: dict[str, str], missing: str = "None") -> str:
    """Return the labels of stored codes, one a line. An unknown code is shown as it is."""
    if not codes:
        return missing
    return "\n".join(safe(vocabulary.get(code, str(code))) for code in codes)


def joined(*parts: str | None) -> str:
    """Join the parts that are recorded with commas, or return NOT_RECORDED if none are."""
    present = [safe(part) for part in parts if part]
    return ", ".join(present) if present else NOT_RECORDED


def paragraphs(document: DocxDocument, value: str | None, missing: str = NOT_RECORDED) -> None:
    """Add one paragraph per line of `value` that has text, or one saying it is missing."""
    lines = [line for line in safe(value or "").split("\n") if line.strip()]
    if not lines:
        document.add_paragraph(missing)
        return
    for line in lines:
        document.add_paragraph(line)


def _repeat_header_row(row) -> None:
    """Mark a table's first row as its header, so Word repeats it on each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_on_one_page(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def a4_page(document: DocxDocument) -> None:
    """Set every section of the document to A4 portrait with 2 cm margins."""
    for section in document.sections:
        section.page_width = Cm(21.0)
        section.page_height = Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))


def _set_widths(grid, widths_cm: list[float]) -> None:
    """Fix the column widths, in the table grid and in every cell, with autofit off."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _bold(cell) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


def table(
    document: DocxDocument,
    headers: list[str],
    rows: list[list[str]],
    widths_cm: list[float] | None = None,
) -> None:
    """Add a grid table with a bold header row repeated on every page it spans.

    Columns share the text width equally unless `widths_cm` gives each one's width.
    """
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = header
        _bold(cell)
    _repeat_header_row(grid.rows[0])
    for values in rows:
        row = grid.add_row()
        _keep_row_on_one_page(row)
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = safe(value)
    equal = TEXT_WIDTH_CM / len(headers)
    _set_widths(grid, widths_cm or [equal] * len(headers))


def summary_table(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    """Add a two-column table of labels in bold and their values."""
    grid = document.add_table(rows=0, cols=2)
    grid.style = "Table Grid"
    for label, value in rows:
        row = grid.add_row()
        _keep_row_on_one_page(row)
        row.cells[0].text = label
        _bold(row.cells[0])
        row.cells[1].text = safe(value)
    _set_widths(grid, [LABEL_WIDTH_CM, TEXT_WIDTH_CM - LABEL_WIDTH_CM])

"""Formula-safe cells, and CSV and XLSX files that keep types and text exact."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from register.exports.cells import cell_value, neutralise, restore
from register.exports.tabular import write_csv, write_xlsx

HOSTILE = [
    "=1+2",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "\tleading tab",
    "\rleading return",
    "'already quoted",
    "''two quotes",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_trigger_text_neutralised(text):
    safe = neutralise(text)
    assert safe.startswith("'")
    assert restore(safe) == text


@pytest.mark.parametrize("text", ["Plain", "PCD 974", "a=b", "", "100%", "é=mc²"])
def test_plain_text_unchanged(text):
    assert neutralise(text) == text
    assert restore(neutralise(text)) == text


def test_numbers_and_dates_stay_typed():
    assert cell_value(-5) == -5
    assert cell_value(2.5) == 2.5
    assert cell_value(date(2025, 4, 3)) == date(2025, 4, 3)
    assert cell_value(None) is None
    assert cell_value(True) == "Yes"


def test_csv_has_bom_crlf_and_quotes(app):
    content = write_csv(
        ["Title", "Count", "Date"],
        [['He said "yes", twice', 3, date(2025, 4, 3)], ["=cmd|' /C calc'!A0", -1, None]],
    )
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines(keepends=True)[0].endswith("\r\n")
    assert '"He said ""yes"", twice"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Title", "Count", "Date"]
    assert rows[1] == ['He said "yes", twice', "3", "2025-04-03"]
    assert rows[2][0] == "'=cmd|' /C calc'!A0"
    assert rows[2][1] == "-1"
    assert rows[2][2] == ""


def test_csv_multiline_cell_round_trips(app):
    content = write_csv(["Text"], [["line one\r\nline two"]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[1] == ["line one\r\nline two"]


def test_xlsx_keeps_types_and_blocks_formulas(app):
    moment = datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
    content = write_xlsx(
        "A very long sheet title that Excel would refuse",
        ["Text", "Number", "Date", "Time"],
        [['=HYPERLINK("http://evil.example")', 42, date(2025, 4, 3), moment]],
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert len(sheet.title) <= 31
    assert [cell.value for cell in sheet[1]] == ["Text", "Number", "Date", "Time"]
    text, number, day, time = sheet[2]
    assert text.data_type == "s"
    assert text.value == '\'=HYPERLINK("http://evil.example")'
    assert restore(text.value) == '=HYPERLINK("http://evil.example")'
    assert number.value == 42
    assert number.data_type == "n"
    assert day.value == datetime(2025, 4, 3)
    assert day.is_date
    # 09:30 UTC on 1 July is 10:30 in London (British Summer Time).
    assert time.value == datetime(2025, 7, 1, 10, 30)

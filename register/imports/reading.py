"""Read an uploaded CSV or XLSX file into rows of cell values."""

import csv
import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from register.exports.cells import restore

# Upper limits for one upload, so a large file cannot tie up a worker.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Largest XLSX once unpacked: a small ZIP can expand a thousandfold.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class FileRejected(ValueError):
    """The whole file cannot be read. The message gives the next step."""


def parse_date(raw) -> date:
    """Return a date from a cell: an XLSX date, YYYY-MM-DD, or day first as DD/MM/YYYY.

    03/04/2025 is 3 April 2025, as written in the UK. Raises ValueError with
    a message for the user.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = UK_DATE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date: write it as DD/MM/YYYY or YYYY-MM-DD")
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def _cell_text(value) -> str | date | None:
    """Return a cell as stripped text (formula escape removed) or a date; None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = restore(str(value)).strip()
    return text or None


def read_rows(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """Return the header row and the data rows with their spreadsheet row numbers.

    Entirely empty rows are left out. Raises FileRejected when the file cannot
    be read or is too large.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileRejected(f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    lower = filename.lower()
    if lower.endswith(".csv"):
        raw_rows = _csv_rows(content)
    elif lower.endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    else:
        raise FileRejected("The selected file must be a CSV or XLSX file")
    header = None
    rows = []
    for number, values in raw_rows:
        cells = [_cell_text(value) for value in values]
        if header is None:
            if any(cell is not None for cell in cells):
                header = [str(cell or "").strip() for cell in cells]
            continue
        if all(cell is None for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(
                f"The file has more than {MAX_ROWS} rows; split it into smaller files"
            )
        rows.append((number, cells))
    if header is None:
        raise FileRejected("The selected file is empty")
    return header, rows


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected("The CSV file must be saved as UTF-8 (CSV UTF-8 in Excel)") from None
    if "\x00" in text:
        raise FileRejected("The CSV file contains NUL characters; save it again as CSV UTF-8")
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise FileRejected(f"The CSV file cannot be read: {error}") from None


def _xlsx_rows(content: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRejected("The XLSX file is too large once unpacked")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
    except FileRejected:
        raise
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
        AttributeError,
    ) as error:
        raise FileRejected(f"The XLSX file cannot be read ({type(error).__name__})") from None
    return rows

"""Write rows to CSV (UTF-8 with BOM, RFC 4180) or XLSX, with formula-safe cells."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.timeutil import as_local
from register.exports.cells import cell_value

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limit on one sheet name.
MAX_SHEET_TITLE = 31


def _plain(value):
    """Return a cell value with aware times shown in the register's time zone.

    Neither CSV nor XLSX carries a time zone, and openpyxl rejects aware
    datetimes, so times are written as local wall-clock times.
    """
    if isinstance(value, datetime):
        return as_local(value).replace(tzinfo=None)
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Return a CSV file: a byte order mark, CRLF line ends and quotes only where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n")
    writer.writerow([cell_value(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(cell_value(_plain(value))) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Return an XLSX workbook of one sheet, dates as dates and numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:MAX_SHEET_TITLE]
    sheet.append([cell_value(header) for header in headers])
    for row in rows:
        values = [cell_value(_plain(value)) for value in row]
        sheet.append(values)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                # Stored as a shared string, never parsed as a formula.
                cell.data_type = "s"
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 24
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Spreadsheet cells that cannot run as formulas, and the reverse on import.

A spreadsheet program treats a cell that starts with `=`, `+`, `-` or `@`
as a formula, and some also do after a leading tab or carriage return, so an
exported title such as `=HYPERLINK(...)` could run when an auditor opens the
file. Such text gets a leading apostrophe, which spreadsheets show as text.
Text that already starts with an apostrophe gets one more, so that removing
exactly one on import always gives back the original text.
"""

from datetime import date, datetime
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise(text: str) -> str:
    """Return `text` made safe to place in a spreadsheet cell."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def restore(text: str) -> str:
    """Return the original text of a cell written by `neutralise`."""
    if text.startswith(ESCAPE):
        return text[1:]
    return text


def cell_value(value):
    """Return `value` as a spreadsheet cell: numbers and dates typed, the rest safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    return neutralise(str(value))

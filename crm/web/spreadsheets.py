"""CSV and XLSX files for spreadsheet programs: cells that cannot run as formulas,
CSV in UTF-8 with a byte-order mark (so Excel reads the names right) and one response
shape for every export, with its content type set once."""

import csv
import io
from collections.abc import Iterable

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# The one content type of every CSV export; Response adds nothing to a full type.
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value) -> str:
    """A text cell a spreadsheet will not run as a formula (a leading ``'``)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


class SafeCells(dict):
    """Text cells made safe by :func:`formula_safe`, each distinct text once: exports
    repeat the same few names on thousands of rows."""

    def __missing__(self, value):
        self[value] = safe = formula_safe(value)
        return safe


def csv_text(rows: Iterable[Iterable]) -> str:
    """``rows`` written as CSV, starting with a byte-order mark. Cells are written as
    they are: pass text cells through :func:`formula_safe` first."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return "\ufeff" + out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """A CSV download named ``filename`` (``Content-Type`` with one charset)."""
    return Response(text, content_type=CSV_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# The one content type of every XLSX export.
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_cell(value):
    """A value as an XLSX cell: numbers stay numbers; text is made formula-safe like
    a CSV cell (:func:`formula_safe`) and loses the control characters XML cannot
    hold."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", formula_safe(value))


def xlsx_response(rows: Iterable[Iterable], filename: str, sheet_title: str = "Data") -> Response:
    """An XLSX download named ``filename``: ``rows`` on one sheet, written row by row
    (openpyxl's write-only mode keeps no cells in memory). Text cells are
    formula-safe, so the same rows give the same cells as :func:`csv_text`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", sheet_title)[:31])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return Response(out.getvalue(), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})

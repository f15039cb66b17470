"""An uploaded import file read into rows of cells by field: the shared spreadsheet
reader (:mod:`crm.web.spreadsheet_reading`) gives the text cells, this module finds
the kind's columns by their headings and refuses a template of another kind or of
an old version, and a file whose required columns are missing."""

from crm.imports.cells import RowReader
from crm.imports.kinds import KINDS, MARK_NAME, VERSION, Kind, fold, kind_of_headings
from crm.web.i18n import gettext as _
from crm.web.spreadsheet_reading import SpreadsheetError, read_sheet


def read_rows(kind: Kind, data: bytes, filename: str) -> list[RowReader]:
    """The data rows of an uploaded file of ``kind``, each with its cells by field.
    Raises :class:`SpreadsheetError` (in Indonesian) for a file that is no
    spreadsheet, has merged cells or formulas, is a template of another kind or an
    old version, lacks a required column, or has no data rows."""
    sheet = read_sheet(data, filename, fits_header=_has_headings, refuse_merged=True)
    _check_mark(kind, sheet.names.get(MARK_NAME))
    found = kind_of_headings(sheet.headers)
    if found is not None and found.code != kind.code:
        raise SpreadsheetError(_(
            "Berkas ini berisi %(found)s, bukan %(kind)s. Pilih jenis yang sesuai atau "
            "unduh templat %(kind)s.", found=found.title, kind=kind.title))
    positions: dict[str, int] = {}
    for index, heading in enumerate(sheet.headers):
        positions.setdefault(fold(heading), index)
    missing = [c.heading for c in kind.columns
               if c.required and fold(c.heading) not in positions]
    if missing:
        raise SpreadsheetError(_(
            "Kolom wajib tidak ditemukan: %(columns)s. Pakai templat %(kind)s dari halaman "
            "impor.", columns=", ".join(missing), kind=kind.title))
    columns = {c.field: positions[fold(c.heading)] for c in kind.columns
               if fold(c.heading) in positions}
    headings = {field: sheet.headers[index] for field, index in columns.items()}
    rows = [RowReader(number, {field: cells[index] for field, index in columns.items()},
                      headings)
            for number, cells in zip(sheet.row_numbers, sheet.rows, strict=True)]
    if not rows:
        raise SpreadsheetError(_("Berkas ini belum berisi data di bawah baris judul."))
    return rows


def _has_headings(cells: list[str]) -> bool:
    """A header row: two or more cells are headings of some kind's columns (a title
    row above it has at most one)."""
    known = {fold(column.heading) for kind in KINDS.values() for column in kind.columns}
    return sum(fold(cell) in known for cell in cells) >= 2


def _check_mark(kind: Kind, mark: str | None) -> None:
    """A template's mark must be this kind's, of the current version. A file without
    a mark (CSV, or a workbook made by hand) is read by its headings alone."""
    if not mark:
        return
    code, _slash, version = mark.partition("/")
    other = KINDS.get(code)
    if other is not None and other.code != kind.code:
        raise SpreadsheetError(_(
            "Ini templat %(found)s, bukan templat %(kind)s. Pilih jenis yang sesuai atau "
            "unduh templat %(kind)s.", found=other.title, kind=kind.title))
    if other is None or version != str(VERSION):
        raise SpreadsheetError(_(
            "Templat ini versi lain (%(mark)s) dari yang dipakai sekarang (%(current)s). "
            "Unduh templat terbaru dari halaman impor, lalu salin datanya ke sana.",
            mark=mark[:40], current=kind.mark))

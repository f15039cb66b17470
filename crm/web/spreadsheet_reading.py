"""Spreadsheet files read as text: an uploaded XLSX workbook (its first sheet) or CSV
text, checked for what it really is, its size and its row count, into a :class:`Sheet`
of text cells under its header row. What the columns mean is the caller's business
(the order inbox reads marketplace exports, the imports read the village's own
lists). Nothing here touches the database or the request; every refusal is a
:class:`SpreadsheetError` in Indonesian naming the row and the column."""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from crm.text.money import group_digits
from crm.web.i18n import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 10  # the header row is among the first ten non-empty rows
HEADER_MIN_TEXT_CELLS = 4
# A run of this many empty rows ends the sheet (a file claiming a million rows of air).
MAX_EMPTY_RUN = 1000
# Times in the cell text a date or time cell of an XLSX file becomes.
CELL_DATETIME = "%Y-%m-%d %H:%M:%S"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls (and .doc) format
_NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\x1f\x8b",
                     b"Rar!", b"7z\xbc\xaf")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", ";", "\t")
_EXCEL_TEXT_MARK = re.compile(r"^'(?=[0-9+])")  # Excel's "'" before a number kept as text
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_MERGED = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_NAME_TEXT = re.compile(r'^"(.*)"$')


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; ``message`` names the row and the
    column when the fault is in one cell (shown to the user, in Indonesian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The file's header row and its data rows as text (cells stripped; empty rows
    left out). ``row_numbers[i]`` is the row number the user sees in the spreadsheet
    for ``rows[i]``. ``names`` are the workbook's defined names that hold a text
    constant (an XLSX template's marks; empty for CSV)."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    names: dict[str, str] = field(default_factory=dict)


def read_sheet(data: bytes, filename: str, *,
               fits_header: Callable[[list[str]], object] | None = None,
               refuse_merged: bool = False) -> Sheet:
    """The file's header row and data rows as text. ``data`` is an XLSX workbook
    (first sheet) or a CSV text (UTF-8 with or without Excel's byte-order mark,
    UTF-16, else Windows-1252; ``,``, ``;`` or tab between cells). The header row is
    the first of the first ten rows that ``fits_header`` accepts, else the first with
    four text cells (exports put title rows above it). Refuses what is not a
    spreadsheet, an empty file, a file over 5 MB or 5,000 rows, formulas, and (with
    ``refuse_merged``) merged cells, naming their range. A sheet without data rows
    is returned as it is: the caller says what rows were expected."""
    if not data:
        raise SpreadsheetError(_("File kosong."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_("File lebih besar dari %(limit)d MB.",
                                 limit=MAX_BYTES // (1024 * 1024)))
    if not data.startswith(_ZIP):
        return _sheet(_csv_rows(_text_of(data, filename)), fits_header)
    book = _open_book(data)
    try:
        if not book.worksheets:
            raise SpreadsheetError(_("File kosong."))
        worksheet = book.worksheets[0]
        if refuse_merged:
            _refuse_merged(worksheet)
        sheet = _sheet(_xlsx_rows(worksheet), fits_header)
        sheet.names = _text_names(book)
    finally:
        book.close()
    return sheet


def cell_text(value) -> str:
    """One cell as the text the user sees: numbers without a needless ``.0``,
    dates as ``YYYY-MM-DD HH:MM:SS``, Excel's leading ``'`` dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.strftime(CELL_DATETIME)
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return _EXCEL_TEXT_MARK.sub("", str(value).strip()).strip()


def _text_of(data: bytes, filename: str) -> str:
    """A non-XLSX file as CSV text, or the reason it is not a spreadsheet."""
    if data.startswith(_OLE):
        raise SpreadsheetError(_("File .xls lama belum bisa dibaca. Buka di Excel lalu "
                                 "simpan sebagai .xlsx atau .csv."))
    not_a_sheet = SpreadsheetError(_("File ini bukan spreadsheet. Unggah file XLSX "
                                     "atau CSV."))
    if data.startswith(_NOT_SPREADSHEETS):
        raise not_a_sheet
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(_("File Excel ini rusak atau tidak lengkap."))
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        raise not_a_sheet
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if text.lstrip().startswith("<"):  # a web page (HTML) saved with a spreadsheet name
        raise not_a_sheet
    return text


def _open_book(data: bytes):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes about styles it skips
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                          data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            TypeError) as error:
        raise SpreadsheetError(_("File Excel ini rusak atau tidak lengkap.")) from error


def _text_names(book) -> dict[str, str]:
    """The workbook's defined names whose value is a text constant (``="…"``)."""
    names = {}
    for name, defined in getattr(book, "defined_names", {}).items():
        found = _NAME_TEXT.match((defined.attr_text or "").lstrip("="))
        if found:
            names[name] = found.group(1)
    return names


def _refuse_merged(worksheet) -> None:
    """Merged cells hide which row a value belongs to: refuse the first range. A
    read-only sheet does not parse them, so they are looked up in its XML."""
    try:
        with worksheet._get_source() as source:  # openpyxl's own reader does the same
            found = _MERGED.search(source.read())
    except (KeyError, OSError, zipfile.BadZipFile) as error:
        raise SpreadsheetError(_("File Excel ini rusak atau tidak lengkap.")) from error
    if found:
        raise SpreadsheetError(_(
            "Sel %(cells)s digabung (merge). Pisahkan sel yang digabung dan isi setiap "
            "baris sendiri, lalu unggah lagi.", cells=found.group(1).decode()))


def _xlsx_rows(worksheet) -> Iterator[tuple[int, list[str]]]:
    """The sheet's non-empty rows as (row number, cells); a formula anywhere refuses
    the file, naming its cell."""
    empty_run = 0
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        texts = []
        for index, cell in enumerate(cells, start=1):
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=")):
                raise SpreadsheetError(_(
                    "Baris %(row)d, kolom %(column)s berisi rumus. Ganti rumus dengan "
                    "nilainya (salin, lalu tempel sebagai nilai), lalu unggah lagi.",
                    row=number, column=get_column_letter(index)))
            texts.append(cell_text(value))
        if any(texts):
            empty_run = 0
            yield number, texts
        else:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return


def _delimiter(text: str) -> str:
    """The cell separator of a CSV text: the one that splits most of its first rows
    into the same number (above one) of cells, the wider split winning a tie."""
    sample = text[:65536].splitlines()[:20]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        wide = [width for width in widths if width > 1]
        if not wide:
            continue
        common = max(set(wide), key=lambda width: (wide.count(width), width))
        score = (wide.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-empty records of a CSV text as (row number, cells); the row number
    counts records, as a spreadsheet program shows them (an address over two lines
    is still one row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            texts = [cell_text(cell) for cell in cells[:MAX_COLUMNS]]
            if any(texts):
                yield number, texts
    except csv.Error as error:
        raise SpreadsheetError(_("File CSV ini tidak bisa dibaca.")) from error


def _looks_like_heading(cells: list[str]) -> bool:
    """Four or more cells of text (not numbers): how a header row looks."""
    return sum(1 for cell in cells if cell and not _NUMBER.match(cell)) \
        >= HEADER_MIN_TEXT_CELLS


def _sheet(rows: Iterator[tuple[int, list[str]]],
           fits_header: Callable[[list[str]], object] | None) -> Sheet:
    """The header row found among the first rows, and the data rows under it."""
    top = []
    for item in rows:
        top.append(item)
        if len(top) == HEADER_SEARCH_ROWS:
            break
    if not top:
        raise SpreadsheetError(_("File kosong."))
    position = None
    if fits_header is not None:
        position = next((i for i, (_n, cells) in enumerate(top) if fits_header(cells)),
                        None)
    if position is None:
        position = next((i for i, (_n, cells) in enumerate(top)
                         if _looks_like_heading(cells)), None)
    if position is None:
        raise SpreadsheetError(_("Baris judul kolom tidak ditemukan di 10 baris pertama "
                                 "file."))
    headers = list(top[position][1])
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    sheet = Sheet(headers=headers, rows=[], row_numbers=[])
    for number, cells in chain(top[position + 1:], rows):
        if len(sheet.rows) == MAX_ROWS:
            raise SpreadsheetError(_("File berisi lebih dari %(limit)s baris. Bagi menjadi "
                                     "beberapa file.", limit=group_digits(MAX_ROWS)))
        cells = (cells + [""] * width)[:width]
        if any(cells):
            sheet.rows.append(cells)
            sheet.row_numbers.append(number)
    return sheet

"""Marketplace order exports read into plain records: the file (XLSX or CSV, checked
for what it really is, its size and its row count) into a :class:`Sheet` of text
cells under its header row, then the sheet's rows, through a column map, into
:class:`ExportOrder` records. Nothing here touches the database or the request; every
refusal is an :class:`ExportError` in Indonesian naming the row and the column."""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from zoneinfo import ZoneInfo

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from crm.inbox.columns import detect_map, status_of
from crm.inbox.records import ColumnMap, ExportError, ExportLine, ExportOrder, Sheet
from crm.text.money import MAX_RUPIAH, group_digits
from crm.web.i18n import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_QUANTITY = 100_000
HEADER_SEARCH_ROWS = 10  # the header row is among the first ten non-empty rows
HEADER_MIN_TEXT_CELLS = 4
# A run of this many empty rows ends the sheet (a file claiming a million rows of air).
MAX_EMPTY_RUN = 1000
# Times in the cell text a date or time cell of an XLSX file becomes; always accepted.
CELL_DATETIME = "%Y-%m-%d %H:%M:%S"
ISO_FORMATS = (CELL_DATETIME, "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls (and .doc) format
_NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\x1f\x8b",
                     b"Rar!", b"7z\xbc\xaf")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", ";", "\t")
_EXCEL_TEXT_MARK = re.compile(r"^'(?=[0-9+])")  # Excel's "'" before a number kept as text
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_QUANTITY = re.compile(r"^\d+(?:[.,]0+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})+(?:([.,])(\d{1,2}))?$")
_DECIMAL = re.compile(r"^\d+(?:[.,](\d{1,2}))?$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*|\s*(?:,-|idr)$", re.IGNORECASE)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The export's header row and data rows as text. ``data`` is an XLSX workbook
    (first sheet) or a CSV text (UTF-8 with or without Excel's byte-order mark,
    UTF-16, else Windows-1252; ``,``, ``;`` or tab between cells). The header row is
    the first of the first ten rows that a known map fits, else the first with four
    text cells (Tokopedia puts title rows above it). Refuses what is not a spreadsheet,
    an empty file, a file over 5 MB or 5,000 rows, and formulas."""
    if not data:
        raise ExportError(_("File kosong."))
    if len(data) > MAX_BYTES:
        raise ExportError(_("File lebih besar dari %(limit)d MB.",
                            limit=MAX_BYTES // (1024 * 1024)))
    is_xlsx = data.startswith(_ZIP)
    return _sheet(_xlsx_rows(data) if is_xlsx else _csv_rows(_text_of(data, filename)))


def _text_of(data: bytes, filename: str) -> str:
    """A non-XLSX file as CSV text, or the reason it is not a spreadsheet."""
    if data.startswith(_OLE):
        raise ExportError(_("File .xls lama belum bisa dibaca. Buka di Excel lalu simpan "
                            "sebagai .xlsx atau .csv."))
    not_a_sheet = ExportError(_("File ini bukan spreadsheet. Unggah file XLSX atau CSV "
                                "dari Seller Centre."))
    if data.startswith(_NOT_SPREADSHEETS):
        raise not_a_sheet
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ExportError(_("File Excel ini rusak atau tidak lengkap."))
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


def _cell_text(value) -> str:
    """One cell as the text the reseller sees: numbers without a needless ``.0``,
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


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's non-empty rows as (row number, cells); a formula anywhere
    refuses the file, naming its cell."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes about styles it skips
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                          data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            TypeError) as error:
        raise ExportError(_("File Excel ini rusak atau tidak lengkap.")) from error
    try:
        if not book.worksheets:
            raise ExportError(_("File kosong."))
        sheet = book.worksheets[0]
        empty_run = 0
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            texts = []
            for index, cell in enumerate(cells, start=1):
                value = cell.value
                if getattr(cell, "data_type", None) == "f" or (
                        isinstance(value, str) and value.startswith("=")):
                    raise ExportError(_(
                        "Baris %(row)d, kolom %(column)s berisi rumus. Simpan file dari "
                        "Seller Centre apa adanya, tanpa rumus.",
                        row=number, column=get_column_letter(index)))
                texts.append(_cell_text(value))
            if any(texts):
                empty_run = 0
                yield number, texts
            else:
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    return
    finally:
        book.close()


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
            texts = [_cell_text(cell) for cell in cells[:MAX_COLUMNS]]
            if any(texts):
                yield number, texts
    except csv.Error as error:
        raise ExportError(_("File CSV ini tidak bisa dibaca.")) from error


def _looks_like_heading(cells: list[str]) -> bool:
    """Four or more cells of text (not numbers): how a header row looks."""
    return sum(1 for cell in cells if cell and not _NUMBER.match(cell)) \
        >= HEADER_MIN_TEXT_CELLS


def _sheet(rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    """The header row found among the first rows, and the data rows under it."""
    top = []
    for item in rows:
        top.append(item)
        if len(top) == HEADER_SEARCH_ROWS:
            break
    if not top:
        raise ExportError(_("File kosong."))
    position = next((i for i, (_n, cells) in enumerate(top) if detect_map(cells)), None)
    if position is None:
        position = next((i for i, (_n, cells) in enumerate(top)
                         if _looks_like_heading(cells)), None)
    if position is None:
        raise ExportError(_("Baris judul kolom tidak ditemukan di 10 baris pertama file."))
    headers = list(top[position][1])
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    sheet = Sheet(headers=headers, rows=[], row_numbers=[])
    for number, cells in chain(top[position + 1:], rows):
        if len(sheet.rows) == MAX_ROWS:
            raise ExportError(_("File berisi lebih dari %(limit)s baris. Bagi menjadi "
                                "beberapa file.", limit=group_digits(MAX_ROWS)))
        cells = (cells + [""] * width)[:width]
        if any(cells):
            sheet.rows.append(cells)
            sheet.row_numbers.append(number)
    if not sheet.rows:
        raise ExportError(_("File ini tidak berisi baris pesanan."))
    return sheet


class _Row:
    """One data row seen through a column map: its cells by field, and errors that
    name the row and the column as the reseller sees them."""

    def __init__(self, sheet: Sheet, column_map: ColumnMap, index: int):
        self.headers = sheet.headers
        self.columns = column_map.columns
        self.cells = sheet.rows[index]
        self.number = sheet.row_numbers[index]

    def text(self, name: str) -> str:
        """The field's cell, or ``""`` when the map has no such column."""
        index = self.columns.get(name)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def error(self, name: str, problem: str) -> ExportError:
        """"Baris 7, kolom Jumlah: …" for the field's cell."""
        index = self.columns[name]
        column = self.headers[index] if index < len(self.headers) else ""
        return ExportError(_("Baris %(row)d, kolom %(column)s: %(problem)s",
                             row=self.number,
                             column=column or get_column_letter(index + 1),
                             problem=problem))


def read_quantity(text: str) -> int | None:
    """``"2"``, ``"2.0"``, ``"2,0"`` → 2; ``None`` for anything else."""
    return int(re.split(r"[.,]", text)[0]) if _QUANTITY.match(text) else None


def read_price(text: str) -> int | None:
    """Whole rupiah from ``"Rp 12.000"``, ``"12.000"``, ``"12,000"``, ``"12000"``,
    ``"12000.0"``, ``"12.000,00"`` (cents rounded half up); ``None`` when the text is
    no amount, is negative or above Rp 1 triliun."""
    value = _CURRENCY.sub("", text.replace("\xa0", " ").strip()).replace(" ", "")
    grouped = _GROUPED.match(value)
    if grouped and grouped.group(1) != grouped.group(2):
        whole, cents = value, grouped.group(3) or ""
        if cents:
            whole = value[:-len(cents) - 1]
        amount = Decimal(re.sub(r"[.,]", "", whole) + "." + (cents or "0"))
    elif _DECIMAL.match(value):
        amount = Decimal(value.replace(",", "."))
    else:
        return None
    rupiah = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return rupiah if rupiah <= MAX_RUPIAH else None


def read_moment(text: str, formats: tuple[str, ...], zone: ZoneInfo) -> datetime | None:
    """The cell's date and time in any of ``formats`` (or ISO, as XLSX date cells are
    written), as local time in ``zone`` made aware in UTC; ``None`` when no format
    fits."""
    for pattern in (*formats, *ISO_FORMATS):
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment.replace(tzinfo=zone).astimezone(UTC)
    return None


def _line(row: _Row, column_map: ColumnMap) -> ExportLine:
    """The row's product line, quantity and unit price checked."""
    product = row.text("product")
    if not product:
        raise row.error("product", _("nama produk kosong."))
    quantity = read_quantity(row.text("quantity"))
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        raise row.error("quantity", _("jumlah harus bilangan bulat 1 atau lebih, "
                                      "bukan \"%(value)s\".", value=row.text("quantity")))
    price = read_price(row.text("price"))
    if price is None:
        raise row.error("price", _("harga tidak bisa dibaca (contoh: Rp 12.000), "
                                   "bukan \"%(value)s\".", value=row.text("price")))
    if column_map.price_is_subtotal:
        price = (2 * price + quantity) // (2 * quantity)  # whole rupiah, half up
    return ExportLine(row=row.number, product=product, quantity=quantity, price=price,
                      sku=row.text("sku"), variant=row.text("variant"))


_ORDER_TEXTS = ("buyer", "phone", "address", "postcode", "city", "courier",
                "tracking_number")


def _take_order_cells(order: ExportOrder, row: _Row, column_map: ColumnMap,
                      zone: ZoneInfo, take_status: bool) -> None:
    """Fill the order's own cells that are still empty from this row (marketplaces
    may write them on the order's first row only); every date is checked. The status
    is taken when ``take_status`` (the order's first row with a status)."""
    for name in _ORDER_TEXTS:
        if not getattr(order, name):
            setattr(order, name, row.text(name))
    moment_text = row.text("ordered_at")
    if moment_text:
        moment = read_moment(moment_text, column_map.date_formats, zone)
        if moment is None:
            example = datetime(2026, 12, 31, 14, 5).strftime(
                (column_map.date_formats or ISO_FORMATS)[0])
            raise row.error("ordered_at", _("tanggal \"%(value)s\" tidak dikenali (contoh: "
                                            "%(example)s).", value=moment_text,
                                            example=example))
        if order.ordered_at is None:
            order.ordered_at = moment
    status_text = row.text("status")
    if status_text and take_status:
        order.status = status_of(status_text, column_map.statuses)


def _describes_columns(row: _Row) -> bool:
    """True for a row whose quantity and price cells are sentences, not numbers:
    TikTok Shop writes one under the header, describing each column ("Platform unique
    order ID.")."""
    quantity, price = row.text("quantity"), row.text("price")
    return (" " in quantity and " " in price and read_quantity(quantity) is None
            and read_price(price) is None)


def read_orders(sheet: Sheet, column_map: ColumnMap,
                tz: str = "Asia/Jakarta") -> list[ExportOrder]:
    """The sheet's orders in file order, each order's rows gathered under its order
    number (a row with an empty order number continues the order above it). Quantities
    are whole numbers, prices whole rupiah per unit, times read in ``tz`` and kept in
    UTC, statuses one of ``FILE_STATUSES``; phones stay as written. A first row that
    describes the columns (TikTok Shop) is passed over. The first bad cell raises
    :class:`ExportError` "Baris 7, kolom Jumlah: …"."""
    zone = ZoneInfo(tz)
    orders: dict[str, ExportOrder] = {}
    current: ExportOrder | None = None
    with_status: set[str] = set()  # orders whose status the file already gave
    for index in range(len(sheet.rows)):
        row = _Row(sheet, column_map, index)
        if index == 0 and _describes_columns(row):
            continue
        ref = row.text("order_ref")
        if ref:
            current = orders.get(ref)
        elif current is None:
            raise row.error("order_ref", _("nomor pesanan kosong."))
        if current is None:
            current = orders[ref] = ExportOrder(order_ref=ref, rows=[], lines=[])
        line = _line(row, column_map)
        take_status = current.order_ref not in with_status and bool(row.text("status"))
        _take_order_cells(current, row, column_map, zone, take_status)
        if take_status:
            with_status.add(current.order_ref)
        current.rows.append(row.number)
        current.lines.append(line)
    if not orders:
        raise ExportError(_("File ini tidak berisi baris pesanan."))
    return list(orders.values())

"""Marketplace order exports read into plain records: the file, through the shared
spreadsheet reader (:mod:`crm.web.spreadsheet_reading`: XLSX or CSV, checked for what
it really is, its size and its row count), into a :class:`Sheet` of text cells under
its header row, then the sheet's rows, through a column map, into
:class:`ExportOrder` records. Nothing here touches the database or the request; every
refusal is an :class:`ExportError` in Indonesian naming the row and the column."""

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from openpyxl.utils import get_column_letter

from crm.inbox.columns import detect_map, status_of
from crm.inbox.records import ColumnMap, ExportError, ExportLine, ExportOrder, Sheet
from crm.text.money import MAX_RUPIAH
from crm.web import spreadsheet_reading
from crm.web.i18n import gettext as _
from crm.web.spreadsheet_reading import CELL_DATETIME, MAX_ROWS, SpreadsheetError

__all__ = ["MAX_ROWS", "read_moment", "read_orders", "read_price", "read_quantity",
           "read_sheet"]

MAX_QUANTITY = 100_000
# Times as XLSX date cells are written, and ISO forms; always accepted.
ISO_FORMATS = (CELL_DATETIME, "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")

_QUANTITY = re.compile(r"^\d+(?:[.,]0+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})+(?:([.,])(\d{1,2}))?$")
_DECIMAL = re.compile(r"^\d+(?:[.,](\d{1,2}))?$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*|\s*(?:,-|idr)$", re.IGNORECASE)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """An export's header row and data rows as text, read by the shared spreadsheet
    reader; the header row is the first of the first ten rows that a known
    marketplace map fits (Tokopedia puts title rows above it). Refuses, besides what
    that reader refuses, a file without order rows."""
    try:
        sheet = spreadsheet_reading.read_sheet(data, filename, fits_header=detect_map)
    except SpreadsheetError as error:
        raise ExportError(error.message) from error
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

"""Order export files as Shopee, Tokopedia and TikTok Shop write them, built from a few
plain order dicts, for tests of the order inbox.

An order dict::

    {"ref": "2612010001", "buyer": "Siti", "phone": "081234567890",
     "address": "Jl. Melati 5, Sleman", "courier": "J&T Express",
     "tracking": "JP0012345678", "ordered_at": datetime(2026, 12, 1, 9, 30),
     "status": "Selesai",
     "lines": [{"product": "Keripik Tempe", "sku": "KT-250", "quantity": 2,
                "price": 15000, "variant": "Pedas"}]}

Only ``ref`` and ``lines`` are needed. ``export_file("shopee", orders)`` gives the
bytes of a Shopee XLSX, ``export_file("tokopedia", orders, "csv", delimiter=";")`` a
CSV as Excel in an Indonesian locale saves it (UTF-8 with byte-order mark, ``;``).
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

import openpyxl


@dataclass(frozen=True)
class Layout:
    """How one marketplace lays out its export: ``headers`` is order-dict key →
    header, in column order (keys starting with ``-`` are columns left empty, as the
    real files have many; ``line_total`` is price × quantity), ``title_rows`` stand
    above the header, ``descriptions`` (key → text) make a row under the header that
    describes the columns, ``order_once`` writes the order's own cells on its first
    row only."""

    headers: dict[str, str]
    date_format: str
    title_rows: tuple[tuple[str, ...], ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()
    order_once: bool = False


LAYOUTS = {
    "shopee": Layout(
        headers={"ref": "No. Pesanan", "status": "Status Pesanan",
                 "-cancel": "Alasan Pembatalan", "-sku_parent": "SKU Induk",
                 "product": "Nama Produk", "sku": "Nomor Referensi SKU",
                 "variant": "Nama Variasi", "-price_before": "Harga Awal",
                 "price": "Harga Setelah Diskon", "quantity": "Jumlah",
                 "line_total": "Total Harga Produk", "buyer_username": "Username (Pembeli)",
                 "buyer": "Nama Penerima", "phone": "No. Telepon",
                 "address": "Alamat Pengiriman", "city": "Kota/Kabupaten",
                 "courier": "Opsi Pengiriman", "tracking": "No. Resi",
                 "ordered_at": "Waktu Pesanan Dibuat"},
        date_format="%Y-%m-%d %H:%M"),
    "tokopedia": Layout(
        headers={"-no": "No", "ref": "Nomor Invoice", "ordered_at": "Tanggal Pembayaran",
                 "status": "Status Terakhir", "product": "Nama Produk",
                 "sku": "Nomor SKU", "quantity": "Jumlah Produk Dibeli",
                 "-price_before": "Harga Awal (IDR)", "price": "Harga Jual (IDR)",
                 "buyer": "Nama Penerima", "phone": "No Telp Penerima",
                 "address": "Alamat Pengiriman", "city": "Kota", "courier": "Kurir",
                 "tracking": "No Resi / Kode Booking"},
        date_format="%d-%m-%Y %H:%M:%S",
        title_rows=(("Laporan Penjualan",), ("Periode", "01-12-2026 - 06-12-2026"), (),
                    ("Nama Toko", "Toko Desa Makmur")),
        order_once=True),
    "tiktok": Layout(
        headers={"ref": "Order ID", "status": "Order Status", "-sku_id": "SKU ID",
                 "sku": "Seller SKU", "product": "Product Name", "variant": "Variation",
                 "quantity": "Quantity", "price": "SKU Unit Original Price",
                 "line_total": "SKU Subtotal After Discount", "ordered_at": "Created Time",
                 "tracking": "Tracking ID", "courier": "Shipping Provider Name",
                 "buyer_username": "Buyer Username", "buyer": "Recipient",
                 "phone": "Phone #", "city": "Regency and City",
                 "address": "Detail Address"},
        date_format="%d/%m/%Y %H:%M:%S",
        descriptions=(("ref", "Platform unique order ID."), ("status", "Current order status."),
                      ("quantity", "SKU sold quantity in the order."),
                      ("price", "SKU original price."),
                      ("line_total", "SKU subtotal after all discounts."),
                      ("ordered_at", "Order creation time."))),
}
FILENAMES = {"shopee": "Order.all.20261206.xlsx", "tokopedia": "Laporan_Penjualan.xlsx",
             "tiktok": "To_ship_order-2026-12-06.xlsx"}
LINE_KEYS = ("product", "sku", "variant", "quantity", "price", "line_total")


def export_rows(marketplace: str, orders: list[dict], *, dates_as_cells: bool = False,
                headers: dict[str, str] | None = None) -> list[list]:
    """The rows of a marketplace's export (title rows, header, one row per product
    line) with Python values: numbers as numbers, times as text in the marketplace's
    format (or as datetime cells with ``dates_as_cells``). ``headers`` renames some
    columns (to test renamed headers); a ``None`` name leaves the column out."""
    layout = LAYOUTS[marketplace]
    names = {key: name for key, name in {**layout.headers, **(headers or {})}.items()
             if name is not None}
    rows: list[list] = [list(title) for title in layout.title_rows]
    rows.append(list(names.values()))
    if layout.descriptions:
        descriptions = dict(layout.descriptions)
        rows.append([descriptions.get(key, "") for key in names])
    for order in orders:
        for number, line in enumerate(order["lines"]):
            cells = dict(order, **line)
            if isinstance(line.get("price"), int) and isinstance(line.get("quantity"), int):
                cells["line_total"] = line["price"] * line["quantity"]
            moment = order.get("ordered_at")
            if isinstance(moment, datetime) and not dates_as_cells:
                cells["ordered_at"] = moment.strftime(order.get("date_format")
                                                      or layout.date_format)
            if number and layout.order_once:
                cells = {key: cells.get(key) for key in ("ref", *LINE_KEYS)}
            rows.append([cells.get(key, "") if not key.startswith("-") else ""
                         for key in names])
    return rows


def xlsx_bytes(rows: list[list], sheet_title: str = "orders") -> bytes:
    """``rows`` as an XLSX workbook of one sheet (a text starting with ``=`` becomes a
    formula, as in Excel)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ",", bom: bool = True,
              encoding: str = "utf-8") -> bytes:
    """``rows`` as CSV the way spreadsheet programs save it: UTF-8 with a byte-order
    mark by default (Excel's "CSV UTF-8"), ``delimiter`` between cells (``;`` in an
    Indonesian locale), times and numbers as text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell.strftime("%Y-%m-%d %H:%M:%S") if isinstance(cell, datetime)
                         else cell for cell in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom and encoding == "utf-8" else data


def export_file(marketplace: str, orders: list[dict], kind: str = "xlsx", *,
                delimiter: str = ",", bom: bool = True, encoding: str = "utf-8",
                dates_as_cells: bool = False, headers: dict[str, str] | None = None) -> bytes:
    """A whole export file of ``marketplace`` (``shopee``, ``tokopedia``, ``tiktok``)
    holding ``orders``, as ``kind`` ``"xlsx"`` or ``"csv"``."""
    rows = export_rows(marketplace, orders, dates_as_cells=dates_as_cells, headers=headers)
    if kind == "xlsx":
        return xlsx_bytes(rows)
    return csv_bytes(rows, delimiter=delimiter, bom=bom, encoding=encoding)


def sample_orders() -> list[dict]:
    """Three orders: one of two products over two rows, one cancelled, one shipped."""
    return [
        {"ref": "2612010001", "buyer": "Siti Aminah", "buyer_username": "siti.a",
         "phone": "081234567890", "address": "Jl. Melati 5, Sleman", "city": "Sleman",
         "courier": "J&T Express", "tracking": "JP0012345678", "status": "Selesai",
         "ordered_at": datetime(2026, 12, 1, 9, 30),
         "lines": [{"product": "Keripik Tempe 250 g", "sku": "KT-250", "quantity": 2,
                    "price": 15000, "variant": "Pedas"},
                   {"product": "Kopi Robusta 100 g", "sku": "KR-100", "quantity": 1,
                    "price": 32500, "variant": ""}]},
        {"ref": "2612010002", "buyer": "Budi Santoso", "buyer_username": "budis",
         "phone": "6285712345678", "address": "Dusun Krajan RT 2, Bantul",
         "city": "Bantul", "courier": "SiCepat", "tracking": "", "status": "Batal",
         "ordered_at": datetime(2026, 12, 2, 14, 5),
         "lines": [{"product": "Gula Aren 500 g", "sku": "GA-500", "quantity": 3,
                    "price": 18000, "variant": ""}]},
        {"ref": "2612010003", "buyer": "Rina", "buyer_username": "rina77",
         "phone": "0811222333", "address": "Jl. Kaliurang km 7", "city": "Sleman",
         "courier": "JNE Reguler", "tracking": "JNE998877", "status": "Dikirim",
         "ordered_at": datetime(2026, 12, 3, 20, 0),
         "lines": [{"product": "Keripik Tempe 250 g", "sku": "KT-250", "quantity": 1,
                    "price": 15000, "variant": "Original"}]},
    ]

"""Reading marketplace order exports: files into sheets, sheets into orders, and every
refusal naming what is wrong where."""

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from crm.inbox.columns import detect_map, known_maps, map_from_choice, status_of
from crm.inbox.reading import (
    MAX_ROWS,
    read_orders,
    read_price,
    read_quantity,
    read_sheet,
)
from crm.inbox.records import ExportError
from tests.inbox.exports import (
    LAYOUTS,
    csv_bytes,
    export_file,
    export_rows,
    sample_orders,
    xlsx_bytes,
)

FILES = Path(__file__).parent / "files"
MARKETPLACES = sorted(LAYOUTS)


def orders_of(data: bytes, filename: str = "export.xlsx", tz: str = "Asia/Jakarta"):
    """The orders of a file read with the map detected from its header."""
    sheet = read_sheet(data, filename)
    column_map = detect_map(sheet.headers)
    assert column_map is not None, sheet.headers
    return read_orders(sheet, column_map, tz=tz)


def refusal(data: bytes, filename: str = "export.csv") -> str:
    """The message a file is refused with, read through to its orders."""
    with pytest.raises(ExportError) as caught:
        orders_of(data, filename)
    return caught.value.message


def check_sample(orders):
    """The three sample orders, whatever file they came from."""
    assert [order.order_ref for order in orders] == ["2612010001", "2612010002",
                                                     "2612010003"]
    first, cancelled, shipped = orders
    assert [(line.product, line.sku, line.quantity, line.price) for line in first.lines] \
        == [("Keripik Tempe 250 g", "KT-250", 2, 15000),
            ("Kopi Robusta 100 g", "KR-100", 1, 32500)]
    assert first.buyer == "Siti Aminah" and first.phone == "081234567890"
    assert first.address == "Jl. Melati 5, Sleman"
    assert first.ordered_at == datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 09:30 WIB
    assert (first.status, cancelled.status, shipped.status) == ("done", "cancelled",
                                                                "shipped")
    assert cancelled.lines[0].quantity == 3 and cancelled.phone == "6285712345678"
    assert shipped.tracking_number == "JNE998877" and shipped.courier == "JNE Reguler"


@pytest.mark.parametrize("marketplace", MARKETPLACES)
def test_each_marketplace_xlsx_is_read(marketplace):
    sheet = read_sheet(export_file(marketplace, sample_orders()), "export.xlsx")
    assert detect_map(sheet.headers).marketplace == marketplace
    check_sample(read_orders(sheet, detect_map(sheet.headers)))


@pytest.mark.parametrize("marketplace", MARKETPLACES)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_marketplace_csv_is_read(marketplace, delimiter):
    data = export_file(marketplace, sample_orders(), "csv", delimiter=delimiter)
    assert data.startswith(b"\xef\xbb\xbf")
    check_sample(orders_of(data, "export.csv"))


def test_csv_without_bom_in_windows_1252_and_utf_16_are_read():
    orders = sample_orders()
    orders[0]["lines"][0]["product"] = "Keripik Tempe Café"
    plain = export_file("shopee", orders, "csv", bom=False)
    legacy = export_file("shopee", orders, "csv", encoding="cp1252")
    unicode_text = b"\xff\xfe" + csv_bytes(export_rows("shopee", orders), delimiter="\t",
                                           bom=False).decode().encode("utf-16-le")
    for data in (plain, legacy, unicode_text):
        assert orders_of(data, "pesanan.csv")[0].lines[0].product == "Keripik Tempe Café"


def test_tokopedia_header_below_title_rows_and_order_cells_on_first_row_only():
    sheet = read_sheet(export_file("tokopedia", sample_orders()), "Laporan.xlsx")
    assert sheet.headers[1] == "Nomor Invoice"
    assert sheet.row_numbers == [6, 7, 8, 9]  # title rows 1-4, header in row 5
    assert sheet.rows[1][2] == ""  # the second product row leaves the date empty
    first = read_orders(sheet, detect_map(sheet.headers))[0]
    assert first.rows == [6, 7] and first.buyer == "Siti Aminah"
    assert first.ordered_at == datetime(2026, 12, 1, 2, 30, tzinfo=UTC)


def test_an_order_over_rows_far_apart_and_a_blank_order_number_continue_it():
    rows = export_rows("shopee", sample_orders())
    rows.append(list(rows[1]))  # the first order again, at the end
    rows[2][0] = ""  # its second product row without the order number
    orders = orders_of(xlsx_bytes(rows))
    assert [len(order.lines) for order in orders] == [3, 1, 1]
    assert orders[0].rows == [2, 3, 6]


def test_renamed_and_reordered_headers_are_still_found():
    rows = export_rows("shopee", sample_orders(), headers={
        "ref": "NO PESANAN", "product": "nama  produk", "quantity": "Quantity",
        "price": "Deal Price", "phone": "Phone Number"})
    order = [4, 0, 8, 9, 12, 13, 1]
    shuffled = [[row[i] for i in order] for row in rows]
    sheet = read_sheet(xlsx_bytes(shuffled), "orders.xlsx")
    column_map = detect_map(sheet.headers)
    assert column_map.marketplace == "shopee"
    assert set(column_map.columns) >= {"order_ref", "product", "quantity", "price",
                                       "phone", "status"}
    orders = read_orders(sheet, column_map)
    assert orders[0].lines[1].price == 32500 and orders[0].phone == "081234567890"


def test_unknown_headers_detect_no_map_but_the_sheet_is_read():
    rows = [["Tanggal", "Pelanggan", "Barang", "Banyaknya", "Bayar"],
            ["01-12-2026", "Siti", "Keripik", "2", "30000"]]
    sheet = read_sheet(csv_bytes(rows), "catatan.csv")
    assert sheet.headers == rows[0] and sheet.rows == [rows[1]]
    assert detect_map(sheet.headers) is None


def test_a_custom_map_reads_the_columns_the_reseller_picked():
    rows = [["Tanggal", "Pelanggan", "Barang", "Banyaknya", "Bayar", "No"],
            ["01/12/2026 10:00", "Siti", "Keripik", "2", "Rp 30.000", "A-1"],
            ["02-12-2026 11:00", "Budi", "Kopi", "1", "32.500", "A-2"]]
    sheet = read_sheet(csv_bytes(rows, delimiter=";"), "catatan.csv")
    choice = {"order_ref": "No", "product": "Barang", "quantity": "Banyaknya",
              "price": "Bayar", "buyer": "Pelanggan", "ordered_at": "Tanggal", "sku": ""}
    column_map = map_from_choice(sheet.headers, choice, "whatsapp",
                                 price_is_subtotal=True)
    assert (column_map.marketplace, column_map.channel) == ("custom", "whatsapp")
    first, second = read_orders(sheet, column_map)
    assert (first.buyer, first.lines[0].price) == ("Siti", 15000)  # 30.000 for two
    assert second.ordered_at == datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
    with pytest.raises(ExportError, match="Harga satuan"):
        map_from_choice(sheet.headers, {**choice, "price": ""}, "whatsapp")
    with pytest.raises(ExportError, match="Harga"):
        map_from_choice(sheet.headers, {**choice, "price": "Harga"}, "whatsapp")
    with pytest.raises(ExportError, match="dua isian"):
        map_from_choice(sheet.headers, {**choice, "buyer": "Barang"}, "whatsapp")


def test_tiktok_row_describing_the_columns_is_passed_over():
    sheet = read_sheet(export_file("tiktok", sample_orders(), "csv"), "tiktok.csv")
    assert sheet.rows[0][0] == "Platform unique order ID."
    orders = read_orders(sheet, detect_map(sheet.headers))
    assert orders[0].rows == [3, 4]
    only_description = export_rows("tiktok", [])
    assert "tidak berisi baris pesanan" in refusal(csv_bytes(only_description))


def test_cells_ending_in_a_tab_as_tiktok_writes_them_are_read():
    rows = export_rows("tiktok", sample_orders())
    rows[1:] = [[f"{cell}\t" if cell != "" else cell for cell in row] for row in rows[1:]]
    check_sample(orders_of(csv_bytes(rows, bom=False), "tiktok.csv"))


def test_a_line_total_column_is_divided_by_the_quantity():
    data = export_file("tiktok", sample_orders(), headers={"price": None})
    sheet = read_sheet(data, "tiktok.xlsx")
    column_map = detect_map(sheet.headers)
    assert column_map.price_is_subtotal
    assert sheet.headers[column_map.columns["price"]] == "SKU Subtotal After Discount"
    check_sample(read_orders(sheet, column_map))


def test_formulas_are_refused_naming_the_cell():
    rows = export_rows("shopee", sample_orders())
    rows[3][9] = "=2*1"
    message = refusal(xlsx_bytes(rows), "orders.xlsx")
    assert "Baris 4, kolom J berisi rumus" in message


@pytest.mark.parametrize(("data", "filename"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pesanan.pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.csv"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "foto.jpg"),
    (b"\x00\x01\x02\x03binary\x00", "data.bin"),
    (b"<html><table><tr><td>No. Pesanan</td></tr></table></html>", "export.xls"),
])
def test_what_is_not_a_spreadsheet_is_refused(data, filename):
    assert "bukan spreadsheet" in refusal(data, filename)


def test_old_xls_and_broken_xlsx_are_refused_with_what_to_do():
    assert "simpan sebagai .xlsx" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50,
                                             "Order.all.xls")
    assert "rusak" in refusal(b"PK\x03\x04 not really a zip", "orders.xlsx")
    assert "rusak" in refusal(b"No. Pesanan,Nama Produk\n", "orders.xlsx")


@pytest.mark.parametrize("data", [b"", b"\n\n \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    assert "kosong" in refusal(data)


def test_a_header_without_rows_is_refused():
    only_header = export_rows("shopee", [])
    assert "tidak berisi baris pesanan" in refusal(csv_bytes(only_header))
    assert "tidak berisi baris pesanan" in refusal(xlsx_bytes(only_header), "a.xlsx")


def test_no_header_row_in_the_first_ten_rows_is_refused():
    rows = [[str(n), "1"] for n in range(12)]
    assert "judul kolom" in refusal(csv_bytes(rows))


def test_a_file_over_five_megabytes_is_refused():
    assert "5 MB" in refusal(b"a" * (5 * 1024 * 1024 + 1))


def test_five_thousand_rows_are_read_and_one_more_is_refused():
    line = {"product": "Keripik", "sku": "K", "quantity": 1, "price": 1000}
    orders = [{"ref": f"R{n}", "lines": [line]} for n in range(MAX_ROWS)]
    assert len(orders_of(export_file("shopee", orders, "csv"), "a.csv")) == MAX_ROWS
    orders.append({"ref": "R-last", "lines": [line]})
    assert "lebih dari 5.000 baris" in refusal(export_file("shopee", orders, "csv"))
    assert "lebih dari 5.000 baris" in refusal(export_file("shopee", orders), "a.xlsx")


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("quantity", "dua", 'Baris 3, kolom Jumlah: jumlah harus bilangan bulat 1 atau lebih, '
                        'bukan "dua".'),
    ("quantity", "0", "Baris 3, kolom Jumlah:"),
    ("quantity", "1.5", "Baris 3, kolom Jumlah:"),
    ("price", "Rp -5.000", "Baris 3, kolom Harga Setelah Diskon: harga tidak bisa dibaca"),
    ("product", "", "Baris 3, kolom Nama Produk: nama produk kosong."),
    ("ordered_at", "kemarin sore", 'Baris 3, kolom Waktu Pesanan Dibuat: tanggal '
                                   '"kemarin sore" tidak dikenali (contoh: 2026-12-31 14:05).'),
])
def test_a_bad_cell_names_its_row_and_column(field, value, expected):
    orders = sample_orders()
    target = orders[0]["lines"][1] if field in ("quantity", "price", "product") \
        else orders[0]
    target[field] = value
    if field == "ordered_at":  # shopee repeats the order's cells: break the second row
        rows = export_rows("shopee", sample_orders())
        rows[2][18] = value
        data = csv_bytes(rows)
    else:
        data = export_file("shopee", orders, "csv")
    assert expected in refusal(data)


def test_several_date_formats_in_one_file_are_all_read():
    orders = sample_orders()
    orders[0]["date_format"] = "%d-%m-%Y %H:%M"
    orders[1]["date_format"] = "%Y-%m-%d %H:%M:%S"
    orders[2]["ordered_at"] = datetime(2026, 12, 3, 20, 0)  # a datetime cell
    rows = export_rows("shopee", orders[:2]) + export_rows("shopee", orders[2:],
                                                           dates_as_cells=True)[1:]
    read = orders_of(xlsx_bytes(rows))
    assert [order.ordered_at for order in read] == [
        datetime(2026, 12, 1, 2, 30, tzinfo=UTC), datetime(2026, 12, 2, 7, 5, tzinfo=UTC),
        datetime(2026, 12, 3, 13, 0, tzinfo=UTC)]


def test_times_are_read_in_the_given_time_zone():
    data = export_file("tiktok", sample_orders(), "csv")
    first = orders_of(data, "a.csv", tz="Asia/Jayapura")[0]
    assert first.ordered_at == datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 09:30 WIT


def test_xlsx_numbers_and_excel_text_marks_become_plain_text():
    rows = export_rows("shopee", sample_orders())
    rows[1][13] = 6281234567890  # a phone saved as a number
    rows[2][13] = "'081234567890"  # a phone kept as text with Excel's mark
    rows[1][9] = 2.0  # quantity as a float cell
    rows[1][8] = 15000.0
    orders = orders_of(xlsx_bytes(rows))
    assert orders[0].phone == "6281234567890"
    assert (orders[0].lines[0].quantity, orders[0].lines[0].price) == (2, 15000)
    sheet = read_sheet(csv_bytes(rows), "a.csv")
    assert sheet.rows[1][13] == "081234567890"


@pytest.mark.parametrize(("text", "rupiah"), [
    ("12000", 12000), ("12.000", 12000), ("12,000", 12000), ("Rp 12.000", 12000),
    ("Rp12.000,-", 12000), ("IDR 1,250,000", 1250000), ("12000.0", 12000),
    ("12.000,00", 12000), ("12,000.50", 12001), ("1.500.000", 1500000), ("0", 0),
    ("Rp\xa012.500", 12500),
])
def test_prices_in_rupiah_are_read(text, rupiah):
    assert read_price(text) == rupiah


@pytest.mark.parametrize("text", ["", "-5000", "12.000.00", "dua ribu", "1e5", "12.0000"])
def test_what_is_no_price_is_refused(text):
    assert read_price(text) is None


@pytest.mark.parametrize(("text", "quantity"), [("2", 2), ("2.0", 2), ("2,0", 2),
                                                ("1.5", None), ("-1", None), ("", None)])
def test_quantities_are_whole_numbers(text, quantity):
    assert read_quantity(text) == quantity


@pytest.mark.parametrize(("text", "status"), [
    ("Selesai", "done"), ("Batal", "cancelled"), ("Dibatalkan Sistem", "cancelled"),
    ("Perlu Dikirim", "open"), ("Sedang Dikirim", "shipped"), ("In transit", "shipped"),
    ("Pengembalian Barang/Dana", "returned"), ("Returned", "returned"),
    ("Belum Bayar", "open"), ("Sesuatu yang baru", "open"), ("", "open"),
])
def test_status_words_map_to_file_statuses(text, status):
    statuses = {}
    for template in known_maps():
        statuses.update(template.statuses)
    assert status_of(text, statuses) == status


def test_every_known_map_fits_its_own_headers_and_only_its_own():
    for marketplace, layout in LAYOUTS.items():
        assert detect_map(list(layout.headers.values())).marketplace == marketplace


def test_stored_fixture_files_are_read():
    """Files kept as a marketplace wrote them (see ``tests/inbox/files``)."""
    for path in sorted(FILES.glob("*.xlsx")) + sorted(FILES.glob("*.csv")):
        check_sample(orders_of(path.read_bytes(), path.name))
    assert "bukan spreadsheet" in refusal((FILES / "not-an-export.pdf").read_bytes(),
                                          "not-an-export.pdf")


def test_only_the_first_sheet_is_read():
    book = openpyxl.load_workbook(io.BytesIO(export_file("shopee", sample_orders())))
    book.create_sheet("Catatan").append(["=1+1"])
    out = io.BytesIO()
    book.save(out)
    check_sample(orders_of(out.getvalue()))

"""The order inbox's pages: upload a marketplace export, pick columns for an unknown
layout, preview, pick unknown products, save once; refusals and access."""

import csv
import io

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.inbox.models import ImportBatch, ImportedOrder, RememberedColumns
from crm.orders.models import Order
from tests import factories
from tests.helpers import count, csrf_token, post_at_once, text_of
from tests.inbox.exports import export_file

SHOPEE_HEADERS = ["No. Pesanan", "Status Pesanan", "Nama Produk", "Nomor Referensi SKU",
                  "Harga Setelah Diskon", "Jumlah", "Nama Penerima", "No. Telepon",
                  "Alamat Pengiriman", "Kota/Kabupaten", "Opsi Pengiriman", "No. Resi",
                  "Waktu Pesanan Dibuat"]


def shopee_csv(rows, headers=SHOPEE_HEADERS) -> bytes:
    """A Shopee export as CSV: one row per product, ``rows`` as
    (ref, status, product, sku, price, quantity, tracking)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for ref, status, product, sku, price, quantity, tracking in rows:
        writer.writerow([ref, status, product, sku, price, quantity, "Siti Aminah",
                         "081234567890", "Jl. Melati 5, Sleman", "Sleman", "J&T Express",
                         tracking, "2026-12-01 09:30"])
    return ("\ufeff" + out.getvalue()).encode()


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, ladu, username="ladu")
    ka = factories.reseller(a, username="ka")
    ge = factories.reseller(a, username="ge")
    snack = factories.product(ladu, "Ladu Ketan Original", retail_price=15_000)
    bag = factories.product(rajut, "Tas Rajut Mini", retail_price=90_000)
    for product in (snack, bag):
        factories.stock(product, 50)
    factories.claim(snack, ka)
    factories.claim(bag, ka)
    return {"ka": ka, "ge": ge, "snack": snack, "bag": bag}


def the_file(world, extra=()):
    snack, bag = world["snack"], world["bag"]
    return shopee_csv([
        ("A1", "Perlu Dikirim", snack.name, snack.sku, "14.000", "2", ""),
        ("B1", "Perlu Dikirim", bag.name, bag.sku, "90.000", "1", ""),
        ("C1", "Perlu Dikirim", snack.name, snack.sku, "15.000", "1", ""),
        ("C1", "Perlu Dikirim", bag.name, bag.sku, "90.000", "1", ""),
        ("E1", "Perlu Dikirim", "Keripik Entah", "ZZ-1", "5.000", "1", ""),
        *extra,
    ])


def upload(browser, data, name="pesanan.csv"):
    return browser.submit("/kotak-pesanan", {"file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")


def test_upload_preview_save_and_the_same_file_again(browser, world):
    browser.login("ka")
    orders_page = browser.get("/pesanan").get_data(as_text=True)
    assert 'href="/kotak-pesanan"' in orders_page
    upload_page = browser.get("/kotak-pesanan").get_data(as_text=True)
    # While the file is read, the button says so (a script file: no inline script).
    assert 'data-busy-text="Sedang membaca berkas…"' in upload_page
    assert "/static/js/busy.js" in upload_page and "<script>" not in upload_page
    response = upload(browser, the_file(world))
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert response.headers["Location"] == f"/kotak-pesanan/{batch.id}"
    assert batch.column_map["marketplace"] == "shopee" and len(batch.sha256) == 64
    page = browser.get(f"/kotak-pesanan/{batch.id}")
    words = text_of(page)
    assert "Baru (3)" in words and "Sudah ada (0)" in words and "Perlu dicek (1)" in words
    assert "Keripik Entah" in words

    saved = browser.submit(f"/kotak-pesanan/{batch.id}/simpan",
                           page=f"/kotak-pesanan/{batch.id}")
    assert saved.status_code == 302 and saved.headers["Location"] == "/pesanan"
    assert "4 pesanan tersimpan." in text_of(browser.get("/pesanan"))
    assert count(Order) == 4
    assert count(ImportedOrder) == 3
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).saved_at is not None

    again = upload(browser, the_file(world))
    assert again.status_code == 200
    assert "sudah diimpor" in text_of(again)
    assert count(ImportBatch) == 1 and count(Order) == 4


def test_a_later_export_fills_in_the_tracking_number(browser, world):
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    browser.submit(f"/kotak-pesanan/{batch_id}/simpan", page=f"/kotak-pesanan/{batch_id}")
    snack = world["snack"]
    later = shopee_csv([("A1", "Dikirim", snack.name, snack.sku, "14.000", "2", "JP123")])
    response = upload(browser, later, "pesanan-2.csv")
    second = db.session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc()))
    page = text_of(browser.get(response.headers["Location"]))
    assert "Sudah ada (1)" in page and "resi akan diisi JP123" in page
    browser.submit(f"/kotak-pesanan/{second}/simpan", page=f"/kotak-pesanan/{second}")
    a_order = db.session.scalar(select(Order).where(Order.marketplace_ref == "A1"))
    assert a_order.tracking_number == "JP123"
    assert f"Pesanan #{a_order.id}: resi diisi JP123" in text_of(browser.get("/pesanan"))


def test_an_unknown_product_is_picked_once_and_remembered(browser, world):
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    url = f"/kotak-pesanan/{batch_id}"
    html = browser.get(url).get_data(as_text=True)
    assert 'name="kunci" value="keripik entah|zz-1"' in html
    browser.submit(f"{url}/produk", {"kunci": "keripik entah|zz-1",
                                     "produk-0": str(world["snack"].id)}, page=url)
    words = text_of(browser.get(url))
    assert "Baru (4)" in words and "Perlu dicek (0)" in words


def test_a_file_of_unknown_columns_asks_which_is_what_once(browser, world):
    browser.login("ka")
    headers = ["Kode Transaksi", "Keadaan", "Barang", "Kode Barang", "Nilai", "Banyaknya",
               "Pemesan", "Kontak", "Tujuan", "Wilayah", "Ekspedisi", "Bukti Kirim",
               "Kapan"]
    snack = world["snack"]
    data = shopee_csv([("X1", "", snack.name, snack.sku, "15000", "1", "")], headers)
    response = upload(browser, data, "toko-lain.csv")
    batch_id = db.session.scalar(select(ImportBatch.id))
    assert response.headers["Location"] == f"/kotak-pesanan/{batch_id}/kolom"
    choice = {"channel": "tokopedia", "kolom-order_ref": "Kode Transaksi",
              "kolom-product": "Barang", "kolom-quantity": "Banyaknya", "kolom-price": "Nilai",
              "kolom-sku": "Kode Barang", "kolom-buyer": "Pemesan", "kolom-phone": "Kontak",
              "kolom-address": "Tujuan"}
    chosen = browser.submit(f"/kotak-pesanan/{batch_id}/kolom", choice)
    assert chosen.headers["Location"] == f"/kotak-pesanan/{batch_id}"
    assert "Baru (1)" in text_of(browser.get(chosen.headers["Location"]))
    assert count(RememberedColumns) == 1
    data = shopee_csv([("X2", "", snack.name, snack.sku, "15000", "1", "")], headers)
    response = upload(browser, data, "toko-lain-2.csv")
    assert response.headers["Location"].endswith(f"/kotak-pesanan/{batch_id + 1}")


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"%PDF-1.4 not a sheet", "pesanan.pdf", "XLSX atau CSV"),
    (b"%PDF-1.4 not a sheet", "pesanan.xlsx", ""),
    (b"", "pesanan.csv", "kosong"),
    (b"x" * (5 * 1024 * 1024 + 10), "pesanan.csv", "5 MB"),
    (b"No. Pesanan,Nama Produk,Jumlah,Harga Setelah Diskon\nA,Ladu,=1+1,100\n",
     "pesanan.csv", "Baris 2"),
])
def test_bad_files_are_refused_with_a_clear_message(browser, world, data, name, said):
    browser.login("ka")
    response = upload(browser, data, name)
    assert response.status_code == 200
    assert said in text_of(response)
    assert count(ImportBatch) == 0 and count(Order) == 0


def test_cells_are_shown_escaped(browser, world):
    browser.login("ka")
    upload(browser, shopee_csv([("<b>Z1</b>", "", "<script>x</script>", "", "1000", "1",
                                 "")]))
    batch_id = db.session.scalar(select(ImportBatch.id))
    html = browser.get(f"/kotak-pesanan/{batch_id}").get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_one_file_saved_twice_at_once_makes_one_set_of_orders(app, browser, world):
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    url = f"/kotak-pesanan/{batch_id}"
    responses = post_at_once(app, browser, f"{url}/simpan", {}, 2, page=url)
    assert sorted(r.status_code for r in responses) == [302, 302]
    db.session.expire_all()
    assert count(Order) == 4 and count(ImportedOrder) == 3


def test_only_the_reseller_opens_their_uploads(browser, make_browser, world):
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    other = make_browser()
    other.login("ge")
    assert other.get(f"/kotak-pesanan/{batch_id}").status_code == 404
    token = csrf_token(other.get("/kotak-pesanan").get_data(as_text=True))
    assert other.client.post(f"/kotak-pesanan/{batch_id}/simpan",
                             data={"csrf_token": token}).status_code == 404
    producer = make_browser()
    producer.login("ladu")
    assert producer.get("/kotak-pesanan").status_code == 403
    assert count(Order) == 0


def test_saving_needs_the_csrf_token(browser, world):
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    response = browser.client.post(f"/kotak-pesanan/{batch_id}/simpan")
    assert response.status_code == 400
    assert count(Order) == 0


@pytest.mark.parametrize(("marketplace", "kind"), [
    ("shopee", "xlsx"), ("tokopedia", "xlsx"), ("tokopedia", "csv")])
def test_each_marketplace_export_is_read_as_it_comes(browser, world, marketplace, kind):
    browser.login("ka")
    snack = world["snack"]
    orders = [{"ref": "T1", "buyer": "Siti", "phone": "081234567890",
               "address": "Jl. Melati 5, Sleman", "tracking": "JP777",
               "lines": [{"product": snack.name, "sku": snack.sku, "quantity": 2,
                          "price": 15000}]}]
    response = upload(browser, export_file(marketplace, orders, kind), f"pesanan.{kind}")
    words = text_of(browser.get(response.headers["Location"]))
    assert "Baru (1)" in words and "JP777" in words


def test_many_changes_are_told_in_a_few_sentences_and_a_count(browser, world):
    """Flashed messages travel in the session cookie, which browsers drop above 4 KB."""
    snack = world["snack"]
    refs = [f"M{n}" for n in range(8)]
    browser.login("ka")
    upload(browser, shopee_csv([(ref, "Perlu Dikirim", snack.name, snack.sku, "14.000", "1", "")
                                for ref in refs]))
    first = db.session.scalar(select(ImportBatch.id))
    browser.submit(f"/kotak-pesanan/{first}/simpan", page=f"/kotak-pesanan/{first}")
    later = shopee_csv([(ref, "Dikirim", snack.name, snack.sku, "14.000", "1", f"JP{ref}")
                        for ref in refs])
    upload(browser, later, "pesanan-2.csv")
    second = db.session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc()))
    saved = browser.submit(f"/kotak-pesanan/{second}/simpan", page=f"/kotak-pesanan/{second}")
    assert len(saved.headers.get("Set-Cookie", "")) < 4096
    page = text_of(browser.get("/pesanan"))
    assert page.count(": resi diisi JPM") == 5
    assert "… dan 3 perubahan lain." in page
    assert count(Order, Order.tracking_number.like("JPM%")) == 8


def test_a_tracking_number_from_the_file_fills_the_producer_s_ship_step(browser, make_browser,
                                                                       world):
    snack = world["snack"]
    browser.login("ka")
    upload(browser, shopee_csv([("T1", "Dikirim", snack.name, snack.sku, "14.000", "1",
                                 "JX998877")]))
    batch_id = db.session.scalar(select(ImportBatch.id))
    browser.submit(f"/kotak-pesanan/{batch_id}/simpan", page=f"/kotak-pesanan/{batch_id}")
    order = db.session.scalar(select(Order).where(Order.marketplace_ref == "T1"))
    assert order.status == "new" and order.tracking_number == "JX998877"
    producer = make_browser()
    producer.login("ladu")
    url = f"/pesanan/{order.id}"
    for step in ("konfirmasi", "kemas"):
        assert producer.submit(f"{url}/{step}", page=url).status_code == 302
    page = producer.get(url).get_data(as_text=True)
    assert 'name="tracking_number"' in page and 'value="JX998877"' in page

"""The marketplace's label PDF of a saved export: each page goes to the orders of
the order number printed on it; pages of unknown orders are reported; a file that
is no PDF attaches nothing; only the export's reseller reaches the page."""

import io

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from sqlalchemy import select

from crm.extensions import db
from crm.inbox.models import ImportBatch
from crm.orders.labels import label_file
from crm.orders.models import Order
from tests.helpers import text_of
from tests.inbox.test_inbox_pages import the_file, upload, world  # noqa: F401 (fixture)


def labels_pdf(refs) -> bytes:
    """A seller centre's label PDF: one page a label, each naming its order."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(283, 425))
    for ref in refs:
        sheet.drawString(20, 380, "Shopee Xpress - STANDARD")
        sheet.drawString(20, 350, f"No. Pesanan: {ref}")
        sheet.drawString(20, 320, "Penerima: Siti Aminah, Sleman")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def locked_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(labels_pdf(["A1"])))
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def saved_batch(browser, world) -> int:  # noqa: F811 (the fixture's value)
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    browser.submit(f"/kotak-pesanan/{batch_id}/simpan", page=f"/kotak-pesanan/{batch_id}")
    return batch_id


def send_labels(browser, batch_id, data, name="label.pdf"):
    url = f"/kotak-pesanan/{batch_id}/label"
    return browser.submit(url, {"file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")


def orders_of(ref) -> list[Order]:
    db.session.expire_all()
    return list(db.session.scalars(select(Order).where(Order.marketplace_ref == ref)
                                   .order_by(Order.id)))


def test_each_page_goes_to_the_orders_of_its_number(browser, world):  # noqa: F811
    batch_id = saved_batch(browser, world)
    # The save's message and the saved file's page lead to the label upload.
    url = f"/kotak-pesanan/{batch_id}/label"
    assert f'href="{url}"' in browser.get("/pesanan").get_data(as_text=True)
    assert f'href="{url}"' in browser.get(f"/kotak-pesanan/{batch_id}").get_data(as_text=True)

    response = send_labels(browser, batch_id, labels_pdf(["C1", "2412069ZZZZZZ", "A1"]))
    assert response.status_code == 200
    words = " ".join(text_of(response).split())
    assert "3 label terpasang; 1 halaman tanpa nomor pesanan yang dikenal." in words
    assert "Halaman 2 · No. Pesanan 2412069ZZZZZZ" in words
    assert "Belum ada label untuk nomor pesanan: B1" in words

    split = orders_of("C1")
    assert len(split) == 2 and split[0].group_id != split[1].group_id
    for ref, orders in (("A1", orders_of("A1")), ("C1", split)):
        for order in orders:
            reader = PdfReader(label_file(order))
            assert len(reader.pages) == 1
            assert f"No. Pesanan: {ref}" in reader.pages[0].extract_text()
            assert order.label_name == f"label-{ref}.pdf"
    assert orders_of("B1")[0].label_filename is None


def test_a_shipped_order_is_skipped(browser, world):  # noqa: F811
    batch_id = saved_batch(browser, world)
    shipped = orders_of("A1")[0]
    shipped.status = "shipped"
    db.session.commit()
    response = send_labels(browser, batch_id, labels_pdf(["A1", "B1"]))
    words = " ".join(text_of(response).split())
    assert "1 label terpasang; 0 halaman" in words
    assert f"Dilewati karena sudah dikirim atau dibatalkan: #{shipped.id}" in words
    assert orders_of("A1")[0].label_filename is None
    assert orders_of("B1")[0].label_filename is not None


def test_a_file_that_is_no_pdf_attaches_nothing(browser, world):  # noqa: F811
    batch_id = saved_batch(browser, world)
    for data, said in ((b"No. Pesanan: A1\n", "Berkas ini bukan PDF."),
                       (b"%PDF-1.4\nnot really a pdf", "PDF ini rusak"),
                       (locked_pdf(), "PDF ini dikunci dengan kata sandi."),
                       (labels_pdf(["X9"] * 501), "lebih dari 500 halaman"),
                       (b"", "Pilih berkas PDF label dari marketplace dulu.")):
        response = send_labels(browser, batch_id, data)
        assert response.status_code == 200
        assert said in text_of(response)
        assert "label terpasang" not in text_of(response)
    db.session.expire_all()
    assert all(order.label_filename is None for order in db.session.scalars(select(Order)))


def test_only_the_exports_reseller_reaches_it(browser, world):  # noqa: F811
    batch_id = saved_batch(browser, world)
    browser.logout()
    browser.login("ge")
    assert browser.get(f"/kotak-pesanan/{batch_id}/label").status_code == 404
    token_page = "/kotak-pesanan"
    response = browser.submit(f"/kotak-pesanan/{batch_id}/label",
                              {"file": (io.BytesIO(labels_pdf(["A1"])), "label.pdf")},
                              page=token_page, content_type="multipart/form-data")
    assert response.status_code == 404
    db.session.expire_all()
    assert all(order.label_filename is None for order in db.session.scalars(select(Order)))


def test_an_unsaved_export_leads_back_to_its_preview(browser, world):  # noqa: F811
    browser.login("ka")
    upload(browser, the_file(world))
    batch_id = db.session.scalar(select(ImportBatch.id))
    response = browser.get(f"/kotak-pesanan/{batch_id}/label")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kotak-pesanan/{batch_id}"

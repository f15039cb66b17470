"""The shipping label: the reseller attaches the marketplace's PDF, the group's
producers print it (or the app's own label), nobody else gets it."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.documents.shipping_label import LabelItem, ShippingLabel, build_label_pdf
from crm.extensions import db
from crm.orders.labels import MAX_LABEL_BYTES
from crm.web.uploads import GENERATED_NAME
from tests import factories
from tests.helpers import pdf_lines, reload, text_of

# A small PDF as marketplaces send them (the content is not read, only its header).
MARKETPLACE_PDF = b"%PDF-1.4\n% Shopee label\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MM = 72 / 25.4


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone="6281200000201",
                           address="Jl. Cibeber 12")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, factories.group(b, "Opak Sangkanhurip"), username="opak")
    factories.officer(a, username="kesra")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia", phone="081200000301")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    snack = factories.product(ladu, "Ladu Ketan Original", reseller_price=12_000,
                              retail_price=15_000)
    order = factories.order(
        ka, [(snack, 2)], status="confirmed", marketplace_ref="SHP-2611-001",
        customer_name="Bu Sari", customer_phone="6281322223333",
        address="Jl. Raya Katapang No. 5", kecamatan="Katapang", kabupaten="Kab. Bandung",
        postcode="40921", courier="JNE", courier_service="REG", shipping_cost=12_000,
        payment="cod", dropship=True)
    db.session.commit()
    return {"order": order, "ka": ka, "ge": ge, "snack": snack, "ladu": ladu}


def _labels_folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "labels"


def _stored(app) -> list[Path]:
    folder = _labels_folder(app)
    return sorted(folder.iterdir()) if folder.exists() else []


def _attach(browser, order, data: bytes, name: str = "Label Shopee.pdf"):
    page = f"/pesanan/{order.id}"
    return browser.submit(f"{page}/label/unggah", {"label": (io.BytesIO(data), name)},
                          page=page, content_type="multipart/form-data",
                          follow_redirects=True)


def test_the_reseller_attaches_replaces_and_removes_the_label(app, browser, world):
    order = world["order"]
    browser.login("ka")
    page = text_of(browser.get(f"/pesanan/{order.id}"))
    assert "Belum ada label terlampir" in page and "Lampirkan label" in page

    response = _attach(browser, order, MARKETPLACE_PDF)
    assert "Label pengiriman sudah dilampirkan" in text_of(response)
    order = reload(order)
    assert GENERATED_NAME.match(order.label_filename) and order.label_filename.endswith(".pdf")
    assert order.label_name == "Label Shopee.pdf"
    assert [p.read_bytes() for p in _stored(app)] == [MARKETPLACE_PDF]
    html = browser.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Label Shopee.pdf" in html and "Hapus label" in html and "Ganti label" in html
    # The reseller sees that a label is attached, not the file: no link to it.
    assert f"/pesanan/{order.id}/label\"" not in html
    assert "Cetak label" not in html

    first = order.label_filename
    second_pdf = MARKETPLACE_PDF.replace(b"Shopee", b"Tokped")
    _attach(browser, order, second_pdf, name="/home/ka/Unduhan/resi tokped.pdf")
    order = reload(order)
    assert order.label_filename != first and order.label_name == "resi tokped.pdf"
    assert [p.read_bytes() for p in _stored(app)] == [second_pdf]  # the old file is gone

    page = f"/pesanan/{order.id}"
    response = browser.submit(f"{page}/label/hapus", page=page, follow_redirects=True)
    assert "Label pengiriman sudah dihapus" in text_of(response)
    order = reload(order)
    assert order.label_filename is None and order.label_name == ""
    assert _stored(app) == []
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "order", AuditEntry.entity_id == order.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["attach_label", "attach_label", "remove_label"]


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Berkas ini bukan PDF"),
    (b"<html>%PDF-1.4</html>", "Berkas ini bukan PDF"),
    (b"", "Pilih berkas PDF label pengiriman dulu."),
    (b"%PDF-1.4\n" + b"0" * MAX_LABEL_BYTES, "Berkas label terlalu besar: paling besar 2 MB."),
])
def test_a_file_that_is_no_pdf_or_too_large_is_refused_and_nothing_stored(
        app, browser, world, data, message):
    order = world["order"]
    browser.login("ka")
    response = _attach(browser, order, data)
    assert message in text_of(response)
    assert reload(order).label_filename is None
    assert _stored(app) == []


def test_the_label_post_needs_its_csrf_token(app, browser, world):
    order = world["order"]
    browser.login("ka")
    response = browser.client.post(
        f"/pesanan/{order.id}/label/unggah",
        data={"label": (io.BytesIO(MARKETPLACE_PDF), "l.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert reload(order).label_filename is None and _stored(app) == []


def test_a_shipped_order_s_label_no_longer_changes(app, browser, world):
    order = world["order"]
    browser.login("ka")
    _attach(browser, order, MARKETPLACE_PDF)
    order = reload(order)
    order.status = "shipped"
    db.session.commit()
    html = browser.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Label Shopee.pdf" in html and "Hapus label" not in html
    assert "label/unggah" not in html
    page = "/pesanan/baru"  # any page for a token: the form is gone
    response = browser.submit(f"/pesanan/{order.id}/label/hapus", page=page,
                              follow_redirects=True)
    assert "Label tidak bisa diubah lagi" in text_of(response)
    assert reload(order).label_filename is not None and len(_stored(app)) == 1


def _pdf_headers_ok(response, order) -> None:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline") and f"label-{order.id}.pdf" in disposition
    assert "no-store" in response.headers["Cache-Control"]


def test_the_group_s_producer_prints_the_attached_pdf_as_it_was_uploaded(
        make_browser, world):
    order = world["order"]
    reseller = make_browser()
    reseller.login("ka")
    _attach(reseller, order, MARKETPLACE_PDF)
    producer = make_browser()
    producer.login("ladu")
    html = producer.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Label dari marketplace terlampir: Label Shopee.pdf" in html
    assert f'href="/pesanan/{order.id}/label"' in html
    response = producer.get(f"/pesanan/{order.id}/label?ukuran=58")
    _pdf_headers_ok(response, order)
    assert response.data == MARKETPLACE_PDF


@pytest.mark.parametrize("login", ["ka", "ge", "rajut", "opak", "kesra"])
def test_nobody_but_the_group_s_producers_gets_the_label(make_browser, world, login):
    order = world["order"]
    reseller = make_browser()
    reseller.login("ka")
    _attach(reseller, order, MARKETPLACE_PDF)
    other = make_browser()
    other.login(login)
    for size in ("", "?ukuran=58"):
        response = other.get(f"/pesanan/{order.id}/label{size}")
        assert response.status_code == 404, login
        assert MARKETPLACE_PDF not in response.data
    if login != "ka":  # only the order's reseller attaches or removes
        page = "/akun"
        for action in ("unggah", "hapus"):
            response = other.submit(f"/pesanan/{order.id}/label/{action}",
                                    {"label": (io.BytesIO(b"%PDF-x"), "x.pdf")},
                                    page=page, content_type="multipart/form-data")
            assert response.status_code == 404, (login, action)
        assert reload(order).label_name == "Label Shopee.pdf"


def test_without_an_attached_label_the_producer_prints_the_app_s_own(browser, world):
    order = world["order"]
    browser.login("ladu")
    html = browser.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert f'href="/pesanan/{order.id}/label?ukuran=58"' in html
    response = browser.get(f"/pesanan/{order.id}/label")
    _pdf_headers_ok(response, order)
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == (283.46, 425.2)
    text = " ".join(pdf_lines(response.data).split())
    for expected in ("Bu Sari", "0813-2222-3333", "Jl. Raya Katapang No. 5",
                     "Kec. Katapang", "Kab. Bandung 40921", "JNE REG",
                     f"#{order.id}", "SHP-2611-001", "2 × Ladu Ketan Original",
                     # dropship: the reseller sends, the group is not named
                     "Kiki Aulia", "0812-0000-0301",
                     # COD: goods at retail price and shipping, 2 × 15.000 + 12.000
                     "COD Rp 42.000"):
        assert expected in text, expected
    assert "Ladu Ketan RW 09" not in text
    receipt = browser.get(f"/pesanan/{order.id}/label?ukuran=58")
    _pdf_headers_ok(receipt, order)
    width = float(PdfReader(io.BytesIO(receipt.data)).pages[0].mediabox.width)
    assert round(width, 1) == 164.4
    assert "Bu Sari" in pdf_lines(receipt.data)
    # An unknown size is the sticker.
    odd = browser.get(f"/pesanan/{order.id}/label?ukuran=A4")
    assert round(float(PdfReader(io.BytesIO(odd.data)).pages[0].mediabox.height), 1) == 425.2


def test_a_label_not_sent_as_dropshipper_names_the_group(browser, world):
    order = world["order"]
    order.dropship = False
    order.payment = "paid"
    order.tracking_number = "JP1234567890"
    db.session.commit()
    browser.login("ladu")
    text = " ".join(pdf_lines(browser.get(f"/pesanan/{order.id}/label").data).split())
    assert "Ladu Ketan RW 09" in text and "0812-0000-0201" in text and "Jl. Cibeber 12" in text
    assert "Kiki Aulia" not in text and "COD Rp" not in text and "NON-COD" in text
    assert "Resi: JP1234567890" in text


def test_the_work_queue_has_a_print_button_for_producers_only(make_browser, world):
    order = world["order"]
    producer = make_browser()
    producer.login("ladu")
    html = producer.get("/antrian").get_data(as_text=True)
    assert f'href="/pesanan/{order.id}/label"' in html and "Cetak label" in html
    officer = make_browser()
    officer.login("kesra")
    html = officer.get("/antrian").get_data(as_text=True)
    assert f"#{order.id}" in html and f"/pesanan/{order.id}/label" not in html


# --- the builder --------------------------------------------------------------------


def _label(items: int = 2, address: str = "Jl. Raya Katapang No. 5") -> ShippingLabel:
    return ShippingLabel(
        order_id=4321, recipient_name="Bu Sari <b>&</b>", recipient_phone="0813-2222-3333",
        address=address, area="Kec. Katapang, Kab. Bandung 40921", courier="J&T",
        courier_service="EZ", tracking_number="JX0099887766", marketplace_ref="TKP-1",
        sender_name="Kiki Aulia", sender_phone="0812-0000-0301", dropship=True,
        cod_amount=None,
        items=[LabelItem(f"Keripik Singkong Pedas Daun Jeruk Varian {n}", n + 1)
               for n in range(items)])


def _pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def test_user_text_is_printed_as_typed():
    text = " ".join(pdf_lines(build_label_pdf(_label())).split())
    assert "Bu Sari <b>&</b>" in text and "J&T EZ" in text and "Resi: JX0099887766" in text


def test_a_long_order_fits_the_sticker_and_lengthens_the_receipt():
    short58 = _pages(build_label_pdf(_label(), "58"))
    assert len(short58) == 1
    # A dozen lines and a long address: set smaller, still one sticker.
    address = "Perumahan Griya Katapang Asri Blok C7 No. 12, " * 6
    middle = _pages(build_label_pdf(_label(items=12, address=address)))
    assert len(middle) == 1
    assert "12 × Keripik Singkong" in " ".join(middle[0].extract_text().split())
    # Sixty lines: the sticker continues on a second one of the same size; the
    # receipt grows to hold them all on one page.
    long_label = _label(items=60, address=address)
    sticker = _pages(build_label_pdf(long_label))
    assert len(sticker) >= 2
    assert {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in sticker} == {(283.46, 425.2)}
    receipt = _pages(build_label_pdf(long_label, "58"))
    assert len(receipt) == 1
    assert round(float(receipt[0].mediabox.width), 1) == 164.4
    assert float(receipt[0].mediabox.height) > 3 * float(short58[0].mediabox.height)
    for pages in (sticker, receipt):
        text = " ".join(" ".join(p.extract_text() for p in pages).split())
        assert "Griya Katapang Asri" in text
        for n in (1, 30, 60):
            assert f"{n} × Keripik Singkong Pedas Daun Jeruk Varian {n - 1}" in text, n

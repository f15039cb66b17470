"""Journeys 2–4, one after the other on the same order:

2. a reseller signs in on a phone, claims a product, copies its WhatsApp link and
   records a customer order;
3. the producer confirms, packs and ships that order and sees it under who sold what;
4. the reseller records a transfer to the group and the producer confirms it.
"""

from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.orders.models import Order
from crm.resellers.models import Claim
from crm.settlements.models import ResellerPayment
from tests.browser.seeding import katapang

pytestmark = pytest.mark.slow

# Recording a customer's order: the form, the form again when a field is refused,
# the saved order.
ORDER_MAX_PAGES = 3
ORDER_MAX_TAPS = 3
# Claiming a product from the dashboard: the products, the claim, the listing kit.
CLAIM_MAX_PAGES = 3
CLAIM_MAX_TAPS = 4
# The producer, from the dashboard: queue, order, confirmed, packed, shipped, report.
SHIPPING_MAX_PAGES = 6
SHIPPING_MAX_TAPS = 7
# A transfer: the reseller's payments page and the saved transfer (plus one refusal);
# the producer's payments page and the confirmed transfer.
TRANSFER_MAX_PAGES = 3
CONFIRM_MAX_PAGES = 2


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_reseller_order_shipped_and_paid(seed, journeys, screen):
    place = katapang(f"d{screen[0]}")
    snack = place.snack

    # --- 2. the reseller --------------------------------------------------------
    reseller = journeys("2-reseller", screen)
    page = reseller.page
    reseller.sign_in(place.reseller.username)
    start = reseller.counts()
    reseller.tap(page.get_by_role("link", name="Pilih produk untuk dijual"), "pilih-produk",
                 navigates=True)
    row = page.locator("li").filter(has_text=snack.name)
    reseller.tap(row.get_by_role("link", name="Jual produk ini"), "klaim", navigates=True)
    reseller.tick(page.get_by_label("Shopee"))
    reseller.submit(page.get_by_role("button", name="Ambil produk ini"), "bahan-jualan")
    used = reseller.counts() - start
    assert used.pages <= CLAIM_MAX_PAGES and used.taps <= CLAIM_MAX_TAPS, used
    assert page.get_by_role("heading", name="Bahan jualan").is_visible()
    claim = db.session.scalar(select(Claim).where(Claim.reseller_id == place.reseller.id))
    assert claim.status == "active"

    # The link to paste into WhatsApp (and the ready-made WhatsApp share button).
    link = page.get_by_label("Link pesan").input_value()
    reseller.tap(page.get_by_role("button", name="Salin link"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    share = page.get_by_role("link", name="Bagikan ke WhatsApp").get_attribute("href")
    assert share.startswith("https://wa.me/?text=") and link in unquote(share)

    # A customer's order, with a phone number typed wrong at first.
    start = reseller.counts()
    reseller.tap(page.get_by_role("link", name="Catat pesanan produk ini"), "catat-pesanan",
                 navigates=True)
    quantity = page.get_by_label(snack.name)
    assert quantity.input_value() == "1"
    reseller.type(quantity, "2")
    reseller.type(page.get_by_label("Nama pembeli"), "Bu Rina")
    reseller.type(page.get_by_label("Nomor HP pembeli"), "0812-34")
    reseller.type(page.get_by_label("Alamat kirim"), "Jl. Raya Katapang No. 5, RT 02 RW 09")
    reseller.type(page.get_by_label("Kecamatan"), "Katapang")
    reseller.submit(page.get_by_role("button", name="Simpan pesanan"), "pesanan-ditolak")
    # Refused: a clear message at the field, and everything typed is still there.
    assert page.get_by_text("Nomor HP pembeli tidak dikenali. Contoh: 0812-3456-7890.") \
        .is_visible()
    assert page.get_by_label("Nomor HP pembeli").get_attribute("aria-invalid") == "true"
    # ... and said at the top too, with a link to the field (it may be far down).
    problems = page.locator(".form-problems")
    assert problems.get_by_role("link", name="Nomor HP pembeli").get_attribute("href") == \
        "#customer_phone"
    assert page.get_by_label(snack.name).input_value() == "2"
    assert page.get_by_label("Nama pembeli").input_value() == "Bu Rina"
    assert page.get_by_label("Alamat kirim").input_value().startswith("Jl. Raya Katapang")
    assert page.get_by_label("Kecamatan").input_value() == "Katapang"
    assert db.session.scalar(select(func.count(Order.id)).where(
        Order.reseller_id == place.reseller.id)) == 0
    reseller.type(page.get_by_label("Nomor HP pembeli"), "0812-3456-7890")
    reseller.submit(page.get_by_role("button", name="Simpan pesanan"), "pesanan")
    used = reseller.counts() - start
    assert used.pages <= ORDER_MAX_PAGES and used.taps <= ORDER_MAX_TAPS, used
    order = db.session.scalar(select(Order).where(Order.reseller_id == place.reseller.id))
    assert order.status == "new" and [(ln.product_id, ln.quantity) for ln in order.lines] == [
        (snack.id, 2)]
    # What happens next, and a ready message to tell the producer.
    assert page.get_by_text("Menunggu produsen mengonfirmasi.").is_visible()
    tell = page.get_by_role("link", name="Kabari lewat WhatsApp").get_attribute("href")
    assert tell.startswith(f"https://wa.me/{place.ladu.phone}?text=")

    # --- 3. the producer --------------------------------------------------------
    producer = journeys("3-producer", screen)
    work = producer.page
    producer.sign_in(place.ladu_maker.username)
    start = producer.counts()
    producer.tap(work.get_by_role("link", name="Perlu dikonfirmasi"), "antrian",
                 navigates=True)
    producer.tap(work.get_by_role("link", name=f"#{order.id} · Bu Rina"), "pesanan",
                 navigates=True)
    steps = [
        ("Konfirmasi pesanan", "Produsen menyiapkan dan mengemas pesanan."),
        ("Sudah dikemas", "Siap dikirim: produsen menyerahkan ke kurir dan mengisi nomor resi."),
        ("Sudah dikirim", "Dalam perjalanan. Tandai selesai setelah pembeli menerima."),
    ]
    for button, next_step in steps:
        if button == "Sudah dikirim":
            producer.type(work.get_by_label("Nomor resi"), "JP1234567890")
        producer.submit(work.get_by_role("button", name=button), button)
        assert work.get_by_text(next_step).first.is_visible()
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "shipped"
    assert work.get_by_text("JP1234567890", exact=True).is_visible()

    # Who sold what.
    producer.menu("Laporan", "siapa-menjual-apa")
    used = producer.counts() - start
    assert used.pages <= SHIPPING_MAX_PAGES and used.taps <= SHIPPING_MAX_TAPS, used
    by_reseller = work.locator("section", has=work.get_by_role("heading", name="Per reseller"))
    assert by_reseller.locator(".rp-name", has_text="Kiki Aulia").is_visible()
    assert by_reseller.get_by_role("img", name="Omzet per reseller").is_visible()
    assert by_reseller.locator(".rp-num", has_text="Rp 30.000").is_visible()

    # --- 4. the transfer --------------------------------------------------------
    start = reseller.counts()
    reseller.menu("Setoran", "setoran")
    reseller.choose(page.get_by_label("Kelompok yang menerima"), label=place.ladu.name)
    reseller.type(page.get_by_label("Jumlah transfer"), "24.000,50")
    reseller.type(page.get_by_label("Keterangan / nomor referensi"), "BRI 778899")
    reseller.submit(page.get_by_role("button", name="Simpan setoran"), "setoran-ditolak")
    error = page.locator("#amount-error")
    assert error.is_visible() and error.inner_text().strip()
    assert page.get_by_label("Keterangan / nomor referensi").input_value() == "BRI 778899"
    assert db.session.scalar(select(func.count(ResellerPayment.id)).where(
        ResellerPayment.reseller_id == place.reseller.id)) == 0
    reseller.type(page.get_by_label("Jumlah transfer"), "Rp 24.000")
    reseller.submit(page.get_by_role("button", name="Simpan setoran"), "setoran-tercatat")
    used = reseller.counts() - start
    assert used.pages <= TRANSFER_MAX_PAGES, used
    assert page.get_by_text("Menunggu konfirmasi kelompok.").first.is_visible()
    assert page.get_by_text("Kelompok mengecek uang masuk, lalu menekan Konfirmasi.").is_visible()
    payment = db.session.scalar(select(ResellerPayment).where(
        ResellerPayment.reseller_id == place.reseller.id))
    assert (payment.amount, payment.status) == (24_000, "submitted")

    start = producer.counts()
    producer.menu("Setoran", "setoran")
    entry = work.locator(f"#setoran-{payment.id}")
    assert entry.get_by_text("Kiki Aulia").is_visible()
    assert entry.get_by_text("bila uangnya sudah masuk, tekan Konfirmasi").is_visible()
    producer.submit(entry.get_by_role("button", name="Konfirmasi"), "setoran-dikonfirmasi")
    used = producer.counts() - start
    assert used.pages <= CONFIRM_MAX_PAGES, used
    assert work.get_by_text("Setoran dikonfirmasi.").first.is_visible()
    assert work.locator(f"#setoran-{payment.id}").get_by_text(
        "Sudah diterima kelompok; saldo reseller sudah berkurang.").is_visible()
    db.session.expire_all()
    assert db.session.get(ResellerPayment, payment.id).status == "confirmed"

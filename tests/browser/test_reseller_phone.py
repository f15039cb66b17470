"""At 360 px: the public catalogue, a claim and its listing kit, in Chromium."""

from urllib.parse import unquote

from sqlalchemy import select

from crm.extensions import db
from crm.resellers.models import Claim
from tests import factories
from tests.browser.conftest import PHONE, scroll_width
from tests.helpers import PASSWORD


def test_catalogue_claim_and_listing_kit_fit_a_phone(app, phone_page):
    page = phone_page
    village = factories.village("Katapang")
    ladu = factories.group(village, "Ladu Ketan RW 09")
    ladu.phone = "6281200000201"
    db.session.commit()
    factories.product(ladu, "Ladu Ketan Original", made_to_order=True, daily_capacity=100,
                      description="Ladu ketan gurih-manis, 250 gram per pak.",
                      reseller_price=12_000, retail_price=15_000)
    factories.reseller(village, username="ka", full_name="Kiki Aulia", phone="081200000301")

    page.goto(page.base + "/katalog")
    assert page.get_by_role("heading", name="Produk desa").is_visible()
    order = page.get_by_role("link", name="Pesan via WhatsApp")
    assert order.count() == 1 and order.first.bounding_box()["height"] >= 44
    assert order.first.get_attribute("href").startswith("https://wa.me/6281200000201?text=")
    assert scroll_width(page) <= PHONE["width"]

    page.goto(page.base + "/masuk")
    page.get_by_label("Nama pengguna atau nomor HP").fill("ka")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Pilih produk untuk dijual").first.click()
    assert scroll_width(page) <= PHONE["width"]
    page.get_by_role("link", name="Jual produk ini").click()
    page.get_by_label("Shopee").check()
    page.get_by_role("button", name="Ambil produk ini").click()
    assert page.get_by_role("heading", name="Bahan jualan").is_visible()
    assert scroll_width(page) <= PHONE["width"]
    share = page.get_by_role("link", name="Bagikan ke WhatsApp").get_attribute("href")
    assert share.startswith("https://wa.me/?text=") and " " not in share
    assert "/katalog/r/KA/produk/" in unquote(share)
    assert page.get_by_label("Judul").input_value().startswith("Ladu Ketan Original")
    claim = db.session.scalar(select(Claim))
    assert claim.status == "active" and claim.channel_list == ["shopee", "whatsapp", "website"]

    # The reseller's own catalogue link sends visitors' orders to the reseller.
    page.goto(page.base + "/katalog/r/KA")
    assert page.get_by_text("Katalog dari reseller Kiki Aulia").is_visible()
    link = page.get_by_role("link", name="Pesan via WhatsApp").first.get_attribute("href")
    assert link.startswith("https://wa.me/6281200000301?text=")
    assert scroll_width(page) <= PHONE["width"]
    assert page.problems == []

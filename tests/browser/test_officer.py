"""Journey 1: the village welfare officer books snack boxes for a village meeting,
splits them between two groups, downloads the partnership letter and subscribes to
the calendar feed."""


import pytest
from sqlalchemy import select

from crm.events.models import CateringBooking
from crm.extensions import db
from tests.browser.seeding import katapang
from tests.helpers import pdf_lines

pytestmark = pytest.mark.slow

# From the dashboard to the saved booking: event form, event, booking form, booking.
BOOKING_MAX_PAGES = 4
BOOKING_MAX_TAPS = 12
BOOKING_MAX_FIELDS = 9


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_officer_books_snacks_gets_letter_and_calendar(seed, journeys, screen):
    place = katapang(f"o{screen[0]}")
    officer = journeys("1-officer", screen)
    page = officer.page
    officer.sign_in(place.officer.username)

    # The booking: a new event and its snack boxes, split between the two groups.
    start = officer.counts()
    officer.tap(page.get_by_role("link", name="Acara dan pesan konsumsi"), "acara-baru",
                navigates=True)
    officer.type(page.get_by_label("Nama acara"), "Rapat bulanan Pemerintah Desa")
    officer.type(page.get_by_label("Tempat"), "Balai Desa Katapang")
    officer.type(page.get_by_label("Jam mulai"), "09:00")
    officer.type(page.get_by_label("Jam selesai"), "12:00")
    officer.type(page.get_by_label("Jumlah peserta"), "50")
    officer.submit(page.get_by_role("button", name="Simpan acara"), "acara")
    assert page.get_by_text("Acara tercatat. Pesan konsumsinya di bawah.").is_visible()
    officer.tap(page.get_by_role("link", name="Pesan konsumsi"), "pesan-konsumsi",
                navigates=True)
    assert page.locator("#lines-0-quantity").input_value() == "50"  # the headcount
    officer.choose(page.locator("#lines-0-group_id"), label=place.ladu.name)
    officer.choose(page.locator("#lines-0-product_id"), label=place.snack.name)
    officer.type(page.locator("#lines-0-quantity"), "30")
    officer.choose(page.locator("#lines-1-group_id"), label=place.balok.name)
    officer.choose(page.locator("#lines-1-product_id"), label=place.kue.name)
    officer.type(page.locator("#lines-1-quantity"), "20")
    officer.submit(page.get_by_role("button", name="Simpan pesanan"), "pesanan-konsumsi")
    used = officer.counts() - start
    assert page.get_by_text("Pesanan konsumsi tercatat.").is_visible()
    # What happens next, in plain words.
    assert page.get_by_text("Menunggu setiap kelompok mengonfirmasi barisnya.").is_visible()
    for group in (place.ladu, place.balok):
        assert page.get_by_role("heading", name=group.name).is_visible()
    booking = db.session.scalar(select(CateringBooking).where(
        CateringBooking.partner_id == place.partner.id))
    assert sorted((line.group_id, line.quantity) for line in booking.lines) == sorted(
        [(place.ladu.id, 30), (place.balok.id, 20)])
    assert used.pages <= BOOKING_MAX_PAGES, used
    assert used.taps <= BOOKING_MAX_TAPS and used.fields <= BOOKING_MAX_FIELDS, used

    # The partnership letter (offer letter), numbered with its button, then opened.
    officer.menu("Mitra", "mitra")
    officer.tap(page.get_by_role("link", name=place.partner.name), "mitra-detail",
                navigates=True)
    officer.tap(page.get_by_role("link", name=place.partnership.title), "kemitraan",
                navigates=True)
    letter = officer.download_issued(
        page.get_by_role("button", name="Terbitkan nomor dan buka PDF").first)
    text = pdf_lines(letter)
    assert f"/KTP{place.tag.upper()}/" in text and place.partner.name in text

    # The calendar feed: a private link to paste into the phone's calendar.
    officer.menu("Kalender", "kalender")
    officer.submit(page.get_by_role("button", name="Buat link langganan"), "langganan")
    feed_url = page.get_by_label("Link langganan Anda").input_value()
    officer.tap(page.get_by_role("button", name="Salin"))
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    feed = officer.context.request.get(feed_url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert "Rapat bulanan Pemerintah Desa" in feed.text()

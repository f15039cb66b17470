"""Journey 5: a visitor opens the public catalogue from a reseller's link (shared on
WhatsApp) and gets a WhatsApp link that calls that reseller."""

from urllib.parse import parse_qs, urlparse

import pytest

from crm.extensions import db
from crm.resellers.services import claim_product, profile_for
from tests.browser.seeding import katapang

pytestmark = pytest.mark.slow

# A visitor on a phone: the reseller's link, the product, the WhatsApp button.
MAX_PAGES = 2
MAX_TAPS = 2


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_visitor_orders_from_a_reseller_link(seed, journeys, screen):
    place = katapang(f"v{screen[0]}")
    claim_product(place.snack, place.reseller, ["whatsapp"])
    profile = profile_for(place.reseller)
    profile.public_page, profile.public_whatsapp = True, place.reseller.phone
    db.session.commit()
    code = profile.public_slug
    visitor = journeys("5-visitor", screen)
    page = visitor.page
    page.route("https://wa.me/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>WhatsApp</title>"))

    start = visitor.counts()
    visitor.open(f"/katalog/r/{code}?desa={place.village.id}", "katalog-reseller")
    assert page.get_by_text("Katalog dari reseller Kiki Aulia").is_visible()
    visitor.tap(page.locator(f'a.pc-name[href$="/produk/{place.snack.id}"]'), "produk",
                navigates=True)
    assert page.get_by_role("heading", name="Ladu Ketan Original").is_visible()
    order = page.get_by_role("link", name="Pesan via WhatsApp")
    with page.expect_event("load"):
        visitor.tap(order)
    used = visitor.counts() - start

    link = urlparse(page.url)
    assert (link.netloc, link.path) == ("wa.me", "/" + place.reseller.phone)
    text = parse_qs(link.query)["text"][0]
    assert "Ladu Ketan Original" in text and "Rp 15.000" in text
    assert f"/katalog/r/{code}/produk/{place.snack.id}" in text
    assert used.pages - 1 <= MAX_PAGES and used.taps <= MAX_TAPS, used

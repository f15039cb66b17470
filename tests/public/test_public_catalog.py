"""The public village catalogue: only active products, no private fields, filters
that never break, WhatsApp buttons to the right person, constant queries per page."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from crm.catalog.models import ProductPhoto
from crm.extensions import db
from crm.resellers.models import Claim, ResellerProfile
from tests import factories
from tests.helpers import count_queries, text_of

LADU_TEXT = "Ladu ketan wijen khas Katapang, manis gurih, dibungkus daun pisang."


def profile(user, code, public_whatsapp, public_page=True):
    """The reseller profile of ``user`` (made if missing) with its public page on,
    ``code`` as its public link's slug and ``public_whatsapp`` as the number shown."""
    found = db.session.scalar(select(ResellerProfile).where(ResellerProfile.user_id == user.id))
    if found is None:
        found = ResellerProfile(user_id=user.id, village_id=user.village_id)
        db.session.add(found)
    found.public_slug, found.public_whatsapp = code, public_whatsapp
    found.public_page = public_page
    db.session.commit()
    return found


def claim(product, reseller, status="active", minutes_ago=60):
    made = Claim(product_id=product.id, reseller_id=reseller.id, village_id=product.village_id,
                 status=status, channels="whatsapp,website",
                 created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago))
    db.session.add(made)
    db.session.commit()
    return made


def photo(product, position=0):
    made = ProductPhoto(product_id=product.id, filename=f"p{product.id}-{position}.jpg",
                        position=position)
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone="6281311112222", bank_name="BJB",
                           bank_account_number="0011223344556", nib="9120001234567",
                           notes="Catatan internal: utang gas ke warung")
    rajut = factories.group(b, "Tas Rajut Bunda", kind="craft")
    original = factories.product(
        ladu, "Ladu Ketan Original", description=LADU_TEXT, cost_price=7_250,
        reseller_price=11_500, retail_price=15_000, dropship_price=13_750, shelf_life_days=14,
        weight_grams=250)
    factories.stock(original, 4321)
    pesanan = factories.product(ladu, "Ladu Pesanan Hajatan", category="kue",
                                made_to_order=True, daily_capacity=300, retail_price=25_000)
    tas = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            cost_price=45_000, reseller_price=60_000, retail_price=80_000)
    hidden = factories.product(ladu, "Ladu Resep Lama", active=False)
    kania = factories.reseller(a, username="kania", full_name="Kania Putri",
                               phone="6285711110000")
    kania_profile = profile(kania, "KANIA01", "6281234567890")
    dedi = factories.reseller(b, username="dedi", full_name="Dedi Rahmat",
                              phone="6285622223333")
    profile(dedi, "DEDI22", "")
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "original": original,
            "pesanan": pesanan, "tas": tas, "hidden": hidden, "kania": kania,
            "kania_profile": kania_profile, "dedi": dedi}


def wa_links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(https://wa\.me/[^"]+)"', html)]


def text_of_html(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def card_of(html: str, name: str) -> str:
    """The HTML of the product card that names ``name``."""
    for card in html.split('<li class="pc-card">')[1:]:
        if f"<strong>{name}</strong>" in card:
            return card
    raise AssertionError(f"no card for {name}")


def test_catalogue_lists_active_products_of_every_village_by_group(client, world):
    response = client.get("/katalog")
    assert response.status_code == 200
    page = text_of(response)
    for name in ("Ladu Ketan Original", "Ladu Pesanan Hajatan", "Tas Rajut Mini"):
        assert name in page
    assert "Ladu Resep Lama" not in page
    assert page.index("Ladu Ketan Original") < page.index("Tas Rajut Mini")
    assert "Rp 15.000" in page and "Desa Sangkanhurip" in page and "Kue" in page


def test_inactive_or_unknown_product_page_is_404(client, world):
    assert client.get(f"/katalog/produk/{world['hidden'].id}").status_code == 404
    assert client.get(f"/katalog/r/KANIA01/produk/{world['hidden'].id}").status_code == 404
    assert client.get("/katalog/produk/999999").status_code == 404
    assert client.get("/katalog/produk/99999999999999999999999").status_code == 404


def test_product_page_shows_public_facts_and_order_button(client, world):
    response = client.get(f"/katalog/produk/{world['original'].id}")
    assert response.status_code == 200
    page = text_of(response)
    for fact in ("Ladu Ketan Original", "Ladu Ketan RW 09", "Desa Katapang", LADU_TEXT,
                 "Rp 15.000", "/ pak", "250 gram", "14 hari", "Pesan via WhatsApp"):
        assert fact in page, fact
    assert "dibuat saat dipesan" not in page
    made = text_of(client.get(f"/katalog/produk/{world['pesanan'].id}"))
    assert "dibuat saat dipesan" in made


@pytest.mark.parametrize("url", ["/katalog", "/katalog/r/KANIA01", "/katalog/produk/{id}",
                                 "/katalog/r/KANIA01/produk/{id}"])
def test_private_fields_never_appear(client, world, url):
    claim(world["original"], world["dedi"])
    html = client.get(url.format(id=world["original"].id)).get_data(as_text=True)
    for secret in ("7.250", "11.500", "13.750", "4321", "0011223344556", "9120001234567",
                   "utang gas", "HPP", "Modal", "Harga reseller", "dropship", "Stok",
                   "6285711110000", "0857-1111-0000", "klaim", "SKU"):
        assert secret not in html, secret


FILTER_CASES = [
    ("desa={b}", ["Tas Rajut Mini"], ["Ladu Ketan Original"]),
    ("kelompok={ladu}", ["Ladu Ketan Original", "Ladu Pesanan Hajatan"], ["Tas Rajut Mini"]),
    ("kategori=kerajinan", ["Tas Rajut Mini"], ["Ladu Ketan Original"]),
    ("kategori=kue", ["Ladu Pesanan Hajatan"], ["Ladu Ketan Original", "Tas Rajut Mini"]),
    ("q=RAJUT", ["Tas Rajut Mini"], ["Ladu Ketan Original"]),
    ("q=daun+pisang", ["Ladu Ketan Original"], ["Tas Rajut Mini", "Ladu Pesanan Hajatan"]),
    ("q=bunda", ["Tas Rajut Mini"], ["Ladu Ketan Original"]),  # group name
    ("q=%25", [], ["Ladu Ketan Original", "Tas Rajut Mini"]),  # % is a letter, not "all"
    ("q=_", [], ["Ladu Ketan Original", "Tas Rajut Mini"]),
    ("desa={a}&kategori=kerajinan", [], ["Tas Rajut Mini", "Ladu Ketan Original"]),
]


@pytest.mark.parametrize("query, shown, hidden", FILTER_CASES)
def test_filters(client, world, query, shown, hidden):
    _check_filter(client, world, query, shown, hidden)


def test_filters_one_after_another(client, world):
    # The same filters with other values, one after the other, show their own.
    for _round in range(2):
        for query, shown, hidden in FILTER_CASES:
            _check_filter(client, world, query, shown, hidden)


def _check_filter(client, world, query, shown, hidden):
    ids = {"a": world["a"].id, "b": world["b"].id, "ladu": world["ladu"].id}
    response = client.get("/katalog?" + query.format(**ids))
    assert response.status_code == 200
    cards = "".join(re.findall(r"<strong>([^<]+)</strong>", response.get_data(as_text=True)))
    for name in shown:
        assert name in cards
    for name in hidden:
        assert name not in cards
    if not shown:
        assert "Tidak ada produk yang cocok." in text_of(response)


def test_filter_form_is_a_plain_get_form_that_keeps_the_choice(client, world):
    html = client.get(f"/katalog/r/KANIA01?desa={world['a'].id}&kategori=kue&q=ladu").get_data(
        as_text=True)
    assert '<form method="get" action="/katalog/r/KANIA01"' in html
    assert "csrf_token" not in html and "<script" not in html and "style=" not in html
    assert f'<option value="{world["a"].id}" selected>' in html
    assert '<option value="kue" selected>' in html and 'value="ladu"' in html
    # Only the chosen village's groups are offered.
    assert "Ladu Ketan RW 09</option>" in html and "Tas Rajut Bunda</option>" not in html


@pytest.mark.parametrize("query", [
    "desa=abc", "desa=-1", "desa=0", "desa=99999999999999999999999", "desa=%EF%BC%91",
    "kelompok=1e5", "kelompok=", "kategori=senjata", "kategori=%00", "q=" + "x" * 10_000,
    "q=%00%01", "q=%25%5C_", "page=abc", "page=-3", "page=0", "page=99999999999999999999",
    "page=9999", "desa=1&desa=2&q=a&q=b", "q=%FF%FE",
])
def test_bad_query_strings_never_break_the_page(client, world, query):
    assert client.get("/katalog?" + query).status_code == 200
    assert client.get("/katalog/r/KANIA01?" + query).status_code == 200


def test_reseller_link_sends_every_order_to_that_reseller(client, world):
    claim(world["original"], world["dedi"])  # the link's reseller wins over claims
    html = client.get("/katalog/r/KANIA01").get_data(as_text=True)
    assert "Katalog dari reseller Kania Putri" in text_of_html(html)
    product_id = world["original"].id
    expected = (
        "https://wa.me/6281234567890?text=Halo%2C%20saya%20mau%20pesan%20Ladu%20Ketan"
        "%20Original%20%28Rp%2015.000%29%20dari%20katalog%20desa%3A%20http%3A%2F%2F"
        f"localhost%2Fkatalog%2Fr%2FKANIA01%2Fproduk%2F{product_id}"
    )
    assert f'href="{expected}"' in card_of(html, "Ladu Ketan Original")
    links = wa_links(html)
    assert len(links) == 3 and all(
        link.startswith("https://wa.me/6281234567890?text=") for link in links)
    # Links within the page keep the code.
    assert f'href="/katalog/r/KANIA01/produk/{product_id}"' in html
    product_page = client.get(f"/katalog/r/KANIA01/produk/{product_id}").get_data(as_text=True)
    assert f'href="{expected}"' in product_page
    assert 'href="/katalog/r/KANIA01"' in product_page


def test_reseller_public_number_is_normalised(client, world):
    world["kania_profile"].public_whatsapp = "0812-7777-8888"  # an older, hand-made row
    db.session.commit()
    links = wa_links(client.get("/katalog/r/KANIA01").get_data(as_text=True))
    assert links and all(link.startswith("https://wa.me/6281277778888?text=Halo%2C%20saya")
                         for link in links)


def test_reseller_without_public_number_sends_orders_as_the_plain_catalogue(client, world):
    """No number chosen for buyers: neither the login phone nor the contact number for
    the group is used; the buttons call whom the catalogue without a reseller calls."""
    kania = world["kania_profile"]
    kania.public_whatsapp, kania.whatsapp = None, "6281234567890"
    db.session.commit()
    html = client.get("/katalog/r/KANIA01").get_data(as_text=True)
    plain = client.get("/katalog").get_data(as_text=True)
    assert "Katalog dari reseller Kania Putri" in text_of_html(html)
    assert "6285711110000" not in html and "6281234567890" not in html
    ladu = card_of(html, "Ladu Ketan Original")
    assert 'href="https://wa.me/6281311112222?text=' in ladu  # the group's phone
    assert [link.split("?")[0] for link in wa_links(html)] == [
        link.split("?")[0] for link in wa_links(plain)]
    tas = card_of(html, "Tas Rajut Mini")
    assert "wa.me" not in tas and "Hubungi kelompok Tas Rajut Bunda" in text_of_html(tas)


def test_unknown_or_inactive_reseller_code_is_404(client, world):
    assert client.get("/katalog/r/NOBODY").status_code == 404
    assert client.get("/katalog/r/" + "K" * 500).status_code == 404
    assert client.get(f"/katalog/r/NOBODY/produk/{world['original'].id}").status_code == 404
    world["kania"].active = False
    db.session.commit()
    assert client.get("/katalog/r/KANIA01").status_code == 404
    assert client.get(f"/katalog/r/KANIA01/produk/{world['original'].id}").status_code == 404


def test_without_code_order_goes_to_earliest_active_claim_else_group(client, world):
    late = factories.reseller(world["a"], username="lina", phone="6285799990000")
    profile(late, "LINA7", "6281399990000")
    gone = factories.reseller(world["a"], username="gone")
    profile(gone, "GONE1", "6281366660000")
    gone.active = False
    hidden = factories.reseller(world["a"], username="sari", phone="6285744440000")
    profile(hidden, "SARI1", "6281344440000", public_page=False)
    db.session.commit()
    claim(world["original"], gone, minutes_ago=600)  # earliest, but account switched off
    claim(world["original"], hidden, minutes_ago=500)  # public page off
    claim(world["original"], world["kania"], status="pending", minutes_ago=400)
    claim(world["original"], world["dedi"], minutes_ago=300)  # no public number
    claim(world["original"], late, minutes_ago=100)  # earliest usable active claim
    claim(world["tas"], world["kania"], status="ended", minutes_ago=50)
    html = client.get("/katalog").get_data(as_text=True)
    ladu = card_of(html, "Ladu Ketan Original")
    assert "https://wa.me/6281399990000?text=Halo%2C%20saya%20mau%20pesan%20Ladu" in ladu
    assert "%2Fkatalog%2Fproduk%2F" in ladu
    # No active claim: the group's phone.
    assert 'href="https://wa.me/6281311112222?text=' in card_of(html, "Ladu Pesanan Hajatan")
    # No claim and a group without phone: no button, a hint instead.
    tas = card_of(html, "Tas Rajut Mini")
    assert "wa.me" not in tas and "Hubungi kelompok Tas Rajut Bunda" in text_of_html(tas)
    product_page = client.get(f"/katalog/produk/{world['original'].id}").get_data(as_text=True)
    assert wa_links(product_page)[0].startswith("https://wa.me/6281399990000?text=")
    # Nobody else's number is on the page, least of all a login phone.
    for other in ("6281366660000", "6281344440000", "6285744440000", "6285622223333",
                  "6285711110000", "6281234567890", "6281311112222"):
        assert other not in ladu


def test_cards_have_lazy_small_photos_or_a_placeholder(client, world):
    first = photo(world["original"])
    photo(world["original"], position=1)
    html = client.get("/katalog").get_data(as_text=True)
    ladu = card_of(html, "Ladu Ketan Original")
    assert (f'<img src="/foto/produk/{first.id}/sm" srcset="/foto/produk/{first.id}/sm 400w, '
            f'/foto/produk/{first.id}/md 800w, /foto/produk/{first.id}/lg 1200w" sizes="') in ladu
    assert '" alt="Ladu Ketan Original" width="400" height="400" loading="lazy">' in ladu
    assert ladu.count("<img") == 1
    assert '<span class="pc-nophoto"></span>' in card_of(html, "Tas Rajut Mini")
    page = client.get(f"/katalog/produk/{world['original'].id}").get_data(as_text=True)
    assert f'src="/foto/produk/{first.id}/lg"' in page and page.count("<img") == 2


def test_public_pages_are_cacheable_for_visitors_and_set_no_cookie(client, browser, world):
    for url in ("/katalog", f"/katalog/r/KANIA01/produk/{world['original'].id}"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert "Set-Cookie" not in response.headers
    browser.login("kania")
    assert browser.get("/katalog").headers["Cache-Control"] == "no-store"


def test_a_full_page_is_light(client, world):
    long_text = "Kue kering renyah buatan ibu-ibu RW 09. " * 100
    for n in range(25):
        factories.product(world["rajut"], f"Kue Kering {n:02d}", category="kue",
                          description=long_text)
    response = client.get("/katalog/r/KANIA01?q=kue+kering")
    html = response.get_data(as_text=True)
    assert html.count('<li class="pc-card">') == 24
    assert len(response.data) < 40_000, len(response.data)
    assert long_text[:200] not in html
    pager = re.findall(r'href="(/katalog/r/KANIA01\?[^"]*page=2[^"]*)"', html)
    assert pager and "q=kue+kering" in unescape(pager[0])
    assert "Halaman 1 dari 2" in text_of(response)
    second = client.get("/katalog/r/KANIA01?q=kue+kering&page=2")
    assert second.get_data(as_text=True).count('<li class="pc-card">') == 1
    assert "Halaman 2 dari 2" in text_of(second)
    # An old link past the last page: no product, and the way back to the first page.
    past = client.get("/katalog/r/KANIA01?q=kue+kering&page=3")
    html = past.get_data(as_text=True)
    assert past.status_code == 200 and '<li class="pc-card">' not in html
    assert "Tidak ada produk di halaman ini." in text_of(past)
    assert "Tidak ada produk yang cocok." not in text_of(past)
    back = re.search(r'<a href="([^"]+)">Ke halaman pertama</a>', html)
    assert back and client.get(unescape(back.group(1))).get_data(as_text=True).count(
        '<li class="pc-card">') == 24



def fill_catalogue(world, groups, total, prefix):
    """``total`` active products spread over groups in two villages, each with a photo
    and, for every second one, active claims by two resellers."""
    made = []
    for n in range(total):
        group = groups[n % len(groups)]
        product = factories.product(group, f"{prefix} {n:02d}")
        photo(product)
        if n % 2 == 0:
            claim(product, world["kania"], minutes_ago=100 + n)
            claim(product, world["dedi"], minutes_ago=50 + n)
        made.append(product)
    return made


def test_catalogue_queries_do_not_grow_with_the_page(app, client, world):
    groups = [world["ladu"], world["rajut"], factories.group(world["a"], "Kelompok Tiga"),
              factories.group(world["b"], "Kelompok Empat")]
    for product in (world["original"], world["pesanan"], world["tas"]):
        product.active = False
    db.session.commit()
    fill_catalogue(world, groups, 3, "Produk Awal")
    client.get("/katalog")  # warm up: first connection, caches
    small = count_queries(app, client, "/katalog")
    small_code = count_queries(app, client, "/katalog/r/KANIA01")
    fill_catalogue(world, groups[::-1], 20, "Produk Tambahan")  # 23 products: one page of 23 cards
    html = client.get("/katalog").get_data(as_text=True)
    # 12 claimed products call a reseller, the unclaimed ones of Ladu Ketan its phone.
    assert html.count('<li class="pc-card">') == 23 and len(wa_links(html)) == 17
    assert count_queries(app, client, "/katalog") == small
    assert count_queries(app, client, "/katalog/r/KANIA01") == small_code
    assert small <= 8, small  # 6 measured: items, count, photos, claims, villages, groups

"""A pasted WhatsApp order message: read into order fields by rules (the parser on
its own), and through the new-order page (the form filled, nothing saved)."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.orders.models import Order
from crm.orders.paste import PastedOrder, read_order_message
from tests import factories
from tests.helpers import count, csrf_token, form_token, text_of

# --- the parser ------------------------------------------------------------------------

LADU = SimpleNamespace(id=1, name="Ladu Ketan Original", sku="G1-LADUKE-001")
TAS = SimpleNamespace(id=2, name="Tas Rajut Mini", sku="G2-TASRAJ-001")
OPAK = SimpleNamespace(id=3, name="Opak Bakar Pedas", sku="G3-OPAKBA-001")
KERUPUK = SimpleNamespace(id=4, name="Kerupuk Kulit", sku="G3-KERUPU-002")
CATALOGUE = [LADU, TAS, OPAK, KERUPUK]

MESSAGES = [
    # 1. the example of the issue, all on one line
    ("Pesan 2 ladu ketan + 1 tas rajut, kirim ke Bu Iis, Jl. Raya Katapang No. 5 "
     "RT 02/RW 09, no HP 0812-3456-7890",
     {"quantities": {1: 2, 2: 1}, "customer_name": "Bu Iis",
      "customer_phone": "6281234567890",
      "address": "Jl. Raya Katapang No. 5 RT 02/RW 09"}),
    # 2. a forwarded message with a greeting, bullets, labels and a multi-line address
    ("Assalamualaikum kak 🙏\nmau pesen ya\n- 2x ladu ketan ori\n- tas rajut x1\n"
     "Nama: Bu Rina\nAlamat:\nKp. Cibeureum RT 03/RW 05\nDesa Sangkanhurip, Kec. Katapang\n"
     "Kab. Bandung 40921\nHP 0813 2222 3333",
     {"quantities": {1: 2, 2: 1}, "customer_name": "Bu Rina",
      "customer_phone": "6281322223333",
      "address": "Kp. Cibeureum RT 03/RW 05, Desa Sangkanhurip, Kec. Katapang, "
                 "Kab. Bandung 40921",
      "kecamatan": "Katapang", "kabupaten": "Kab. Bandung", "postcode": "40921"}),
    # 3. number words, "dan", a copied chat line's sender as the name
    ("[6/12/26 09.15] Pak Dedi: dua ladu ketan dan selusin opak bakar, "
     "alamat Jl. Cibaduyut 7 Bandung",
     {"quantities": {1: 2, 3: 12}, "customer_name": "Pak Dedi",
      "address": "Jl. Cibaduyut 7 Bandung", "customer_phone": ""}),
    # 4. typos in product names, "2bks", "x2"
    ("laddu ketn original 2bks, tass rajut mini x2\natas nama Teh Nining 087812345678",
     {"quantities": {1: 2, 2: 2}, "customer_name": "Teh Nining",
      "customer_phone": "6287812345678"}),
    # 5. a product by its SKU
    ("2 G1-LADUKE-001\nkirim ke Pak Asep, Jl. Sukamenak 12",
     {"quantities": {1: 2}, "customer_name": "Pak Asep", "address": "Jl. Sukamenak 12"}),
    # 6. no phone at all: left empty, named as missing
    ("pesan opak 3 bungkus kirim ke Bu Tini, Jl. Pasantren 3",
     {"quantities": {3: 3}, "customer_name": "Bu Tini", "customer_phone": "",
      "address": "Jl. Pasantren 3", "missing": ["customer_phone"]}),
    # 7. two phones: the first is the customer's, the other named
    ("1 kerupuk kulit\na.n. Bu Euis\nwa 0857-1111-2222 / 0813 4444 5555\nJl. Bojong 8",
     {"quantities": {4: 1}, "customer_name": "Bu Euis", "customer_phone": "6285711112222",
      "other_phones": ["6281344445555"], "address": "Jl. Bojong 8"}),
    # 8. +62 with spaces and dots
    ("Order tas rajut mini 1 pcs, penerima: Neng Lia, +62 812.9876.5432, "
     "Jalan Raya Soreang 20",
     {"quantities": {2: 1}, "customer_name": "Neng Lia", "customer_phone": "6281298765432",
      "address": "Jalan Raya Soreang 20"}),
    # 9. "62…" without plus; emoji between every word
    ("🛍️ 3 🍘 ladu 💕 ketan 💕 original ✨ kirim ke 👉 Bu Ani, Jl. Melati 4 📍 "
     "62 813 1234 5678",
     {"quantities": {1: 3}, "customer_name": "Bu Ani", "customer_phone": "6281312345678",
      "address": "Jl. Melati 4"}),
    # 10. several products on several lines, quantities after the names, WhatsApp bold
    ("*PESANAN*\nLadu ketan original 4\nOpak bakar pedas 2\nKerupuk kulit 5\n"
     "Nama: Kang Ujang\nNo HP: 0821-1234-5678\nAlamat: Perum Griya Sangkan Blok C2, "
     "Kec. Katapang",
     {"quantities": {1: 4, 3: 2, 4: 5}, "customer_name": "Kang Ujang",
      "customer_phone": "6282112345678", "kecamatan": "Katapang",
      "address": "Perum Griya Sangkan Blok C2, Kec. Katapang"}),
    # 11. an unknown product with a quantity goes to the note, never guessed
    ("2 ladu ketan, 3 keripik pedas, kirim ke Bu Iis, Jl. Raya Katapang 5",
     {"quantities": {1: 2}, "unread": ["keripik pedas"]}),
    # 12. the same product twice adds up
    ("1 ladu ketan + 2 ladu ketan original", {"quantities": {1: 3}}),
    # 13. "x 2" apart, "dua lusin" (24)
    ("ladu ketan x 2, dua lusin kerupuk", {"quantities": {1: 2, 4: 24}}),
    # 14. prices in the message are not quantities
    ("ladu ketan 2 @15rb, opak bakar 1 Rp 12.000", {"quantities": {1: 2, 3: 1}}),
    # 15. no quantity: one
    ("mau tas rajut dong kak, kirim ke Mbak Sri, Jl. Kenanga 1", {"quantities": {2: 1},
                                                                    "customer_name": "Mbak Sri"}),
    # 16. only chatter: nothing, everything missing, no note words
    ("Assalamualaikum kak, masih ada stok?",
     {"quantities": {}, "unread": [],
      "missing": ["lines", "customer_name", "customer_phone", "address"]}),
    # 17. Windows line ends, tabs and a name with "atas nama"
    ("Pesan:\r\n\t3 opak bakar\r\natas nama Pak Haji Oman\r\nJl. Terusan Kopo 77\r\n"
     "RT 01 RW 02\r\n0812 3456 7890",
     {"quantities": {3: 3}, "customer_name": "Pak Haji Oman",
      "address": "Jl. Terusan Kopo 77, RT 01 RW 02", "customer_phone": "6281234567890"}),
    # 18. "empat" and "sepuluh", joined with "sama"
    ("empat ladu sama sepuluh kerupuk kulit", {"quantities": {1: 4, 4: 10}}),
    # 19. odd characters (zero-width joiners, full-width digits, right-to-left mark)
    ("\u200e２ ladu\u200d ketan\u200f, kirim ke Bu Iis\u2060, Jl. Raya 1",
     {"quantities": {1: 2}, "customer_name": "Bu Iis", "address": "Jl. Raya 1"}),
    # 20. a bullet list with "•" and a kirim ke without a name
    ("• 1 tas rajut\n• 2 opak\nkirim ke alamat: Jl. Mawar 2, Desa Katapang",
     {"quantities": {2: 1, 3: 2}, "customer_name": "", "address": "Jl. Mawar 2, Desa Katapang"}),
    # 21. a phone number and a quantity side by side on one line
    ("HP 0812 3456 7890 2 ladu ketan", {"quantities": {1: 2}, "customer_phone": "6281234567890"}),
    # 22. a quantity of "0" is not an item
    ("0 ladu ketan, 1 opak", {"quantities": {3: 1}, "unread": ["0 ladu ketan"]}),
    # 23. the address label "alamatnya" on a line of its own after the products
    ("Kak ladu 2 ya\nalamatnya Gg. Sadar No. 3, Kel. Sukamaju\nKota Bandung\nnama: Rizki",
     {"quantities": {1: 2}, "customer_name": "Rizki",
      "address": "Gg. Sadar No. 3, Kel. Sukamaju, Kota Bandung", "kabupaten": "Kota Bandung"}),
    # 24. a forwarded mark and thanks are chatter, "jalan-jalan" is no address
    ("[Diteruskan] Pesan 2 ladu, habis jalan-jalan\nmakasih kak 🙏",
     {"quantities": {1: 2}, "unread": [], "address": ""}),
    # 25. a copied line from a sender not in the contacts: the number is the phone
    ("[09.15, 6/12/2026] +62 812-3456-7890: 2 ladu\nkirim ke Bu Iis, Jl. Raya 1",
     {"quantities": {1: 2}, "customer_name": "Bu Iis", "customer_phone": "6281234567890"}),
]


@pytest.mark.parametrize("message, expected", MESSAGES,
                         ids=[f"message-{n}" for n in range(1, len(MESSAGES) + 1)])
def test_messages_are_read_into_order_fields(message, expected):
    result = read_order_message(message, CATALOGUE)
    for name, value in expected.items():
        assert getattr(result, name) == value, (name, result)
    assert result.channel == "whatsapp"


def test_a_partial_name_matches_only_when_one_product_has_it():
    assert read_order_message("2 ladu", CATALOGUE).quantities == {1: 2}
    two_ladu = [*CATALOGUE, SimpleNamespace(id=5, name="Ladu Kotak Hantaran", sku="G1-X-2")]
    result = read_order_message("2 ladu, 1 ladu kotak", two_ladu)
    assert result.quantities == {5: 1} and result.unread == ["ladu"]


def test_the_full_name_wins_over_a_longer_one():
    bags = [TAS, SimpleNamespace(id=6, name="Tas Rajut Mini Motif", sku="G2-TASRAJ-002")]
    assert read_order_message("1 tas rajut mini", bags).quantities == {2: 1}
    assert read_order_message("1 tas rajut", bags).unread == ["tas rajut"]


def test_only_the_given_products_are_matched():
    result = read_order_message("2 ladu ketan, 1 tas rajut", [TAS])
    assert result.quantities == {2: 1} and result.unread == ["ladu ketan"]
    assert read_order_message("2 G1-LADUKE-001", [TAS]).quantities == {}


def test_two_different_quantities_in_one_item_are_not_guessed():
    result = read_order_message("ladu ketan 2 atau 3", CATALOGUE)
    assert result.quantities == {} and result.unread == ["ladu ketan 2 atau 3"]


@pytest.mark.parametrize("text", ["", "   ", "🙂" * 500, "\x00\x01", "+++,,,\n\n", "x" * 5000,
                                  "0812" * 300, "[" * 100 + "]", "kirim ke " * 200])
def test_odd_text_never_breaks_the_reader(text):
    assert isinstance(read_order_message(text, CATALOGUE), PastedOrder)


# --- through the new-order page --------------------------------------------------------


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, ladu, username="ladu")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    snack = factories.product(ladu, "Ladu Ketan Original", reseller_price=12_000,
                              retail_price=15_000)
    bag = factories.product(rajut, "Tas Rajut Mini", reseller_price=60_000,
                            retail_price=80_000)
    opak = factories.product(ladu, "Opak Bakar Pedas")
    factories.stock(bag, 5)
    factories.claim(snack, ka)
    factories.claim(bag, ka)
    factories.claim(opak, ge)  # not ka's
    return {"snack": snack, "bag": bag, "opak": opak, "ka": ka}


EXAMPLE = ("Pesan 2 ladu ketan + 1 tas rajut, kirim ke Bu Iis, Jl. Raya Katapang No. 5 "
           "RT 02/RW 09, no HP 0812-3456-7890")


def paste(browser, message):
    return browser.submit("/pesanan/tempel", {"message": message}, page="/pesanan/baru")


def input_value(html, name):
    """The value of the text input ``name`` on a page ('' when it has none)."""
    tag = html.split(f'name="{name}"', 1)[1].split(">", 1)[0]
    return tag.split('value="', 1)[1].split('"', 1)[0] if 'value="' in tag else ""


def test_the_new_order_page_offers_the_paste_box(browser, world):
    browser.login("ka")
    html = browser.get("/pesanan/baru").get_data(as_text=True)
    assert 'action="/pesanan/tempel"' in html and "Tempel pesan WhatsApp" in html
    assert html.index('name="message"') < html.index('name="customer_name"')


def test_a_paste_fills_the_form_and_saves_nothing(browser, world):
    browser.login("ka")
    before = count(Order)
    response = paste(browser, EXAMPLE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert input_value(html, f"qty-{world['snack'].id}") == "2"
    assert input_value(html, f"qty-{world['bag'].id}") == "1"
    assert input_value(html, "customer_name") == "Bu Iis"
    assert input_value(html, "customer_phone") == "0812-3456-7890"
    assert "Jl. Raya Katapang No. 5 RT 02/RW 09</textarea>" in html
    assert '<option selected value="whatsapp">' in html
    assert "Periksa, lalu tekan" in text_of(response)
    assert count(Order) == before == 0
    # The filled form is the ordinary order form: saving it makes the order.
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html),
            "channel": "whatsapp", "customer_name": "Bu Iis",
            "customer_phone": "0812-3456-7890", "address": "Jl. Raya Katapang No. 5",
            "payment": "paid", f"qty-{world['snack'].id}": "2",
            "ship_date": input_value(html, "ship_date")}
    assert 'action="/pesanan/baru"' in html
    saved = browser.client.post("/pesanan/baru", data=data)
    assert saved.status_code == 302
    order = db.session.scalar(select(Order))
    assert order.channel == "whatsapp" and order.customer_phone == "6281234567890"


def test_what_was_not_read_is_named(browser, world):
    browser.login("ka")
    response = paste(browser, "2 ladu ketan, 3 keripik pedas, kirim ke Bu Iis")
    page = text_of(response)
    assert "Tidak terbaca: nomor HP, alamat, “keripik pedas”." in page
    assert input_value(response.get_data(as_text=True), "customer_phone") == ""


def test_a_reseller_matches_only_their_own_products(browser, world):
    browser.login("ka")
    response = paste(browser, "2 opak bakar pedas, 1 tas rajut")
    html = response.get_data(as_text=True)
    assert f'name="qty-{world["opak"].id}"' not in html
    assert input_value(html, f"qty-{world['bag'].id}") == "1"
    assert "“opak bakar pedas”" in text_of(response)


@pytest.mark.parametrize("message, said", [
    ("", "Tempel dulu pesan WhatsApp pembeli di kotak ini."),
    ("   \n ", "Tempel dulu pesan WhatsApp pembeli di kotak ini."),
    ("2 ladu ketan " * 200, "Pesan terlalu panjang: paling banyak 2.000 karakter."),
])
def test_an_empty_or_huge_paste_is_refused_plainly(browser, world, message, said):
    browser.login("ka")
    response = paste(browser, message)
    assert response.status_code == 200 and said in text_of(response)
    html = response.get_data(as_text=True)
    assert "<details class=\"card paste-box\" open>" in html
    assert input_value(html, f"qty-{world['snack'].id}") == ""
    assert count(Order) == 0


def test_a_paste_needs_the_csrf_token(browser, world):
    browser.login("ka")
    response = browser.client.post("/pesanan/tempel", data={"message": EXAMPLE})
    assert response.status_code == 400
    assert count(Order) == 0


@pytest.mark.parametrize("login", ["ladu", None])
def test_only_resellers_paste(browser, world, login):
    if login:
        browser.login(login)
    response = browser.submit("/pesanan/tempel", {"message": EXAMPLE},
                              page="/beranda" if login else "/masuk")
    assert response.status_code in (302, 403)
    assert count(Order) == 0


def test_english_speakers_read_the_paste_box_in_english(browser, world):
    world["ka"].locale = "en"
    db.session.commit()
    browser.login("ka")
    html = browser.get("/pesanan/baru").get_data(as_text=True)
    assert "Paste a WhatsApp message" in html and "Fill in the form" in html

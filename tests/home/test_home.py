"""The home blueprint: the language switch, the favicon and the main menu."""


import re

import pytest

from tests import factories
from tests.helpers import csrf_token, text_of


@pytest.fixture
def reseller(app):
    return factories.reseller(factories.village("Katapang"), username="ka")


def test_language_can_be_switched_to_english_and_back(browser, reseller):
    response = browser.submit("/bahasa", {"locale": "en", "next": "/masuk"}, page="/masuk")
    assert response.headers["Location"] == "/masuk"
    page = text_of(browser.get("/masuk"))
    assert "Password" in page and "Kata sandi" not in page
    browser.login("ka")
    assert "Kiki" not in page
    assert "Home" in text_of(browser.get("/beranda"))
    browser.submit("/bahasa", {"locale": "id", "next": "/beranda"}, page="/beranda")
    assert "Beranda" in text_of(browser.get("/beranda"))


def test_language_switch_refuses_unknown_language_and_foreign_next(browser):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    assert browser.submit("/bahasa", {"locale": "xx"}, page="/masuk").status_code == 400
    response = browser.submit("/bahasa", {"locale": "en", "next": "//evil.example"},
                              page="/masuk")
    assert response.headers["Location"] == "/"


def test_favicon_is_served_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data


_MENU = re.compile(r'<nav class="menu".*?</nav>', re.S)
_CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


def _menu(page) -> str:
    match = _MENU.search(page.get_data(as_text=True))
    assert match, "page has no main menu"
    return match.group(0)


def test_main_menu_is_the_role_s_marks_the_page_and_signs_out_with_the_reader_s_token(
        app, make_browser):
    katapang = factories.village("Katapang")
    factories.reseller(katapang, username="ka")
    factories.reseller(katapang, username="kb")
    factories.producer(katapang, username="pr")
    first, second, producer = make_browser(), make_browser(), make_browser()
    for browser, login in ((first, "ka"), (second, "kb"), (producer, "pr")):
        browser.login(login)

    orders = _menu(first.get("/pesanan"))
    assert _CURRENT.findall(orders) == [("/pesanan", "Pesanan")]
    assert 'href="/penghasilan"' in orders and 'href="/antrian"' not in orders
    home = _menu(first.get("/beranda"))  # the same role on another page
    assert set(_CURRENT.findall(home)) == {("/beranda", "Beranda")}
    queue = _menu(producer.get("/antrian"))
    assert set(_CURRENT.findall(queue)) == {("/antrian", "Antrian")}
    assert 'href="/penghasilan"' not in queue

    # In English for one reader, still Indonesian for the other.
    first.submit("/bahasa", {"locale": "en", "next": "/pesanan"}, page="/pesanan")
    assert set(_CURRENT.findall(_menu(first.get("/pesanan")))) == {("/pesanan", "Order")}
    assert set(_CURRENT.findall(_menu(second.get("/pesanan")))) == {("/pesanan", "Pesanan")}

    # Each reader's sign-out form carries their own token, and it signs them out.
    tokens = [csrf_token(_menu(b.get("/pesanan"))) for b in (first, second)]
    assert tokens[0] != tokens[1]
    assert second.client.post("/keluar", data={"csrf_token": tokens[0]}).status_code == 400
    assert second.get("/pesanan").status_code == 200  # still signed in
    for browser, token in zip((first, second), tokens, strict=True):
        assert browser.client.post("/keluar", data={"csrf_token": token}).status_code == 302
        assert browser.get("/pesanan").status_code == 302  # to the sign-in page

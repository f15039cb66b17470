"""The administrator's home, menu and account pages, and what the villages' pages
show them: no village's records."""

import pytest

from tests import factories
from tests.helpers import text_of


@pytest.fixture
def admin(app, make_browser):
    village = factories.village("Katapang", code="32.04.11.2002", letter_code="KTP")
    group = factories.group(village, "Ladu Ketan RW 09")
    product = factories.product(group, "Ladu Ketan Istimewa")
    factories.claim(product, factories.reseller(village, username="ka"))
    factories.admin(username="admin", full_name="Bu Admin")
    browser = make_browser()
    assert browser.login("admin").status_code == 302
    return browser


def test_the_administrators_home_is_the_village_list_with_their_menu(admin):
    response = admin.get("/beranda")
    assert response.status_code == 302 and response.headers["Location"].endswith("/pasang/")
    page = admin.get("/pasang/")
    html = page.get_data(as_text=True)
    assert 'href="/pasang/"' in html and 'href="/pasang/petugas"' in html
    assert "Katapang" in text_of(page)
    # Their own account page works as everyone's.
    assert admin.get("/akun").status_code == 200


@pytest.mark.parametrize("url", ["/produk", "/pesanan", "/klaim", "/kalender",
                                 "/kalender/agenda"])
def test_pages_every_village_role_opens_refuse_the_administrator(admin, url):
    response = admin.get(url)
    assert response.status_code == 403
    assert "Ladu Ketan Istimewa" not in text_of(response)


@pytest.mark.parametrize("url", ["/desa/", "/kelompok", "/reseller", "/acara/batas-biaya",
                                 "/pengguna", "/laporan"])
def test_the_villages_daily_pages_refuse_the_administrator(admin, url):
    assert admin.get(url).status_code in (403, 404)

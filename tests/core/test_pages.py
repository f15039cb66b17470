"""The page shell: language, error pages, security headers, uploads too large."""

import io
import re

import pytest

from crm import create_app
from tests import factories
from tests.core.test_config import STRONG
from tests.helpers import text_of


@pytest.fixture
def reseller(app):
    return factories.reseller(factories.village("Katapang"), username="ka")


def test_login_page_is_indonesian_by_default(client):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    page = client.get("/masuk")
    assert page.status_code == 200
    assert '<html lang="id">' in page.get_data(as_text=True)
    assert "Kata sandi" in text_of(page)


def test_not_found_page_is_friendly(client):
    page = client.get("/tidak-ada-halaman-ini")
    assert page.status_code == 404
    assert "Halaman tidak ditemukan" in text_of(page)


def test_unexpected_error_shows_no_traceback(app_config):
    app = create_app(app_config)

    @app.get("/rusak")
    def broken():
        raise RuntimeError("secret internals")

    page = app.test_client().get("/rusak")
    assert page.status_code == 500
    body = page.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Terjadi kesalahan" in body


def test_oversized_upload_gets_413(browser, app, reseller):
    """A picture form (a payment's receipt) takes up to 8 MB; other forms far less."""
    browser.login("ka")
    big = io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = browser.client.post("/setoran", data={"proof": (big, "a.png")},
                                   content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Berkas terlalu besar" in text_of(response)
    small = io.BytesIO(b"x" * (app.config["MAX_FORM_CONTENT_LENGTH"] + 1))
    response = browser.client.post("/akun", data={"logo": (small, "a.png")},
                                   content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Isian terlalu besar" in text_of(response)


def test_security_headers_and_no_store_when_signed_in(browser, reseller):
    page = browser.get("/masuk")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    browser.login("ka")
    assert browser.get("/beranda").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(browser, reseller):
    browser.login("ka")
    for url in ["/masuk", "/beranda", "/akun"]:
        html = browser.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
        tags = re.findall(r"<script\b[^>]*>", html)
        # Scripts only as files of the site itself, never inline code or handlers.
        assert all(body.strip() == "" for body in scripts), url
        assert all(re.search(r'src="/static/', tag) for tag in tags), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_production_cookies_and_hsts(app, app_config):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    config = dict(app_config, CRM_ENV="production", SECRET_KEY=STRONG,
                  CRM_TRUSTED_HOSTS=["crm.desa.id"])
    app = create_app(config)
    client = app.test_client()
    response = client.get("/masuk", base_url="https://crm.desa.id")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/masuk", base_url="https://evil.example").status_code == 400


def test_names_put_into_translated_messages_are_escaped(browser, app):
    village = factories.village("Katapang")
    factories.partner_contact(village, username="mitra",
                              full_name='<b onclick="x()">Bu & Pak</b>')
    browser.login("mitra")
    html = browser.get("/beranda").get_data(as_text=True)
    assert "Selamat datang, &lt;b onclick=&#34;x()&#34;&gt;Bu &amp; Pak&lt;/b&gt;" in html
    assert '<b onclick="x()">' not in html

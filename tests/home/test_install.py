"""What installs the app on a phone: the web app manifest, its icons, the service
worker (only the app shell) and the offline page."""

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests import factories
from tests.helpers import text_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def reseller(app):
    return factories.reseller(factories.village("Katapang"), username="ka")


def test_manifest_names_the_app_and_starts_at_home(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "MRSE CRM" and manifest["short_name"] == "MRSE Desa"
    assert manifest["lang"] == "id" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/beranda" and manifest["scope"] == "/"
    green = re.search(r"--green: (#[0-9a-f]{6});", (ROOT / "static/css/app.css").read_text())
    assert manifest["theme_color"] == manifest["background_color"] == green.group(1)


def test_manifest_icons_exist_at_their_stated_sizes(client):
    icons = json.loads(client.get("/manifest.webmanifest").data)["icons"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable"),
            ("any", "any")} <= purposes
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == icon["type"]
        if icon["type"] == "image/png":
            picture = Image.open(io.BytesIO(response.data))
            assert picture.format == "PNG"
            assert "{}x{}".format(*picture.size) == icon["sizes"]


def test_pages_link_the_manifest_icon_and_service_worker(browser, reseller):
    for page in ("/masuk", "/beranda"):
        if page == "/beranda":
            browser.login("ka")
        html = browser.get(page).get_data(as_text=True)
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert '<meta name="theme-color" content="#166534">' in html
        assert 'rel="apple-touch-icon" href="/static/img/icon-192.png"' in html
        assert 'src="/static/js/sw-register.js"' in html


def test_service_worker_lists_only_the_app_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    script = response.get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))
    for name in ("css/app.css", "js/menu.js", "js/sw-register.js", "img/icon.svg",
                 "img/icon-192.png", "img/icon-512.png", "img/icon-maskable-512.png"):
        assert f"/static/{name}" in shell
    assert "/offline" in shell
    # Only static files and the offline page: no page of a signed-in user.
    assert all(url.startswith("/static/") for url in shell if url != "/offline")
    for url in shell:
        assert client.get(url).status_code == 200, url
    assert re.search(r'const CACHE = "mrse-shell-[0-9a-f]{12}";', script)


def test_service_worker_version_follows_the_shell_files(app, client, tmp_path):
    first = re.search(r"mrse-shell-(\w+)", client.get("/sw.js").get_data(as_text=True))
    assert first.group(1) in client.get("/sw.js").get_data(as_text=True)  # stable
    static = tmp_path / "static"
    for folder in ("css", "js", "img"):
        (static / folder).mkdir(parents=True)
        for path in (ROOT / "static" / folder).iterdir():
            (static / folder / path.name).write_bytes(path.read_bytes())
    app.static_folder = str(static)
    assert first.group(1) in client.get("/sw.js").get_data(as_text=True)  # same files
    (static / "css" / "app.css").write_text("body { color: red; }")
    assert first.group(1) not in client.get("/sw.js").get_data(as_text=True)


def test_service_worker_and_manifest_are_allowed_by_the_content_policy(client):
    policy = client.get("/sw.js").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    for kind in ("worker-src", "manifest-src"):
        assert directives.get(kind, directives["default-src"]) == "'self'"


def test_offline_page_says_there_is_no_signal_and_nothing_private(browser, reseller):
    browser.login("ka")
    response = browser.get("/offline")
    assert response.status_code == 200
    page = text_of(response)
    assert "Tidak ada sinyal. Halaman ini belum tersimpan di HP ini." in page
    assert "Nama ka" not in page and "csrf_token" not in response.get_data(as_text=True)


def test_sign_out_asks_the_browser_to_drop_caches_and_storage(browser, reseller):
    browser.login("ka")
    response = browser.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'

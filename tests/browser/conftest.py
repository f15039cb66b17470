"""A real browser (Debian's Chromium driven by Playwright) against the app served on
127.0.0.1. Skipped where Chromium or Playwright is not installed."""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_server(app):
    """The app under test on a free local port, for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def phone_page(live_server):
    """A page at phone size that records console errors and failed requests."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        page = browser.new_page(viewport=PHONE)
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 500 and page.problems.append(
            f"{r.status}: {r.url}"))
        page.base = live_server
        yield page
        browser.close()


def scroll_width(page) -> int:
    """Width of the whole document: more than the screen means sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth")

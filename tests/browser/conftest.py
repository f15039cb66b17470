"""Real-browser tests: Debian's Chromium, driven by Playwright, against the app served
by gunicorn on 127.0.0.1 with production settings and a fresh database (SQLite, or
PostgreSQL when TEST_DATABASE_URL is set), checked with axe-core from npm.

One gunicorn server and one Chromium serve all browser tests of a test worker; every
test seeds its own village, so tests do not depend on each other's data.

Where Chromium, Playwright or axe-core is missing the tests are skipped, unless
REQUIRE_BROWSER=1 (as in CI), which makes that a failure.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask_migrate import upgrade

from crm import create_app
from crm.extensions import db

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-results" / "screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-default-apps", "--mute-audio",
]


def chromium_path() -> str | None:
    found = Path("/usr/bin/chromium")
    if found.exists():
        return str(found)
    return shutil.which("chromium")


def _missing_tools() -> list[str]:
    missing = []
    if chromium_path() is None:
        missing.append("Chromium (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright (make install)")
    if not AXE.exists():
        missing.append("axe-core (make install runs npm ci)")
    return missing


@pytest.fixture(scope="session")
def browser_tools():
    """Stop here when a tool is missing: skip on a developer machine, fail in CI."""
    missing = _missing_tools()
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _test_settings(url: str, upload_dir) -> dict:
    """Settings of the app the test code uses to seed and check the database."""
    return {
        "CRM_ENV": "testing", "TESTING": True, "SECRET_KEY": secrets.token_urlsafe(48),
        "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_FOLDER": str(upload_dir),
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            # Our own http://127.0.0.1 address.
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text(errors='replace')[-3000:]}")


class Served:
    """The running app: its address, its database and a seeding app on it."""

    def __init__(self, base: str, database_url: str, workbench):
        self.base = base
        self.database_url = database_url
        self.workbench = workbench


@pytest.fixture(scope="session")
def served(browser_tools, fresh_database_url, tmp_path_factory):
    """gunicorn (two workers) on a free port of 127.0.0.1, production settings, on a
    fresh database built by the migrations."""
    url = fresh_database_url("browser")
    workdir = tmp_path_factory.mktemp("served")
    workbench = create_app(_test_settings(url, workdir / "uploads"))
    with workbench.app_context():
        upgrade()
        db.engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "FLASK_"))}
    env.update({
        "CRM_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url, "CRM_TRUSTED_HOSTS": "127.0.0.1",
        "CRM_UPLOAD_FOLDER": str(workdir / "uploads"), "PYTHONPATH": str(ROOT),
    })
    log = workdir / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "60", "--chdir", str(ROOT),
             "tests.browser.served:create_served_app()"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process, log)
        yield Served(base, url, workbench)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with workbench.app_context():
            db.engine.dispose()


@pytest.fixture
def seed(served):
    """The database of the served app, for seeding and checking (an app context of
    the seeding app); every test makes its own village."""
    with served.workbench.app_context():
        yield served
        db.session.remove()


@pytest.fixture(scope="session")
def chromium(browser_tools):
    """One headless Chromium for all browser tests of this worker."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                    args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def journeys(chromium, browser_tools, served, request):
    """Make a :class:`~tests.browser.journey.Journey` (own cookies) at a screen size;
    all are closed after the test."""
    from tests.browser.journey import Journey

    made = []
    kind = "postgresql" if served.database_url.startswith("postgresql") else "sqlite"

    def make(name: str, screen: str) -> Journey:
        journey = Journey(chromium, served.base, name, screen, axe_source=browser_tools,
                          screenshots=SCREENSHOTS / kind)
        made.append(journey)
        return journey

    yield make
    for journey in made:
        journey.close()

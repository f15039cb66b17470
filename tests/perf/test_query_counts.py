"""No N+1: the statements of every key page stay at most 15 and do not grow with the
data, between the generated "village" dataset and one ten times its size.

Both datasets are made once per module (and per xdist worker) with the benchmark's
generator, each in a fresh database of the kind under test (SQLite, or PostgreSQL
with ``TEST_DATABASE_URL``). Every login signs in through the real form (CSRF on) and
fetches each page twice: the first time cold, the second as a repeat visit (caches
warm, one-time work done). Both counts must be the same at both sizes (for PDFs, whose
first download may give the document its number, the repeat download's). A failure
lists the statements sent a different number of times at the two sizes.
"""

import re
from collections import Counter
from dataclasses import dataclass

import pytest

from bench.generate import generate
from bench.pages import key_pages
from crm import create_app
from crm.extensions import db
from tests.conftest import _config
from tests.helpers import Browser, statements_sent

pytestmark = pytest.mark.slow

SMALL, LARGE = 0.3, 3.0
MAX_QUERIES = 15

# Page names do not depend on the data: any manifest of the right shape gives them.
_SHAPE = {
    "ids": {key: 1 for key in (
        "village", "group", "product", "reseller_profile", "order", "event", "booking",
        "booking_group", "partnership", "partner", "outlet", "visit", "proposal",
        "statement_group", "statement_reseller")} | {"reseller_link": "x"},
    "feeds": {"officer": "x", "producer": "x", "partner": "x"},
    "month": "2026-11",
}
PAGE_NAMES = [page.name for page in key_pages(_SHAPE)]


@dataclass(frozen=True)
class Fetched:
    """One page at one size: the status, the ``X-Query-Count`` of both visits and the
    statements of the first."""

    url: str
    status: tuple[int, int]
    queries: tuple[int | None, int | None]
    statements: tuple[str, ...]


def _count(response) -> int | None:
    value = response.headers.get("X-Query-Count")
    return int(value) if value is not None else None


def _shape(statement: str) -> str:
    """A statement without its layout and the length of its IN lists."""
    text = re.sub(r"\s+", " ", statement).strip()
    text = re.sub(r"\(\s*(?:\?|%\(\w+\)s|\$\d+|__\[POSTCOMPILE_\w+\])"
                  r"(?:\s*,\s*(?:\?|%\(\w+\)s|\$\d+))*\s*\)", "(…)", text)
    return text[:160] + (" …" if len(text) > 160 else "")


def _difference(small: "Fetched", large: "Fetched") -> str:
    """The statements sent a different number of times at the two sizes."""
    a, b = Counter(small.statements), Counter(large.statements)
    lines = [f"  {a[s]} → {b[s]}×  {s}" for s in sorted(set(a) | set(b)) if a[s] != b[s]]
    return "\n".join(lines) or "  (same statements)"


def _measure(url: str, upload_dir, scale: float) -> tuple[dict, dict[str, Fetched]]:
    manifest = generate(url, size="village", scale=scale)
    app = create_app({**_config(url, upload_dir), "QUERY_COUNT": True})
    pages = key_pages(manifest)
    browsers: dict[str | None, Browser] = {None: Browser(app.test_client())}
    for login in sorted({p.login for p in pages if p.login}):
        browser = Browser(app.test_client())
        response = browser.login(manifest["logins"][login], password=manifest["password"])
        assert response.status_code == 302, f"{login} could not sign in"
        assert "/masuk" not in response.headers["Location"], f"{login} could not sign in"
        browsers[login] = browser
    found = {}
    with statements_sent(app) as sent:
        for page in pages:
            browser = browsers[page.login]
            sent.clear()
            first = browser.get(page.url)
            statements = tuple(_shape(statement) for statement in sent)
            second = browser.get(page.url)
            found[page.name] = Fetched(page.url, (first.status_code, second.status_code),
                                       (_count(first), _count(second)), statements)
    with app.app_context():
        db.engine.dispose()
    return manifest, found


@pytest.fixture(scope="module")
def measured(fresh_database_url, tmp_path_factory) -> dict[float, dict[str, Fetched]]:
    """``{scale: {page name: Fetched}}`` for the village size and ten times it."""
    out = {}
    for scale, label in ((SMALL, "perfsmall"), (LARGE, "perflarge")):
        url = fresh_database_url(label)
        _manifest, out[scale] = _measure(url, tmp_path_factory.mktemp(label), scale)
    return out


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_queries_do_not_grow(measured, name):
    small, large = measured[SMALL].get(name), measured[LARGE].get(name)
    assert small is not None and large is not None, f"{name} is not in the generated data"
    for size, item in (("village", small), ("10× village", large)):
        assert item.status == (200, 200), f"{item.url} at {size} size answered {item.status}"
        assert None not in item.queries, f"{item.url}: no X-Query-Count header"
        assert max(item.queries) <= MAX_QUERIES, (
            f"{item.url} at {size} size made {item.queries} statements (at most "
            f"{MAX_QUERIES})")
    # The first download of a PDF may number the document (a one-time write, done or
    # not by the generator); only repeat downloads are compared for PDFs.
    compared = slice(1, 2) if name.endswith("-pdf") else slice(0, 2)
    assert small.queries[compared] == large.queries[compared], (
        f"{small.url}: statements {small.queries} on the village data, "
        f"{large.queries} on ten times as much (first visit, repeat visit); sent a "
        f"different number of times (village → 10×):\n{_difference(small, large)}")

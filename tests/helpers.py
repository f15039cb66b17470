"""Driving the app like a person with a browser: open a page, fill its form, send."""

import csv
import io
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import event, func, select

from crm.auth.models import User
from crm.extensions import db
from crm.resellers.models import ResellerProfile
from crm.text.money import parse_rupiah
from crm.web.errors import RuleError

_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
PASSWORD = "kata-sandi-uji-1"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "page has no form with a CSRF token"
    return unescape(match.group(1))


class Browser:
    """A test client that fetches a form page before posting to it."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, url, data=None, page=None, **kwargs):
        """Open ``page`` (default ``url``), take its CSRF token, post ``data`` to ``url``."""
        html = self.client.get(page or url).get_data(as_text=True)
        payload = {"csrf_token": csrf_token(html), **(data or {})}
        return self.client.post(url, data=payload, **kwargs)

    def login(self, login, password=PASSWORD, **kwargs):
        return self.submit("/masuk", {"login": login, "password": password}, **kwargs)

    def logout(self):
        return self.submit("/keluar", page="/beranda")

    def session_cookie(self):
        return self.client.get_cookie("mrse_session")

    def issue(self, issue_url, page):
        """Tap a "Terbitkan" button (a POST with CSRF on ``page``) and open the
        document it leads to; numbers are never issued by opening a document."""
        response = self.submit(issue_url, page=page)
        assert response.status_code in (302, 303), (issue_url, response.status_code)
        return self.client.get(response.headers["Location"])


def text_of(response) -> str:
    """Visible text of a response (tags stripped, entities decoded), for assertions."""
    html = response.get_data(as_text=True)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def reload(obj):
    """Re-read ``obj`` from the database (drops what this session cached)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


_WA_LINK = re.compile(r'href="(https://wa\.me/[^"]*)"')


def whatsapp_messages(response) -> list[tuple[str, str]]:
    """``(phone, prefilled text)`` of every ``wa.me`` link on a page, in page order."""
    found = []
    for href in _WA_LINK.findall(response.get_data(as_text=True)):
        link = urlsplit(unescape(href))
        text = parse_qs(link.query).get("text", [""])[0]
        found.append((link.path.strip("/"), text))
    return found


def whatsapp_message(response) -> tuple[str, str]:
    """The one ``wa.me`` link of a page as ``(phone, text)``."""
    found = whatsapp_messages(response)
    assert len(found) == 1, f"expected one WhatsApp link, found {len(found)}"
    return found[0]


def post_at_once(app, browser, url, data, times, page=None):
    """Send one form ``times`` at the same instant, as a person tapping "send" again
    and again (or a script) would: ``browser``'s session and CSRF token, one client
    (and thread) per copy. Returns the responses, in no particular order."""
    html = browser.get(page or url).get_data(as_text=True)
    payload = {"csrf_token": csrf_token(html), **data}
    cookie = browser.session_cookie()
    barrier = threading.Barrier(times)
    responses = []

    def send():
        client = app.test_client()
        client.set_cookie(cookie.key, cookie.value)
        barrier.wait(timeout=60)
        responses.append(client.post(url, data=payload))

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(responses) == times, "a request did not finish"
    return responses


def run_at_once(app, step, inputs, refused="refused") -> list[str]:
    """Run ``step(value)`` for every value of ``inputs`` at the same instant, each in
    its own thread, app context and transaction (committed), as simultaneous
    requests would. Outcomes, in no particular order: "ok", ``refused`` for a
    ``RuleError``, or the repr of any other error (reported by the test's assertion)."""
    barrier = threading.Barrier(len(inputs))
    outcomes = []

    def run(value):
        # Wait before touching the database: threads holding pooled connections
        # at the barrier would exhaust the pool instead of racing.
        barrier.wait(timeout=60)
        with app.app_context():
            try:
                step(value)
                db.session.commit()
                outcomes.append("ok")
            except RuleError:
                db.session.rollback()
                outcomes.append(refused)
            except Exception as error:
                db.session.rollback()
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(value,)) for value in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def hidden_value(html: str, name: str, missing: str | None = None) -> str:
    """The value of the hidden field ``name`` of a page's form; ``missing``, when
    given, stands in for a page without that field (a refusal, say)."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    if match is None and missing is not None:
        return missing
    assert match, f"page has no hidden field {name}"
    return unescape(match.group(1))


def form_token(html: str, missing: str | None = None) -> str:
    """The one-time token of a page's form (a resent form with it creates nothing new)."""
    return hidden_value(html, "form_token", missing)


def count(model, *where) -> int:
    """How many rows of ``model`` there are (those matching ``where``, when given)."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))



@contextmanager
def statements_sent(app=None) -> Iterator[list[str]]:
    """The SQL statements sent on ``app``'s engine (the current app's when none is
    given) while the block runs, in order, as the database receives them."""
    if app is None:
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_queries(app, client, url) -> int:
    """How many SQL statements opening the page ``url`` takes (the page must open)."""
    with statements_sent(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def user(username) -> User:
    """The stored user with this username."""
    return db.session.scalar(select(User).where(User.username == username))


def profile_of(user) -> ResellerProfile:
    """The reseller profile of ``user`` as stored now."""
    db.session.expire_all()
    return db.session.scalar(select(ResellerProfile).where(ResellerProfile.user_id == user.id))


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, which starts with a byte order mark for Excel."""
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` Western Indonesian Time, as an aware UTC moment."""
    return datetime.combine(day, time(hour, minute), WIB).astimezone(UTC)


def pdf_lines(pdf: bytes) -> str:
    """The text pypdf reads from a PDF, page after page, its line breaks kept."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_text(response) -> str:
    """The text of a PDF response with white space collapsed (lines break anywhere)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return " ".join(pdf_lines(response.data).split())


def extracted_texts(pdf: bytes) -> list[str]:
    """The text of a PDF as programs read it: pypdf's, and pdfminer's when installed."""
    texts = [pdf_lines(pdf)]
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        return texts
    return texts + [extract_text(io.BytesIO(pdf))]


def assert_readable_pdf(pdf: bytes, *expected: str) -> None:
    """Every character of the PDF extracts as itself: no "(cid:…)" stand-ins and no
    control characters (the bullet of the built-in fonts came out as either), and
    each ``expected`` text is there."""
    for text in extracted_texts(pdf):
        assert "(cid:" not in text
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), repr(text)
        flat = " ".join(text.split())
        for part in expected:
            assert part in flat, (part, flat[:400])


# --- charts (inline SVG) ----------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
AMOUNT = re.compile(r"Rp\s?[\d.]+")


def svgs(html: str) -> dict[str, ET.Element]:
    """The inline SVG charts of a page, by their figure's id, parsed as XML."""
    found = {}
    for match in re.finditer(r'<figure class="chart" id="([^"]+)">\s*(<svg.*?</svg>)', html,
                             re.S):
        found[match.group(1)] = ET.fromstring(match.group(2))  # noqa: S314 (our own page)
    return found


def bar_titles(svg: ET.Element) -> list[str]:
    """The hover text of each bar (or column) of a chart."""
    return [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")
            if g.get("class") == "ch-item"]


def first_amount(text: str) -> int:
    """The first rupiah amount of ``text``."""
    return parse_rupiah(AMOUNT.search(text).group(0))

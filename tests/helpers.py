"""Driving the app like a person with a browser: open a page, fill its form, send."""

import re
from html import unescape

from crm.extensions import db

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


def text_of(response) -> str:
    """Visible text of a response (tags stripped, entities decoded), for assertions."""
    html = response.get_data(as_text=True)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def reload(obj):
    """Re-read ``obj`` from the database (drops what this session cached)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def extracted_texts(pdf: bytes) -> list[str]:
    """The text of a PDF as programs read it: pypdf's, and pdfminer's when installed."""
    import io

    from pypdf import PdfReader

    texts = ["\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)]
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

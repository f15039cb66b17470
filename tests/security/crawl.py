"""Walking the site as one user: every page reachable by links, and its forms."""

import io
import re
from collections import deque

from pypdf import PdfReader

from tests.security.pages import Form, read_page

# Links not to follow: switching language or signing out changes the session.
SKIP_PREFIXES = ("/bahasa", "/keluar", "/static/")
# Forms not to fill: signing out ends the walk.
SKIP_ACTIONS = ("/keluar",)
PER_SHAPE = 2
DOCUMENT_TYPES = ("application/pdf", "text/csv", "text/calendar")


def crawl(client, start: str = "/beranda", limit: int = 200):
    """Pages (path → HTML), documents (path → text of a PDF, CSV or iCalendar file)
    and distinct POST forms reachable from ``start``.

    List pages with query strings are followed once per path and parameter names,
    so filters and page numbers do not make the walk endless.
    """
    seen, shapes = set(), {}
    pages: dict[str, str] = {}
    documents: dict[str, str] = {}
    forms: dict[tuple, Form] = {}
    queue = deque([start])
    while queue and len(pages) < limit:
        url = queue.popleft()
        path, _, query = url.partition("?")
        # Records of one kind share a page shape: two of each are enough.
        shape = (re.sub(r"\d+", "N", path),
                 tuple(sorted(p.split("=")[0] for p in query.split("&") if p)))
        if url in seen or shapes.get(shape, 0) >= PER_SHAPE or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        if response.status_code == 200 and response.mimetype in DOCUMENT_TYPES:
            documents[url] = document_text(response)
            continue
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        links, found = read_page(url, html)
        for form in found:
            if form.action.startswith(SKIP_ACTIONS) or "csrf_token" not in form.fields:
                continue
            forms.setdefault(form.key, form)
        queue.extend(link for link in links if link not in seen)
    return pages, list(forms.values()), documents


def document_text(response) -> str:
    """The text of a PDF (extracted), CSV or iCalendar response."""
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(response.data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    return response.get_data(as_text=True)

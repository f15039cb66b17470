"""Reading pages like a browser: the links and the POST forms on a page."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    """A POST form: where it goes, its fields and the values the page filled in."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → offered values
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type / select / …

    @property
    def key(self) -> tuple:
        """The same form on another record (``/pesanan/7/…`` and ``/pesanan/8/…``)
        counts once."""
        return re.sub(r"\d+", "N", self.action), tuple(sorted(self.fields))


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, kind, value):
        if self._form is None or not name:
            return
        self._form.kinds.setdefault(name, kind)
        self._form.fields.setdefault(name, [])
        if value is not None:
            self._form.fields[name].append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = Form(action=urljoin(self.base, a.get("action") or self.base))
        elif tag == "input" and self._form is not None:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if a.get("name"):
                    self._add(a["name"], kind, a.get("value", ""))
                return
            if kind in ("checkbox", "radio"):
                self._add(a.get("name"), kind, a.get("value", "y"))
            else:
                self._add(a.get("name"), kind, a.get("value", ""))
        elif tag == "button" and self._form is not None and a.get("name"):
            self._add(a["name"], "button", a.get("value", ""))
        elif tag == "select" and self._form is not None:
            self._select = a.get("name")
            self._add(self._select, "select", None)
        elif tag == "option" and self._select:
            self._add(self._select, "select", a.get("value", ""))
        elif tag == "textarea" and self._form is not None:
            self._textarea = a.get("name")
            self._add(self._textarea, "textarea", None)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_page(url: str, html: str) -> tuple[list[str], list[Form]]:
    """Same-site links (path and query) and POST forms of a page."""
    parser = _PageParser(url)
    parser.feed(html)
    links = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme in ("http", "https") and parts.netloc not in ("", "localhost"):
            continue
        if parts.scheme and parts.scheme not in ("http", "https"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    for form in parser.forms:
        parts = urlsplit(form.action)
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
    return links, parser.forms

"""First sign-in links as the administrator's pages show them."""

import re
from html import unescape
from urllib.parse import urlsplit

from tests.helpers import PASSWORD

_LINK = re.compile(r'value="(https?://[^"]*/mulai/[^"]+)"')


def first_link(response) -> str:
    """The path of the one first sign-in link shown on a page."""
    found = _LINK.findall(response.get_data(as_text=True))
    assert len(found) == 1, f"expected one first sign-in link, found {len(found)}"
    return urlsplit(unescape(found[0])).path


def sign_in_first_time(browser, path, password=PASSWORD):
    """Open a first sign-in link, choose ``password`` and send."""
    return browser.submit(path, {"password": password, "confirm": password})

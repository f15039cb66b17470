"""Generated bad text in every field of every form: never a 500, nothing stored when
a form is refused, and whatever is stored comes back escaped.

The forms are found by walking the site as each role (tests/security/crawl.py), so a
new form is fuzzed without being listed here.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.crawl import crawl
from tests.security.snapshot import snapshot
from tests.security.world import build_world, restore_accounts

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src="http://127.0.0.1:9/x.png">'
BAD_VALUES = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "x" * 1_000_000, "Infinity", "-Infinity",
    "NaN", "sNaN", "10.000", "Rp 10.000,50", "１２３", "-0", "-1", "0", "1" + "0" * 23,
    "1e309", "9" * 40, "a\r\nb", "\r\nBcc: x@y", SCRIPT, "{{7*7}}", "{% raw %}", "${7*7}",
    "javascript:alert(1)", IMAGE, '<font color="red">merah</font>', "<para>x</para>&amp;",
    "2026-02-30", "2026-13-01", "31/12/2026", "25:61", "62812", "+6281234567890",
    "' OR 1=1 --", "../../etc/passwd", "\u202egnp.exe", "🙂" * 50,
]
# Fields whose value is not user text: posted as the page filled them in.
KEEP = ("csrf_token",)
LOGINS = ("kesra", "ladu", "ka", "pemdes")
EXAMPLES_PER_FORM = 6

text_values = st.one_of(st.sampled_from(BAD_VALUES), st.text(max_size=40))


def _encode(pairs) -> bytes:
    """An urlencoded body, lone surrogates sent as the raw bytes a client could send."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}" for name, value in pairs
    ).encode()


def _strategy(form):
    fields = {}
    for name, offered in form.fields.items():
        kind = form.kinds.get(name)
        if name in KEEP:
            fields[name] = st.just(offered[0] if offered else "")
        elif kind in ("select", "radio", "checkbox", "submit", "button") and offered:
            fields[name] = st.one_of(st.sampled_from(offered), text_values)
        else:
            fields[name] = text_values
    return st.fixed_dictionaries(fields)


class Tally:
    posts = 0
    refused = 0
    accepted = 0


def _fuzz(client, form, login, tally):
    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(_strategy(form))
    def run(values):
        before = snapshot()
        response = client.post(form.action, data=_encode(values.items()),
                               content_type="application/x-www-form-urlencoded")
        tally.posts += 1
        where = f"{login} POST {form.action} {sorted(values)}"
        assert response.status_code < 500, where
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert SCRIPT not in body and IMAGE not in body, where
        if response.status_code in (200, 400, 403, 404, 405, 409, 413, 422, 429):
            tally.refused += 1
            assert snapshot() == before, f"refused form stored something: {where}"
        else:
            tally.accepted += 1
            location = response.headers.get("Location", "")
            if location.startswith("/") and not location.startswith("/masuk"):
                shown = client.get(location)
                assert shown.status_code < 500, where
                if shown.mimetype == "text/html":  # a button may lead to a PDF
                    assert SCRIPT not in shown.get_data(as_text=True), where

    run()


@pytest.mark.parametrize("login", LOGINS)
@pytest.mark.slow
def test_every_form_refuses_bad_input_cleanly(app, make_browser, login):
    build_world()
    tally = Tally()
    browser = make_browser()
    assert browser.login(login).status_code == 302
    pages, forms, _ = crawl(browser.client)
    assert len(pages) > 5 and forms, login
    for form in forms:
        _fuzz(browser.client, form, login, tally)
        if browser.get("/beranda").status_code != 200:  # signed out by a form
            restore_accounts()
            browser.login(login)
    restore_accounts()
    browser = make_browser()
    browser.login(login)
    # Whatever was stored is shown escaped on every page afterwards.
    pages, _, _ = crawl(browser.client)
    for url, html in pages.items():
        assert SCRIPT not in html and IMAGE not in html, url
    print(f"\nbad input as {login}: {len(forms)} forms, {tally.posts} posts, "
          f"{tally.refused} refused, {tally.accepted} accepted")
    assert tally.refused > 0 and tally.accepted > 0

"""Bad ids in the path and bad query arguments on every route, as every role: never a
500, whatever the database (run it on PostgreSQL too, where an id past 2³¹−1 or a
NUL byte makes the database refuse the statement).

The routes come from ``app.url_map`` and the query arguments from the app's source,
so a new route or a new argument is tried without being listed here.
"""

import re
import time
from pathlib import Path

from werkzeug.routing import IntegerConverter

from tests.helpers import Browser, csrf_token
from tests.security.records import STEP_WORDS, owner_a_records
from tests.security.test_access import LOGINS, MATRIX, NOT_WALKED
from tests.security.world import build_world, restore_accounts

HUGE_IDS = (2**31, 2**63, 10**30)
# Every query argument is sent with each of these at once: past PostgreSQL's integer,
# past any 64-bit integer, NUL and another control character within text.
BAD_ARGS = ("99999999999", "1" + "0" * 30, "a\x00b\x1b")
# One login of each role, visitors included (owners of one role differ only in which
# records are theirs, and every id here is nobody's).
ROLE_LOGINS = ("anon", "kesra", "ladu", "ka", "pemdes")
# Where the app reads its query arguments: request.args.get("x"), args.get("x"),
# arg_id("x"), arg_text("x").
_READS = re.compile(r"""(?:args\.get|arg_id|arg_text)\(\s*["'](\w+)["']""")
CRM = Path(__file__).resolve().parents[2] / "crm"


def _args_the_app_reads() -> set[str]:
    names = {"page"}  # read by the pagination for every list
    for source in CRM.rglob("*.py"):
        names |= set(_READS.findall(source.read_text()))
    return names


def _id_rules(app):
    for rule in app.url_map.iter_rules():
        ids = [name for name, conv in rule._converters.items()
               if isinstance(conv, IntegerConverter)]
        if ids:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if f"{rule.endpoint} {method}" not in NOT_WALKED:
                    yield rule, method, ids


def _build(rule, records, override=None) -> str:
    params = {name: records[name] for name in rule.arguments if name in records}
    params.update(STEP_WORDS.get(rule.endpoint, {}))
    params.update(rule.defaults or {})
    params.update(override or {})
    return rule.build(params)[1]


def _sign_in(app, login) -> tuple[Browser, str]:
    restore_accounts()
    browser = Browser(app.test_client())
    if login != "anon":
        assert browser.login(login).status_code == 302, login
    page = "/akun" if login != "anon" else "/masuk"
    return browser, csrf_token(browser.get(page).get_data(as_text=True))


def test_ids_past_the_database_range_answer_404_on_every_route_for_every_role(app):
    build_world()
    records = owner_a_records()
    started = time.monotonic()
    rules = list(_id_rules(app))
    assert len(rules) > 50 and set(ROLE_LOGINS) <= set(LOGINS)
    wrong, sent = [], 0
    for login in ROLE_LOGINS:
        browser, token = _sign_in(app, login)
        for rule, method, ids in rules:
            for huge in HUGE_IDS:
                url = _build(rule, records, dict.fromkeys(ids, huge))
                if method == "GET":
                    response = browser.client.get(url)
                else:
                    response = browser.client.post(url, data={"csrf_token": token})
                sent += 1
                # No such route (404, or 405 where only a route of another method
                # matches), or the sign-in page for visitors; never 500.
                if response.status_code not in (404, 405) and not (
                        login == "anon" and "/masuk" in response.headers.get("Location", "")):
                    wrong.append(f"{login} {method} {url}: {response.status_code}")
    assert wrong == [], wrong[:20]
    print(f"\n[bad ids] {sent} requests, {time.monotonic() - started:.1f} s")


def test_bad_query_arguments_never_give_a_server_error(app):
    build_world()
    records = owner_a_records()
    started = time.monotonic()
    names = sorted(_args_the_app_reads())
    assert {"page", "kelompok", "q", "jenis", "desa", "bulan", "status"} <= set(names)
    wrong, sent = [], 0
    for login in ROLE_LOGINS:
        browser, _token = _sign_in(app, login)
        for rule in app.url_map.iter_rules():
            key = f"{rule.endpoint} GET"
            if "GET" not in rule.methods or rule.endpoint == "static" or key not in MATRIX:
                continue
            if login not in MATRIX[key].split():
                continue  # refused before any argument is read (test_access)
            url = _build(rule, records)
            for value in BAD_ARGS:
                response = browser.client.get(url, query_string=dict.fromkeys(names, value))
                sent += 1
                # /healthz says 503 when the database is behind the code, not for its
                # arguments.
                if response.status_code >= 500 and rule.endpoint != "health.healthz":
                    wrong.append(f"{login} {url} ={value!r}: {response.status_code}")
    assert wrong == [], wrong[:20]
    print(f"\n[bad query arguments] {len(names)} names, {sent} requests, "
          f"{time.monotonic() - started:.1f} s")


def test_nul_in_the_sign_in_form_and_the_search_fields_is_answered_clearly(app, make_browser):
    build_world()
    browser = make_browser()
    refused = browser.login("ka\x00")
    assert refused.status_code == 200
    assert "Teks berisi karakter yang tidak diizinkan." in refused.get_data(as_text=True)
    browser.login("ka")
    assert browser.get("/klaim/pilih?q=%00").status_code == 200
    browser = make_browser()
    browser.login("kesra")
    assert browser.get("/riwayat/?jenis=%00").status_code == 200
    assert browser.get("/produk?kelompok=99999999999&page=99999999999").status_code == 200


def test_every_form_of_the_app_refuses_control_characters():
    """Every form class is an AppForm, whose text fields refuse control characters."""
    import crm.models  # noqa: F401  (every feature's modules, forms among them)
    from crm.web.forms import AppForm

    forms = []
    for source in CRM.rglob("*forms.py"):
        module = ".".join(source.relative_to(CRM.parent).with_suffix("").parts)
        forms.append(module)
        __import__(module)
    from flask_wtf import FlaskForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    outside = [f"{c.__module__}.{c.__name__}" for c in subclasses(FlaskForm)
               if c.__module__.startswith("crm.") and not issubclass(c, AppForm)]
    assert len(forms) > 10 and outside == []

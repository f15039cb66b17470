"""Signing in and out, sessions, throttling, redirects and CSRF, through the real forms."""

import re
import threading
import time
from datetime import timedelta
from statistics import median

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select, update

from crm import create_app
from crm.auth import services
from crm.auth.models import SignInThrottle, User
from crm.db.types import utcnow
from crm.extensions import db
from tests import factories
from tests.helpers import PASSWORD, csrf_token, reload, text_of


@pytest.fixture
def katapang(app):
    return factories.village("Katapang")


@pytest.fixture
def ladu(katapang):
    return factories.producer(katapang, username="ladu", phone="0812-3456-7890")


def test_login_by_username_reaches_dashboard(browser, ladu):
    response = browser.login("LADU")
    assert response.status_code == 302
    assert response.headers["Location"] == "/beranda"
    page = browser.get("/beranda")
    assert page.status_code == 200
    assert ladu.full_name in text_of(page)
    assert reload(ladu).last_login_at is not None


@pytest.mark.parametrize("note", [None, "officer", "partner", "nonsense"])
def test_home_page_is_whole_whatever_the_session_notes_of_the_role(counting, browser, ladu,
                                                                  note):
    # The role noted at sign-in tells what the home page reads with the user: the
    # producer's group and its village come in the user's statement. A session without
    # the note (made before it was noted) or with another (the role changed since)
    # still shows the producer their group, read by two more statements.
    browser.login("ladu")
    noted = browser.get("/beranda")
    with browser.client.session_transaction() as session:
        assert session["crm_role"] == "producer"
        if note is None:
            del session["crm_role"]
        else:
            session["crm_role"] = note
    page = browser.get("/beranda")
    assert page.status_code == 200
    assert reload(ladu).group.name in text_of(page) and reload(ladu).group.name in text_of(noted)
    assert int(page.headers["X-Query-Count"]) == int(noted.headers["X-Query-Count"]) + 2


def _age_session_cookie(browser, app, monkeypatch, days: float) -> None:
    """Sign the browser's session again as if it had been signed ``days`` ago."""
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(browser.session_cookie().value)
    signed = int(time.time() - days * 86400)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: signed)
        browser.client.set_cookie("mrse_session", serializer.dumps(data))


def test_session_cookie_is_written_again_when_changed_or_a_day_old(browser, ladu, app,
                                                                   monkeypatch):
    browser.login("ladu")
    browser.get("/beranda")  # a form on the page: the session gets its CSRF token
    unchanged = browser.get("/beranda")
    assert unchanged.status_code == 200 and "Set-Cookie" not in unchanged.headers
    _age_session_cookie(browser, app, monkeypatch, days=0.5)
    assert "Set-Cookie" not in browser.get("/beranda").headers
    # A day old: written again, so the week of the session starts again.
    _age_session_cookie(browser, app, monkeypatch, days=1.5)
    renewed = browser.get("/beranda")
    assert renewed.status_code == 200
    cookie = renewed.headers["Set-Cookie"]
    assert cookie.startswith("mrse_session=") and "Expires=" in cookie
    serializer = app.session_interface.get_signing_serializer(app)
    _data, signed_at = serializer.loads(browser.session_cookie().value, return_timestamp=True)
    assert time.time() - signed_at.timestamp() < 60
    assert "Set-Cookie" not in browser.get("/beranda").headers


def test_a_session_unused_for_over_a_week_is_signed_out(browser, ladu, app, monkeypatch):
    browser.login("ladu")
    _age_session_cookie(browser, app, monkeypatch, days=8)
    page = browser.get("/beranda")
    assert page.status_code == 302 and page.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                   "81234567890"])
def test_login_by_phone_in_any_usual_form(browser, ladu, typed):
    assert browser.login(typed).headers["Location"] == "/beranda"


def test_wrong_password_is_refused_with_a_clear_message(browser, ladu):
    response = browser.login("ladu", "salah-sekali")
    assert response.status_code == 200
    assert "kata sandi salah" in text_of(response)
    assert browser.get("/beranda").status_code == 302


def test_unknown_account_gets_the_same_message(browser, app):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    response = browser.login("tidak-ada", "apa-saja-123")
    assert "Nama pengguna/nomor HP atau kata sandi salah." in text_of(response)


def test_logout_needs_post_and_ends_the_session(browser, ladu):
    browser.login("ladu")
    assert browser.get("/keluar").status_code == 405
    response = browser.logout()
    assert response.headers["Location"] == "/masuk"
    assert browser.get("/beranda").status_code == 302


def test_copied_cookie_stops_working_after_logout(browser, make_browser, ladu):
    browser.login("ladu")
    stolen = browser.session_cookie().value
    browser.logout()
    thief = make_browser()
    thief.client.set_cookie("mrse_session", stolen)
    response = thief.get("/beranda")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_password_change_ends_other_sessions_but_keeps_this_one(browser, make_browser, ladu):
    other = make_browser()
    other.login("ladu")
    browser.login("ladu")
    response = browser.submit("/akun", {
        "current_password": PASSWORD, "password": "ketan-manis-99", "confirm": "ketan-manis-99",
    })
    assert response.status_code == 302
    assert browser.get("/beranda").status_code == 200
    assert other.get("/beranda").status_code == 302
    assert make_browser().login("ladu", PASSWORD).status_code == 200  # old password refused
    assert make_browser().login("ladu", "ketan-manis-99").status_code == 302


def test_password_change_refuses_wrong_current_and_weak_new(browser, ladu):
    browser.login("ladu")
    before = reload(ladu).password_hash
    wrong = browser.submit("/akun", {
        "current_password": "bukan", "password": "ketan-manis-99", "confirm": "ketan-manis-99"})
    assert "Kata sandi lama salah." in text_of(wrong)
    weak = browser.submit("/akun", {
        "current_password": PASSWORD, "password": "12345678", "confirm": "12345678"})
    assert "terlalu mudah ditebak" in text_of(weak)
    mismatch = browser.submit("/akun", {
        "current_password": PASSWORD, "password": "ketan-manis-99", "confirm": "ketan-manis-98"})
    assert "tidak sama" in text_of(mismatch)
    assert reload(ladu).password_hash == before


TOO_MANY = "Terlalu banyak percobaan. Coba lagi dalam"


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _sign_in(make_browser, login, password, address):
    browser = make_browser()
    page = browser.client.get("/masuk", **_from(address)).get_data(as_text=True)
    return browser.client.post("/masuk", data={
        "csrf_token": csrf_token(page), "login": login, "password": password},
        **_from(address))


@pytest.fixture
def costly_hashing(app_config):
    """A real argon2 cost (set before the app is made), so that checking a password is
    what takes the time of a sign-in."""
    app_config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=16 * 1024)


def test_known_and_unknown_logins_are_answered_alike_in_text_and_time(costly_hashing, app,
                                                                       make_browser, ladu):
    limit = app.config["LOGIN_MAX_FAILURES"]
    tries = (("ladu", "198.51.100.1"), ("tidak-ada", "198.51.100.2"))
    answers = {login: [] for login, _address in tries}
    times = {login: [] for login, _address in tries}
    # In turns (known, unknown, known …), so that a busy machine slows both alike.
    for _ in range(limit + 3):
        for login, address in tries:
            started = time.perf_counter()
            response = _sign_in(make_browser, login, "tebak-tebak", address)
            times[login].append(time.perf_counter() - started)
            answers[login].append((response.status_code, _error_text(response)))
    assert answers["ladu"] == answers["tidak-ada"]
    assert answers["ladu"][0] == (200, "Nama pengguna/nomor HP atau kata sandi salah.")
    assert answers["ladu"][-1] == (429, f"{TOO_MANY} 15 menit.")
    checked = [median(times[login][:limit]) for login in times]
    refused = [median(times[login][limit:]) for login in times]
    assert max(checked) < 2 * min(checked), checked
    assert max(refused) < 3 * min(refused) + 0.005, refused


def _error_text(response) -> str:
    return " ".join(re.findall(r'<p class="error"[^>]*>([^<]+)<',
                               response.get_data(as_text=True))).strip()


def test_an_attackers_failures_never_keep_the_owner_out_of_a_known_device(make_browser, app,
                                                                          ladu):
    owner = make_browser()
    page = owner.client.get("/masuk", **_from("203.0.113.7")).get_data(as_text=True)
    assert owner.client.post("/masuk", data={
        "csrf_token": csrf_token(page), "login": "ladu", "password": PASSWORD},
        **_from("203.0.113.7")).status_code == 302
    owner.logout()
    # Someone guesses from many addresses, the owner's shared one among them, well past
    # every limit: of the login from one address, of an address and of the account.
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 10):
        _sign_in(make_browser, "ladu", f"tebakan-{n}", f"192.0.2.{n % 8}")
    assert TOO_MANY in text_of(_sign_in(make_browser, "ladu", PASSWORD, "192.0.2.99"))
    # The owner's phone still lets them in, from any address.
    for address in ("192.0.2.0", "203.0.113.8"):
        page = owner.client.get("/masuk", **_from(address)).get_data(as_text=True)
        response = owner.client.post("/masuk", data={
            "csrf_token": csrf_token(page), "login": "ladu", "password": PASSWORD},
            **_from(address))
        assert response.status_code == 302, text_of(response)
        owner.logout()


def test_a_forged_known_device_cookie_counts_for_nothing(make_browser, app, ladu):
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        _sign_in(make_browser, "ladu", f"tebakan-{n}", "192.0.2.1")
    browser = make_browser()
    browser.client.set_cookie("mrse_device", "eyJkIjoieCIsInUiOlsxXX0.forged.sig")
    page = browser.client.get("/masuk", **_from("192.0.2.1")).get_data(as_text=True)
    response = browser.client.post("/masuk", data={
        "csrf_token": csrf_token(page), "login": "ladu", "password": PASSWORD},
        **_from("192.0.2.1"))
    assert response.status_code == 429 and TOO_MANY in text_of(response)


def test_the_right_password_clears_the_failures_of_the_login_from_its_address(make_browser,
                                                                              app, ladu):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit - 1):
        _sign_in(make_browser, "ladu", f"tebakan-{n}", "192.0.2.1")
    assert _sign_in(make_browser, "ladu", PASSWORD, "192.0.2.1").status_code == 302
    for n in range(limit - 1):
        assert _sign_in(make_browser, "ladu", f"lagi-{n}", "192.0.2.1").status_code == 200
    # Once the window has passed, the login may be tried again.
    db.session.execute(update(SignInThrottle).values(
        window_start=utcnow() - timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"])))
    db.session.commit()
    assert _sign_in(make_browser, "ladu", PASSWORD, "192.0.2.1").status_code == 302


def test_parallel_guesses_from_one_address_check_no_more_passwords_than_the_limit(
        app, make_browser, ladu, monkeypatch):
    checked = []
    real_verify = services.verify_password

    def counting_verify(password_hash, password):
        checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting_verify)
    guesses = 40
    browsers, tokens = [], []
    for _ in range(guesses):
        browser = make_browser()
        page = browser.client.get("/masuk", **_from("192.0.2.50")).get_data(as_text=True)
        browsers.append(browser)
        tokens.append(csrf_token(page))
    barrier = threading.Barrier(guesses)
    statuses = []

    def guess(n):
        barrier.wait(timeout=60)
        response = browsers[n].client.post("/masuk", data={
            "csrf_token": tokens[n], "login": "ladu", "password": f"tebakan-{n}"},
            **_from("192.0.2.50"))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert len(statuses) == guesses and all(s in (200, 429) for s in statuses), statuses
    assert statuses.count(200) == limit
    assert len(checked) == limit, checked


def test_wrong_current_passwords_are_throttled_too(browser, app, ladu):
    browser.login("ladu")
    before = reload(ladu).password_hash
    change = {"password": "ketan-manis-99", "confirm": "ketan-manis-99"}
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        wrong = browser.submit("/akun", {"current_password": f"bukan-{n}", **change})
        assert "Kata sandi lama salah." in text_of(wrong)
    refused = browser.submit("/akun", {"current_password": PASSWORD, **change})
    assert refused.status_code == 429 and TOO_MANY in text_of(refused)
    assert reload(ladu).password_hash == before


def test_a_right_current_password_is_not_held_against_its_owner(browser, app, ladu):
    browser.login("ladu")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        weak = browser.submit("/akun", {
            "current_password": PASSWORD, "password": "12345678", "confirm": "12345678"})
        assert "terlalu mudah ditebak" in text_of(weak)
    done = browser.submit("/akun", {
        "current_password": PASSWORD, "password": "ketan-manis-99", "confirm": "ketan-manis-99"})
    assert done.status_code == 302


def test_failures_are_counted_in_the_database_shared_by_workers(app, app_config, make_browser,
                                                                ladu):
    """Two app instances (as two gunicorn workers) count into the same rows."""
    other_worker = create_app(dict(app_config))
    workers = [app, other_worker]
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        client = workers[n % 2].test_client()
        page = client.get("/masuk", **_from("192.0.2.9")).get_data(as_text=True)
        client.post("/masuk", data={"csrf_token": csrf_token(page), "login": "ladu",
                                    "password": "keliru-terus"}, **_from("192.0.2.9"))
    client = other_worker.test_client()
    page = client.get("/masuk", **_from("192.0.2.9")).get_data(as_text=True)
    refused = client.post("/masuk", data={"csrf_token": csrf_token(page), "login": "ladu",
                                          "password": PASSWORD}, **_from("192.0.2.9"))
    assert refused.status_code == 429
    with other_worker.app_context():
        db.engine.dispose()


def test_inactive_account_cannot_sign_in(browser, ladu):
    ladu.active = False
    db.session.commit()
    assert browser.login("ladu").status_code == 200


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "/\r\n//evil.example", "\t//evil.example",
])
def test_next_never_leaves_the_site(browser, ladu, target):
    response = browser.submit("/masuk", {"login": "ladu", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beranda"


def test_next_on_the_site_is_followed(browser, ladu, app):
    page = browser.get("/akun")
    assert page.headers["Location"] == "/masuk?next=%2Fakun"
    login_page = browser.get("/masuk?next=/akun")
    assert 'value="/akun"' in login_page.get_data(as_text=True)
    response = browser.submit("/masuk", {"login": "ladu", "password": PASSWORD, "next": "/akun"})
    assert response.headers["Location"] == "/akun"


def test_login_without_csrf_token_is_refused(client, ladu):
    response = client.post("/masuk", data={"login": "ladu", "password": PASSWORD})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in text_of(response)
    assert client.get("/beranda").status_code == 302


def test_logout_without_csrf_token_is_refused(browser, ladu):
    browser.login("ladu")
    assert browser.client.post("/keluar").status_code == 400
    assert browser.get("/beranda").status_code == 200


def test_password_is_stored_as_argon2id(ladu):
    stored = db.session.scalar(select(User.password_hash).where(User.id == ladu.id))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.fixture
def behind_a_proxy(app_config):
    app_config["CRM_PROXIES"] = 1


def test_behind_a_proxy_each_visitor_is_counted_at_their_own_address(behind_a_proxy, app,
                                                                     make_browser, ladu):
    def sign_in(password, visitor):
        browser = make_browser()
        page = browser.client.get("/masuk", **_from("127.0.0.1")).get_data(as_text=True)
        return browser.client.post("/masuk", data={
            "csrf_token": csrf_token(page), "login": "ladu", "password": password},
            headers={"X-Forwarded-For": visitor}, **_from("127.0.0.1"))

    for n in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        sign_in(f"tebakan-{n}", "192.0.2.1")
    assert sign_in(PASSWORD, "192.0.2.1").status_code == 429
    assert sign_in(PASSWORD, "198.51.100.4").status_code == 302

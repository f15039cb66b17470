"""Signing in and out, sessions, throttling, redirects and CSRF, through the real forms."""

import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from crm import create_app
from crm.auth.models import User
from crm.auth.services import authenticate
from crm.dbtypes import utcnow
from crm.extensions import db
from tests import factories
from tests.helpers import PASSWORD, reload, text_of


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


@pytest.fixture
def counting(app_config):
    """Statement counts in the responses (``X-Query-Count``), set before the app is made."""
    app_config["QUERY_COUNT"] = True


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
    assert reload(ladu).failed_logins == 1


def test_unknown_account_gets_the_same_message(browser, app):
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


def test_account_locks_after_repeated_failures_even_for_the_right_password(browser, app, ladu):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        browser.login("ladu", "tebak-tebak")
    locked = reload(ladu)
    assert locked.locked_until is not None and locked.locked_until > utcnow()
    response = browser.login("ladu", PASSWORD)
    assert response.status_code == 200
    assert "Akun dikunci" in text_of(response)
    # Once the lock has run out the right password works again.
    locked.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert browser.login("ladu", PASSWORD).status_code == 302
    assert reload(ladu).failed_logins == 0


def test_failure_count_is_shared_between_workers(app, app_config, ladu):
    """Two app instances (as two gunicorn workers) count into the same database row."""
    other_worker = create_app(dict(app_config))
    for i in range(app.config["LOGIN_MAX_FAILURES"]):
        target = app if i % 2 else other_worker
        with target.app_context():
            authenticate("ladu", "keliru-terus")
            db.session.commit()
    with other_worker.app_context():
        assert authenticate("ladu", PASSWORD).locked
        db.session.remove()
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

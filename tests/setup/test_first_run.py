"""The first run: on a database without any account, the browser asks for the first
administrator; after that the page is gone."""

import threading

from sqlalchemy import select

from crm.auth.models import Role, User
from crm.extensions import db
from crm.setup.models import Installation
from tests import factories
from tests.helpers import PASSWORD, count, csrf_token, post_at_once, text_of

FIRST_ADMIN = {"full_name": "Bu Admin", "username": "admin", "phone": "0812-1111-2222",
               "password": PASSWORD, "confirm": PASSWORD}


def test_an_empty_installation_leads_to_the_first_run(browser):
    for url in ("/", "/masuk"):
        response = browser.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/pasang/mulai")
    page = browser.get("/pasang/mulai")
    assert page.status_code == 200
    assert "administrator" in text_of(page)


def test_the_first_administrator_is_made_in_the_browser_and_signed_in(browser, make_browser):
    refused = browser.submit("/pasang/mulai", {**FIRST_ADMIN, "confirm": "lain-lain-123"})
    assert refused.status_code == 200
    assert "tidak sama" in text_of(refused)
    assert count(User) == 0 and count(Installation) == 0

    response = browser.submit("/pasang/mulai", FIRST_ADMIN)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pasang/desa/baru")
    admin = db.session.scalar(select(User))
    assert (admin.username, admin.role, admin.village_id, admin.phone) == (
        "admin", Role.ADMIN, None, "6281211112222")
    assert db.session.get(Installation, 1).first_admin_id == admin.id
    # Signed in: the administrator's home is the village list.
    home = browser.get("/beranda")
    assert home.status_code == 302 and home.headers["Location"].endswith("/pasang/")
    assert "Desa baru" in text_of(browser.get("/pasang/"))
    # The page is gone for everyone, and the sign-in page is back.
    assert browser.get("/pasang/mulai").status_code == 404
    other = make_browser()
    assert other.get("/pasang/mulai").status_code == 404
    assert other.get("/masuk").status_code == 200
    assert other.login("admin").status_code == 302


def test_the_first_run_refuses_without_the_form_token(client):
    client.get("/pasang/mulai")
    assert client.post("/pasang/mulai", data=FIRST_ADMIN).status_code == 400
    assert count(User) == 0


def test_an_installation_with_accounts_has_no_first_run(browser):
    village = factories.village()
    factories.officer(village, username="kesra")
    assert browser.get("/pasang/mulai").status_code == 404
    assert browser.get("/masuk").status_code == 200
    assert browser.get("/").headers["Location"].endswith("/masuk")
    token_page = browser.get("/masuk").get_data(as_text=True)
    assert "csrf_token" in token_page
    response = browser.submit("/pasang/mulai", FIRST_ADMIN, page="/masuk")
    assert response.status_code == 404
    assert count(User, User.role == Role.ADMIN) == 0


def test_first_runs_sent_at_once_make_one_administrator(app, browser):
    responses = post_at_once(app, browser, "/pasang/mulai", FIRST_ADMIN, 4)
    assert count(User) == 1
    assert count(Installation) == 1
    statuses = sorted(r.status_code for r in responses)
    assert all(status < 500 for status in statuses), statuses
    made = [r for r in responses if r.headers.get("Location", "").endswith("/pasang/desa/baru")]
    assert len(made) == 1


def test_first_runs_with_different_names_at_once_make_one_administrator(app, make_browser):
    """Two people on two browsers, each with their own name: still one administrator."""
    browsers = [make_browser() for _ in range(3)]
    tokens = [csrf_token(b.get("/pasang/mulai").get_data(as_text=True)) for b in browsers]
    barrier = threading.Barrier(len(browsers))
    responses = []

    def send(i):
        barrier.wait(timeout=60)
        responses.append(browsers[i].client.post("/pasang/mulai", data={
            **FIRST_ADMIN, "username": f"admin{i}", "phone": "", "csrf_token": tokens[i]}))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(browsers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(responses) == len(browsers)
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    assert count(User) == 1 and count(Installation) == 1


def test_the_language_chosen_on_the_first_run_stays_with_the_administrator(browser):
    browser.submit("/bahasa", {"locale": "en", "next": "/pasang/mulai"}, page="/pasang/mulai")
    assert "Create the administrator" in text_of(browser.get("/pasang/mulai"))
    assert browser.submit("/pasang/mulai", FIRST_ADMIN).status_code == 302
    assert db.session.scalar(select(User.locale)) == "en"
    assert "New village" in text_of(browser.get("/pasang/"))

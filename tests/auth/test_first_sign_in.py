"""Accounts opened without a shared password: the owner chooses one through a
one-time link handed over by WhatsApp."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from crm.auth.models import User
from crm.auth.passwords import NO_PASSWORD
from crm.extensions import db
from tests import factories
from tests.helpers import Browser, reload, text_of


@pytest.fixture
def world(app):
    a, b = factories.village("Katapang"), factories.village("Sangkanhurip")
    return {
        "a": a, "b": b,
        "officer_a": factories.officer(a, username="kesra"),
        "officer_b": factories.officer(b, username="kesrab"),
        "group_a": factories.group(a, "Ladu Ketan RW 09"),
    }


def create_without_password(browser, world):
    browser.login("kesra")
    response = browser.submit("/pengguna/baru", {
        "role": "producer", "full_name": "Ibu Euis", "username": "euis",
        "phone": "0812 1111 2222", "village_id": world["a"].id,
        "group_id": world["group_a"].id, "partner_id": 0, "password": "",
    })
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = next(part.split('"')[0] for part in html.split('value="')[1:] if "/mulai/" in part)
    return response, urlparse(link).path


def test_an_account_opened_without_password_gets_a_link_sent_by_whatsapp(browser, world):
    response, path = create_without_password(browser, world)
    euis = db.session.scalar(select(User).where(User.username == "euis"))
    assert euis.password_hash == NO_PASSWORD
    assert path.startswith("/mulai/") and len(path) > 30
    # Only the link's hash is kept.
    assert path.rsplit("/", 1)[1] not in (euis.first_sign_in_hash or "")
    wa = next(a for a in response.get_data(as_text=True).split('href="') if a.startswith(
        "https://wa.me/6281211112222"))
    message = parse_qs(urlparse(wa.split('"')[0].replace("&amp;", "&")).query)["text"][0]
    assert path in message and "euis" in message


def test_the_owner_sets_a_password_once_and_signs_in(app, browser, world):
    _response, path = create_without_password(browser, world)
    owner = Browser(app.test_client())
    # No password works before the link is used.
    assert owner.login("euis", "").status_code == 200
    page = owner.get(path)
    assert page.status_code == 200 and "Ibu Euis" in text_of(page)
    weak = owner.submit(path, {"password": "123", "confirm": "123"})
    assert "minimal 8" in text_of(weak)
    done = owner.submit(path, {"password": "ladu ketan enak", "confirm": "ladu ketan enak"})
    assert done.status_code == 302
    assert owner.get("/beranda").status_code == 200
    euis = db.session.scalar(select(User).where(User.username == "euis"))
    assert euis.first_sign_in_hash is None and euis.password_hash != NO_PASSWORD
    # The link is used up; the password signs in from anywhere.
    again = Browser(app.test_client())
    assert again.get(path).status_code == 404
    assert again.login("6281211112222", "ladu ketan enak").status_code == 302


def test_a_new_link_voids_the_old_and_expired_links_fail(app, browser, world):
    _response, old_path = create_without_password(browser, world)
    euis = db.session.scalar(select(User).where(User.username == "euis"))
    renewed = browser.submit(f"/pengguna/{euis.id}/tautan", page=f"/pengguna/{euis.id}")
    new_link = next(p.split('"')[0] for p in renewed.get_data(as_text=True).split('value="')
                    if "/mulai/" in p.split('"')[0])
    new_path = urlparse(new_link).path
    visitor = app.test_client()
    assert visitor.get(old_path).status_code == 404
    assert visitor.get(new_path).status_code == 200
    euis = reload(euis)
    euis.first_sign_in_expires_at -= timedelta(days=15)
    db.session.commit()
    assert visitor.get(new_path).status_code == 404


def test_another_villages_officer_cannot_issue_a_link(browser, world):
    _response, _path = create_without_password(browser, world)
    euis = db.session.scalar(select(User).where(User.username == "euis"))
    browser.logout()
    browser.login("kesrab")
    assert browser.submit(f"/pengguna/{euis.id}/tautan", page="/beranda").status_code == 404
    assert reload(euis).first_sign_in_hash is not None


def test_unknown_tokens_answer_404(client, world):
    assert client.get("/mulai/" + "A" * 32).status_code == 404
    assert client.get("/mulai/" + "A" * 300).status_code == 404

"""Officers manage the accounts of their own villages only."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.extensions import db
from tests import factories
from tests.helpers import reload, text_of


@pytest.fixture
def world(app):
    a, b = factories.village("Katapang"), factories.village("Sangkanhurip")
    return {
        "a": a, "b": b,
        "officer_a": factories.officer(a, username="kesra"),
        "group_a": factories.group(a, "Ladu Ketan RW 09"),
        "group_b": factories.group(b, "Opak Sangkanhurip"),
        "reseller_b": factories.reseller(b, username="resellerb", full_name="Reseller Desa B"),
    }


def count_users():
    return db.session.scalar(select(func.count()).select_from(User))


def new_account(world, **overrides):
    data = {
        "role": "producer", "full_name": "Ibu Euis", "username": "euis",
        "phone": "0812 1111 2222", "village_id": world["a"].id,
        "group_id": world["group_a"].id, "partner_id": 0, "password": "ladu-ketan-enak",
    }
    data.update(overrides)
    return data


def test_officer_creates_a_producer_account(browser, world):
    browser.login("kesra")
    response = browser.submit("/pengguna/baru", new_account(world))
    assert response.status_code == 302
    euis = db.session.scalar(select(User).where(User.username == "euis"))
    assert euis.group_id == world["group_a"].id and euis.phone == "6281211112222"
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "user", AuditEntry.entity_id == euis.id)).actor_id == world[
        "officer_a"].id


def test_refused_account_keeps_what_was_typed_and_stores_nothing(browser, world):
    browser.login("kesra")
    before = count_users()
    response = browser.submit("/pengguna/baru", new_account(world, phone="12ab"))
    assert response.status_code == 200
    assert "Nomor HP tidak dikenali" in text_of(response)
    assert 'value="Ibu Euis"' in response.get_data(as_text=True)
    assert count_users() == before


def test_group_of_another_village_is_refused(browser, world):
    browser.login("kesra")
    before = count_users()
    response = browser.submit("/pengguna/baru", new_account(world, group_id=world["group_b"].id))
    assert response.status_code == 200
    assert count_users() == before


def test_village_outside_assignment_is_refused(browser, world):
    browser.login("kesra")
    before = count_users()
    response = browser.submit("/pengguna/baru", new_account(world, village_id=world["b"].id))
    assert response.status_code == 200
    assert count_users() == before


def test_extra_fields_are_ignored(browser, world):
    browser.login("kesra")
    browser.submit("/pengguna/baru", new_account(
        world, role="reseller", username="rina", phone="", group_id=0,
        active="0", failed_logins="9", session_token="x", village_ids=str(world["b"].id)))
    rina = db.session.scalar(select(User).where(User.username == "rina"))
    assert rina.active and rina.session_token != "x"
    assert rina.village_id == world["a"].id


def test_officer_does_not_see_other_villages_accounts(browser, world):
    browser.login("kesra")
    listing = text_of(browser.get("/pengguna"))
    assert "Reseller Desa B" not in listing
    other = world["reseller_b"].id
    assert browser.get(f"/pengguna/{other}").status_code == 404
    response = browser.submit(f"/pengguna/{other}/sandi", {"password": "baru-sekali-1"},
                              page="/pengguna")
    assert response.status_code == 404
    assert browser.submit(f"/pengguna/{other}/aktif", page="/pengguna").status_code == 404
    assert reload(world["reseller_b"]).active


def test_reset_password_and_deactivate_end_sessions(browser, make_browser, world):
    euis = factories.producer(world["a"], world["group_a"], username="euis")
    phone = make_browser()
    phone.login("euis")
    browser.login("kesra")
    browser.submit(f"/pengguna/{euis.id}/sandi", {"password": "ketan-baru-22"},
                   page=f"/pengguna/{euis.id}")
    assert phone.get("/beranda").status_code == 302
    assert make_browser().login("euis", "ketan-baru-22").status_code == 302
    browser.submit(f"/pengguna/{euis.id}/aktif", page=f"/pengguna/{euis.id}")
    assert not reload(euis).active
    assert make_browser().login("euis", "ketan-baru-22").status_code == 200


def test_other_roles_cannot_manage_accounts(browser, world):
    factories.reseller(world["a"], username="ka")
    browser.login("ka")
    assert browser.get("/pengguna").status_code == 403
    assert browser.get("/pengguna/baru").status_code == 403

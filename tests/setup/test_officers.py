"""The administrator makes officers without passwords: a one-time link by WhatsApp,
and their villages and areas."""

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.auth.models import Role, User
from crm.extensions import db
from tests import factories
from tests.helpers import PASSWORD, count, reload, text_of, user, whatsapp_message
from tests.setup.links import first_link, sign_in_first_time


@pytest.fixture
def world(app, make_browser):
    katapang = factories.village("Katapang", code="32.04.11.2002", letter_code="KTP")
    sangkan = factories.village("Sangkanhurip", code="32.04.11.2001", letter_code="SKH")
    factories.village("Cibiru", code="32.73.01.1001", kabupaten="Kota Bandung",
                      kecamatan="Cibiru", letter_code="CBR")
    factories.admin(username="admin")
    admin = make_browser()
    assert admin.login("admin").status_code == 302
    return {"katapang": katapang, "sangkan": sangkan, "admin": admin}


def _create(admin, village, **changes):
    return admin.submit("/pasang/petugas/baru", {
        "full_name": "Ibu Kesra", "username": "kesra.baru", "phone": "0812-3456-7890",
        "village_id": village.id, **changes})


def test_a_new_officer_gets_a_one_time_link_by_whatsapp(world, make_browser):
    response = _create(world["admin"], world["katapang"])
    assert response.status_code == 201
    officer = user("kesra.baru")
    assert (officer.role, officer.phone) == (Role.OFFICER, "6281234567890")
    assert [v.code for v in officer.assigned_villages] == ["32.04.11.2002"]
    link = first_link(response)
    phone, text = whatsapp_message(response)
    assert phone == "6281234567890" and link in text
    # No password: signing in with anything is refused.
    stranger = make_browser()
    assert stranger.login("kesra.baru", PASSWORD).status_code == 200
    # The link: choose a password, signed in at once, then sign in with it.
    newcomer = make_browser()
    assert sign_in_first_time(newcomer, link).status_code == 302
    assert newcomer.get("/beranda").status_code == 200
    newcomer.logout()
    assert newcomer.login("kesra.baru").status_code == 302
    # The link works once.
    again = make_browser()
    reused = again.get(link)
    assert reused.status_code == 404
    assert sign_in_first_time(again, link, "lain-sama-sekali-9").status_code in (400, 404)
    assert again.login("kesra.baru", "lain-sama-sekali-9").status_code == 200
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "user", AuditEntry.entity_id == officer.id)).all()
    assert "create" in actions and "first_sign_in_link" in actions


def test_a_fresh_link_voids_the_old_one(world, make_browser):
    first = first_link(_create(world["admin"], world["katapang"]))
    officer = user("kesra.baru")
    page = world["admin"].get(f"/pasang/petugas/{officer.id}")
    assert page.status_code == 200
    fresh = world["admin"].submit(f"/pasang/petugas/{officer.id}/tautan",
                                  page=f"/pasang/petugas/{officer.id}")
    second = first_link(fresh)
    assert second != first
    assert make_browser().get(first).status_code == 404
    assert sign_in_first_time(make_browser(), second).status_code == 302


def test_bad_officer_input_gets_a_message_and_makes_nothing(world):
    factories.officer(world["katapang"], username="kesra")
    before = count(User), count(AuditEntry)
    for changes, message in (
        ({"username": "kesra"}, "sudah dipakai"),
        ({"username": "Bukan Nama"}, "huruf kecil"),
        ({"full_name": ""}, "nama lengkap"),
        ({"phone": "123"}, "Nomor HP"),
        ({"village_id": "999999"}, "Pilih desa"),
        ({"village_id": "abc"}, ""),
    ):
        response = _create(world["admin"], world["katapang"], **changes)
        assert response.status_code == 200, changes
        assert message in text_of(response), changes
        assert (count(User), count(AuditEntry)) == before, changes


def test_scopes_are_set_on_the_officers_page_and_audited(world):
    _create(world["admin"], world["katapang"])
    officer = user("kesra.baru")
    url = f"/pasang/petugas/{officer.id}"
    page = text_of(world["admin"].get(url))
    # Areas are those of existing villages, shown with their names.
    assert "Kecamatan Katapang" in page and "32.04.11" in page
    assert "Kabupaten Bandung" in page and "Kota Bandung" in page
    response = world["admin"].submit(url, {
        "village_ids": [world["katapang"].id, world["sangkan"].id], "areas": ["32.73"]})
    assert response.status_code == 302
    officer = reload(officer)
    assert sorted(v.code for v in officer.assigned_villages) == ["32.04.11.2001",
                                                                 "32.04.11.2002"]
    assert [a.region_code for a in officer.areas] == ["32.73"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "scope"))
    assert entry.entity_id == officer.id
    assert entry.changes["areas"] == [[], ["32.73"]]

    for data, message in (
        ({"village_ids": [], "areas": []}, "minimal satu"),
        ({"village_ids": [], "areas": ["32.99"]}, "tidak dikenal"),
        ({"village_ids": [], "areas": ["32.04.11.2002"]}, "32.04.11"),
    ):
        before = count(AuditEntry)
        refused = world["admin"].submit(url, data)
        assert refused.status_code == 200 and message in text_of(refused), data
        assert count(AuditEntry) == before
        assert [a.region_code for a in reload(officer).areas] == ["32.73"]


def test_the_setup_pages_are_the_administrators(world, make_browser):
    factories.officer(world["katapang"], username="kesra")
    kesra = make_browser()
    kesra.login("kesra")
    for url in ("/pasang/", "/pasang/desa/baru", "/pasang/petugas", "/pasang/petugas/baru",
                f"/pasang/desa/{world['katapang'].id}/ubah"):
        assert kesra.get(url).status_code == 403, url
    officer = user("kesra")
    assert world["admin"].get(f"/pasang/petugas/{officer.id}").status_code == 200
    admin_id = user("admin").id
    assert world["admin"].get(f"/pasang/petugas/{admin_id}").status_code == 404

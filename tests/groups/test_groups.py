"""Producer groups: creating in the officer's own villages, scoping of profile and
edit, the producer editing their own group, input checks, halal warning, list counts."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.groups.services import create_group, halal_status
from crm.text.dates import today_in
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import csrf_token, reload, text_of


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    keripik = factories.group(b, "Keripik Singkong")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Sari")
    factories.producer(a, ladu, username="ladu2", full_name="Ibu Tini")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, keripik, username="keripik")
    factories.officer(a, username="kesra")
    factories.officer(b, username="kesra_b")
    factories.officer(a, b, username="camat")
    factories.reseller(a, username="ka")
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "keripik": keripik}


def group_data(**overrides):
    data = {
        "name": "Opak Ketan Mekarsari", "kind": "food",
        "description": "Opak ketan bakar, resep turun-temurun.",
        "chair_name": "Ibu Euis", "phone": "0812-3456-7890", "since_year": "2016",
        "dusun": "Mekarsari", "rw": "009", "rt": "03", "address": "Jl. Katapang No. 5",
        "bank_name": "BRI", "bank_account_number": "0123-01-000123-50-1",
        "bank_account_name": "Kelompok Opak Mekarsari", "nib": "9120001234567",
        "pirt_number": "2063204010123-27", "halal_number": "ID32110000123450324",
        "halal_expires_on": "2029-03-31", "notes": "",
    }
    data.update(overrides)
    return data


def group_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProducerGroup))


def snapshot(group) -> dict:
    fresh = reload(group)
    return {c.name: getattr(fresh, c.name) for c in ProducerGroup.__table__.columns}


def list_item(html: str, group) -> str:
    """Visible text of the list entry of ``group`` on the group list page."""
    match = re.search(rf'<li id="kelompok-{group.id}">(.*?)</li>', html, re.S)
    assert match, f"{group.name} not on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# --- creating -------------------------------------------------------------------------

def test_officer_creates_a_group_in_own_village(browser, world):
    browser.login("kesra")
    assert "Kelompok baru" in text_of(browser.get("/kelompok"))
    response = browser.submit("/kelompok/baru", group_data(village_id=str(world["a"].id)))
    assert response.status_code == 302
    group = db.session.scalar(
        select(ProducerGroup).where(ProducerGroup.name == "Opak Ketan Mekarsari"))
    assert response.headers["Location"].endswith(f"/kelompok/{group.id}")
    assert group.village_id == world["a"].id
    assert group.phone == "6281234567890"
    assert (group.rw, group.rt, group.since_year) == ("009", "03", 2016)
    assert group.bank_account_number == "012301000123501"
    assert group.nib == "9120001234567"
    assert group.halal_expires_on.isoformat() == "2029-03-31"
    audit = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "group", AuditEntry.entity_id == group.id))
    assert audit.action == "create" and audit.village_id == world["a"].id
    page = text_of(browser.get(response.headers["Location"]))
    for expected in ("Opak Ketan Mekarsari", "Makanan & minuman", "0812-3456-7890",
                     "RT 03/RW 009, Dusun Mekarsari, Desa Katapang", "Ibu Euis",
                     "012301000123501", "9120001234567", "2063204010123-27",
                     "31 Maret 2029", "sudah disimpan"):
        assert expected in page, expected


def test_village_outside_the_officers_scope_is_refused_and_nothing_stored(browser, world):
    browser.login("kesra")
    form_page = browser.get("/kelompok/baru").get_data(as_text=True)
    assert "Desa Katapang" in form_page and "Sangkanhurip" not in form_page
    for village_id in (str(world["b"].id), "999999", "abc", ""):
        response = browser.submit("/kelompok/baru", group_data(village_id=village_id))
        assert response.status_code == 200
        assert "Pilih salah satu desa wilayah tugas Anda." in text_of(response)
    assert group_count() == 3


def test_service_refuses_a_village_outside_scope_and_non_officers(world):
    kesra = db.session.scalar(select(User).where(User.username == "kesra"))
    ladu = db.session.scalar(select(User).where(User.username == "ladu"))
    with pytest.raises(RuleError) as refused:
        create_group(world["b"], {"name": "Di Luar Wilayah"}, actor=kesra)
    assert refused.value.field == "village_id"
    db.session.rollback()
    with pytest.raises(RuleError):
        create_group(world["a"], {"name": "Buatan Produsen"}, actor=ladu)
    db.session.rollback()
    assert group_count() == 3


def test_same_name_is_allowed_in_another_village(browser, world):
    browser.login("camat")
    response = browser.submit("/kelompok/baru", group_data(
        name="Ladu Ketan RW 09", village_id=str(world["b"].id)))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProducerGroup).where(
        ProducerGroup.name == "Ladu Ketan RW 09")) == 2


@pytest.mark.parametrize("fields, message", [
    ({"phone": "12345"}, "Nomor HP tidak dikenali. Contoh: 0812-3456-7890."),
    ({"phone": "0812-abcd-7890"}, "Nomor HP tidak dikenali."),
    ({"nib": "12345"}, "NIB harus 13 angka"),
    ({"nib": "91200012345678"}, "NIB harus 13 angka"),
    ({"nib": "912000123456X"}, "NIB harus 13 angka"),
    ({"name": "ladu ketan rw 09"}, "Desa ini sudah punya kelompok dengan nama itu."),
    ({"name": "Ladu Ketan RW 09"}, "Desa ini sudah punya kelompok dengan nama itu."),
    ({"name": ""}, "Isi nama kelompok."),
    ({"name": "x" * 121}, "Terlalu panjang: paling banyak 120 karakter."),
    ({"bank_account_number": "0123-ABC"}, "Nomor rekening hanya boleh berisi angka."),
    ({"since_year": "1949"}, "Tahun berdiri antara 1950 dan"),
    ({"since_year": "3000"}, "Tahun berdiri antara 1950 dan"),
    ({"since_year": "dulu"}, "Tulis tahun dengan angka"),
    ({"rw": "1234"}, "RW diisi angka saja, paling banyak 3 angka."),
    ({"rt": "3a"}, "RT diisi angka saja, paling banyak 3 angka."),
    ({"halal_expires_on": "31/12/2027"}, "Tulis tanggal yang benar"),
    ({"kind": "senjata"}, "Not a valid choice"),
    ({"chair_name": "Ibu\x00Euis"}, "karakter yang tidak diizinkan"),
])
def test_bad_input_gets_a_clear_error_and_stores_nothing(browser, world, fields, message):
    browser.login("kesra")
    response = browser.submit("/kelompok/baru", group_data(
        village_id=str(world["a"].id), **fields))
    assert response.status_code == 200
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert group_count() == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity == "group")) == 0


def test_reseller_and_producer_cannot_create_groups(browser, make_browser, world):
    browser.login("ka")
    assert browser.get("/kelompok/baru").status_code == 403
    assert browser.get("/kelompok").status_code == 403
    assert browser.get(f"/kelompok/{world['ladu'].id}").status_code == 403
    assert browser.get(f"/kelompok/{world['ladu'].id}/ubah").status_code == 403
    token = csrf_token(browser.get("/akun").get_data(as_text=True))
    posted = browser.client.post("/kelompok/baru", data={
        "csrf_token": token, **group_data(village_id=str(world["a"].id))})
    assert posted.status_code == 403
    producer = make_browser()
    producer.login("ladu")
    assert producer.get("/kelompok/baru").status_code == 403
    assert group_count() == 3


# --- scoping --------------------------------------------------------------------------

def test_officer_of_another_village_gets_404_and_changes_nothing(browser, world):
    ladu = world["ladu"]
    before = snapshot(ladu)
    browser.login("kesra_b")
    assert browser.get(f"/kelompok/{ladu.id}").status_code == 404
    assert browser.get(f"/kelompok/{ladu.id}/ubah").status_code == 404
    token = csrf_token(browser.get("/kelompok/baru").get_data(as_text=True))
    posted = browser.client.post(f"/kelompok/{ladu.id}/ubah", data={
        "csrf_token": token, **group_data(name="Diambil Alih")})
    assert posted.status_code == 404
    assert snapshot(ladu) == before
    listing = text_of(browser.get("/kelompok"))
    assert "Keripik Singkong" in listing and "Ladu Ketan" not in listing


def test_producer_edits_own_group_and_phone_is_normalised(browser, world):
    ladu = world["ladu"]
    browser.login("ladu")
    response = browser.get("/kelompok")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/kelompok/{ladu.id}")
    page = text_of(browser.get(f"/kelompok/{ladu.id}"))
    assert "Ubah profil" in page and "Kelompok baru" not in page
    response = browser.submit(f"/kelompok/{ladu.id}/ubah", group_data(
        name="Ladu Ketan RW 09", phone="+62 813 1234 5678", nib="9120 0012 34567"))
    assert response.status_code == 302
    fresh = reload(ladu)
    assert fresh.phone == "6281312345678"
    assert fresh.nib == "9120001234567"
    assert fresh.village_id == world["a"].id
    audit = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "group", AuditEntry.action == "update"))
    assert audit.entity_id == ladu.id
    assert audit.changes["phone"] == [None, "6281312345678"]
    assert audit.changes["halal_expires_on"] == [None, "2029-03-31"]
    page = text_of(browser.get(f"/kelompok/{ladu.id}"))
    assert "0813-1234-5678" in page and "Profil kelompok sudah disimpan." in page
    # The edit form shows what is stored, and sending it unchanged writes no audit row.
    assert 'value="0813-1234-5678"' in browser.get(f"/kelompok/{ladu.id}/ubah").get_data(
        as_text=True)
    browser.submit(f"/kelompok/{ladu.id}/ubah", group_data(
        name="Ladu Ketan RW 09", phone="0813-1234-5678", nib="9120001234567"))
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity == "group")) == 1


def test_producer_of_another_group_gets_404_and_changes_nothing(browser, world):
    ladu = world["ladu"]
    before = snapshot(ladu)
    browser.login("rajut")
    assert browser.get(f"/kelompok/{ladu.id}").status_code == 404
    assert browser.get(f"/kelompok/{ladu.id}/ubah").status_code == 404
    token = csrf_token(browser.get(f"/kelompok/{world['rajut'].id}/ubah").get_data(as_text=True))
    posted = browser.client.post(f"/kelompok/{ladu.id}/ubah", data={
        "csrf_token": token, **group_data(name="Diambil Alih", phone="0812-3456-7890")})
    assert posted.status_code == 404
    assert snapshot(ladu) == before


def test_bad_edit_shows_the_error_and_keeps_the_stored_profile(browser, world):
    rajut = world["rajut"]
    before = snapshot(rajut)
    browser.login("rajut")
    for fields, message in [
        ({"phone": "0000"}, "Nomor HP tidak dikenali."),
        ({"nib": "123"}, "NIB harus 13 angka"),
        ({"name": "Ladu Ketan RW 09"}, "Desa ini sudah punya kelompok dengan nama itu."),
    ]:
        response = browser.submit(f"/kelompok/{rajut.id}/ubah", group_data(**fields))
        assert response.status_code == 200
        assert message in text_of(response)
    assert snapshot(rajut) == before


# --- profile --------------------------------------------------------------------------

@pytest.mark.parametrize("days, expected, absent", [
    (-1, "Sertifikat halal sudah lewat masa berlaku", "habis dalam 30 hari"),
    (0, "Sertifikat halal habis dalam 30 hari", "sudah lewat masa berlaku"),
    (30, "Sertifikat halal habis dalam 30 hari", "sudah lewat masa berlaku"),
    (31, None, "Sertifikat halal"),
])
def test_halal_expiry_warning(browser, world, days, expected, absent):
    ladu = world["ladu"]
    ladu.halal_number = "ID32110000123450324"
    ladu.halal_expires_on = today_in() + timedelta(days=days)
    db.session.commit()
    browser.login("kesra")
    page = text_of(browser.get(f"/kelompok/{ladu.id}"))
    if expected:
        assert expected in page
    assert absent not in page


def test_halal_status_rule():
    today = today_in()
    assert halal_status(None, today) is None
    assert halal_status(today - timedelta(days=1), today) == "expired"
    assert halal_status(today + timedelta(days=30), today) == "expiring"
    assert halal_status(today + timedelta(days=31), today) is None


def test_profile_lists_members_products_and_actions(browser, world):
    ladu = world["ladu"]
    ladu.phone = "6281234567890"
    db.session.commit()
    original = factories.product(ladu, "Ladu Ketan Original")
    factories.product(ladu, "Ladu Lama", active=False)
    factories.product(world["rajut"], "Tas Rajut Mini")
    browser.login("ladu")
    response = browser.get(f"/kelompok/{ladu.id}")
    html, page = response.get_data(as_text=True), text_of(response)
    assert "Ibu Sari" in page and "Ibu Tini" in page
    assert "Ladu Ketan Original" in page and "Ladu Lama" in page
    assert "Tas Rajut Mini" not in page
    assert f'href="/produk/{original.id}"' in html
    assert f'href="/kelompok/{ladu.id}/produk/baru"' in html
    assert f'href="/kelompok/{ladu.id}/ubah"' in html
    assert "0812-3456-7890" in page and 'href="https://wa.me/6281234567890"' in html


# --- list -----------------------------------------------------------------------------

def test_list_counts_products_and_members(browser, world):
    for name in ("Ladu Original", "Ladu Wijen"):
        factories.product(world["ladu"], name)
    factories.product(world["ladu"], "Ladu Lama", active=False)
    factories.product(world["keripik"], "Keripik Pedas")
    browser.login("camat")
    html = browser.get("/kelompok").get_data(as_text=True)
    assert "3 produk · 2 anggota" in list_item(html, world["ladu"])
    assert "0 produk · 1 anggota" in list_item(html, world["rajut"])
    assert "1 produk · 1 anggota" in list_item(html, world["keripik"])
    assert "Kerajinan" in list_item(html, world["rajut"])
    assert "Desa Sangkanhurip" in list_item(html, world["keripik"])


def test_officer_with_several_villages_filters_by_village(browser, world):
    browser.login("camat")
    every = text_of(browser.get("/kelompok"))
    assert "Ladu Ketan RW 09" in every and "Keripik Singkong" in every
    only_b = text_of(browser.get(f"/kelompok?desa={world['b'].id}"))
    assert "Keripik Singkong" in only_b and "Ladu Ketan" not in only_b
    browser.logout()
    browser.login("kesra")
    # A village outside the officer's scope shows nothing, not another village's groups.
    assert "Keripik Singkong" not in text_of(browser.get(f"/kelompok?desa={world['b'].id}"))


def test_list_query_count_does_not_grow_with_groups(browser, world):
    browser.login("camat")
    statements = []

    def count(*args):
        statements.append(args[2])

    def queries_for_list() -> int:
        statements.clear()
        event.listen(Engine, "before_cursor_execute", count)
        try:
            assert browser.get("/kelompok").status_code == 200
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        return len(statements)

    few = queries_for_list()
    for n in range(6):
        g = factories.group(world["a" if n % 2 else "b"], f"Kelompok Tambahan {n}")
        factories.product(g, f"Produk Tambahan {n}")
        factories.producer(world["a" if n % 2 else "b"], g)
    assert queries_for_list() == few


def test_list_is_paginated(browser, world):
    browser.client.application.config["PAGE_SIZE"] = 2
    browser.login("camat")
    first = text_of(browser.get("/kelompok"))
    second = text_of(browser.get("/kelompok?page=2"))
    assert "Halaman 1 dari 2" in first
    names = ("Keripik Singkong", "Ladu Ketan RW 09", "Tas Rajut RW 09")
    assert [n for n in names if n in first] == ["Keripik Singkong", "Ladu Ketan RW 09"]
    assert [n for n in names if n in second] == ["Tas Rajut RW 09"]

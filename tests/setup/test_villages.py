"""The administrator sets up villages in the browser: what a new village starts with,
who sees it, and what bad input gets."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.catalog.models import Product
from crm.documents.models import DocumentCounter
from crm.documents.numbering import KINDS
from crm.events.models import SpendingCeiling
from crm.events.spending_ceilings import set_spending_ceiling
from crm.extensions import db
from crm.text.dates import today_in
from crm.villages.models import Village
from tests import factories
from tests.helpers import count, count_queries, csv_rows, reload, text_of, user
from tests.setup.links import first_link, sign_in_first_time

NEW_VILLAGE = {
    "code": "32.04.11.2005", "name": "Cilampeni", "kecamatan": "Katapang",
    "kabupaten": "Kabupaten Bandung", "provinsi": "Jawa Barat", "timezone": "Asia/Jakarta",
    "letter_code": "clp", "institution_name": "", "address": "Jl. Cilampeni No. 1",
    "phone": "022-5891111", "email": "desa@cilampeni.example.id", "head_name": "H. Ujang",
    "head_title": "Kepala Desa",
}


@pytest.fixture
def world(app, make_browser):
    katapang = factories.village("Katapang", code="32.04.11.2002", letter_code="KTP")
    elsewhere = factories.village("Cibiru", code="32.73.01.1001", kabupaten="Kota Bandung",
                                  letter_code="CBR")
    factories.officer(katapang, username="kesra")
    factories.officer(elsewhere, username="kesra2")
    factories.admin(username="admin")
    admin = make_browser()
    assert admin.login("admin").status_code == 302
    return {"katapang": katapang, "elsewhere": elsewhere, "admin": admin}


def _create(browser, **changes):
    return browser.submit("/pasang/desa/baru", {**NEW_VILLAGE, **changes})


def _new_village():
    return db.session.scalar(select(Village).where(Village.code == NEW_VILLAGE["code"]))


def test_a_village_made_in_the_browser_has_its_details_and_an_audit_entry(world):
    response = _create(world["admin"])
    assert response.status_code == 302
    village = _new_village()
    assert response.headers["Location"].endswith(f"/pasang/desa/{village.id}")
    assert (village.name, village.letter_code, village.timezone, village.head_name,
            village.phone, village.institution_name) == (
        "Cilampeni", "CLP", "Asia/Jakarta", "H. Ujang", "62225891111",
        "Pemerintah Desa Cilampeni")
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "village", AuditEntry.entity_id == village.id))
    assert entry.action == "create" and entry.actor_id == user("admin").id
    # This year's letter counters, one per kind, each at 0; the catalogue is empty.
    counters = db.session.scalars(select(DocumentCounter).where(
        DocumentCounter.village_id == village.id)).all()
    assert sorted(c.kind for c in counters) == sorted(KINDS)
    assert {(c.year, c.last) for c in counters} == {(today_in().year, 0)}
    assert count(Product, Product.village_id == village.id) == 0
    assert "Cilampeni" in text_of(world["admin"].get("/pasang/"))


def test_a_new_village_takes_this_years_ceilings_of_its_kabupaten(world):
    year = today_in().year
    katapang, elsewhere = world["katapang"], world["elsewhere"]
    set_spending_ceiling(katapang, year, "snack", 20_000, None)
    set_spending_ceiling(katapang, year, "meal", 50_000, None)
    set_spending_ceiling(katapang, year - 1, "snack", 15_000, None)
    set_spending_ceiling(elsewhere, year, "snack", 99_000, None)  # another Kabupaten
    db.session.commit()
    assert _create(world["admin"]).status_code == 302
    village = _new_village()
    rows = db.session.scalars(select(SpendingCeiling).where(
        SpendingCeiling.village_id == village.id).order_by(SpendingCeiling.kind)).all()
    assert [(r.year, r.kind, r.amount) for r in rows] == [
        (year, "meal", 50_000), (year, "snack", 20_000)]


def test_a_village_of_a_kabupaten_without_ceilings_starts_without(world):
    assert _create(world["admin"], code="32.05.01.2001").status_code == 302
    village = db.session.scalar(select(Village).where(Village.code == "32.05.01.2001"))
    assert count(SpendingCeiling, SpendingCeiling.village_id == village.id) == 0


@pytest.mark.parametrize("changes, message", [
    ({"code": "32.04.11.5005"}, "32.04.11.2002"),
    ({"code": "3204112005"}, "32.04.11.2002"),
    ({"code": "32.04.11.2002"}, "sudah ada"),
    ({"letter_code": "K1"}, "huruf besar"),
    ({"letter_code": "K"}, "huruf besar"),
    ({"timezone": "Europe/Paris"}, "WIB"),
    ({"name": "  "}, "Isi nama desa"),
    ({"email": "bukan-email"}, "email"),
    ({"phone": "12"}, "Nomor HP"),
])
def test_bad_input_gets_a_message_and_makes_nothing(world, changes, message):
    before = count(Village), count(AuditEntry)
    response = _create(world["admin"], **changes)
    assert response.status_code == 200
    assert message in text_of(response)
    assert (count(Village), count(AuditEntry)) == before


def test_a_village_is_invisible_to_other_officers_and_visible_to_its_kecamatan(
        world, make_browser):
    admin = world["admin"]
    assert _create(admin).status_code == 302
    village = _new_village()
    kesra = make_browser()
    kesra.login("kesra")
    for url in (f"/pasang/desa/{village.id}", f"/desa/{village.id}"):
        assert kesra.get(url).status_code == 404
    # An officer of the Kecamatan, set up on the administrator's pages.
    created = admin.submit("/pasang/petugas/baru", {
        "full_name": "Pak Camat", "username": "camat.kec", "phone": "",
        "village_id": world["elsewhere"].id})
    assert created.status_code == 201
    camat = user("camat.kec")
    scoped = admin.submit(f"/pasang/petugas/{camat.id}",
                          {"village_ids": [], "areas": ["32.04.11"]})
    assert scoped.status_code == 302
    assert [a.region_code for a in reload(camat).areas] == ["32.04.11"]
    assert reload(camat).assigned_villages == []
    camat_browser = make_browser()
    assert sign_in_first_time(camat_browser, first_link(created)).status_code == 302
    page = camat_browser.get(f"/pasang/desa/{village.id}")
    assert page.status_code == 200 and "Cilampeni" in text_of(page)
    assert camat_browser.get(f"/desa/{village.id}").status_code == 200
    # It is in the Kecamatan's view, page and export.
    assert "Cilampeni" in text_of(camat_browser.get("/laporan/wilayah"))
    assert any(row[3] == "Cilampeni"
               for row in csv_rows(camat_browser.get("/laporan/wilayah.csv")))
    assert "Cilampeni" not in text_of(kesra.get("/laporan/wilayah"))
    # Not the other Kabupaten's village any more.
    assert camat_browser.get(f"/desa/{world['elsewhere'].id}").status_code == 404
    # Nor for the officer of the other Kabupaten.
    kesra2 = make_browser()
    kesra2.login("kesra2")
    assert kesra2.get(f"/pasang/desa/{village.id}").status_code == 404


def test_the_administrator_edits_a_village(world):
    admin = world["admin"]
    katapang = world["katapang"]
    page = admin.get(f"/pasang/desa/{katapang.id}/ubah")
    assert page.status_code == 200 and "32.04.11.2002" in text_of(page)
    values = {**NEW_VILLAGE, "name": "Katapang", "letter_code": "KTP",
              "institution_name": "Pemerintah Desa Katapang", "head_name": "Hj. Euis",
              "timezone": "Asia/Makassar"}
    values.pop("code")
    response = admin.submit(f"/pasang/desa/{katapang.id}/ubah", values)
    assert response.status_code == 302
    village = reload(katapang)
    assert (village.head_name, village.timezone, village.code) == (
        "Hj. Euis", "Asia/Makassar", "32.04.11.2002")
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "village", AuditEntry.action == "update"))
    assert entry.changes["head_name"][1] == "Hj. Euis"
    # A code sent anyway is not taken.
    admin.submit(f"/pasang/desa/{katapang.id}/ubah", {**values, "code": "32.04.11.2999"})
    assert reload(katapang).code == "32.04.11.2002"
    bad = admin.submit(f"/pasang/desa/{katapang.id}/ubah", {**values, "timezone": "UTC"})
    assert bad.status_code == 200 and reload(katapang).timezone == "Asia/Makassar"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (22, 101, 52)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_administrator_completes_the_letterhead_with_a_logo(world):
    admin = world["admin"]
    assert _create(admin).status_code == 302
    village = _new_village()
    checklist_page = text_of(admin.get(f"/pasang/desa/{village.id}"))
    assert "Belum Kop surat lengkap" in " ".join(checklist_page.split())
    values = {**NEW_VILLAGE, "institution_name": "Pemerintah Desa Cilampeni",
              "logo": (io.BytesIO(_png()), "logo.png")}
    values.pop("code")
    response = admin.submit(f"/pasang/desa/{village.id}/ubah", values,
                            content_type="multipart/form-data")
    assert response.status_code == 302
    assert reload(village).logo_filename
    checklist_page = " ".join(text_of(admin.get(f"/pasang/desa/{village.id}")).split())
    assert "Sudah Kop surat lengkap" in checklist_page


def test_the_village_list_takes_the_same_statements_for_more_villages(app, world):
    admin = world["admin"]
    few = count_queries(app, admin.client, "/pasang/")
    for n in range(8):
        factories.village(code=f"32.04.12.{2001 + n}")
    page = admin.get("/pasang/")
    assert text_of(page).count("dari 6 siap") == 10
    assert count_queries(app, admin.client, "/pasang/") == few

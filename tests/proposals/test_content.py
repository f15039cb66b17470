"""Writing a proposal: the form, the RAB with exact totals, the requested amount
within the RAB, KUR ceilings and NPWP warnings, the checklist pre-ticked from the
group's profile, double submits and fields a form does not have."""

import re

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.proposals.checks import kur_scheme_for
from crm.proposals.models import BudgetLine, ChecklistItem, Proposal
from tests.helpers import count, form_token, reload, text_of
from tests.proposals.conftest import LINES_TOTAL, make_proposal, user


def form_data(**changes) -> dict:
    """The proposal form as a person fills it in."""
    base = {
        "funder_kind": "dinas_koperasi",
        "funder_name": "Kepala Dinas Koperasi dan UMKM Kabupaten Bandung",
        "funder_address": "Jl. Raya Soreang No. 1", "kur_scheme": "",
        "title": "Penambahan alat produksi ladu ketan",
        "background": "Usaha sejak 1999.", "aims": "Menambah kapasitas.",
        "activities": "Membeli kompor.", "closing": "", "requested_amount": "",
        "chair_name": "Ibu Euis Sumiati", "secretary_name": "Ibu Neneng",
        "treasurer_name": "Ibu Tati", "evidence_months": "12",
    }
    return base | changes


def create(browser, **changes):
    html = browser.get("/proposal/baru").get_data(as_text=True)
    data = form_data(form_token=form_token(html), **changes)
    return browser.submit("/proposal/baru", data)


def only_proposal() -> Proposal:
    db.session.expire_all()
    return db.session.scalars(select(Proposal)).one()


# --- creating ---------------------------------------------------------------------


def test_producer_creates_a_draft_for_their_group_with_chair_from_profile(browser, world):
    browser.login("ladu")
    page = browser.get("/proposal/baru")
    assert page.status_code == 200
    assert 'value="Ibu Euis Sumiati"' in page.get_data(as_text=True)
    response = create(browser, chair_name="", requested_amount="Rp 5.000.000")
    proposal = only_proposal()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposal/{proposal.id}/rab")
    assert (proposal.status, proposal.group_id, proposal.village_id) == (
        "draft", world["ladu"].id, world["a"].id)
    assert proposal.chair_name == "Ibu Euis Sumiati"
    assert proposal.requested_amount == 5_000_000
    assert proposal.created_by_id == user("ladu").id
    audit = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal.id)).all()
    assert [a.action for a in audit] == ["create"]


def test_officer_creates_for_a_group_of_their_village_only(browser, world):
    browser.login("kesra")
    page = text_of(browser.get("/proposal/baru"))
    assert "Ladu Ketan RW 09" in page and "Opak Sangkanhurip" not in page
    response = create(browser, group_id=str(world["opak"].id))
    assert response.status_code == 200
    assert "Pilih kelompok." in text_of(response)
    assert count(Proposal) == 0
    response = create(browser, group_id=str(world["rajut"].id))
    assert response.status_code == 302
    proposal = only_proposal()
    assert proposal.group_id == world["rajut"].id
    assert proposal.created_by_id == user("kesra").id


def test_resent_form_creates_nothing_new(browser, world):
    browser.login("ladu")
    html = browser.get("/proposal/baru").get_data(as_text=True)
    data = form_data(form_token=form_token(html))
    first = browser.submit("/proposal/baru", data)
    again = browser.submit("/proposal/baru", data)
    assert first.status_code == again.status_code == 302
    assert count(Proposal) == 1
    assert count(ChecklistItem) == 8


def test_extra_fields_in_the_request_are_ignored(browser, world):
    browser.login("ladu")
    extra = {"status": "approved", "group_id": str(world["opak"].id),
             "village_id": str(world["b"].id), "approved_amount": "9.000.000",
             "created_by_id": str(user("kesra").id), "officer_comment": "OK"}
    create(browser, **extra)
    proposal = only_proposal()
    assert (proposal.status, proposal.group_id, proposal.village_id) == (
        "draft", world["ladu"].id, world["a"].id)
    assert proposal.approved_amount is None and proposal.officer_comment == ""
    assert proposal.created_by_id == user("ladu").id
    response = browser.submit(f"/proposal/{proposal.id}/ubah",
                              form_data(title="Judul baru", **extra))
    assert response.status_code == 302
    proposal = reload(proposal)
    assert proposal.title == "Judul baru"
    assert (proposal.status, proposal.group_id, proposal.village_id) == (
        "draft", world["ladu"].id, world["a"].id)
    assert proposal.approved_amount is None and proposal.officer_comment == ""


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Isi judul proposal."),
    ({"funder_name": "  "}, "Isi nama pemberi dana"),
    ({"funder_kind": "kur", "kur_scheme": ""}, "Pilih skema KUR."),
    ({"requested_amount": "-5.000"}, "Jumlah tidak boleh negatif."),
    ({"requested_amount": "NaN"}, "Tulis jumlah rupiah dengan angka"),
    ({"requested_amount": "1,5"}, "Tulis jumlah rupiah tanpa sen"),
    ({"requested_amount": "99999999999999"}, "Jumlah terlalu besar."),
    ({"title": "x" * 201}, "Terlalu panjang: paling banyak 200 karakter."),
    ({"background": "a\x00b"}, "Teks berisi karakter yang tidak diizinkan."),
])
def test_bad_input_is_refused_with_a_clear_message(browser, world, changes, message):
    browser.login("ladu")
    response = create(browser, **changes)
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(Proposal) == 0


def test_resellers_and_partners_get_403(browser, world, make_browser):
    proposal = make_proposal(world)
    for username in ("ka", "pemdes"):
        other = make_browser()
        other.login(username)
        for url in ("/proposal/", "/proposal/baru", f"/proposal/{proposal.id}",
                    f"/proposal/{proposal.id}/proposal.pdf"):
            assert other.get(url).status_code == 403, (username, url)


# --- RAB ----------------------------------------------------------------------------


def rab_rows(*rows) -> dict:
    """The "add lines" form with ``rows`` filled in (the others left empty)."""
    data = {}
    for n in range(3):
        item, volume, unit, price = rows[n] if n < len(rows) else ("", "", "", "")
        data |= {f"lines-{n}-item": item, f"lines-{n}-volume": volume,
                 f"lines-{n}-unit": unit, f"lines-{n}-unit_price": price}
    return data


def test_rab_totals_are_exact_whole_rupiah(browser, world):
    proposal = make_proposal(world, lines=None)
    browser.login("ladu")
    url = f"/proposal/{proposal.id}/rab"
    response = browser.submit(url, rab_rows(("Kompor gas", "3", "unit", "Rp 1.250.000"),
                                            ("Kemasan mika", "7", "pak", "333.333")),
                              follow_redirects=True)
    page = text_of(response)
    assert "2 baris RAB ditambahkan. Total RAB Rp 6.083.331." in page
    lines = db.session.scalars(select(BudgetLine).order_by(BudgetLine.position)).all()
    assert [(ln.item, ln.volume, ln.unit, ln.unit_price) for ln in lines] == [
        ("Kompor gas", 3, "unit", 1_250_000), ("Kemasan mika", 7, "pak", 333_333)]
    assert sum(ln.total for ln in lines) == LINES_TOTAL
    assert "Rp 3.750.000" in page and "Rp 2.333.331" in page
    # An empty requested amount follows the RAB total.
    assert reload(proposal).requested_amount == LINES_TOTAL
    browser.submit(url, rab_rows(("Timbangan", "1", "unit", "1.500.000")))
    assert db.session.scalar(select(BudgetLine.unit_price).where(
        BudgetLine.item == "Timbangan")) == 1_500_000
    assert reload(proposal).requested_amount == LINES_TOTAL + 1_500_000
    assert reload(proposal).budget_total == 7_583_331


@pytest.mark.parametrize("row, message", [
    (("Kompor", "2", "unit", "-5"), "Jumlah tidak boleh negatif."),
    (("Kompor", "2", "unit", "NaN"), "Tulis jumlah rupiah dengan angka"),
    (("Kompor", "2", "unit", "Infinity"), "Tulis jumlah rupiah dengan angka"),
    (("Kompor", "2", "unit", "1.250.000,50"), "Tulis jumlah rupiah tanpa sen"),
    (("Kompor", "2", "unit", "99999999999999"), "Jumlah terlalu besar."),
    (("Kompor", "-1", "unit", "10.000"), "Volume 1 sampai 1000000."),
    (("Kompor", "0", "unit", "10.000"), "Volume 1 sampai 1000000."),
    (("Kompor", "1e3", "unit", "10.000"), "Tulis jumlah dengan angka"),
    (("Kompor", "NaN", "unit", "10.000"), "Tulis jumlah dengan angka"),
    (("", "2", "unit", "10.000"), "Baris 1: Isi uraian barang atau kegiatan."),
    (("Kompor", "", "unit", "10.000"), "Baris 1: Volume 1 sampai 1000000."),
    (("Kompor", "2", "unit", ""), "Baris 1: Isi harga satuan."),
    (("Kompor", "1000000", "unit", "1.000.000.000.000"),
     "Baris 1: Jumlah baris ini terlalu besar."),
    (("", "", "", ""), "Isi paling sedikit satu baris"),
])
def test_bad_rab_rows_are_refused_and_nothing_is_stored(browser, world, row, message):
    proposal = make_proposal(world, lines=None)
    browser.login("ladu")
    response = browser.submit(f"/proposal/{proposal.id}/rab", rab_rows(row))
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(BudgetLine) == 0


def test_rab_line_edit_and_delete(browser, world):
    proposal = make_proposal(world)
    line = db.session.scalars(select(BudgetLine).order_by(BudgetLine.id)).first()
    browser.login("ladu")
    url = f"/proposal/{proposal.id}/rab/{line.id}"
    response = browser.submit(url, {"item": "Kompor 3 tungku", "volume": "2", "unit": "unit",
                                    "unit_price": "abc"})
    assert "Tulis jumlah rupiah dengan angka" in text_of(response)
    assert reload(line).unit_price == 1_250_000
    browser.submit(url, {"item": "Kompor 3 tungku", "volume": "2", "unit": "unit",
                         "unit_price": "2.000.000"})
    assert (reload(line).item, reload(line).volume, reload(line).unit_price) == (
        "Kompor 3 tungku", 2, 2_000_000)
    # The requested amount was the RAB total, so it still is.
    assert reload(proposal).requested_amount == 4_000_000 + 2_333_331
    response = browser.submit(f"/proposal/{proposal.id}/rab/{line.id}/hapus", {},
                              page=f"/proposal/{proposal.id}/rab", follow_redirects=True)
    assert "Baris RAB dihapus. Total RAB Rp 2.333.331." in text_of(response)
    assert count(BudgetLine) == 1
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "proposal").order_by(AuditEntry.id)).all()
    assert "update_budget_line" in actions and "delete_budget_line" in actions


def test_rab_of_another_proposal_answers_404(browser, world):
    mine = make_proposal(world)
    other = make_proposal(world, group="rajut", actor="rajut")
    line = db.session.scalars(select(BudgetLine).where(
        BudgetLine.proposal_id == other.id)).first()
    browser.login("ladu")
    assert browser.get(f"/proposal/{mine.id}/rab/{line.id}").status_code == 404
    response = browser.submit(f"/proposal/{mine.id}/rab/{line.id}/hapus", {},
                              page=f"/proposal/{mine.id}/rab")
    assert response.status_code == 404
    assert reload(line) is not None


# --- requested amount against the RAB ----------------------------------------------------


def test_requested_amount_above_rab_total_is_refused(browser, world):
    proposal = make_proposal(world)
    browser.login("ladu")
    url = f"/proposal/{proposal.id}/ubah"
    response = browser.submit(url, form_data(requested_amount="6.083.332"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Jumlah permohonan Rp 6.083.332 melebihi total RAB Rp 6.083.331" in page
    assert "selisih Rp 1" in page
    assert reload(proposal).requested_amount == LINES_TOTAL
    response = browser.submit(url, form_data(requested_amount="5.000.000"))
    assert response.status_code == 302
    assert reload(proposal).requested_amount == 5_000_000
    detail = text_of(browser.get(f"/proposal/{proposal.id}"))
    assert "Rp 1.083.331" in detail and "swadaya kelompok" in detail
    browser.submit(url, form_data(requested_amount=""))
    assert reload(proposal).requested_amount == LINES_TOTAL


def test_rab_shrunk_below_the_request_is_shown_and_blocks_submitting(browser, world):
    proposal = make_proposal(world, lines=None, requested_amount=25_000_000)
    browser.login("ladu")
    browser.submit(f"/proposal/{proposal.id}/rab",
                   rab_rows(("Kompor gas", "3", "unit", "1.250.000")))
    page = text_of(browser.get(f"/proposal/{proposal.id}"))
    assert "Jumlah permohonan Rp 25.000.000 melebihi total RAB Rp 3.750.000" in page
    response = browser.submit(f"/proposal/{proposal.id}/langkah/ajukan", {},
                              page=f"/proposal/{proposal.id}", follow_redirects=True)
    assert "melebihi total RAB" in text_of(response)
    assert reload(proposal).status == "draft"


# --- KUR and NPWP -------------------------------------------------------------------


@pytest.mark.parametrize("amount, scheme", [
    (1, "super_mikro"), (10_000_000, "super_mikro"), (10_000_001, "mikro"),
    (100_000_000, "mikro"), (100_000_001, "kecil"), (500_000_000, "kecil"),
    (500_000_001, None), (0, None),
])
def test_kur_scheme_for_each_boundary(app, amount, scheme):
    assert kur_scheme_for(amount) == scheme


@pytest.mark.parametrize("scheme, amount, warning", [
    ("super_mikro", "10.000.000", None),
    ("super_mikro", "10.000.001", "Skema yang sesuai: KUR Mikro"),
    ("mikro", "10.000.000", "Skema yang sesuai: KUR Super Mikro"),
    ("mikro", "10.000.001", None),
    ("mikro", "100.000.000", None),
    ("mikro", "100.000.001", "Skema yang sesuai: KUR Kecil"),
    ("kecil", "100.000.000", "Skema yang sesuai: KUR Mikro"),
    ("kecil", "100.000.001", None),
    ("kecil", "500.000.000", None),
    ("kecil", "500.000.001", "di atas batas KUR (paling banyak Rp 500.000.000)"),
])
def test_kur_ceilings_warn_but_the_proposal_is_saved(browser, world, scheme, amount, warning):
    world["ladu"].npwp = "12.345.678.9-012.000"
    db.session.commit()
    browser.login("ladu")
    response = create(browser, funder_kind="kur", kur_scheme=scheme,
                      funder_name="Pimpinan Bank BRI Unit Katapang", requested_amount=amount)
    assert response.status_code == 302
    proposal = only_proposal()
    assert proposal.kur_scheme == scheme
    assert proposal.requested_amount == int(amount.replace(".", ""))
    page = text_of(browser.get(f"/proposal/{proposal.id}"))
    if warning is None:
        assert "Perhatian" not in page
    else:
        assert warning in page and "Proposal tetap disimpan." in page


def test_kur_scheme_is_dropped_for_other_funders(browser, world):
    browser.login("ladu")
    create(browser, funder_kind="csr", kur_scheme="mikro", requested_amount="20.000.000")
    proposal = only_proposal()
    assert proposal.kur_scheme is None


def test_npwp_is_asked_for_above_50_juta(browser, world):
    browser.login("ladu")
    create(browser, requested_amount="50.000.000")
    proposal = only_proposal()
    npwp = db.session.scalar(select(ChecklistItem).where(ChecklistItem.key == "npwp"))
    assert npwp.not_needed and not npwp.present
    assert "memerlukan NPWP" not in text_of(browser.get(f"/proposal/{proposal.id}"))
    browser.submit(f"/proposal/{proposal.id}/ubah", form_data(requested_amount="50.000.001"))
    npwp = reload(npwp)
    assert not npwp.not_needed and not npwp.present
    response = browser.get(f"/proposal/{proposal.id}")
    assert "Permohonan di atas Rp 50.000.000 memerlukan NPWP." in text_of(response)
    assert missing_box(response).endswith("NPWP")


# --- checklist ----------------------------------------------------------------------


def states(proposal) -> dict:
    db.session.expire_all()
    return {i.key: ("present" if i.present else "not_needed" if i.not_needed else "missing")
            for i in db.session.scalars(select(ChecklistItem).where(
                ChecklistItem.proposal_id == proposal.id))}


def test_checklist_is_pre_ticked_from_the_group_profile(world):
    food = make_proposal(world)
    assert states(food) == {
        "nib_or_sku": "present", "pirt": "present", "halal": "present",
        "ktp_officers": "missing", "village_decree": "missing",
        "officer_structure": "missing", "photos": "missing", "npwp": "not_needed"}
    craft = make_proposal(world, group="rajut", actor="rajut")
    assert states(craft)["pirt"] == states(craft)["halal"] == "not_needed"
    assert states(craft)["nib_or_sku"] == "missing"
    expired = make_proposal(world, group="kue", actor="kue")
    assert states(expired)["halal"] == "missing"
    note = db.session.scalar(select(ChecklistItem.note).where(
        ChecklistItem.proposal_id == expired.id, ChecklistItem.key == "halal"))
    assert "habis berlaku" in note


def missing_box(response) -> str:
    """The text of the "Belum ada" box of the proposal page."""
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="flash flash-error pp-missing"[^>]*>(.*?)</div>', html, re.S)
    return text_of_html(match.group(1)) if match else ""


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_proposal_page_shows_what_is_missing(browser, world):
    proposal = make_proposal(world)
    browser.login("ladu")
    box = missing_box(browser.get(f"/proposal/{proposal.id}"))
    assert box == ("Belum ada: Fotokopi KTP pengurus SK Kepala Desa tentang pembentukan "
                   "kelompok Struktur pengurus kelompok Foto usaha dan produk")


def test_checklist_can_be_edited(browser, world):
    proposal = make_proposal(world)
    browser.login("ladu")
    url = f"/proposal/{proposal.id}/kelengkapan"
    data = {f"state_{key}": "present" for key in states(proposal)}
    data |= {f"note_{key}": "" for key in states(proposal)}
    bad = data | {"state_photos": "mungkin"}
    response = browser.submit(url, bad)
    assert response.status_code == 200
    assert "Pilih ada, belum atau tidak perlu untuk Foto usaha dan produk." in text_of(response)
    assert states(proposal)["photos"] == "missing"
    response = browser.submit(url, data | {"state_npwp": "not_needed",
                                           "note_photos": "Foto 5 lembar"},
                              follow_redirects=True)
    assert "Kelengkapan disimpan. Semua sudah lengkap." in text_of(response)
    assert "Semua kelengkapan sudah ada." in text_of(response)
    assert states(proposal)["photos"] == "present"
    assert db.session.scalar(select(ChecklistItem.note).where(
        ChecklistItem.key == "photos")) == "Foto 5 lembar"
    response = browser.submit(url, data | {"state_photos": "missing"}, follow_redirects=True)
    assert "Masih belum ada: Foto usaha dan produk." in text_of(response)

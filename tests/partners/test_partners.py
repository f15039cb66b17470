"""Partners, partnerships and their letters: input checks, scoping, the status table,
letter numbers (kept, per kind, never repeated under concurrency), the PDF contents,
and names with markup printed literally without any network request."""

import io
import socket
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from num2words import num2words
from pypdf import PdfReader
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.documents.agreement_letter import build_agreement_pdf
from crm.documents.letterhead import Letterhead
from crm.documents.letters import (
    AgreementLetter,
    GroupParty,
    OfferLetter,
    PartnerParty,
    Signatory,
)
from crm.documents.models import DocumentCounter, IssuedDocument
from crm.documents.offer_letter import build_offer_letter_pdf
from crm.extensions import db
from crm.partners.letters import issue_letter_number
from crm.partners.models import Partner, Partnership
from crm.partners.services import create_partnership
from crm.text.dates import letter_date_id, roman_month
from tests import factories
from tests.helpers import assert_readable_pdf, count, pdf_text, reload, text_of

WIB = ZoneInfo("Asia/Jakarta")
MARKUP = '<img src="http://127.0.0.1:1/x.png"> <font color=red>'


@pytest.fixture
def world(app):
    a = factories.village("Katapang", letter_code="KTP", head_name="H. Dadang Supriatna")
    b = factories.village("Sangkanhurip", letter_code="SKH", head_name="Ujang Suryana")
    ladu = factories.group(a, "Ladu Ketan RW 09", chair_name="Ibu Sari", rt="02", rw="09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft", chair_name="Ibu Tini")
    opak = factories.group(b, "Opak Sangkanhurip")
    kec = factories.partner(
        a, "Kecamatan Katapang", kind="kecamatan", unit="Seksi Pemberdayaan Masyarakat",
        contact_name="Drs. Asep Saepudin", contact_position="Kepala Seksi PMD",
        address="Jl. Terusan Kopo No. 10")
    firm = factories.partner(a, "PT Sinar Katapang", kind="swasta")
    far = factories.partner(b, "BUMDes Sangkanhurip", kind="bumdes")
    factories.product(ladu, "Ladu Ketan Original")
    factories.officer(a, username="kesra", full_name="Rina Marlina")
    factories.officer(b, username="kesrab")
    factories.officer(a, b, username="camat")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.reseller(a, username="ka")
    factories.partner_contact(a, kec, username="pmd", full_name="Asep")
    factories.partner_contact(a, firm, username="sinar")
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "opak": opak, "kec": kec,
            "firm": firm, "far": far}


def partner_data(**overrides):
    data = {
        "kind": "kecamatan", "name": "Kecamatan Soreang", "unit": "Seksi PMD",
        "address": "Jl. Raya Soreang No. 1", "contact_name": "Hj. Euis",
        "contact_position": "Sekretaris Kecamatan", "phone": "0812-3456-7890",
        "email": "tu@soreang.go.id", "npwp": "01.234.567.8-901.000",
    }
    data.update(overrides)
    return data


def partnership_data(world, **overrides):
    data = {
        "partner_id": str(world["kec"].id), "group_ids": [str(world["ladu"].id)],
        "title": "Penyediaan Snack Rapat Minggon", "scope": "Snack box untuk rapat minggon.",
        "price_terms": "Rp 15.000 per kotak.", "starts_on": "2026-12-01",
        "ends_on": "2027-11-30",
    }
    data.update(overrides)
    return data


def new_partnership(world, partner="kec", groups=("ladu",), title="Snack Rapat Minggon"):
    item = create_partnership(
        world[partner], [world[g] for g in groups],
        {"title": title, "scope": "Snack box.", "price_terms": "Rp 15.000 per kotak.",
         "starts_on": date(2026, 12, 1), "ends_on": date(2027, 11, 30)}, actor=None)
    db.session.commit()
    return item


def issue_letter(browser, item, name):
    """The officer's "Terbitkan nomor" button of letter ``name`` (a POST with CSRF)."""
    return browser.submit(f"/kemitraan/{item.id}/surat/{name}/terbitkan",
                          page=f"/kemitraan/{item.id}")


def letter_pdf(browser, item, name):
    """Issue the letter's number as an officer does, then open the PDF it leads to."""
    response = issue_letter(browser, item, name)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"].endswith(f"/kemitraan/{item.id}/{name}.pdf")
    return browser.get(response.headers["Location"])


def today_wib() -> date:
    return datetime.now(WIB).date()


def number(seq: int, code: str, letter_code: str = "KTP") -> str:
    day = today_wib()
    return f"{seq:03d}/{code}/{letter_code}/{roman_month(day.month)}/{day.year}"


# --- partners ---------------------------------------------------------------------------


def test_officer_creates_a_partner_with_clean_phone_and_npwp(browser, world):
    browser.login("kesra")
    assert "Mitra baru" in text_of(browser.get("/mitra"))
    response = browser.submit("/mitra/baru", partner_data(village_id=str(world["a"].id)))
    assert response.status_code == 302
    partner = db.session.scalar(select(Partner).where(Partner.name == "Kecamatan Soreang"))
    assert response.headers["Location"].endswith(f"/mitra/{partner.id}")
    assert partner.village_id == world["a"].id and partner.kind == "kecamatan"
    assert partner.phone == "6281234567890" and partner.npwp == "012345678901000"
    page = text_of(browser.get(f"/mitra/{partner.id}"))
    assert "01.234.567.8-901.000" in page and "0812-3456-7890" in page
    assert "Sekretaris Kecamatan" in page
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.entity == "partner", AuditEntry.entity_id == partner.id))


@pytest.mark.parametrize(("data", "message"), [
    ({"phone": "12345"}, "Nomor telepon tidak dikenali"),
    ({"phone": "0812-34"}, "Nomor telepon tidak dikenali"),
    ({"npwp": "01.234.567"}, "NPWP harus 15 atau 16 angka"),
    ({"npwp": "01.234.567.8-901.00A"}, "NPWP harus 15 atau 16 angka"),
    ({"email": "bukan-email"}, "Alamat email tidak sah"),
    ({"name": "  "}, "Isi nama lembaga"),
    ({"name": "Kecamatan Katapang"}, "sudah punya mitra dengan nama itu"),
    ({"kind": "ormas"}, "Pilih jenis lembaga"),
])
def test_bad_partner_input_gives_a_clear_message_and_stores_nothing(
        browser, world, data, message):
    browser.login("kesra")
    before = count(Partner)
    response = browser.submit("/mitra/baru", partner_data(village_id=str(world["a"].id),
                                                          **data))
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(Partner) == before


def test_sixteen_digit_npwp_is_accepted(browser, world):
    browser.login("kesra")
    response = browser.submit("/mitra/baru", partner_data(
        village_id=str(world["a"].id), npwp="3204-1122-3344-5566", phone="(022) 5891234"))
    assert response.status_code == 302
    partner = db.session.scalar(select(Partner).where(Partner.name == "Kecamatan Soreang"))
    assert partner.npwp == "3204112233445566" and partner.phone == "62225891234"


def test_partner_only_in_the_officers_own_village(browser, world):
    browser.login("kesra")
    before = count(Partner)
    response = browser.submit("/mitra/baru", partner_data(village_id=str(world["b"].id)))
    assert response.status_code == 200
    assert "Pilih salah satu desa wilayah tugas Anda" in text_of(response)
    assert count(Partner) == before


def test_edit_keeps_the_village_whatever_is_sent(browser, world):
    kec = world["kec"]
    browser.login("camat")  # officer of both villages
    response = browser.submit(f"/mitra/{kec.id}/ubah", partner_data(
        name="Kecamatan Katapang", village_id=str(world["b"].id), phone="0813-1111-2222"))
    assert response.status_code == 302
    fresh = reload(kec)
    assert fresh.village_id == world["a"].id and fresh.phone == "6281311112222"
    assert fresh.contact_name == "Hj. Euis"


def test_partner_contact_sees_and_edits_only_their_own_institution(browser, world):
    kec, firm = world["kec"], world["firm"]
    browser.login("pmd")
    assert browser.get("/mitra").headers["Location"].endswith(f"/mitra/{kec.id}")
    page = text_of(browser.get(f"/mitra/{kec.id}"))
    assert "Kecamatan Katapang" in page and "Drs. Asep Saepudin" in page
    assert browser.get(f"/mitra/{firm.id}").status_code == 404
    assert browser.get(f"/mitra/{world['far'].id}").status_code == 404
    assert browser.get(f"/mitra/{firm.id}/ubah").status_code == 404
    assert browser.get("/mitra/baru").status_code == 403
    response = browser.submit(f"/mitra/{kec.id}/ubah", {
        "contact_name": "Drs. Budi", "contact_position": "Sekcam", "phone": "0812-9999-0000",
        "email": "pmd@katapang.go.id", "address": "Jl. Baru 1",
        # not theirs to change: ignored
        "name": "Diganti", "kind": "swasta", "npwp": "012345678901000",
        "village_id": str(world["b"].id),
    })
    assert response.status_code == 302
    fresh = reload(kec)
    assert (fresh.contact_name, fresh.contact_position, fresh.phone) == (
        "Drs. Budi", "Sekcam", "6281299990000")
    assert fresh.name == "Kecamatan Katapang" and fresh.kind == "kecamatan"
    assert fresh.npwp == "" and fresh.village_id == world["a"].id
    response = browser.submit(f"/mitra/{kec.id}/ubah", {"contact_name": "X", "phone": "123"})
    assert "Nomor telepon tidak dikenali" in text_of(response)
    assert reload(kec).contact_name == "Drs. Budi"


def test_resellers_and_producers_see_no_partner(browser, make_browser, world):
    browser.login("ka")
    for url in ("/mitra", f"/mitra/{world['kec'].id}", "/kemitraan", "/kemitraan/baru"):
        assert browser.get(url).status_code == 403
    producer = make_browser()
    producer.login("ladu")
    assert producer.get("/mitra").status_code == 403
    assert producer.get(f"/mitra/{world['kec'].id}").status_code == 403


# --- partnerships ---------------------------------------------------------------------


def test_officer_creates_a_partnership_and_extra_fields_are_ignored(browser, world):
    browser.login("camat")  # officer of both villages
    page = text_of(browser.get("/kemitraan/baru"))
    assert "Ladu Ketan RW 09" in page and "Opak Sangkanhurip" in page
    response = browser.submit("/kemitraan/baru", partnership_data(
        world, group_ids=[str(world["ladu"].id), str(world["rajut"].id)],
        village_id=str(world["b"].id), status="active"))
    assert response.status_code == 302
    item = db.session.scalar(select(Partnership))
    assert response.headers["Location"].endswith(f"/kemitraan/{item.id}")
    assert item.village_id == world["a"].id and item.status == "proposed"
    assert item.partner_id == world["kec"].id
    assert sorted(g.name for g in item.groups) == ["Ladu Ketan RW 09", "Tas Rajut RW 09"]
    assert (item.starts_on, item.ends_on) == (date(2026, 12, 1), date(2027, 11, 30))
    page = text_of(browser.get(f"/kemitraan/{item.id}"))
    assert "Diusulkan" in page and "Aktifkan kemitraan" in page
    assert "Terbitkan nomor dan buka PDF" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"ends_on": "2026-11-30"}, "Tanggal selesai tidak boleh sebelum tanggal mulai"),
    ({"group_ids": []}, "Pilih minimal satu kelompok usaha"),
    ({"group_ids": ["opak"]}, "Kelompok usaha harus dari desa yang sama dengan mitra"),
    ({"title": ""}, "Isi judul kerja sama"),
    ({"starts_on": ""}, "Isi tanggal mulai kerja sama"),
    ({"starts_on": "31-12-2026"}, "Tulis tanggal yang benar"),
    ({"partner_id": "far"}, "Pilih mitra dari desa wilayah tugas Anda"),
])
def test_bad_partnership_input_gives_a_clear_message_and_stores_nothing(
        browser, world, data, message):
    data = {k: ([str(world[g].id) for g in v] if k == "group_ids" else
                str(world[v].id) if k == "partner_id" else v) for k, v in data.items()}
    browser.login("kesra" if "partner_id" in data else "camat")
    response = browser.submit("/kemitraan/baru", partnership_data(world, **data))
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(Partnership) == 0


def test_group_of_another_village_is_not_offered_to_the_officer(browser, world):
    browser.login("kesra")
    assert "Opak Sangkanhurip" not in text_of(browser.get("/kemitraan/baru"))
    response = browser.submit("/kemitraan/baru", partnership_data(
        world, group_ids=[str(world["opak"].id)]))
    assert "Pilih minimal satu kelompok usaha" in text_of(response)
    assert count(Partnership) == 0


def test_status_follows_the_transition_table(browser, world):
    item = new_partnership(world)
    browser.login("kesra")
    url = f"/kemitraan/{item.id}"

    def step(word):
        response = browser.submit(f"{url}/status/{word}", page=url)
        assert response.status_code == 302
        return text_of(browser.get(url))

    assert "Kemitraan sekarang aktif" in step("aktifkan")
    assert reload(item).status == "active"
    assert "Kemitraan ini sudah aktif" in step("aktifkan")
    assert reload(item).status == "active"
    assert "Kemitraan sudah diakhiri" in step("akhiri")
    assert reload(item).status == "ended"
    for word in ("aktifkan", "akhiri"):
        assert "sudah berakhir" in step(word)
        assert reload(item).status == "ended"
    assert browser.submit(f"{url}/status/hapus", page=url).status_code == 404
    changes = db.session.scalars(select(AuditEntry.changes).where(
        AuditEntry.entity == "partnership", AuditEntry.action.in_(("activate", "end")))
        .order_by(AuditEntry.id)).all()
    assert [c["status"] for c in changes] == [["proposed", "active"], ["active", "ended"]]


def test_proposed_partnership_may_end_without_starting(browser, world):
    item = new_partnership(world)
    browser.login("kesra")
    url = f"/kemitraan/{item.id}"
    assert browser.submit(f"{url}/status/akhiri", page=url).status_code == 302
    assert reload(item).status == "ended"


def test_status_change_needs_csrf_and_an_officer(browser, make_browser, world):
    item = new_partnership(world)
    browser.login("kesra")
    response = browser.client.post(f"/kemitraan/{item.id}/status/aktifkan")
    assert response.status_code in (302, 400)
    assert reload(item).status == "proposed"
    producer = make_browser()
    producer.login("ladu")
    url = f"/kemitraan/{item.id}"
    assert producer.get(url).status_code == 200
    response = producer.submit(f"{url}/status/aktifkan", page="/kemitraan")
    assert response.status_code == 403
    assert reload(item).status == "proposed"


# --- scoping ----------------------------------------------------------------------------


def test_officer_of_another_village_gets_404_everywhere(browser, world):
    item = new_partnership(world)
    kec = world["kec"]
    browser.login("kesrab")
    assert "Kecamatan Katapang" not in text_of(browser.get("/mitra"))
    assert "Snack Rapat Minggon" not in text_of(browser.get("/kemitraan"))
    for url in (f"/mitra/{kec.id}", f"/mitra/{kec.id}/ubah", f"/kemitraan/{item.id}",
                f"/kemitraan/{item.id}/surat-penawaran.pdf",
                f"/kemitraan/{item.id}/perjanjian.pdf"):
        assert browser.get(url).status_code == 404, url
    response = browser.submit(f"/kemitraan/{item.id}/status/aktifkan", page="/kemitraan")
    assert response.status_code == 404
    assert issue_letter(browser, item, "perjanjian").status_code == 404
    assert reload(item).status == "proposed"
    assert count(IssuedDocument) == 0


def test_partner_contact_and_producers_see_only_their_partnerships(
        browser, make_browser, world):
    ours = new_partnership(world, groups=("ladu",), title="Snack Kecamatan")
    theirs = new_partnership(world, partner="firm", groups=("rajut",), title="Snack Pabrik")
    browser.login("pmd")
    page = text_of(browser.get("/kemitraan"))
    assert "Snack Kecamatan" in page and "Snack Pabrik" not in page
    assert browser.get(f"/kemitraan/{theirs.id}").status_code == 404
    assert browser.get(f"/kemitraan/{theirs.id}/perjanjian.pdf").status_code == 404
    # Not numbered yet: only an officer gives the number.
    response = browser.get(f"/kemitraan/{ours.id}/perjanjian.pdf")
    assert response.status_code == 302 and "belum bernomor" in text_of(
        browser.get(response.headers["Location"]))
    assert issue_letter(browser, ours, "perjanjian").status_code == 403
    assert count(IssuedDocument) == 0

    ladu = make_browser()
    ladu.login("ladu")
    page = text_of(ladu.get("/kemitraan"))
    assert "Snack Kecamatan" in page and "Snack Pabrik" not in page
    assert ladu.get(f"/kemitraan/{theirs.id}").status_code == 404

    officer = make_browser()
    officer.login("kesra")
    first = pdf_text(letter_pdf(officer, ours, "perjanjian"))
    assert number(1, "PKS") in first
    assert number(1, "PKS") in pdf_text(browser.get(f"/kemitraan/{ours.id}/perjanjian.pdf"))
    assert number(1, "PKS") in pdf_text(ladu.get(f"/kemitraan/{ours.id}/perjanjian.pdf"))
    assert number(1, "PKS") in text_of(browser.get(f"/kemitraan/{ours.id}"))
    assert count(IssuedDocument) == 1


# --- letters ----------------------------------------------------------------------------


def test_offer_letter_has_number_date_parties_and_signatures(browser, world):
    item = new_partnership(world, groups=("ladu", "rajut"))
    browser.login("kesra")
    response = letter_pdf(browser, item, "surat-penawaran")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline") and "filename=" in disposition
    assert "surat-penawaran" in disposition
    text = pdf_text(response)
    assert number(1, "SPKS") in text
    assert letter_date_id(today_wib(), "Katapang") in text
    for expected in ("PEMERINTAH DESA KATAPANG", "Nomor", "Sifat", "Biasa", "Lampiran",
                     "Perihal", "Kepada Yth.", "Drs. Asep Saepudin", "Kepala Seksi PMD",
                     "Kecamatan Katapang, Seksi Pemberdayaan Masyarakat",
                     "Jl. Terusan Kopo No. 10", "Ladu Ketan RW 09", "Tas Rajut RW 09",
                     "Ibu Sari", "Ladu Ketan Original", "Rp 15.000 per kotak",
                     "1 Desember 2026", "30 November 2027",
                     "Demikian surat penawaran ini kami sampaikan", "Mengetahui",
                     "Kepala Desa Katapang", "H. Dadang Supriatna", "Rina Marlina"):
        assert expected in text, expected


def test_agreement_names_both_parties_articles_and_stamp(browser, world):
    item = new_partnership(world, groups=("ladu", "rajut"))
    browser.login("kesra")
    text = pdf_text(letter_pdf(browser, item, "perjanjian"))
    day = today_wib()
    assert number(1, "PKS") in text and "PERJANJIAN KERJA SAMA" in text
    weekday = format_date(day, "EEEE", locale="id")
    month = format_date(day, "MMMM", locale="id")
    assert (f"Pada hari ini {weekday} tanggal {num2words(day.day, lang='id')} bulan "
            f"{month} tahun {num2words(day.year, lang='id')}") in text
    for expected in ("PIHAK PERTAMA", "PIHAK KEDUA", "PARA PIHAK", "Drs. Asep Saepudin",
                     "Kecamatan Katapang", "Ibu Sari", "Ibu Tini",
                     "Ketua Kelompok Ladu Ketan RW 09", "Ketua Kelompok Tas Rajut RW 09",
                     "Pasal 1", "MAKSUD DAN TUJUAN", "RUANG LINGKUP", "HAK DAN KEWAJIBAN",
                     "HARGA DAN PEMBAYARAN", "JANGKA WAKTU", "KEADAAN KAHAR",
                     "PENYELESAIAN PERSELISIHAN", "musyawarah untuk mufakat", "Pasal 8",
                     "PENUTUP", "1 Desember 2026", "30 November 2027", "Meterai",
                     "Rp10.000", "Mengetahui", "Kepala Desa Katapang",
                     "H. Dadang Supriatna"):
        assert expected in text, expected


def test_downloading_again_keeps_the_number_and_kinds_count_apart(browser, world):
    first = new_partnership(world)
    second = new_partnership(world, partner="firm", title="Snack Pabrik")
    browser.login("kesra")

    def letter(item, name):
        return pdf_text(letter_pdf(browser, item, name))

    assert number(1, "SPKS") in letter(first, "surat-penawaran")
    assert number(1, "SPKS") in letter(first, "surat-penawaran")
    assert number(2, "SPKS") in letter(second, "surat-penawaran")
    assert number(1, "PKS") in letter(second, "perjanjian")
    assert number(2, "PKS") in letter(first, "perjanjian")
    assert number(2, "SPKS") in letter(second, "surat-penawaran")
    numbers = db.session.scalars(select(IssuedDocument.number).order_by(IssuedDocument.id))
    assert list(numbers) == [number(1, "SPKS"), number(2, "SPKS"), number(1, "PKS"),
                             number(2, "PKS")]
    # Another village counts on its own.
    far = new_partnership(world, partner="far", groups=("opak",))
    other = factories.officer(world["b"], username="kesrab2")
    with_b = issue_letter_number(far, "offer", other)
    db.session.commit()
    assert with_b.number == number(1, "SPKS", "SKH")


def test_two_villages_with_the_same_letter_code_each_number_their_letters(world, make_browser):
    """Letter codes are short and may repeat across a Kabupaten: each village still
    gets its own 001, and the letter opens for both."""
    world["b"].letter_code = "KTP"
    db.session.commit()
    own = new_partnership(world)
    far = new_partnership(world, partner="far", groups=("opak",))
    for login, item in (("kesra", own), ("kesrab", far)):
        browser = make_browser()
        browser.login(login)
        response = letter_pdf(browser, item, "surat-penawaran")
        assert response.status_code == 200
        assert number(1, "SPKS", "KTP") in pdf_text(response)


class _NoNetwork:
    """Stands in for ``socket.connect``: records and refuses every attempt."""

    def __init__(self):
        self.calls = []

    def __call__(self, sock, address, *args):
        self.calls.append(address)
        raise OSError("network use in a PDF build")


def test_markup_in_names_is_printed_literally_and_nothing_is_fetched(
        browser, world, monkeypatch):
    kec = world["kec"]
    kec.name, kec.contact_name = MARKUP, "<b>Bu Kades</b>"
    world["ladu"].name = "Ladu <font color=red>Merah</font>"
    db.session.commit()
    item = new_partnership(world, title='<img src="http://127.0.0.1:1/t.png"> Rapat')
    guard = _NoNetwork()
    monkeypatch.setattr(socket.socket, "connect", guard)
    browser.login("kesra")
    page = browser.get(f"/kemitraan/{item.id}").get_data(as_text=True)
    assert "<img src=\"http://127.0.0.1" not in page
    for name in ("surat-penawaran", "perjanjian"):
        text = pdf_text(letter_pdf(browser, item, name))
        assert MARKUP in text, name
        assert "<b>Bu Kades</b>" in text and "Ladu <font color=red>Merah</font>" in text
    assert guard.calls == []


def _letters_with(name: str):
    head = Letterhead(name, address=name, phone=name, email=name, upper_lines=[name])
    party = PartnerParty(name, address=name, unit=name, contact_name=name,
                         contact_position=name)
    groups = [GroupParty(name, chair_name=name, address=name, products=[name])]
    signer = Signatory(name, name, id_line=name)
    day = date(2026, 11, 23)
    offer = OfferLetter(head, name, name, day, name, party, groups, signer, title=name,
                        subject=name, scope=name, price_terms=name, starts_on=day,
                        ends_on=day + timedelta(days=30), signer=signer, nature=name,
                        attachment=name, copies_to=[name])
    agreement = AgreementLetter(head, name, day, name, name, name, party, groups, signer,
                                scope=name, price_terms=name, starts_on=day)
    return offer, agreement


def _text_of_pdf(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_builders_escape_every_text_and_never_connect(monkeypatch):
    guard = _NoNetwork()
    monkeypatch.setattr(socket.socket, "connect", guard)
    offer, agreement = _letters_with(MARKUP)
    offer_text = _text_of_pdf(build_offer_letter_pdf(offer))
    agreement_text = _text_of_pdf(build_agreement_pdf(agreement))
    assert MARKUP in offer_text and MARKUP in agreement_text
    assert guard.calls == []
    assert ("Pada hari ini Senin tanggal dua puluh tiga bulan November tahun dua ribu dua "
            "puluh enam") in agreement_text


def test_village_logo_is_printed_when_there_is_one(browser, world, app):
    from PIL import Image

    from crm.web.uploads import store_image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 140), (20, 110, 60)).save(buffer, format="PNG")
    with app.app_context():
        name = store_image(buffer.getvalue(), "logos", max_side=600)
    world["a"].logo_filename = name
    db.session.commit()
    item = new_partnership(world)
    browser.login("kesra")
    response = letter_pdf(browser, item, "surat-penawaran")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages[0].images) == 1


def test_letters_extract_as_printed(browser, world):
    """Numbered lists and a bullet typed into the scope read back as printed."""
    item = new_partnership(world)
    item.scope = "\u2022 Snack box rapat\n\u2022 Kue basah"
    db.session.commit()
    browser.login("kesra")
    for name in ("surat-penawaran", "perjanjian"):
        response = letter_pdf(browser, item, name)
        assert response.status_code == 200
        assert_readable_pdf(response.data, "\u2013 Snack box rapat", "\u2013 Kue basah")


def test_opening_a_letter_never_issues_its_number(browser, make_browser, world):
    """A GET (which a link on any site can make a signed-in browser send) only opens a
    letter already numbered; the number is issued by the officer's button, a POST
    with its CSRF token."""
    item = new_partnership(world)
    browser.login("kesra")

    def counted():
        return (count(IssuedDocument), count(DocumentCounter),
                db.session.scalar(select(func.coalesce(func.sum(DocumentCounter.last), 0))))

    for name in ("surat-penawaran", "perjanjian"):
        response = browser.get(f"/kemitraan/{item.id}/{name}.pdf")
        assert response.status_code == 302
        assert f"/kemitraan/{item.id}" in response.headers["Location"]
        assert "belum bernomor" in text_of(browser.get(response.headers["Location"]))
    assert counted() == (0, 0, 0)
    # Without the form's CSRF token the POST is refused.
    refused = browser.client.post(f"/kemitraan/{item.id}/surat/perjanjian/terbitkan")
    assert refused.status_code == 400
    assert counted() == (0, 0, 0)
    # The button: one number, then the PDF opens (as often as wanted) with it.
    response = letter_pdf(browser, item, "perjanjian")
    assert number(1, "PKS") in pdf_text(response)
    assert counted() == (1, 1, 1)
    for _ in range(3):
        assert number(1, "PKS") in pdf_text(browser.get(f"/kemitraan/{item.id}/perjanjian.pdf"))
    assert issue_letter(browser, item, "perjanjian").status_code == 303
    assert counted() == (1, 1, 1)
    assert browser.client.post(f"/kemitraan/{item.id}/surat/lain/terbitkan", data={
        "csrf_token": ""}).status_code in (400, 404)


# --- concurrency ------------------------------------------------------------------------


def _issue_all_at_once(app, jobs, officer_id):
    """Issue ``(partnership id, kind)`` letters from one thread each, all at once."""
    barrier = threading.Barrier(len(jobs))
    numbers, errors = [], []

    def issue(partnership_id, kind):
        barrier.wait(timeout=60)
        with app.app_context():
            try:
                document = issue_letter_number(db.session.get(Partnership, partnership_id),
                                               kind, db.session.get(User, officer_id))
                db.session.commit()
                numbers.append(document.number)
            except Exception as error:  # reported by the assertion
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return numbers, errors


def test_letter_numbers_never_repeat_under_concurrent_generation(app, world):
    ids = [new_partnership(world, title=f"Kemitraan {n}").id for n in range(10)]
    officer_id = db.session.scalar(select(User.id).where(User.username == "kesra"))
    numbers, errors = _issue_all_at_once(app, [(i, "offer") for i in ids], officer_id)
    assert errors == []
    assert sorted(numbers) == [number(n, "SPKS") for n in range(1, 11)]
    assert count(IssuedDocument) == 10


def test_one_letter_asked_for_at_once_gets_one_number(app, world):
    item_id = new_partnership(world).id
    officer_id = db.session.scalar(select(User.id).where(User.username == "kesra"))
    numbers, errors = _issue_all_at_once(app, [(item_id, "agreement")] * 5, officer_id)
    assert errors == []
    assert numbers == [number(1, "PKS")] * 5
    assert count(IssuedDocument) == 1

"""One address formatter for pages and documents: a word (Dusun, RT, RW, Desa, Kec.,
Kab.) is added only when the user did not type it already."""

from datetime import date, timedelta

import pytest

from crm.consignment.services import create_outlet, place_drop
from crm.consignment.visits import record_visit
from crm.extensions import db
from crm.partners.services import create_partnership
from crm.proposals import services as proposals
from crm.villages.addresses import address_line, kabupaten_name, kecamatan_name, with_prefix
from tests import factories
from tests.helpers import pdf_text, user


@pytest.mark.parametrize("typed, shown", [
    ("3", "Dusun 3"), ("Dusun 3", "Dusun 3"), ("dusun 3", "dusun 3"), ("DUSUN  3", "DUSUN 3"),
    ("Dsn. Cibeber", "Dsn. Cibeber"), ("Kp. Cibeber", "Kp. Cibeber"),
    ("Kampung Babakan", "Kampung Babakan"), ("Dusunan", "Dusun Dusunan"), ("", ""),
])
def test_dusun_gets_its_word_once(typed, shown):
    assert with_prefix(typed, "Dusun", ("Dusun", "Dsn", "Kampung", "Kp", "Dukuh")) == shown


def test_address_line_names_each_part_once():
    assert address_line("Jl. Raya Katapang No. 5", rt="02", rw="09", dusun="3",
                        village="Katapang", kecamatan="Katapang", kabupaten="Bandung") == (
        "Jl. Raya Katapang No. 5, RT 02/RW 09, Dusun 3, Desa Katapang, Kec. Katapang, "
        "Kab. Bandung")
    assert address_line("", rt="RT 02", rw="rw 09", dusun="Dusun 3", village="Desa Katapang",
                        kecamatan="Kecamatan Katapang", kabupaten="Kabupaten Bandung") == (
        "RT 02/rw 09, Dusun 3, Desa Katapang, Kecamatan Katapang, Kabupaten Bandung")
    # What the street text already says is not said again.
    assert address_line("Kp. Katapang RT 02/RW 09", rt="02", rw="09",
                        village="Desa Katapang") == "Kp. Katapang RT 02/RW 09, Desa Katapang"
    assert kecamatan_name("Kec. Katapang") == "Kec. Katapang"
    assert kecamatan_name("Katapang") == "Kecamatan Katapang"
    assert kabupaten_name("Kota Bandung") == "Kota Bandung"
    assert kabupaten_name("Bandung", short=True) == "Kab. Bandung"


@pytest.fixture
def world(app):
    village = factories.village("Katapang", letter_code="KTP", head_name="H. Dadang",
                                kabupaten="Bandung")
    group = factories.group(village, "Ladu Ketan RW 09", chair_name="Ibu Euis", rt="02",
                            rw="09", address="Jl. Raya Katapang No. 5")
    partner = factories.partner(village, "Kecamatan Katapang", kind="kecamatan")
    factories.officer(village, username="kesra")
    factories.producer(village, group, username="ladu")
    product = factories.product(group, "Ladu Ketan Pak", retail_price=10_000)
    factories.stock(product, 20, note="produksi")
    return {"village": village, "group": group, "partner": partner, "product": product}


def _documents(world, make_browser) -> dict:
    """The text of the offer letter, the agreement, the proposal and the consignment
    slip of the world's group, and its page."""
    group, product = world["group"], world["product"]
    item = create_partnership(world["partner"], [group], {
        "title": "Snack Rapat", "scope": "Snack box.", "price_terms": "Rp 15.000.",
        "starts_on": date(2026, 12, 1), "ends_on": date(2027, 11, 30)}, actor=None)
    proposal = proposals.create_proposal(group, {
        "title": "Penambahan alat", "funder_kind": "dinas_koperasi",
        "funder_name": "Dinas Koperasi", "funder_address": "Soreang", "kur_scheme": None,
        "background": "Sejak 1999.", "aims": "Menambah.", "activities": "Membeli.",
        "closing": "", "requested_amount": None, "chair_name": "", "secretary_name": "",
        "treasurer_name": "", "evidence_months": 12}, user("ladu")).proposal
    outlet = create_outlet(group, {"name": "Warung Bu Iis", "kind": "warung"}, user("ladu"))
    today = date.today()
    drop = place_drop(outlet, product, {
        "quantity": 5, "unit_price": None, "cut_kind": "percent", "cut_value": 1_000,
        "placed_on": today - timedelta(days=2), "pull_back_on": None}, user("ladu")).drop
    visit = record_visit(outlet, {"visited_on": today, "cash_collected": 0},
                         [{"drop_id": drop.id, "remaining": 3, "returned": 0, "expired": 0}],
                         user("ladu")).visit
    db.session.commit()
    officer = make_browser()
    officer.login("kesra")
    producer = make_browser()
    producer.login("ladu")
    return {
        "offer letter": pdf_text(officer.issue(
            f"/kemitraan/{item.id}/surat/surat-penawaran/terbitkan", f"/kemitraan/{item.id}")),
        "agreement": pdf_text(officer.issue(
            f"/kemitraan/{item.id}/surat/perjanjian/terbitkan", f"/kemitraan/{item.id}")),
        "proposal": pdf_text(producer.get(f"/proposal/{proposal.id}/proposal.pdf")),
        "consignment slip": pdf_text(producer.issue(
            f"/titip/kunjungan/{visit.id}/nota/terbitkan", f"/titip/kunjungan/{visit.id}")),
        "group page": " ".join(
            producer.get(f"/kelompok/{group.id}").get_data(as_text=True).split()),
    }


@pytest.mark.parametrize("typed", ["Dusun 3", "3"])
def test_every_document_and_the_page_name_the_dusun_once(world, make_browser, typed):
    world["group"].dusun = typed
    db.session.commit()
    texts = _documents(world, make_browser)
    for name, text in texts.items():
        assert "Dusun Dusun" not in text, name
        assert "Jl. Raya Katapang No. 5, RT 02/RW 09, Dusun 3, Desa Katapang" in text, name

"""Phone numbers: every writer stores ``62…`` digits (the column normalises), pages and
documents show mobiles as ``0812-3456-7890`` and landlines with their area code."""

import re
from datetime import date

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import StatementError

from crm.catalog.models import ProducerGroup
from crm.consignment.models import Outlet
from crm.consignment.services import create_outlet
from crm.db.types import PhoneNumber
from crm.demo.seed import DEMO_PASSWORD
from crm.extensions import db
from crm.partners.models import Partner
from crm.partners.services import create_partnership
from crm.text.phones import PhoneError, display_phone
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import pdf_text


def phone_columns():
    """Every column of the models that holds a phone number, by its name."""
    return [column for table in db.metadata.sorted_tables for column in table.columns
            if "phone" in column.name or column.name in ("whatsapp", "wa_number")]


def stored(table: str, column: str, row_id: int):
    """The value in the row, read past the ORM (the type changes nothing on reading)."""
    table = db.metadata.tables[table]
    return db.session.execute(
        select(table.c[column]).where(table.c.id == row_id)).scalar_one()


def test_every_phone_column_of_the_models_normalises():
    columns = phone_columns()
    assert len(columns) >= 7
    for column in columns:
        assert isinstance(column.type, PhoneNumber), f"{column.table.name}.{column.name}"


def test_service_orm_and_core_writers_store_62_digits(app, make_browser):
    village = factories.village("Katapang", letter_code="KTP")
    group = factories.group(village, "Ladu Ketan RW 09")
    producer = factories.producer(village, group, username="ladu")
    # A service that takes the number as the caller typed it.
    outlet = create_outlet(group, {"name": "Warung Bu Iis", "kind": "warung",
                                   "phone": "081200000501"}, producer)
    # The ORM, as the CLI, imports and the demo use it: normalised as soon as it is set.
    partner = Partner(village_id=village.id, name="Kecamatan Katapang", kind="kecamatan",
                      phone="0812 0000 0601")
    db.session.add(partner)
    assert partner.phone == "6281200000601"
    # Core statements.
    other_id = db.session.execute(insert(Partner).values(
        village_id=village.id, name="PT Sinar", kind="swasta", phone="+62 812-0000-0602")
        .returning(Partner.id)).scalar_one()
    db.session.execute(update(ProducerGroup).where(ProducerGroup.id == group.id)
                       .values(phone="0812-0000-0201"))
    db.session.commit()
    assert stored("outlets", "phone", outlet.id) == "6281200000501"
    assert stored("partners", "phone", partner.id) == "6281200000601"
    assert stored("partners", "phone", other_id) == "6281200000602"
    assert stored("producer_groups", "phone", group.id) == "6281200000201"

    browser = make_browser()
    browser.login("ladu")
    page = browser.get(f"/titip/warung/{outlet.id}").get_data(as_text=True)
    assert "https://wa.me/6281200000501?text=" in page
    assert "0812-0000-0501" in page and "+0812" not in page
    officer = factories.officer(village, username="kesra")
    assert officer
    browser = make_browser()
    browser.login("kesra")
    page = browser.get(f"/mitra/{partner.id}").get_data(as_text=True)
    assert 'href="https://wa.me/6281200000601"' in page and "0812-0000-0601" in page


def test_blank_is_no_number_and_text_that_is_no_number_is_refused(app):
    village = factories.village("Katapang", letter_code="KTP")
    partner = Partner(village_id=village.id, name="Kecamatan Katapang", kind="kecamatan",
                      phone="  ")
    assert partner.phone is None
    with pytest.raises(PhoneError, match="'12ab' is not a phone number"):
        partner.phone = "12ab"
    with pytest.raises(StatementError, match="not a phone number"):
        db.session.execute(update(Partner).values(phone="12345"))
    db.session.rollback()


def test_outlet_service_answers_a_bad_number_with_a_message(app):
    village = factories.village("Katapang", letter_code="KTP")
    group = factories.group(village, "Ladu Ketan RW 09")
    with pytest.raises(RuleError) as refused:
        create_outlet(group, {"name": "Warung", "kind": "warung", "phone": "12345"}, None)
    assert refused.value.field == "phone" and "0812-3456-7890" in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(Outlet.id)) is None


def test_lookups_compare_the_value_as_given(app):
    """Equality is plain text: a caller normalises what it looks up (login does)."""
    village = factories.village("Katapang", letter_code="KTP")
    partner = Partner(village_id=village.id, name="Kecamatan Katapang", kind="kecamatan",
                      phone="081200000601")
    db.session.add(partner)
    db.session.commit()
    assert db.session.scalar(select(Partner.id).where(Partner.phone == "6281200000601"))
    assert db.session.scalar(select(Partner.id).where(Partner.phone == "not a phone")) is None
    assert db.session.scalar(select(Partner.id).where(Partner.phone.like("%0601")))


def test_demo_stores_every_phone_in_62_form(app, make_browser):
    result = app.test_cli_runner().invoke(args=["crm", "demo"])
    assert result.exit_code == 0, result.output
    for column in phone_columns():
        for value in db.session.scalars(select(column).where(column.is_not(None))):
            assert re.fullmatch(r"62\d{7,13}", value), (column.table.name, column.name, value)
    warung = db.session.scalar(select(Outlet).where(Outlet.name == "Warung Bu Iis"))
    assert stored("outlets", "phone", warung.id) == "6281200000501"
    browser = make_browser()
    browser.login("ladu", DEMO_PASSWORD)
    page = browser.get(f"/titip/warung/{warung.id}").get_data(as_text=True)
    assert "https://wa.me/6281200000501?text=" in page and "+0812" not in page


@pytest.mark.parametrize("digits, shown", [
    ("6281234567890", "0812-3456-7890"),
    ("6281200000501", "0812-0000-0501"),
    ("62225940000", "(022) 5940000"),     # Bandung
    ("62215551234", "(021) 5551234"),     # Jakarta
    ("622742345678", "(0274) 2345678"),   # Yogyakarta
    ("60123456789", "+60 12-345 6789"),   # a Malaysian mobile, stored without "+"
    ("081200000501", "0812-0000-0501"),   # typed form (never stored now) reads the same
    ("lihat catatan", "lihat catatan"),
    (None, ""),
])
def test_display_phone_tells_landlines_from_mobiles(digits, shown):
    assert display_phone(digits) == shown


def test_landlines_are_accepted_and_shown_with_their_area_code(app, make_browser):
    """The village office phone on its page and on the letterhead of its letters."""
    village = factories.village("Katapang", letter_code="KTP", head_name="H. Dadang")
    officer = factories.officer(village, username="kesra")
    assert officer
    browser = make_browser()
    browser.login("kesra")
    response = browser.submit(f"/desa/{village.id}/kop", {
        "institution_name": "Pemerintah Desa Katapang", "address": "Jl. Raya Katapang",
        "phone": "022-5940000", "email": "", "head_name": "H. Dadang",
        "head_title": "Kepala Desa", "letter_code": "KTP"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert stored("villages", "phone", village.id) == "62225940000"
    page = browser.get(f"/desa/{village.id}").get_data(as_text=True)
    assert "(022) 5940000" in page
    form = browser.get(f"/desa/{village.id}/kop").get_data(as_text=True)
    assert 'value="(022) 5940000"' in form

    group = factories.group(village, "Ladu Ketan RW 09")
    partner = factories.partner(village, "Kecamatan Katapang", kind="kecamatan")
    item = create_partnership(partner, [group], {
        "title": "Snack Rapat", "scope": "Snack box.", "price_terms": "Rp 15.000.",
        "starts_on": date(2026, 12, 1), "ends_on": date(2027, 11, 30)}, actor=None)
    db.session.commit()
    letter = pdf_text(browser.issue(f"/kemitraan/{item.id}/surat/surat-penawaran/terbitkan",
                                    f"/kemitraan/{item.id}"))
    assert "Telp. (022) 5940000" in letter and "0225-9400" not in letter

"""Rupiah, phone numbers and dates the Indonesian way."""

from datetime import UTC, date, datetime

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from crm.extensions import db
from crm.orders.models import OrderEvent
from crm.text.dates import letter_date_id, long_date_id, roman_month
from crm.text.money import RupiahError, format_rupiah, parse_rupiah
from crm.text.phones import PhoneError, display_phone, normalise_phone, whatsapp_link
from crm.web.fields import PhoneField, RupiahField
from tests import factories
from tests.helpers import text_of


@pytest.mark.parametrize("text, amount", [
    ("10.000", 10_000), ("Rp 10.000", 10_000), ("Rp10.000", 10_000), ("rp. 1.500.000", 1_500_000),
    ("1.500.000", 1_500_000), ("1500000", 1_500_000), ("Rp 10.000,-", 10_000),
    ("10.000,00", 10_000), ("IDR 25.000", 25_000), ("0", 0), (" 7.500 ", 7_500),
    ("1.000.000.000.000", 1_000_000_000_000),
])
def test_parse_rupiah_reads_indonesian_amounts(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("Infinity", "format"), ("NaN", "format"), ("sNaN", "format"),
    ("-5.000", "negative"), ("-0", "negative"), ("10,5", "decimal"), ("10.000,50", "decimal"),
    ("1.5", "format"), ("10.00", "format"), ("1e23", "format"), ("１２３", "format"),
    ("100000000000000000000000", "too_large"), ("1.000.000.000.001", "too_large"),
    ("10 000", "format"), ("Rp", "empty"), ("0x10", "format"), ("10.000.00", "format"),
])
def test_parse_rupiah_refuses_everything_else(text, reason):
    with pytest.raises(RupiahError) as caught:
        parse_rupiah(text)
    assert caught.value.reason == reason or (text == "Rp" and caught.value.reason == "format")


@pytest.mark.parametrize("amount, shown", [
    (1_500_000, "Rp 1.500.000"), (0, "Rp 0"), (10_000, "Rp 10.000"), (999, "Rp 999"),
])
def test_format_rupiah(amount, shown):
    assert format_rupiah(amount) == shown


# Amounts around every grouping boundary, negative ones included.
AMOUNTS = sorted({sign * (base + delta) for sign in (1, -1) for delta in (-1, 0, 1)
                  for base in (0, 10, 999, 1_000, 99_999, 1_000_000, 10 ** 9, 10 ** 12)})


def test_format_rupiah_writes_what_babel_writes():
    from babel.numbers import format_currency

    for amount in AMOUNTS:
        expected = format_currency(abs(amount), "IDR", format="¤ #,##0", locale="id_ID",
                                   currency_digits=False)
        assert format_rupiah(amount) == ("-" if amount < 0 else "") + expected


@pytest.mark.parametrize("locale", ["id", "en"])
def test_counts_are_written_as_babel_writes_them_in_each_language(app, locale):
    from babel.numbers import format_decimal
    from flask_babel import force_locale

    from crm.web.templating import format_count

    with app.test_request_context("/"), force_locale(locale):
        for number in AMOUNTS:
            assert format_count(number) == format_decimal(number, locale=locale)
        assert format_count(1234567) == ("1.234.567" if locale == "id" else "1,234,567")


class AmountForm(FlaskForm):
    class Meta:
        csrf = False

    amount = RupiahField("Jumlah")
    phone = PhoneField("HP")


def test_rupiah_field_gives_a_form_error_and_keeps_the_text(app):
    with app.test_request_context():
        good = AmountForm(MultiDict({"amount": "Rp 1.500.000"}))
        assert good.validate() and good.amount.data == 1_500_000
        bad = AmountForm(MultiDict({"amount": "Infinity"}))
        assert not bad.validate()
        assert "misalnya 10.000" in bad.amount.errors[0]
        assert bad.amount._value() == "Infinity"


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                   "81234567890", "(0812) 3456.7890"])
def test_normalise_phone(typed):
    assert normalise_phone(typed) == "6281234567890"


def test_landline_and_foreign_numbers():
    assert normalise_phone("022-5891234") == "62225891234"
    assert normalise_phone("+60 12-345 6789") == "60123456789"


@pytest.mark.parametrize("typed", ["", "12ab", "0812", "1234567890", "+62 000 0000",
                                   "０８１２３４５６７８９０", "08123456789012345678", "62"])
def test_bad_phone_numbers_are_refused(typed):
    with pytest.raises(PhoneError):
        normalise_phone(typed)


def test_phone_field_stores_62_form(app):
    with app.test_request_context():
        form = AmountForm(MultiDict({"phone": "0812-3456-7890"}))
        assert form.validate() and form.phone.data == "6281234567890"


def test_display_phone_and_whatsapp_link():
    assert display_phone("6281234567890") == "0812-3456-7890"
    link = whatsapp_link("6281234567890", "Halo kak, pesan ladu 2 pak & tas rajut #3?")
    assert link == ("https://wa.me/6281234567890?text=Halo%20kak%2C%20pesan%20ladu%202%20pak"
                    "%20%26%20tas%20rajut%20%233%3F")


def test_indonesian_dates():
    assert long_date_id(date(2026, 11, 23)) == "Senin, 23 November 2026"
    assert long_date_id(date(2026, 3, 6)) == "Jumat, 6 Maret 2026"
    # 20:00 UTC on the 22nd is already the 23rd in Jakarta.
    assert long_date_id(datetime(2026, 11, 22, 20, 0, tzinfo=UTC)) == "Senin, 23 November 2026"
    assert letter_date_id(date(2026, 11, 23), "Katapang") == "Katapang, 23 November 2026"
    assert [roman_month(m) for m in (1, 4, 9, 11, 12)] == ["I", "IV", "IX", "XI", "XII"]


@pytest.mark.parametrize("zone, shown", [("Asia/Makassar", "20 Nov 2026 10.05 WITA"),
                                         ("Asia/Jakarta", "20 Nov 2026 09.05 WIB")])
def test_times_on_a_page_are_in_the_time_zone_of_the_users_village(browser, zone, shown):
    village = factories.village("Ubud", timezone=zone)
    producer = factories.producer(village, username="penjual")
    product = factories.product(producer.group, "Pie Susu")
    order = factories.order(factories.reseller(village), [(product, 2)], status="confirmed")
    db.session.add(OrderEvent(order_id=order.id, from_status="new", to_status="confirmed",
                              created_at=datetime(2026, 11, 20, 2, 5, tzinfo=UTC)))
    db.session.commit()
    browser.login("penjual")
    page = browser.get(f"/pesanan/{order.id}")
    assert page.status_code == 200
    assert shown in text_of(page)

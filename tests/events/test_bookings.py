"""Events and catering bookings split across producer groups: the status flow with
per-group confirmation, daily capacity shared with customer orders, spending
ceilings, double submits, each group's invoice, receipt and delivery note, scoping."""

import re
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.catalog.models import CapacityDay, StockMovement
from crm.catalog.services import update_product
from crm.documents.models import DocumentCounter, IssuedDocument
from crm.events.booking_steps import STEPS, TRANSITIONS, change_booking_status
from crm.events.catering import book_catering
from crm.events.models import BookingLine, CateringBooking, Event, SpendingCeiling
from crm.extensions import db
from crm.orders.services import change_status, create_orders
from crm.text.dates import roman_month, to_local, today_in
from crm.text.money_words import rupiah_in_words
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import (
    assert_readable_pdf,
    count,
    csrf_token,
    form_token,
    pdf_text,
    reload,
    run_at_once,
    text_of,
    user,
    wib,
)

MARKUP = '<img src="http://127.0.0.1:1/x.png"> <font color=red>x</font>'


@pytest.fixture
def world(app):
    a = factories.village("Katapang", letter_code="KTP")
    b = factories.village("Sangkanhurip", letter_code="SKH")
    ladu = factories.group(a, "Ladu Ketan RW 09", chair_name="Ibu Euis Sumiati",
                           npwp="12.345.678.9-012.000", bank_name="BRI",
                           bank_account_number="0123-01-000123-50-1",
                           bank_account_name="Kelompok Ladu Ketan")
    kue = factories.group(a, "Kue Basah RW 03")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    pemdes = factories.partner(a, "Pemerintah Desa Katapang")
    camat = factories.partner(a, "Kecamatan Katapang", kind="kecamatan")
    factories.partner(b, "Pemerintah Desa Sangkanhurip")
    factories.officer(a, username="kesra", full_name="Bu Kasi Kesra")
    factories.officer(b, username="kesra_b")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Euis")
    factories.producer(a, kue, username="kue", full_name="Ibu Neneng")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.partner_contact(a, pemdes, username="pemdes", full_name="Pak Sekdes")
    factories.partner_contact(a, camat, username="camat")
    ka = factories.reseller(a, username="ka")
    snack = factories.product(ladu, "Ladu Ketan Box", made_to_order=True, daily_capacity=50,
                              reseller_price=12_000, retail_price=15_000)
    lapis = factories.product(kue, "Kue Lapis", made_to_order=True, daily_capacity=80,
                              cost_price=3_000, reseller_price=4_000, retail_price=5_000)
    factories.claim(snack, ka)
    return {"a": a, "b": b, "ladu": ladu, "kue": kue, "rajut": rajut, "opak": opak,
            "pemdes": pemdes, "camat": camat, "snack": snack, "lapis": lapis}


def day_ahead(days: int):
    return today_in() + timedelta(days=days)


def make_event(world, title="Rapat Bulanan Pemerintah Desa", days=3, headcount=40,
               partner="pemdes"):
    return factories.event(world[partner], wib(day_ahead(days), 9), actor=user("kesra"),
                           title=title, place="Balai Desa Katapang", headcount=headcount)


def snack_line(world, quantity=None, **extra):
    return {"group_id": world["ladu"].id, "product_id": world["snack"].id,
            "quantity": quantity, **extra}


def make_booking(world, event, lines, actor="kesra", deliver_at=None, kind="snack"):
    values = {"kind": kind, "deliver_at": deliver_at or event.starts_at - timedelta(minutes=30),
              "deliver_place": "", "dietary_notes": ""}
    outcome = book_catering(reload(event), values, lines, user(actor))
    db.session.commit()
    return outcome.booking


def booking_form(browser, event, lines, deliver_day=None, deliver_time="08:30", **extra):
    """The booking form as a browser would send it: (url, data)."""
    url = f"/acara/{event.id}/pesan"
    html = browser.get(url).get_data(as_text=True)
    day = deliver_day or to_local(event.starts_at).date()
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html), "kind": "snack",
            "deliver_date": day.isoformat(), "deliver_time": deliver_time,
            "deliver_place": "Balai Desa Katapang", "dietary_notes": "Halal"}
    for n, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{n}-{key}"] = "" if value is None else str(value)
    data.update(extra)
    return url, data


def post_booking(browser, event, lines, **kwargs):
    url, data = booking_form(browser, event, lines, **kwargs)
    return browser.client.post(url, data=data)


def step(browser, booking, slug, **data):
    url = f"/pesanan-acara/{booking.id}"
    return browser.submit(f"{url}/{slug}", data, page=url)


def capacity_used(product, day) -> int:
    return db.session.scalar(select(CapacityDay.used).where(
        CapacityDay.product_id == product.id, CapacityDay.day == day)) or 0


def doc_url(booking, group, name) -> str:
    return f"/pesanan-acara/{booking.id}/kelompok/{group.id}/{name}"


def issue_doc(browser, booking, group, name):
    """The "Terbitkan" button of a group's document (a POST with CSRF)."""
    return browser.submit(doc_url(booking, group, name)[:-4] + "/terbitkan",
                          page=f"/pesanan-acara/{booking.id}")


def open_doc(browser, booking, group, name):
    """Issue the document's number with its button, then open the PDF it leads to."""
    response = issue_doc(browser, booking, group, name)
    if response.status_code != 303:
        return response
    assert response.headers["Location"].endswith(doc_url(booking, group, name))
    return browser.get(response.headers["Location"])


# --- amounts in words ---------------------------------------------------------------


@pytest.mark.parametrize("amount, words", [
    (1_500_000, "satu juta lima ratus ribu rupiah"),
    (1_001_000, "satu juta seribu rupiah"),
    (1_000, "seribu rupiah"),
    (21_000, "dua puluh satu ribu rupiah"),
    (101_000, "seratus satu ribu rupiah"),
    (2_001_001_000, "dua miliar satu juta seribu rupiah"),
    (0, "nol rupiah"),
])
def test_rupiah_in_words(amount, words):
    assert rupiah_in_words(amount) == words


# --- events -------------------------------------------------------------------------


def test_officer_records_an_event_in_wib(browser, world):
    browser.login("kesra")
    day = day_ahead(10)
    data = {"partner_id": world["pemdes"].id, "title": "Musyawarah Desa",
            "place": "Balai Desa", "start_date": day.isoformat(), "start_time": "09:00",
            "end_date": "", "end_time": "12:30", "headcount": "60", "notes": ""}
    response = browser.submit("/acara/baru", data)
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert (event.village_id, event.partner_id, event.headcount) == (
        world["a"].id, world["pemdes"].id, 60)
    assert event.starts_at == wib(day, 9) and event.starts_at.tzinfo is not None
    assert event.ends_at == wib(day, 12, 30)
    assert event.starts_at.astimezone(UTC).hour == 2  # 09.00 WIB is 02.00 UTC
    page = text_of(browser.get(response.headers["Location"]))
    assert "Musyawarah Desa" in page and "09.00" in page and "12.30" in page


def test_event_cannot_end_before_it_starts(browser, world):
    browser.login("kesra")
    day = day_ahead(10)
    response = browser.submit("/acara/baru", {
        "partner_id": world["pemdes"].id, "title": "Rapat", "start_date": day.isoformat(),
        "start_time": "10:00", "end_time": "09:00"})
    assert response.status_code == 200
    assert "tidak bisa selesai sebelum mulai" in text_of(response)
    assert count(Event) == 0


def test_partner_contact_makes_events_only_for_their_institution(browser, world):
    browser.login("pemdes")
    day = day_ahead(5).isoformat()
    base = {"title": "Rapat Koordinasi", "start_date": day, "start_time": "13:00",
            "end_time": "15:00", "headcount": "20"}
    response = browser.submit("/acara/baru", {**base, "partner_id": world["camat"].id})
    assert response.status_code == 200 and count(Event) == 0
    response = browser.submit("/acara/baru", {**base, "partner_id": world["pemdes"].id})
    assert response.status_code == 302
    assert db.session.scalar(select(Event.partner_id)) == world["pemdes"].id


def test_upcoming_events_come_first(browser, world):
    later = make_event(world, "Rapat Akhir Tahun", days=20)
    soon = make_event(world, "Rapat Minggu Depan", days=2)
    past = make_event(world, "Rapat Bulan Lalu", days=2)
    past.starts_at = wib(today_in() - timedelta(days=30))
    past.ends_at = past.starts_at + timedelta(hours=2)
    db.session.commit()
    browser.login("kesra")
    page = text_of(browser.get("/acara"))
    assert page.index(soon.title) < page.index(later.title) < page.index(past.title)


def test_editing_an_event_bumps_its_sequence(browser, world):
    event = make_event(world)
    browser.login("pemdes")
    url = f"/acara/{event.id}/ubah"
    day = to_local(event.starts_at).date().isoformat()
    response = browser.submit(url, {
        "title": "Rapat Bulanan (diundur)", "place": "Aula Kecamatan", "start_date": day,
        "start_time": "10:00", "end_date": day, "end_time": "13:00", "headcount": "45",
        "partner_id": world["camat"].id, "status": "cancelled"})
    assert response.status_code == 302
    event = reload(event)
    assert (event.title, event.headcount, event.sequence, event.status) == (
        "Rapat Bulanan (diundur)", 45, 1, "planned")
    assert event.partner_id == world["pemdes"].id  # the institution stays
    assert to_local(event.starts_at).hour == 10


# --- bookings: split across groups and confirmed per group --------------------------


def test_booking_is_split_across_groups_and_confirmed_when_every_group_did(
        browser, make_browser, world):
    event = make_event(world, headcount=40)
    browser.login("kesra")
    response = post_booking(browser, event, [
        snack_line(world),  # description, quantity and price from the product/headcount
        {"group_id": world["kue"].id, "product_id": "", "description": "Kue basah campur",
         "quantity": "40", "unit_price": "Rp 5.000"},
    ])
    assert response.status_code == 302
    booking = db.session.scalar(select(CateringBooking))
    assert (booking.status, booking.village_id, booking.partner_id) == (
        "requested", world["a"].id, world["pemdes"].id)
    lines = [(line.group_id, line.product_id, line.description, line.quantity, line.unit_price)
             for line in booking.lines]
    assert lines == [
        (world["ladu"].id, world["snack"].id, "Ladu Ketan Box", 40, 15_000),
        (world["kue"].id, None, "Kue basah campur", 40, 5_000)]
    assert booking.total == 800_000
    assert to_local(booking.deliver_at).strftime("%H:%M") == "08:30"
    assert capacity_used(world["snack"], to_local(event.starts_at).date()) == 40

    ladu = make_browser()
    ladu.login("ladu")
    page = text_of(ladu.get(f"/pesanan-acara/{booking.id}"))
    assert "Konfirmasi baris kelompok saya" in page
    assert "Rp 600.000" in page and "Rp 200.000" not in page  # only their own money
    step(ladu, booking, "konfirmasi")
    booking = reload(booking)
    assert booking.status == "requested"
    assert [line.confirmed_at is not None for line in booking.lines] == [True, False]
    assert booking.lines[0].confirmed_by_id == user("ladu").id
    # Confirming again changes nothing.
    response = step(ladu, booking, "konfirmasi")
    assert reload(booking).lines[1].confirmed_at is None
    assert "tidak bisa dilakukan" in text_of(ladu.get(response.headers["Location"]))

    kue = make_browser()
    kue.login("kue")
    step(kue, booking, "konfirmasi")
    booking = reload(booking)
    assert booking.status == "confirmed" and booking.sequence == 2
    assert all(line.confirmed_at for line in booking.lines)
    actions = db.session.execute(select(AuditEntry.action, User.username).join(
        User, User.id == AuditEntry.actor_id).where(AuditEntry.entity == "booking")
        .order_by(AuditEntry.id)).all()
    assert actions == [("create", "kesra"), ("confirm", "ladu"), ("confirm", "kue")]


def test_two_groups_confirming_at_once_confirm_the_booking(app, world):
    event = make_event(world)
    booking = make_booking(world, event, [
        snack_line(world, 10),
        {"group_id": world["kue"].id, "product_id": world["lapis"].id, "quantity": 10}])
    booking_id = booking.id
    producer_ids = [user("ladu").id, user("kue").id]

    def confirm(producer_id):
        change_booking_status(db.session.get(CateringBooking, booking_id), "confirm",
                              db.session.get(User, producer_id))

    outcomes = run_at_once(app, confirm, producer_ids)
    assert outcomes == ["ok", "ok"]
    assert reload(booking).status == "confirmed"


# --- capacity shared with customer orders -------------------------------------------


def test_capacity_counts_customer_orders_of_the_same_day(browser, world):
    day = day_ahead(4)
    event = make_event(world, days=4, headcount=25)
    # A customer order for 30 boxes, confirmed for the same day, takes 30 of 50.
    ka = user("ka")
    order = create_orders(ka, {
        "channel": "whatsapp", "customer_name": "Bu Sari", "address": "Jl. Raya 5",
        "payment": "paid", "ship_date": day}, {world["snack"].id: 30})[0]
    change_status(order, "confirm", user("ladu"))
    db.session.commit()
    assert capacity_used(world["snack"], day) == 30

    browser.login("kesra")
    # 06.00 WIB is still the day before in UTC: the capacity day is the WIB day.
    response = post_booking(browser, event, [snack_line(world, 25)], deliver_day=day,
                            deliver_time="06:00")
    assert response.status_code == 200
    assert "Kapasitas Ladu Ketan Box" in text_of(response) and "tinggal 20" in text_of(response)
    assert count(CateringBooking) == 0 and count(BookingLine) == 0
    assert capacity_used(world["snack"], day) == 30

    response = post_booking(browser, event, [snack_line(world, 20)], deliver_day=day,
                            deliver_time="06:00")
    assert response.status_code == 302
    assert capacity_used(world["snack"], day) == 50
    # Another day has its own capacity.
    response = post_booking(browser, event, [snack_line(world, 25)],
                            deliver_day=day + timedelta(days=1))
    assert response.status_code == 302
    assert capacity_used(world["snack"], day + timedelta(days=1)) == 25
    assert count(CateringBooking) == 2


def test_cancelling_a_booking_gives_the_capacity_back(browser, world):
    event = make_event(world)
    day = to_local(event.starts_at).date()
    booking = make_booking(world, event, [snack_line(world, 40)])
    assert capacity_used(world["snack"], day) == 40
    browser.login("pemdes")
    response = step(browser, booking, "batal", reason="")
    assert "Tulis alasan pembatalan" in text_of(browser.get(response.headers["Location"]))
    assert reload(booking).status == "requested"
    step(browser, booking, "batal", reason="Rapat diundur")
    booking = reload(booking)
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Rapat diundur")
    assert booking.cancelled_at is not None
    assert capacity_used(world["snack"], day) == 0
    # The freed capacity can be booked again.
    make_booking(world, event, [snack_line(world, 50)])
    assert capacity_used(world["snack"], day) == 50


def test_cancel_gives_back_the_capacity_taken_though_the_product_changed(browser, world):
    event = make_event(world)
    day = to_local(event.starts_at).date()
    booking = make_booking(world, event, [snack_line(world, 40)])
    update_product(world["snack"], {"made_to_order": False}, user("ladu"))
    db.session.commit()
    browser.login("pemdes")
    step(browser, booking, "batal", reason="Rapat diundur")
    assert reload(booking).status == "cancelled"
    assert capacity_used(world["snack"], day) == 0
    assert reload(world["snack"]).stock == 0
    assert count(StockMovement) == 0


def test_cancelling_an_event_cancels_its_open_bookings(browser, world):
    event = make_event(world)
    day = to_local(event.starts_at).date()
    open_one = make_booking(world, event, [snack_line(world, 20)])
    done = make_booking(world, event, [snack_line(world, 10)])
    officer = user("kesra")
    change_booking_status(done, "confirm", officer)
    change_booking_status(done, "deliver", officer)
    db.session.commit()
    browser.login("kesra")
    browser.submit(f"/acara/{event.id}/batal", {"reason": "Kepala desa berhalangan"},
                   page=f"/acara/{event.id}")
    event = reload(event)
    assert (event.status, event.sequence) == ("cancelled", 1)
    assert reload(open_one).status == "cancelled"
    assert "Kepala desa berhalangan" in reload(open_one).cancel_reason
    assert reload(done).status == "delivered"
    assert capacity_used(world["snack"], day) == 10
    # No more bookings for a cancelled event.
    response = browser.get(f"/acara/{event.id}/pesan")
    assert response.status_code == 302


def test_concurrent_bookings_never_overbook_the_last_capacity(app, world):
    event = make_event(world)
    make_booking(world, event, [snack_line(world, 44)])  # 6 of 50 left
    event_id, officer_id = event.id, user("kesra").id
    values = {"kind": "snack", "deliver_at": event.starts_at - timedelta(minutes=30)}
    line = snack_line(world, 2)

    def book(_):
        book_catering(db.session.get(Event, event_id), values, [line],
                      db.session.get(User, officer_id))

    outcomes = run_at_once(app, book, range(6))
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 3, outcomes
    assert capacity_used(world["snack"], to_local(event.starts_at).date()) == 50
    assert count(CateringBooking) == 4
    assert db.session.scalar(select(func.sum(BookingLine.quantity))) == 50


# --- spending ceiling ---------------------------------------------------------------


def test_price_per_person_above_the_ceiling_warns_and_still_saves(browser, world):
    event = make_event(world, headcount=40)
    year = to_local(event.starts_at).year
    browser.login("kesra")
    response = browser.submit("/acara/batas-biaya", {
        "village_id": world["a"].id, "year": str(year), "kind": "snack",
        "amount": "Rp 21.000"})
    assert response.status_code == 302
    ceiling = db.session.scalar(select(SpendingCeiling))
    assert (ceiling.year, ceiling.kind, ceiling.amount) == (year, "snack", 21_000)
    assert "Rp 21.000" in text_of(browser.get("/acara/batas-biaya"))

    # 40 × Rp 15.000 + 40 × Rp 10.000 = Rp 25.000 per person.
    response = post_booking(browser, event, [
        snack_line(world),
        {"group_id": world["kue"].id, "description": "Kue lapis legit", "quantity": "40",
         "unit_price": "10.000"}])
    assert response.status_code == 302
    page = text_of(browser.get(response.headers["Location"]))
    assert "melebihi batas biaya" in page and "Rp 25.000" in page and "Rp 21.000" in page
    assert count(CateringBooking) == 1

    # Within the ceiling: no warning.
    response = post_booking(browser, event, [
        {"group_id": world["kue"].id, "description": "Kue basah", "quantity": "40",
         "unit_price": "20.000"}])
    assert "melebihi batas biaya" not in text_of(browser.get(response.headers["Location"]))
    # A meal ceiling does not apply to snacks; a ceiling of another year neither.
    assert count(CateringBooking) == 2


def test_ceiling_counts_food_and_drink_only(browser, world):
    """The SBM is for food and drink per person: souvenirs on the same booking (a
    craft group's line typed by hand, a catalogue product of a craft category) are
    not snacks. The page shows the per-person food figure that was compared."""
    event = make_event(world, headcount=80)
    bag = factories.product(world["rajut"], "Tas Rajut Mini", category="kerajinan",
                            unit="pcs", reseller_price=80_000, retail_price=100_000)
    browser.login("kesra")
    browser.submit("/acara/batas-biaya", {
        "village_id": world["a"].id, "year": str(to_local(event.starts_at).year),
        "kind": "snack", "amount": "21.000"})
    # 80 × Rp 17.000 of cakes, and Rp 400.000 of bags: Rp 22.000 per person in all,
    # Rp 17.000 of it food.
    response = post_booking(browser, event, [
        {"group_id": world["kue"].id, "product_id": world["lapis"].id, "quantity": "80",
         "unit_price": "17.000"},
        {"group_id": world["rajut"].id, "description": "Tas rajut cendera mata",
         "quantity": "5", "unit_price": "60.000"},
        {"group_id": world["rajut"].id, "product_id": bag.id, "quantity": "1"}])
    assert response.status_code == 302
    page = browser.get(response.headers["Location"])
    assert "melebihi batas biaya" not in text_of(page)
    per_person = re.search(r'id="per-orang">([^<]+)<', page.get_data(as_text=True))
    assert per_person and per_person.group(1).replace("\xa0", " ").strip() == "Rp 17.000"
    assert "Rp 22.000" not in text_of(page)
    assert text_of(page).count("bukan makanan/minuman") == 2

    # Food above the ceiling still warns, with the food figure.
    response = post_booking(browser, event, [
        {"group_id": world["kue"].id, "description": "Kue basah", "quantity": "80",
         "unit_price": "22.000"},
        {"group_id": world["rajut"].id, "product_id": bag.id, "quantity": "1"}])
    page = text_of(browser.get(response.headers["Location"]))
    assert "melebihi batas biaya" in page and "Rp 22.000" in page and "Rp 21.000" in page
    assert count(CateringBooking) == 2


def test_delivery_after_the_event_started_warns_and_still_saves(browser, make_browser,
                                                                world):
    event = make_event(world, headcount=40)  # 09.00 to 12.00 WIB
    browser.login("kesra")
    response = post_booking(browser, event, [snack_line(world)], deliver_time="12:00")
    assert response.status_code == 302 and count(CateringBooking) == 1
    booking_url = response.headers["Location"]
    warning = "waktu antar 12.00 sesudah acara mulai (09.00)"
    assert warning in text_of(browser.get(booking_url))
    # The group that brings the food sees it too.
    producer = make_browser()
    producer.login("ladu")
    assert warning in text_of(producer.get(booking_url))

    # After the event ended: said so.
    response = post_booking(browser, event, [snack_line(world, quantity=5)],
                            deliver_time="13:15")
    assert "waktu antar 13.15 sesudah acara selesai (12.00)" in text_of(
        browser.get(response.headers["Location"]))
    # Before the start: no warning.
    response = post_booking(browser, event, [snack_line(world, quantity=5)],
                            deliver_time="08:30")
    assert "waktu antar" not in text_of(browser.get(response.headers["Location"]))
    assert count(CateringBooking) == 3


def test_ceilings_are_for_officers_of_their_villages(browser, world):
    browser.login("kesra")
    response = browser.submit("/acara/batas-biaya", {
        "village_id": world["b"].id, "year": "2026", "kind": "meal", "amount": "50.000"})
    assert response.status_code == 200 and count(SpendingCeiling) == 0
    for amount in ("0", "NaN", "-5.000"):
        browser.submit("/acara/batas-biaya", {
            "village_id": world["a"].id, "year": "2026", "kind": "meal", "amount": amount})
    assert count(SpendingCeiling) == 0
    browser.logout()
    browser.login("pemdes")
    assert browser.get("/acara/batas-biaya").status_code == 403


# --- status flow --------------------------------------------------------------------

STATUS_PATH = {
    "requested": [], "confirmed": ["confirm"], "delivered": ["confirm", "deliver"],
    "invoiced": ["confirm", "deliver", "invoice"],
    "paid": ["confirm", "deliver", "invoice", "pay"], "cancelled": ["cancel"],
}


@pytest.mark.parametrize("status", list(STATUS_PATH))
@pytest.mark.parametrize("step_name", STEPS)
def test_every_transition_is_allowed_or_refused_by_the_table(world, status, step_name):
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 10)])
    officer = user("kesra")
    for earlier in STATUS_PATH[status]:
        change_booking_status(booking, earlier, officer, reason="uji")
    db.session.commit()
    expected = TRANSITIONS.get((status, step_name))
    if expected is None:
        with pytest.raises(RuleError):
            change_booking_status(booking, step_name, officer, reason="uji")
        db.session.rollback()
        assert reload(booking).status == status
    else:
        change_booking_status(booking, step_name, officer, reason="uji")
        db.session.commit()
        assert reload(booking).status == expected
    day = to_local(event.starts_at).date()
    held = 0 if reload(booking).status == "cancelled" else 10
    assert capacity_used(world["snack"], day) == held


def test_full_flow_over_http_records_who_and_when(browser, make_browser, world):
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 10)], actor="pemdes")
    browser.login("kesra")
    step(browser, booking, "konfirmasi")  # the officer may confirm every group's lines
    ladu = make_browser()
    ladu.login("ladu")
    step(ladu, booking, "kirim")
    step(browser, booking, "tagih")
    step(browser, booking, "lunas")
    booking = reload(booking)
    assert booking.status == "paid" and booking.sequence == 4
    assert booking.delivered_at and booking.invoiced_at and booking.paid_at
    assert booking.lines[0].confirmed_by_id == user("kesra").id
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.at)
                              .where(AuditEntry.entity == "booking")
                              .order_by(AuditEntry.id)).all()
    assert [(r.action, r.actor_id) for r in rows] == [
        ("create", user("pemdes").id), ("confirm", user("kesra").id),
        ("deliver", user("ladu").id), ("invoice", user("kesra").id),
        ("pay", user("kesra").id)]
    assert all(r.at for r in rows)
    page = text_of(browser.get(f"/pesanan-acara/{booking.id}"))
    assert "Lunas" in page and "Ibu Euis" in page


def test_each_step_only_for_its_roles(browser, make_browser, world):
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 10)])
    partner = make_browser()
    partner.login("pemdes")
    step(partner, booking, "konfirmasi")
    assert reload(booking).status == "requested"
    ladu = make_browser()
    ladu.login("ladu")
    step(ladu, booking, "batal", reason="tidak sanggup")
    assert reload(booking).status == "requested"
    step(ladu, booking, "konfirmasi")
    step(partner, booking, "kirim")
    assert reload(booking).status == "confirmed"
    step(ladu, booking, "kirim")
    step(ladu, booking, "tagih")
    step(partner, booking, "tagih")
    assert reload(booking).status == "delivered"
    # Cancelling after delivery is refused too.
    browser.login("kesra")
    step(browser, booking, "batal", reason="terlambat")
    assert reload(booking).status == "delivered"
    assert step(browser, booking, "hapus").status_code == 404


def test_resent_booking_form_creates_one_booking(browser, world):
    event = make_event(world)
    browser.login("kesra")
    url, data = booking_form(browser, event, [snack_line(world, 10)])
    first = browser.client.post(url, data=data)
    second = browser.client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(CateringBooking) == 1 and count(BookingLine) == 1
    assert capacity_used(world["snack"], to_local(event.starts_at).date()) == 10


@pytest.mark.parametrize("lines, extra, message", [
    ([], {}, "Isi minimal satu baris"),
    ([{"group_id": "OPAK", "description": "Opak", "quantity": "10", "unit_price": "1.000"}],
     {}, "Not a valid choice"),
    ([{"group_id": "KUE", "product_id": "SNACK", "quantity": "10"}], {},
     "Ladu Ketan Box bukan produk Kue Basah RW 03"),
    ([{"group_id": "KUE", "description": "Kue", "quantity": "0", "unit_price": "1.000"}],
     {}, "Jumlah 1 sampai"),
    ([{"group_id": "KUE", "description": "Kue", "quantity": "10", "unit_price": "NaN"}],
     {}, "Tulis jumlah rupiah dengan angka"),
    ([{"group_id": "KUE", "description": "Kue", "quantity": "10"}], {}, "isi harga satuan"),
    ([{"group_id": "KUE", "quantity": "10", "unit_price": "1.000"}], {},
     "tulis nama barang"),
    ([{"group_id": "KUE", "description": "Kue", "quantity": "10", "unit_price": "1.000"}],
     {"deliver_date": "2020-01-01"}, "Waktu antar sudah lewat"),
    ([{"group_id": "KUE", "description": "Kue", "quantity": "10", "unit_price": "1.000"}],
     {"deliver_time": "25:00"}, "Tulis jam yang benar"),
])
def test_bad_booking_input_is_refused_and_stores_nothing(browser, world, lines, extra,
                                                         message):
    ids = {"OPAK": world["opak"].id, "KUE": world["kue"].id, "SNACK": world["snack"].id}
    lines = [{k: ids.get(v, v) for k, v in line.items()} for line in lines]
    event = make_event(world)
    browser.login("kesra")
    response = post_booking(browser, event, lines, **extra)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page or ("Bukan pilihan yang valid" in page
                               and message == "Not a valid choice")
    assert count(CateringBooking) == 0 and count(CapacityDay) == 0


def test_extra_fields_are_ignored(browser, make_browser, world):
    event = make_event(world)
    browser.login("kesra")
    response = post_booking(browser, event, [snack_line(world, 10)], status="paid",
                            village_id=str(world["b"].id), partner_id=str(world["camat"].id),
                            **{"lines-0-confirmed_at": "2026-01-01", "total": "1"})
    assert response.status_code == 302
    booking = db.session.scalar(select(CateringBooking))
    assert (booking.status, booking.village_id, booking.partner_id) == (
        "requested", world["a"].id, world["pemdes"].id)
    assert booking.lines[0].confirmed_at is None
    ladu = make_browser()
    ladu.login("ladu")
    step(ladu, booking, "konfirmasi", unit_price="1", quantity="1", status="paid",
         **{"lines-0-unit_price": "1"})
    booking = reload(booking)
    assert booking.status == "confirmed"
    assert (booking.lines[0].quantity, booking.lines[0].unit_price) == (10, 15_000)


# --- documents ----------------------------------------------------------------------


def test_receipt_has_number_amount_words_npwp_and_bank(browser, make_browser, world):
    event = make_event(world)
    booking = make_booking(world, event, [
        snack_line(world, 40),
        {"group_id": world["kue"].id, "description": "Kue basah", "quantity": 40,
         "unit_price": 2_500}])
    today = today_in()
    browser.login("pemdes")
    text = pdf_text(open_doc(browser, booking, world["ladu"], "kwitansi.pdf"))
    number = f"001/KWT/KTP/{roman_month(today.month)}/{today.year}"
    assert number in text
    assert "KWITANSI" in text and "Sudah terima dari" in text
    assert "Pemerintah Desa Katapang" in text
    assert "Rp 600.000" in text and "Enam ratus ribu rupiah" in text
    assert "Rp 100.000" not in text  # the other group's line is not on this receipt
    assert "12.345.678.9-012.000" in text
    assert "BRI 0123-01-000123-50-1 a.n. Kelompok Ladu Ketan" in text
    assert "Ibu Euis Sumiati" in text and "Ladu Ketan RW 09" in text
    assert "meterai" not in text.lower()
    # Printed again: the same number.
    assert number in pdf_text(open_doc(browser, booking, world["ladu"], "kwitansi.pdf"))
    # The other group's receipt has the next number, without NPWP or bank.
    kue = make_browser()
    kue.login("kue")
    other = pdf_text(open_doc(kue, booking, world["kue"], "kwitansi.pdf"))
    assert f"002/KWT/KTP/{roman_month(today.month)}/{today.year}" in other
    assert "Seratus ribu rupiah" in other and "Rp 100.000" in other
    assert "NPWP" not in other and "BRI" not in other
    assert count(IssuedDocument) == 2


def test_meterai_note_only_above_five_million(browser, world):
    event = make_event(world)
    exactly = make_booking(world, event, [
        {"group_id": world["ladu"].id, "description": "Nasi box", "quantity": 100,
         "unit_price": 50_000}], kind="meal")
    above = make_booking(world, event, [
        {"group_id": world["ladu"].id, "description": "Nasi box", "quantity": 100,
         "unit_price": 50_010}], kind="meal")
    browser.login("kesra")
    text = pdf_text(open_doc(browser, exactly, world["ladu"], "kwitansi.pdf"))
    assert "Rp 5.000.000" in text and "Lima juta rupiah" in text
    assert "Tempel meterai" not in text
    text = pdf_text(open_doc(browser, above, world["ladu"], "kwitansi.pdf"))
    assert "Rp 5.001.000" in text and "Lima juta seribu rupiah" in text
    assert "Tempel meterai Rp10.000" in text


def test_invoice_and_delivery_note(browser, world):
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 40)])
    booking.dietary_notes = "Halal; tanpa kacang"
    db.session.commit()
    today = today_in()
    browser.login("ladu")
    text = pdf_text(open_doc(browser, booking, world["ladu"], "faktur.pdf"))
    assert f"001/INV/KTP/{roman_month(today.month)}/{today.year}" in text
    assert "FAKTUR" in text and "Ladu Ketan Box" in text and "Rp 15.000" in text
    assert "Rp 600.000" in text and "0123-01-000123-50-1" in text
    assert "paling lambat 14 hari" in text
    text = pdf_text(open_doc(browser, booking, world["ladu"], "surat-jalan.pdf"))
    assert f"001/SJ/KTP/{roman_month(today.month)}/{today.year}" in text
    assert "SURAT JALAN" in text and "Diterima oleh" in text and "Dikirim oleh" in text
    assert "Halal; tanpa kacang" in text and "Balai Desa Katapang" in text
    deliver = to_local(booking.deliver_at)
    assert f"pukul {deliver:%H.%M} WIB" in text
    assert "Rp" not in text  # a delivery note has no prices


def test_markup_in_names_is_printed_literally(browser, world):
    world["pemdes"].name = f"Pemdes {MARKUP}"
    db.session.commit()
    event = make_event(world, title=f"Rapat {MARKUP}")
    booking = make_booking(world, event, [snack_line(world, 10, description=f"Box {MARKUP}")])
    browser.login("kesra")
    page = browser.get(f"/pesanan-acara/{booking.id}").get_data(as_text=True)
    assert "<font color=red>" not in page
    for name in ("kwitansi.pdf", "faktur.pdf", "surat-jalan.pdf"):
        text = pdf_text(open_doc(browser, booking, world["ladu"], name))
        assert f"Pemdes {MARKUP}" in text, name
        assert f"Box {MARKUP}" in text, name
    assert f"Rapat {MARKUP}" in pdf_text(open_doc(browser, booking, world["ladu"], "kwitansi.pdf"))


def test_no_documents_for_a_cancelled_booking(browser, world):
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 10)])
    change_booking_status(booking, "cancel", user("kesra"), reason="batal")
    db.session.commit()
    browser.login("kesra")
    response = browser.get(doc_url(booking, world["ladu"], "kwitansi.pdf"))
    assert response.status_code == 302 and count(IssuedDocument) == 0
    response = issue_doc(browser, booking, world["ladu"], "kwitansi.pdf")
    assert response.status_code == 302 and count(IssuedDocument) == 0


def test_documents_extract_as_printed_with_list_marks(browser, world):
    """The receipt lists the lines with a dash that text extractors (and copy and
    paste) read back; a bullet typed by a user prints as a dash too."""
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 40)])
    booking.dietary_notes = "\u2022 Halal\n\u2022 tanpa kacang"
    db.session.commit()
    browser.login("kesra")
    receipt = open_doc(browser, booking, world["ladu"], "kwitansi.pdf")
    assert_readable_pdf(receipt.data, "\u2013 40 \u00d7 Ladu Ketan Box @ Rp 15.000")
    for name in ("faktur.pdf", "surat-jalan.pdf"):
        assert_readable_pdf(open_doc(browser, booking, world["ladu"], name).data, "Ladu Ketan Box")
    delivery = open_doc(browser, booking, world["ladu"], "surat-jalan.pdf")
    assert_readable_pdf(delivery.data, "\u2013 Halal", "\u2013 tanpa kacang")


def test_opening_a_document_never_issues_its_number(browser, world):
    """A GET (which a link on any site can make a signed-in browser send) only opens a
    document already numbered; the "Terbitkan" button, a POST with its CSRF token,
    issues the number."""
    event = make_event(world)
    booking = make_booking(world, event, [snack_line(world, 10)])
    browser.login("kesra")

    def counted():
        return (count(IssuedDocument), count(DocumentCounter),
                db.session.scalar(select(func.coalesce(func.sum(DocumentCounter.last), 0))))

    for name in ("faktur.pdf", "kwitansi.pdf", "surat-jalan.pdf"):
        response = browser.get(doc_url(booking, world["ladu"], name))
        assert response.status_code == 302
        assert "belum bernomor" in text_of(browser.get(response.headers["Location"]))
    page = text_of(browser.get(f"/pesanan-acara/{booking.id}"))
    assert "Terbitkan Kuitansi (PDF)" in page
    assert counted() == (0, 0, 0)
    refused = browser.client.post(doc_url(booking, world["ladu"], "kwitansi/terbitkan"))
    assert refused.status_code == 400 and counted() == (0, 0, 0)

    today = today_in()
    number = f"001/KWT/KTP/{roman_month(today.month)}/{today.year}"
    assert number in pdf_text(open_doc(browser, booking, world["ladu"], "kwitansi.pdf"))
    assert counted() == (1, 1, 1)
    for _ in range(3):
        assert number in pdf_text(browser.get(doc_url(booking, world["ladu"], "kwitansi.pdf")))
    assert issue_doc(browser, booking, world["ladu"], "kwitansi.pdf").status_code == 303
    assert counted() == (1, 1, 1)
    assert number in text_of(browser.get(f"/pesanan-acara/{booking.id}"))


# --- scoping ------------------------------------------------------------------------


def test_others_get_404_on_events_bookings_and_documents(make_browser, world):
    event = make_event(world, title="Rapat Rahasia Desa")
    booking = make_booking(world, event, [
        snack_line(world, 10),
        {"group_id": world["kue"].id, "product_id": world["lapis"].id, "quantity": 10}])
    urls = [f"/acara/{event.id}", f"/acara/{event.id}/ubah", f"/acara/{event.id}/pesan",
            f"/pesanan-acara/{booking.id}"]
    urls += [doc_url(booking, world[g], name) for g in ("ladu", "kue")
             for name in ("faktur.pdf", "kwitansi.pdf", "surat-jalan.pdf")]
    for username in ("kesra_b", "rajut", "camat", "opak", "ka"):
        other = make_browser()
        other.login(username)
        for url in urls:
            assert other.get(url).status_code == 404, (username, url)
        for g in ("ladu", "kue"):
            response = issue_doc(other, booking, world[g], "kwitansi.pdf")
            assert response.status_code == 404, (username, g)
        page = "/beranda"
        for slug in ("konfirmasi", "kirim", "batal"):
            response = other.submit(f"/pesanan-acara/{booking.id}/{slug}",
                                    {"reason": "x"}, page=page)
            assert response.status_code == 404, (username, slug)
        response = other.submit(f"/acara/{event.id}/batal", {"reason": "x"}, page=page)
        assert response.status_code == 404
        for listing in ("/acara", "/pesanan-acara"):
            response = other.get(listing)
            assert response.status_code in (200, 403)
            assert "Rapat Rahasia Desa" not in text_of(response)
    assert reload(booking).status == "requested"
    assert reload(event).status == "planned"
    assert count(IssuedDocument) == 0


def test_producer_sees_only_own_group_documents_and_money(make_browser, world):
    event = make_event(world, title="Rapat Bulanan")
    booking = make_booking(world, event, [
        snack_line(world, 10),
        {"group_id": world["kue"].id, "description": "Kue lapis", "quantity": 10,
         "unit_price": 7_000}])
    ladu = make_browser()
    ladu.login("ladu")
    assert "Rapat Bulanan" in text_of(ladu.get("/acara"))
    assert "Rapat Bulanan" in text_of(ladu.get("/pesanan-acara"))
    page = text_of(ladu.get(f"/pesanan-acara/{booking.id}"))
    assert "Rp 150.000" in page and "Rp 70.000" not in page and "Rp 220.000" not in page
    assert "Kue lapis" in page  # what the other group brings, without its price
    assert ladu.get(doc_url(booking, world["kue"], "kwitansi.pdf")).status_code == 404
    assert issue_doc(ladu, booking, world["kue"], "kwitansi.pdf").status_code == 404
    assert open_doc(ladu, booking, world["ladu"], "kwitansi.pdf").status_code == 200
    # The officer and the partner may print every group's documents.
    for username in ("kesra", "pemdes"):
        other = make_browser()
        other.login(username)
        assert open_doc(other, booking, world["kue"], "faktur.pdf").status_code == 200
        assert "Rp 220.000" in text_of(other.get(f"/pesanan-acara/{booking.id}"))
    # A group without lines in this booking has no documents for it.
    kesra = make_browser()
    kesra.login("kesra")
    assert kesra.get(doc_url(booking, world["rajut"], "faktur.pdf")).status_code == 404
    assert issue_doc(kesra, booking, world["rajut"], "faktur.pdf").status_code == 404

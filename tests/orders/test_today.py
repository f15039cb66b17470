"""The producer's "Hari ini" page: what to make, pack, send and pull back today and
tomorrow, their own group only."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from crm.auth.models import User
from crm.consignment.models import ConsignmentDrop, Outlet
from crm.events.models import BookingLine, CateringBooking
from crm.extensions import db
from crm.orders.today import today_work
from crm.text.dates import village_today
from tests import factories
from tests.helpers import Browser, text_of


def _order(reseller, product, quantity, ship_date, status="new"):
    made = factories.order(reseller, [(product, quantity)], status=status)
    made.ship_date = ship_date
    db.session.commit()
    return made


def _drop(group, product, on_shelf, pull_back_on):
    outlet = Outlet(group_id=group.id, village_id=group.village_id,
                    name=f"Warung {product.name} {on_shelf}")
    db.session.add(outlet)
    db.session.flush()
    db.session.add(ConsignmentDrop(
        outlet_id=outlet.id, group_id=group.id, village_id=group.village_id,
        product_id=product.id, quantity=on_shelf, on_shelf=on_shelf, unit_price=10_000,
        placed_on=pull_back_on - timedelta(days=7), pull_back_on=pull_back_on, status="open"))
    db.session.commit()


def _booking(group, product, quantity, deliver_at):
    partner = factories.partner(group.village)
    event = factories.event(partner, deliver_at - timedelta(hours=2))
    booking = CateringBooking(event_id=event.id, village_id=group.village_id,
                              partner_id=partner.id, status="confirmed", deliver_at=deliver_at)
    booking.lines = [BookingLine(group_id=group.id, product_id=product.id,
                                 description=product.name, quantity=quantity,
                                 unit_price=product.retail_price)]
    db.session.add(booking)
    db.session.commit()
    return booking


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.officer(a, username="kesra")
    ka = factories.reseller(a, username="ka")
    kb = factories.reseller(b, username="kb")
    snack = factories.product(ladu, "Ladu Ketan Original")
    wijen = factories.product(ladu, "Ladu Wijen")
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs")
    chips = factories.product(opak, "Opak Bakar")
    today = village_today(a)
    tomorrow = today + timedelta(days=1)
    # ladu: today 3 + 4 snack (one late), packed 9 (to send, not to make); tomorrow 2.
    _order(ka, snack, 3, today)
    _order(ka, snack, 4, today - timedelta(days=1), status="confirmed")
    _order(ka, wijen, 9, today, status="packed")
    _order(ka, snack, 2, tomorrow)
    _order(ka, snack, 50, tomorrow + timedelta(days=1))  # after tomorrow: not shown
    _order(ka, bag, 11, today)  # rajut's
    _order(kb, chips, 13, today)  # another village
    noon = datetime.combine(tomorrow, time(11), ZoneInfo("Asia/Jakarta"))
    booking = _booking(ladu, wijen, 40, noon)
    _booking(rajut, bag, 17, noon)
    _drop(ladu, snack, 6, today - timedelta(days=2))
    _drop(ladu, wijen, 8, tomorrow)
    _drop(ladu, wijen, 21, tomorrow + timedelta(days=3))  # later: not shown
    _drop(rajut, bag, 19, today)
    _drop(opak, chips, 23, today)
    return {"today": today, "booking": booking}


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def test_counts_per_product_and_day(world):
    days = today_work(_user("ladu"), world["today"])
    made = {key: {name: qty for _, name, qty in day["make"]} for key, day in days.items()}
    # Today: 3 new + 4 confirmed (late); the packed 9 are made already.
    assert made["today"] == {"Ladu Ketan Original": 7}
    # Tomorrow: 2 ordered and 40 for the catering booking.
    assert made["tomorrow"] == {"Ladu Wijen": 40, "Ladu Ketan Original": 2}
    assert [len(days["today"][k]) for k in ("orders", "lines", "drops")] == [3, 0, 1]
    assert [len(days["tomorrow"][k]) for k in ("orders", "lines", "drops")] == [1, 1, 1]
    assert days["today"]["make"][0][0].name == "Ladu Ketan Original"


def test_page_shows_only_the_group_work(world, client):
    browser = Browser(client)
    browser.login("ladu")
    page = browser.get("/hari-ini")
    assert page.status_code == 200
    text = text_of(page)
    assert "Hari ini" in text and "Besok" in text
    assert "Tas Rajut" not in text and "Opak" not in text
    for figure in ("11", "13", "17", "19", "23", "50", "21"):
        assert f" {figure} " not in f" {text} "
    html = page.get_data(as_text=True)
    assert f'href="/pesanan-acara/{world["booking"].id}"' in html
    assert "40 × Ladu Wijen" in text and "6 × Ladu Ketan Original" in text


@pytest.mark.parametrize("username", ["kesra", "ka"])
def test_other_roles_are_refused(world, client, username):
    browser = Browser(client)
    browser.login(username)
    assert browser.get("/hari-ini").status_code == 403

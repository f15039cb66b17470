"""Contributions: a share of each finished order and each paid catering booking,
rounded down, counted once however often the hook runs."""

from datetime import timedelta

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.db.types import utcnow
from crm.events.catering import book_catering
from crm.events.services import create_event
from crm.extensions import db
from crm.fund.accrual import accrue_contribution, contribution_of
from crm.fund.models import FundEntry
from crm.orders.services import create_orders
from tests.fund.support import set_rule, today, user
from tests.helpers import count, reload, text_of

CUSTOMER = {
    "channel": "whatsapp", "customer_name": "Bu Sari", "customer_phone": "0813-2222-3333",
    "address": "Jl. Raya Katapang No. 5", "payment": "paid", "shipping_cost": 0,
}


def contributions(group):
    db.session.expire_all()
    return db.session.scalars(select(FundEntry).where(
        FundEntry.group_id == group.id, FundEntry.kind == "contribution")
        .order_by(FundEntry.id)).all()


def test_rounding_is_down_to_whole_rupiah():
    assert contribution_of(37_035, 250) == 925  # 925,875
    assert contribution_of(39, 250) == 0
    assert contribution_of(120_000, 250) == 3_000
    assert contribution_of(99_999, 10_000) == 99_999


def test_finished_order_over_http_adds_the_exact_share(browser, make_browser, world):
    browser.login("ladu")
    browser.submit(f"/dana-sosial/kelompok/{world['ladu'].id}/aturan", {
        "mode": "percent", "rate": "2,5", "starts_on": today(world["ladu"]).isoformat()})
    order = create_orders(world["ka"], CUSTOMER, {world["snack"].id: 3})[0]
    db.session.commit()
    url = f"/pesanan/{order.id}"
    steps = [("konfirmasi", {}), ("kemas", {}), ("kirim", {"tracking_number": "antar sendiri"})]
    for slug, data in steps:
        assert browser.submit(f"{url}/{slug}", data, page=url).status_code == 302
        assert contributions(world["ladu"]) == []  # nothing before the order is finished
    browser.submit(f"{url}/selesai", page=url)
    assert reload(order).status == "finished"
    [entry] = contributions(world["ladu"])
    # 3 × Rp 12.345 = Rp 37.035; 2,5% = 925,875 → Rp 925.
    assert (entry.amount, entry.revenue, entry.rate_bp) == (925, 37_035, 250)
    assert (entry.source, entry.source_id, entry.occurred_on) == (
        "order", order.id, today(world["ladu"]))
    audit = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "fund_entry", AuditEntry.entity_id == entry.id))
    assert audit.action == "accrue" and audit.actor.username == "ladu"
    page = text_of(browser.get(f"/dana-sosial/kelompok/{world['ladu'].id}"))
    assert f"Pesanan #{order.id} — 2,5% dari Rp 37.035" in page
    assert "+ Rp 925" in page


def test_no_rule_or_rule_starting_later_adds_nothing(browser, world):
    order = create_orders(world["ka"], CUSTOMER, {world["snack"].id: 1})[0]
    db.session.commit()
    browser.login("ladu")
    url = f"/pesanan/{order.id}"
    for slug, data in [("konfirmasi", {}), ("kemas", {}), ("kirim", {"tracking_number": "R1"}),
                       ("selesai", {})]:
        browser.submit(f"{url}/{slug}", data, page=url)
    assert reload(order).status == "finished"
    assert count(FundEntry) == 0
    set_rule(world["ladu"], rate_bp=500, starts_on=today(world["ladu"]) + timedelta(days=1))
    assert accrue_contribution(world["ladu"], "order", order.id, 12_345,
                               today(world["ladu"])) is None
    assert count(FundEntry) == 0


def test_paid_booking_adds_each_groups_share(browser, world):
    set_rule(world["ladu"], rate_bp=250)
    set_rule(world["rajut"], rate_bp=1000)
    starts = utcnow() + timedelta(days=3)
    event = create_event(world["pemdes"], {
        "title": "Rapat Bulanan", "place": "Balai Desa", "starts_at": starts,
        "ends_at": starts + timedelta(hours=2), "headcount": 10}, user("kesra"))
    db.session.commit()
    outcome = book_catering(event, {
        "kind": "snack", "deliver_at": starts - timedelta(minutes=30), "deliver_place": "",
        "dietary_notes": ""}, [
        {"group_id": world["ladu"].id, "product_id": world["snack"].id, "quantity": 10},
        {"group_id": world["rajut"].id, "description": "Tas souvenir", "quantity": 3,
         "unit_price": 20_333},
    ], user("kesra"))
    db.session.commit()
    booking = outcome.booking
    browser.login("kesra")
    url = f"/pesanan-acara/{booking.id}"
    for slug in ("konfirmasi", "kirim", "tagih"):
        browser.submit(f"{url}/{slug}", page=url)
        assert count(FundEntry) == 0
    browser.submit(f"{url}/lunas", page=url)
    assert reload(booking).status == "paid"
    [ladu] = contributions(world["ladu"])
    [rajut] = contributions(world["rajut"])
    assert (ladu.source, ladu.source_id, ladu.revenue, ladu.amount) == (
        "booking", booking.id, 150_000, 3_750)
    assert (rajut.revenue, rajut.amount) == (60_999, 6_099)  # 10% of 60.999, rounded down
    page = text_of(browser.get(f"/dana-sosial/kelompok/{world['rajut'].id}"))
    assert f"Pesanan acara #{booking.id} — 10% dari Rp 60.999" in page


def test_hook_run_twice_adds_one_row(world):
    set_rule(world["ladu"], rate_bp=250)
    day = today(world["ladu"])
    first = accrue_contribution(world["ladu"], "order", 41, 100_000, day)
    second = accrue_contribution(world["ladu"], "order", 41, 100_000, day)
    db.session.commit()
    assert first is not None and second is None
    assert [(e.source_id, e.amount) for e in contributions(world["ladu"])] == [(41, 2_500)]
    # The same record number from another source, or for another group, is its own row.
    accrue_contribution(world["ladu"], "booking", 41, 100_000, day)
    set_rule(world["rajut"], rate_bp=250)
    accrue_contribution(world["rajut"], "order", 41, 100_000, day)
    db.session.commit()
    assert count(FundEntry) == 3
    assert count(AuditEntry, AuditEntry.entity == "fund_entry") == 3


def test_fixed_rule_takes_nothing_from_sales(world):
    set_rule(world["ladu"], mode="fixed", fixed_amount=50_000)
    assert accrue_contribution(world["ladu"], "order", 7, 1_000_000,
                               today(world["ladu"])) is None
    db.session.commit()
    assert [e.source for e in contributions(world["ladu"])] == ["fixed"]

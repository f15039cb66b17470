"""Twelve months of the Katapang demo's past, in every channel, so that its reports,
charts and the capital proposal tell a believable story.

Before MRSE the ladu ketan group turned over about Rp 15 juta a month and the
knitters about Rp 10 juta, nearly all of it sold at home and at the market. Over the
year the MRSE channels grow — reseller orders, consignment at the warung and the
market kiosk, snacks for the village's monthly meeting and the Kecamatan's quarterly
events — and the group's whole turnover ends a little above what it was, with the
MRSE channels a growing share of it. The groups record their other sales as a
month's total, except for the current month, not yet recorded.

The past is written in bulk (orders, consignment, events and bookings as rows, the
running totals and monthly summaries rebuilt once from them) so that loading the
demo stays fast; the other sales go through :func:`record_other_sales`, as the
producers' form does. Everything follows from a fixed seed and today's date.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.consignment import months as consignment_months
from crm.consignment.models import ConsignmentDrop, ConsignmentVisit, ConsignmentVisitLine, Outlet
from crm.db.types import utcnow
from crm.events.models import BookingLine, CateringBooking, Event
from crm.events.services import combine_local
from crm.extensions import db
from crm.fund import balances as fund_balances
from crm.fund.accrual import accrue_contribution, rule_for
from crm.orders.models import Order, OrderEvent, OrderLine
from crm.reports import summaries
from crm.reports.models import OtherSale
from crm.reports.queries import current_month
from crm.settlements import pair_totals
from crm.settlements.models import ResellerPayment
from crm.text.dates import today_in

MONTHS = 12
SEED = 2026
BUYERS = [
    ("Bu Sari", "Jl. Raya Katapang No. 5", "Katapang"),
    ("Pak Ujang", "Perum Griya Sangkan Blok C2", "Katapang"),
    ("Teh Rini", "Jl. Terusan Kopo No. 120", "Margahayu"),
    ("Kang Dadan", "Kp. Cilampeni RT 02 RW 05", "Katapang"),
    ("Bu Enok", "Jl. Sukamenak No. 8", "Margahayu"),
    ("Mbak Wulan", "Jl. Soreang Raya No. 44", "Soreang"),
]
CHANNELS = ("shopee", "whatsapp", "instagram", "facebook", "website", "whatsapp")


def load_history(village, ladu, rajut, snacks, bags, pemdes, kecamatan, users) -> None:
    """The last twelve full months of both Katapang groups (see the module)."""
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  (demo figures, not secrets)
    today = today_in()
    this_month = current_month()
    months = [this_month.shift(-age) for age in range(MONTHS, 0, -1)]
    outlets = {o.group_id: o for o in db.session.scalars(
        select(Outlet).where(Outlet.group_id.in_([ladu.id, rajut.id])).order_by(Outlet.id))}
    plan = {ladu.id: (ladu, snacks, 15_000_000, 1_600_000, users["ladu"]),
            rajut.id: (rajut, bags, 10_000_000, 800_000, users["rajut"])}
    mrse = {(group_id, m.key): 0 for group_id in plan for m in months}
    sold, visits, bookings = [], [], []
    for n, month in enumerate(months):
        growth = n / (len(months) - 1)  # 0 a year ago, 1 last month
        for group_id, (group, products, _base, _rise, producer) in plan.items():
            made = _orders(rng, month, growth, group, products, users, producer)
            sold += made
            mrse[(group_id, month.key)] += sum(
                line.quantity * line.reseller_price for order in made for line in order.lines)
            visit = _consignment(rng, month, growth, outlets[group_id], products, producer)
            visits.append(visit)
            mrse[(group_id, month.key)] += sum(line.sold * line.unit_price
                                               for line in visit.lines)
        for booking in _catering(rng, n, month, growth, village, ladu, rajut, snacks, pemdes,
                                 kecamatan, users):
            bookings.append(booking)
            for line in booking.lines:
                mrse[(line.group_id, month.key)] += line.quantity * line.unit_price
    db.session.flush()
    payments = _payments(sold, today)
    db.session.flush()
    _audit(sold, visits, bookings, payments)
    _fund(sold, visits, bookings, plan)
    # What the orders, payments, visits and fund lines above add to the summaries
    # and running totals.
    db.session.flush()
    summaries.rebuild()
    pair_totals.rebuild()
    consignment_months.rebuild()
    fund_balances.rebuild()
    _other_sales(rng, months, plan, mrse)


def _other_sales(rng, months, plan, mrse) -> None:
    """Each month's sales at home and at the market, recorded by the group as a
    month's total (as :func:`record_other_sales` writes them, audit rows included):
    what makes the whole turnover a little above the baseline, growing slowly."""
    entries, now = [], utcnow()
    for n, month in enumerate(months):
        growth = n / (len(months) - 1)
        for group_id, (group, _products, base, rise, producer) in plan.items():
            whole = base + round(rise * growth) + rng.randrange(-150, 151) * 1_000
            other = max(whole - mrse[(group_id, month.key)], 0) // 1_000 * 1_000
            market = other * 2 // 5 // 1_000 * 1_000
            entries += [OtherSale(group_id=group_id, village_id=group.village_id,
                                  month=month.first_day, sold_on=month.first_day,
                                  whole_month=True, channel=channel, amount=amount,
                                  created_by_id=producer.id,
                                  created_at=min(_at(month.shift(1).first_day, 8), now))
                        for channel, amount in (("direct", other - market),
                                                ("market", market)) if amount > 0]
    db.session.add_all(entries)
    db.session.flush()
    db.session.add_all(AuditEntry(
        actor_id=entry.created_by_id, village_id=entry.village_id, action="create",
        entity="other_sale", entity_id=entry.id, at=entry.created_at, changes={
            "group_id": entry.group_id, "amount": entry.amount, "channel": entry.channel,
            "sold_on": entry.sold_on.isoformat(), "whole_month": True})
        for entry in entries)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour`` o'clock WIB on ``day``, in UTC."""
    return datetime.combine(day, time(hour, minute)).replace(
        tzinfo=UTC) - timedelta(hours=7)


def _orders(rng, month, growth, group, products, users, producer) -> list[Order]:
    """The month's finished reseller orders of ``group``: more as the year goes on."""
    count = (3 + round(7 * growth)) if products[0].made_to_order else 1 + round(3 * growth)
    resellers = [users["ka"], users["ge"]]
    made = []
    for k in range(count):
        day = month.first_day.replace(day=2 + (k * 23) // count + rng.randrange(2))
        product = products[0] if rng.random() < 0.6 else products[1 + rng.randrange(2)]
        quantity = rng.randrange(8, 17) if product.made_to_order else rng.randrange(1, 3)
        name, address, kecamatan = BUYERS[rng.randrange(len(BUYERS))]
        reseller = resellers[k % 2]
        taken = _at(day, 9 + rng.randrange(8))
        order = Order(
            village_id=group.village_id, group_id=group.id, reseller_id=reseller.id,
            status="finished", channel=CHANNELS[rng.randrange(len(CHANNELS))],
            customer_name=name, address=address, kecamatan=kecamatan,
            kabupaten="Kabupaten Bandung", courier="JNE", courier_service="REG",
            shipping_cost=10_000, payment="paid", dropship=True,
            ship_date=day + timedelta(days=1), tracking_number=f"JNE{month.key[2:4]}"
            f"{month.month:02d}{group.id}{k:03d}", created_at=taken,
            confirmed_at=taken + timedelta(hours=2), packed_at=taken + timedelta(hours=20),
            shipped_at=taken + timedelta(days=1), finished_at=taken + timedelta(days=3),
            lines=[OrderLine(product_id=product.id, quantity=quantity,
                             reseller_price=product.reseller_price,
                             retail_price=product.retail_price)])
        steps = [(None, "new", reseller, taken), ("new", "confirmed", producer,
                                                   order.confirmed_at),
                 ("confirmed", "packed", producer, order.packed_at),
                 ("packed", "shipped", producer, order.shipped_at),
                 ("shipped", "finished", reseller, order.finished_at)]
        order.events = [OrderEvent(from_status=old, to_status=new, actor_id=actor.id,
                                   note=order.tracking_number if new == "shipped" else "",
                                   created_at=when)
                        for old, new, actor, when in steps]
        db.session.add(order)
        made.append(order)
    return made


def _consignment(rng, month, growth, outlet, products, producer) -> ConsignmentVisit:
    """A batch left at the group's outlet early in the month, counted and collected
    late in the month; what did not sell was taken back."""
    product = products[0]
    snack = product.made_to_order
    quantity = 60 if snack else 5
    sold = (20 + round(30 * growth) + rng.randrange(-3, 4)) if snack else (
        1 + round(2 * growth))
    placed = month.first_day.replace(day=3)
    price = product.reseller_price
    cut_kind, cut_value = ("percent", 1_000) if snack else ("fixed", 5_000)
    cut = sold * price * cut_value // 10_000 if snack else sold * cut_value
    drop = ConsignmentDrop(
        outlet_id=outlet.id, group_id=outlet.group_id, village_id=outlet.village_id,
        product_id=product.id, quantity=quantity, on_shelf=0, unit_price=price,
        cut_kind=cut_kind, cut_value=cut_value, placed_on=placed,
        pull_back_on=placed + timedelta(days=14 if snack else 60), status="closed",
        created_by_id=producer.id, created_at=_at(placed, 8),
        closed_at=_at(placed + timedelta(days=21), 15))
    visited = placed + timedelta(days=21)
    visit = ConsignmentVisit(
        outlet_id=outlet.id, group_id=outlet.group_id, village_id=outlet.village_id,
        visited_on=visited, amount_due=sold * price - cut, cash_collected=sold * price - cut,
        created_by_id=producer.id, created_at=_at(visited, 15))
    visit.lines = [ConsignmentVisitLine(
        drop=drop, product_id=product.id, on_shelf_before=quantity, remaining=0,
        returned=quantity - sold, expired=0, sold=sold, unit_price=price, cut_amount=cut,
        amount_due=sold * price - cut)]
    db.session.add_all([drop, visit])
    return visit


def _catering(rng, n, month, growth, village, ladu, rajut, snacks, pemdes, kecamatan,
              users) -> list[CateringBooking]:
    """Snacks for the village's monthly meeting and, every third month, a Kecamatan
    event with knitted souvenirs; delivered and paid."""
    meetings = [(pemdes, "Rapat Bulanan Desa Katapang", "Aula Kantor Desa Katapang",
                 30 + round(30 * growth) + rng.randrange(-4, 5),
                 [(ladu, snacks[0], 15_000)])]
    if n % 3 == 2:
        meetings.append((kecamatan, "Rapat Koordinasi Kecamatan Katapang",
                         "Aula Kecamatan Katapang", 60,
                         [(ladu, snacks[1], 17_000), (rajut, None, 80_000)]))
    made = []
    for k, (partner, title, place, headcount, lines) in enumerate(meetings):
        day = month.first_day.replace(day=10 + 8 * k)
        starts = combine_local(day, time(9), village)
        event = Event(village_id=village.id, partner_id=partner.id, title=title, place=place,
                      starts_at=starts, ends_at=starts + timedelta(hours=3),
                      headcount=headcount, created_by_id=users["kesra"].id,
                      created_at=starts - timedelta(days=10))
        delivered = starts - timedelta(minutes=30)
        booking = CateringBooking(
            event=event, village_id=village.id, partner_id=partner.id, kind="snack",
            status="paid", deliver_at=delivered, deliver_place=place,
            dietary_notes="Halal.", created_by_id=users["kesra"].id,
            created_at=starts - timedelta(days=10), delivered_at=delivered,
            invoiced_at=delivered + timedelta(hours=4), paid_at=delivered + timedelta(days=7))
        booking.lines = [BookingLine(
            group_id=group.id, product_id=getattr(product, "id", None),
            description=product.name if product else "Tas rajut cendera mata narasumber",
            quantity=headcount if product else 5, unit_price=price,
            confirmed_at=starts - timedelta(days=8),
            confirmed_by_id=users["ladu" if group is ladu else "rajut"].id)
            for group, product, price in lines]
        db.session.add_all([event, booking])
        made.append(booking)
    return made


def _payments(orders: list[Order], today: date) -> list[ResellerPayment]:
    """Each reseller paid each group what a month's orders owed, early the next month."""
    owed: dict[tuple, int] = {}
    for order in orders:
        month = order.shipped_at.date().replace(day=1)
        key = (order.reseller_id, order.group_id, order.village_id, month)
        owed[key] = owed.get(key, 0) + sum(line.quantity * line.reseller_price
                                           for line in order.lines)
    made = []
    for (reseller_id, group_id, village_id, month), amount in sorted(owed.items()):
        paid_on = min((month + timedelta(days=32)).replace(day=3), today)
        made.append(ResellerPayment(
            reseller_id=reseller_id, group_id=group_id, village_id=village_id, amount=amount,
            paid_on=paid_on, reference=f"Transfer {paid_on:%d/%m}", status="confirmed",
            decided_at=_at(paid_on, 19), created_at=_at(paid_on, 18)))
    db.session.add_all(made)
    return made


def _audit(orders, visits, bookings, payments) -> None:
    """The audit rows the services write for the same records: each order's creation
    and steps, each batch, visit, event, booking and payment."""
    rows = []
    for order in orders:
        rows.append(AuditEntry(
            actor_id=order.reseller_id, village_id=order.village_id, action="create",
            entity="order", entity_id=order.id, at=order.created_at,
            changes={"lines": {str(line.product_id): line.quantity for line in order.lines}}))
        rows += [AuditEntry(
            actor_id=event.actor_id, village_id=order.village_id, action=step,
            entity="order", entity_id=order.id, at=event.created_at,
            changes={"status": [event.from_status, event.to_status]}
            | ({"tracking_number": order.tracking_number} if step == "ship" else {}))
            for step, event in zip(("confirm", "pack", "ship", "finish"), order.events[1:],
                                   strict=True)]
    for visit in visits:
        for line in visit.lines:
            drop = line.drop
            rows.append(AuditEntry(
                actor_id=drop.created_by_id, village_id=drop.village_id, action="create",
                entity="consignment_drop", entity_id=drop.id, at=drop.created_at,
                changes={"outlet": drop.outlet_id, "product": drop.product_id,
                         "quantity": drop.quantity, "unit_price": drop.unit_price}))
        rows.append(AuditEntry(
            actor_id=visit.created_by_id, village_id=visit.village_id, action="create",
            entity="consignment_visit", entity_id=visit.id, at=visit.created_at,
            changes={"outlet": visit.outlet_id, "visited_on": visit.visited_on.isoformat(),
                     "amount_due": visit.amount_due, "cash_collected": visit.cash_collected}))
    for booking in bookings:
        event = booking.event
        rows += [
            AuditEntry(actor_id=event.created_by_id, village_id=event.village_id,
                       action="create", entity="event", entity_id=event.id,
                       at=event.created_at, changes={"title": event.title}),
            AuditEntry(actor_id=booking.created_by_id, village_id=booking.village_id,
                       action="create", entity="booking", entity_id=booking.id,
                       at=booking.created_at, changes={"status": [None, "requested"]}),
            AuditEntry(actor_id=booking.created_by_id, village_id=booking.village_id,
                       action="pay", entity="booking", entity_id=booking.id,
                       at=booking.paid_at, changes={"status": ["invoiced", "paid"]}),
        ]
    for payment in payments:
        rows.append(AuditEntry(
            actor_id=payment.reseller_id, village_id=payment.village_id, action="submit",
            entity="reseller_payment", entity_id=payment.id, at=payment.created_at,
            changes={"amount": payment.amount, "group": payment.group_id,
                     "paid_on": payment.paid_on.isoformat()}))
    db.session.add_all(rows)


def _fund(orders, visits, bookings, plan) -> None:
    """What the past adds to a fund that takes a share of each sale, from the day its
    rule began (the services do this as each sale is finished, counted or paid)."""
    for group_id, (group, *_rest) in plan.items():
        rule = rule_for(group_id)
        if rule is None or rule.mode != "percent":
            continue
        for order in orders:
            day = (order.finished_at + timedelta(hours=7)).date()
            if order.group_id == group_id and day >= rule.starts_on:
                accrue_contribution(group, "order", order.id, sum(
                    line.quantity * line.reseller_price for line in order.lines), day)
        for visit in visits:
            if visit.group_id == group_id and visit.visited_on >= rule.starts_on:
                accrue_contribution(group, "consignment", visit.id, visit.amount_due,
                                    visit.visited_on)
        for booking in bookings:
            day = (booking.paid_at + timedelta(hours=7)).date()
            revenue = sum(line.quantity * line.unit_price for line in booking.lines
                          if line.group_id == group_id)
            if revenue and day >= rule.starts_on:
                accrue_contribution(group, "booking", booking.id, revenue, day)

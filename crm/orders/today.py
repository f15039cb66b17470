"""A producer's "Hari ini": what to make, pack and send today and tomorrow.

Gathers from the existing scoped queries (the work queue, the group's catering
bookings, the consignment pull-backs); the steps themselves are taken on their own
pages."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from crm.auth.models import User
from crm.catalog.models import Product
from crm.consignment.queries import pull_back_drops
from crm.events.models import BookingLine, CateringBooking
from crm.events.queries import bookings_visible_to
from crm.extensions import db
from crm.orders.queries import queue_orders
from crm.text.dates import village_tz

# Bookings whose food is still to be made and delivered.
OPEN_BOOKING_STATUSES = ("requested", "confirmed")


def _day_key(day: date, today: date) -> str:
    """``"today"`` for today and anything late, else ``"tomorrow"``."""
    return "today" if day <= today else "tomorrow"


def _booking_lines(user: User, today: date, tz: str) -> list[BookingLine]:
    """The group's lines of open bookings delivered before the end of tomorrow in the
    village (late ones included), with booking and product."""
    end = datetime.combine(today + timedelta(days=2), time(), ZoneInfo(tz))
    return list(db.session.scalars(
        select(BookingLine).join(CateringBooking)
        .where(BookingLine.group_id == user.group_id,
               CateringBooking.id.in_(bookings_visible_to(user).with_only_columns(
                   CateringBooking.id)),
               CateringBooking.status.in_(OPEN_BOOKING_STATUSES),
               CateringBooking.deliver_at < end)
        .options(joinedload(BookingLine.booking), joinedload(BookingLine.product))
        .order_by(CateringBooking.deliver_at, BookingLine.id)))


def today_work(user: User, today: date) -> dict:
    """``{"today": {...}, "tomorrow": {...}}``, each with ``orders`` (queue orders
    shipping that day, late ones today), ``lines`` (catering lines delivered that
    day), ``drops`` (goods to pull back from a shelf, overdue ones today) and
    ``make``: ``[(product or None, name, quantity)]`` summed per product over the
    orders still to pack and the catering lines, largest first."""
    tz = village_tz(user.home_village)
    tomorrow = today + timedelta(days=1)
    days = {key: {"orders": [], "lines": [], "drops": [], "make": defaultdict(int)}
            for key in ("today", "tomorrow")}
    products = {}
    for order in queue_orders(user, today):
        if order.ship_date > tomorrow:
            continue
        day = days[_day_key(order.ship_date, today)]
        day["orders"].append(order)
        if order.status != "packed":  # packed goods are made already
            for line in order.lines:
                products[line.product.name] = line.product
                day["make"][line.product.name] += line.quantity
    for line in _booking_lines(user, today, tz):
        day = days[_day_key(line.booking.deliver_at.astimezone(ZoneInfo(tz)).date(), today)]
        day["lines"].append(line)
        name = line.product.name if line.product else line.description
        products.setdefault(name, line.product)
        day["make"][name] += line.quantity
    for drop in pull_back_drops(user, today):
        days[_day_key(drop.pull_back_on, today)]["drops"].append(drop)
    _load_photos([p for p in products.values() if p is not None])
    for day in days.values():
        day["make"] = sorted(((products.get(name), name, qty)
                              for name, qty in day["make"].items()),
                             key=lambda item: (-item[2], item[1]))
    return days


def _load_photos(products: list[Product]) -> None:
    """Load the photos of ``products`` in one query (no query per product shown)."""
    if products:
        db.session.scalars(select(Product).where(Product.id.in_({p.id for p in products}))
                           .options(selectinload(Product.photos))).all()

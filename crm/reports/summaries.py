"""Keeping the monthly sales summaries (:mod:`crm.reports.models`) up to date.

An order counts as a sale once it ships (``SOLD_STATUSES``); it never leaves that
state, so shipping is the only step that adds to the summaries:
:func:`record_shipment` adds the order to its (group, month, reseller, channel),
(group, month) and (village, month, reseller) rows and each of its products to the
(group, month, product) and (group, month, reseller, product) rows, in the order's
transaction.

:func:`rebuild` computes the five tables from the orders themselves (bulk loads, the
demo after moving its orders into the past, and the check that they agree).
"""

from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Date, cast, delete, distinct, func, literal_column, select

from crm.db.upsert import add_to_row
from crm.extensions import db
from crm.orders.models import SOLD_STATUSES, Order, OrderLine
from crm.reports.models import (
    GroupSalesMonth,
    ProductSalesMonth,
    ResellerProductMonth,
    SalesMonth,
    VillageResellerMonth,
)
from crm.text.dates import DEFAULT_TZ

WIB = ZoneInfo(DEFAULT_TZ)
# WIB has had no daylight saving since 1964: a month in WIB is a month of UTC + 7 h
# (the SQL of the rebuild adds 7 hours).
FIGURES = ("orders", "quantity", "omzet", "producer")


def sale_month(moment: datetime) -> date:
    """The first day of the WIB month of ``moment`` (an aware datetime)."""
    local = moment.astimezone(WIB)
    return date(local.year, local.month, 1)


def record_shipment(order: Order) -> None:
    """Add a just-shipped ``order`` (lines loaded, ``shipped_at`` set) to the summaries."""
    month = sale_month(order.shipped_at or datetime.now(UTC))
    per_product: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in order.lines:
        figures = per_product[line.product_id]
        figures[0] += line.quantity
        figures[1] += line.retail_price * line.quantity
        figures[2] += line.reseller_price * line.quantity
    totals = [sum(f[n] for f in per_product.values()) for n in range(3)]
    fixed = {"village_id": order.village_id}
    whole = dict(zip(FIGURES, (1, *totals), strict=True))
    add_to_row(SalesMonth.__table__,
               {"group_id": order.group_id, "month": month, "reseller_id": order.reseller_id,
                "channel": order.channel},
               fixed, whole)
    add_to_row(GroupSalesMonth.__table__, {"group_id": order.group_id, "month": month},
               fixed, whole)
    add_to_row(VillageResellerMonth.__table__,
               {"village_id": order.village_id, "month": month,
                "reseller_id": order.reseller_id}, {}, {"orders": 1})
    for product_id, figures in sorted(per_product.items()):
        added = dict(zip(FIGURES, (1, *figures), strict=True))
        add_to_row(ProductSalesMonth.__table__,
                   {"group_id": order.group_id, "month": month, "product_id": product_id},
                   fixed, added)
        add_to_row(ResellerProductMonth.__table__,
                   {"group_id": order.group_id, "month": month,
                    "reseller_id": order.reseller_id, "product_id": product_id},
                   fixed, added)


def _month_sql():
    """``Order.shipped_at`` (naive UTC) → first day of its WIB month, in SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc(
            "month", Order.shipped_at + literal_column("interval '7 hours'")), Date)
    return func.date(Order.shipped_at, "+7 hours", "start of month")


def _sum(column):
    return cast(func.sum(column), BigInteger)


def _computed(*keys):
    """Sold order lines summed per ``keys`` and WIB month of shipping: village,
    orders, units, omzet and the group's share."""
    month = _month_sql()
    return (
        select(Order.group_id, month.label("month"), *keys,
               func.max(Order.village_id).label("village_id"),
               func.count(distinct(Order.id)).label("orders"),
               _sum(OrderLine.quantity).label("quantity"),
               _sum(OrderLine.retail_price * OrderLine.quantity).label("omzet"),
               _sum(OrderLine.reseller_price * OrderLine.quantity).label("producer"))
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.status.in_(SOLD_STATUSES), Order.shipped_at.is_not(None))
        .group_by(Order.group_id, month, *keys)
    )


def computed_sales_months():
    """:class:`SalesMonth` rows computed from the orders (a SELECT shaped like it)."""
    return _computed(Order.reseller_id, Order.channel)


def computed_product_sales_months():
    """:class:`ProductSalesMonth` rows computed from the orders."""
    return _computed(OrderLine.product_id)


def computed_reseller_product_months():
    """:class:`ResellerProductMonth` rows computed from the orders."""
    return _computed(Order.reseller_id, OrderLine.product_id)


def computed_group_sales_months():
    """:class:`GroupSalesMonth` rows computed from the orders."""
    return _computed()


def computed_village_reseller_months():
    """:class:`VillageResellerMonth` rows computed from the orders."""
    month = _month_sql()
    return (select(Order.village_id, month.label("month"), Order.reseller_id,
                   func.count(Order.id).label("orders"))
            .where(Order.status.in_(SOLD_STATUSES), Order.shipped_at.is_not(None))
            .group_by(Order.village_id, month, Order.reseller_id))


def rebuild() -> None:
    """Replace the summaries by what the orders give (no commit)."""
    for model in (SalesMonth, ProductSalesMonth, ResellerProductMonth, GroupSalesMonth,
                  VillageResellerMonth):
        db.session.execute(delete(model))
    db.session.execute(SalesMonth.__table__.insert().from_select(
        ["group_id", "month", "reseller_id", "channel", "village_id", *FIGURES],
        computed_sales_months()))
    db.session.execute(ProductSalesMonth.__table__.insert().from_select(
        ["group_id", "month", "product_id", "village_id", *FIGURES],
        computed_product_sales_months()))
    db.session.execute(ResellerProductMonth.__table__.insert().from_select(
        ["group_id", "month", "reseller_id", "product_id", "village_id", *FIGURES],
        computed_reseller_product_months()))
    db.session.execute(GroupSalesMonth.__table__.insert().from_select(
        ["group_id", "month", "village_id", *FIGURES], computed_group_sales_months()))
    db.session.execute(VillageResellerMonth.__table__.insert().from_select(
        ["village_id", "month", "reseller_id", "orders"], computed_village_reseller_months()))

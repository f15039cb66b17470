"""Sales figures, summed in the database: who sold what, where and in which month.

A sale is an order line of an order whose goods have left the producer
(``SOLD_STATUSES``); its month is the month of ``Order.shipped_at`` in WIB. Every
figure is one ``GROUP BY`` query in the user's scope (the rules of
:func:`crm.orders.queries.orders_visible_to`), so a page makes the same number of
queries however many orders there are.

Figures read the monthly summaries (:mod:`crm.reports.summaries`): a few rows per
reseller, channel or product and month instead of every order line; a reseller's
sales per product and the CSV export (month × reseller × product) read the summary
per reseller and product.

Months are cut in Python: each month of a period is a range of UTC timestamps
(``[first day 00:00 WIB, next first day 00:00 WIB)``) or, in the summaries, its
first day; a ``CASE`` puts each row into its month. That works alike on SQLite and
PostgreSQL, with no time-zone functions in SQL.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Select,
    case,
    cast,
    distinct,
    false,
    func,
    select,
)
from sqlalchemy.sql import Subquery

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.extensions import db
from crm.orders.models import ORDER_STATUSES, Order
from crm.orders.queries import orders_visible_to
from crm.reports.models import ProductSalesMonth, ResellerProductMonth, SalesMonth
from crm.text.dates import DEFAULT_TZ

WIB = ZoneInfo(DEFAULT_TZ)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --- months and periods -----------------------------------------------------------


@dataclass(frozen=True)
class Month:
    """A calendar month in WIB."""

    year: int
    month: int

    @property
    def key(self) -> str:
        """``"2026-11"``: the month in URLs and CSV."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def start(self) -> datetime:
        """The first moment of the month in WIB, as an aware UTC datetime."""
        return datetime(self.year, self.month, 1, tzinfo=WIB).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first moment of the next month (exclusive end)."""
        return self.shift(1).start

    def shift(self, months: int) -> "Month":
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def current_month(now: datetime | None = None) -> Month:
    """This month in WIB."""
    local = (now or datetime.now(UTC)).astimezone(WIB)
    return Month(local.year, local.month)


def parse_month(text: str | None) -> Month | None:
    """``"2026-11"`` → ``Month(2026, 11)``; anything else (or a far-off year) → None."""
    match = _MONTH.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return Month(year, month)


@dataclass(frozen=True)
class Period:
    """Consecutive months, oldest first."""

    months: tuple[Month, ...]

    @property
    def start(self) -> datetime:
        return self.months[0].start

    @property
    def end(self) -> datetime:
        return self.months[-1].end

    @property
    def single(self) -> bool:
        return len(self.months) == 1


def months_ending(last: Month, count: int = 6) -> Period:
    """``count`` months up to and including ``last``."""
    return Period(tuple(last.shift(n) for n in range(1 - count, 1)))


def recent_months(count: int, now: datetime | None = None) -> list[Month]:
    """The last ``count`` months, newest first (choices of a period filter)."""
    this = current_month(now)
    return [this.shift(-n) for n in range(count)]


# --- figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Sold units, orders and money of a set of sale lines."""

    quantity: int = 0
    orders: int = 0
    omzet: int = 0  # what customers paid: Σ retail price × quantity
    producer: int = 0  # what the producer group earns: Σ reseller price × quantity

    @property
    def margin(self) -> int:
        """What the resellers earned: omzet minus the producer's share."""
        return self.omzet - self.producer


ZERO = Figures()


def _sum(column):
    # SUM of bigint is numeric on PostgreSQL (Decimal in Python): cast back to whole
    # rupiah; COALESCE gives 0 rather than NULL when nothing was sold.
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _figures(row) -> Figures:
    return Figures(int(row.quantity), int(row.orders), int(row.omzet), int(row.producer))


def _summary_scope(model, user, first, last, group_id) -> list:
    """The conditions on a monthly summary's rows in ``user``'s scope from the month
    of the day ``first`` to that of ``last`` (and of one group when ``group_id`` is
    not None)."""
    if user.role == Role.PRODUCER:
        scope = model.group_id == user.group_id
    elif user.role == Role.RESELLER and hasattr(model, "reseller_id"):
        scope = model.reseller_id == user.id
    elif user.role == Role.OFFICER:
        scope = model.village_id.in_(visible_village_ids(user))
    else:
        scope = false()
    conditions = [scope, model.month >= first, model.month <= last]
    if group_id is not None:
        conditions.append(model.group_id == group_id)
    return conditions


def in_period(model, user, period: Period, group_id: int | None) -> list:
    """The conditions on a monthly summary's rows in ``user``'s scope and ``period``
    (:func:`_summary_scope` over its months)."""
    return _summary_scope(model, user, period.months[0].first_day,
                          period.months[-1].first_day, group_id)


def _summary_rows(model, keys: tuple, user, period: Period,
                  group_id: int | None) -> Subquery:
    """Rows of a monthly summary in ``user``'s scope and ``period``: the ``keys``
    columns, ``month`` (the index of the row's month in ``period.months``) and the
    figures ``orders``, ``quantity``, ``omzet`` and ``producer``, which add up."""
    month_index = case(*((model.month == m.first_day, n) for n, m in enumerate(period.months)))
    return select(*keys, month_index.label("month"), model.orders, model.quantity,
                  model.omzet, model.producer).where(
        *in_period(model, user, period, group_id)).subquery("sold")


def _order_rows(user, period: Period, group_id: int | None = None) -> Subquery:
    """Rows of the sales summary, one per (group, reseller, channel, month)."""
    return _summary_rows(SalesMonth, (SalesMonth.group_id, SalesMonth.reseller_id,
                                      SalesMonth.channel), user, period, group_id)


def _summed(rows) -> list:
    """The figure columns of a monthly summary's rows, summed."""
    return [_sum(rows.quantity).label("quantity"), _sum(rows.orders).label("orders"),
            _sum(rows.omzet).label("omzet"), _sum(rows.producer).label("producer")]


def _month_indexes(period: Period) -> dict[date, int]:
    """The index in ``period.months`` of each month's first day (a summary row's
    ``month``)."""
    return {m.first_day: n for n, m in enumerate(period.months)}


def sales_totals(user, period: Period, group_id: int | None = None) -> Figures:
    """All sales of the period in ``user``'s scope."""
    scope = in_period(SalesMonth, user, period, group_id)
    return _figures(db.session.execute(select(*_summed(SalesMonth)).where(*scope)).one())


@dataclass(frozen=True)
class Row:
    """Figures of one reseller, product, channel, month or group."""

    key: object
    label: str
    figures: Figures
    detail: str = ""


def _summed_per(model, key, conditions: list) -> Subquery:
    """The summary ``model``'s rows meeting ``conditions`` summed per its column
    ``key``, before any join: names are then looked up once per reseller or product,
    not for every summary row."""
    return (select(key.label("key"), *_summed(model)).where(*conditions)
            .group_by(key).subquery("per"))


def sales_by_reseller(user, period: Period, group_id: int | None = None,
                      limit: int | None = None) -> list[Row]:
    """Sales per reseller, largest omzet first."""
    per = _summed_per(SalesMonth, SalesMonth.reseller_id,
                      in_period(SalesMonth, user, period, group_id))
    query = (
        select(User.id, User.full_name, per.c.quantity, per.c.orders, per.c.omzet,
               per.c.producer)
        .join(per, per.c.key == User.id)
        .order_by(per.c.omzet.desc(), User.full_name, User.id)
        .limit(limit)
    )
    return [Row(r.id, r.full_name, _figures(r)) for r in db.session.execute(query)]


def sales_by_product(user, period: Period, group_id: int | None = None,
                     limit: int | None = None) -> list[Row]:
    """Sales per product (``detail`` is its unit), largest omzet first."""
    model = ResellerProductMonth if user.role == Role.RESELLER else ProductSalesMonth
    per = _summed_per(model, model.product_id, in_period(model, user, period, group_id))
    query = (
        select(Product.id, Product.name, Product.unit, per.c.quantity, per.c.orders,
               per.c.omzet, per.c.producer)
        .join(per, per.c.key == Product.id)
        .order_by(per.c.omzet.desc(), Product.name, Product.id)
        .limit(limit)
    )
    return [Row(r.id, r.name, _figures(r), r.unit) for r in db.session.execute(query)]


def add_up(figures) -> Figures:
    """The sum of some :class:`Figures` (``ZERO`` for none)."""
    figures = list(figures)
    return Figures(sum(f.quantity for f in figures), sum(f.orders for f in figures),
                   sum(f.omzet for f in figures), sum(f.producer for f in figures))


@dataclass(frozen=True)
class Breakdown:
    """Sales of a period in total, per order channel (channels without sales absent)
    and per month (``(Month, Figures)`` for every month, months without sales zero)."""

    totals: Figures
    by_channel: dict
    by_month: list


def sales_breakdown(user, period: Period, group_id: int | None = None) -> Breakdown:
    """Totals, channels and months from one ``GROUP BY`` channel and month: an order
    has one channel and one month, so the cells add up to each."""
    indexes = _month_indexes(period)
    by_channel: dict[str, list] = {}
    by_month: dict[int, list] = {}
    model = SalesMonth
    rows = db.session.execute(
        select(model.channel, model.month, *_summed(model))
        .where(*in_period(model, user, period, group_id))
        .group_by(model.channel, model.month))
    for r in rows:
        figures = _figures(r)
        by_channel.setdefault(r.channel, []).append(figures)
        by_month.setdefault(indexes[r.month], []).append(figures)
    return Breakdown(
        totals=add_up(f for cells in by_channel.values() for f in cells),
        by_channel={channel: add_up(cells) for channel, cells in by_channel.items()},
        by_month=[(m, add_up(by_month.get(n, ()))) for n, m in enumerate(period.months)],
    )


class DetailRow(NamedTuple):
    """One line of the export: a reseller's sales of a product in a month (``month``
    is its key, ``"2026-11"``)."""

    month: str
    group: str
    reseller: str
    product: str
    unit: str
    quantity: int
    orders: int
    omzet: int
    producer: int

    @property
    def margin(self) -> int:
        return self.omzet - self.producer


def sales_detail(user, period: Period, group_id: int | None = None) -> list[DetailRow]:
    """Sales per month × reseller × product, oldest month first, then by group,
    reseller and product name (the CSV export): the summary's rows as they are, one
    per (group, month, reseller, product). The names are read apart, once per group,
    reseller and product, and the rows sorted here: joining and sorting thousands of
    rows by name in the database costs several times more."""
    model = ResellerProductMonth
    scope = in_period(model, user, period, group_id)
    rows = db.session.execute(
        select(model.month, model.group_id, model.reseller_id, model.product_id,
               model.quantity, model.orders, model.omzet, model.producer).where(*scope)).all()
    if not rows:
        return []

    def present(key, column):
        """``key`` is one of the summary rows' ``column``."""
        return key.in_(select(column).where(*scope))

    groups = dict(db.session.execute(
        select(ProducerGroup.id, ProducerGroup.name)
        .where(present(ProducerGroup.id, model.group_id))).all())
    resellers = dict(db.session.execute(
        select(User.id, User.full_name).where(present(User.id, model.reseller_id))).all())
    products = {pid: (name, unit) for pid, name, unit in db.session.execute(
        select(Product.id, Product.name, Product.unit)
        .where(present(Product.id, model.product_id)))}
    # Each name is folded once for sorting, not once per row.
    group_keys = {gid: name.casefold() for gid, name in groups.items()}
    reseller_keys = {rid: name.casefold() for rid, name in resellers.items()}
    product_keys = {pid: name.casefold() for pid, (name, _unit) in products.items()}
    months = {m.first_day: (n, m.key) for n, m in enumerate(period.months)}
    keyed = []
    for month, gid, rid, pid, quantity, orders, omzet, producer in rows:
        index, key = months[month]
        product, unit = products[pid]
        keyed.append((
            (index, group_keys[gid], gid, reseller_keys[rid], rid, product_keys[pid], pid),
            DetailRow(key, groups[gid], resellers[rid], product, unit, quantity, orders, omzet,
                      producer)))
    keyed.sort(key=itemgetter(0))
    return [row for _key, row in keyed]


def order_status_counts(user, period: Period) -> dict[str, int]:
    """Orders taken in the period (by ``created_at``) per status, every status listed."""
    scope = orders_visible_to(user).whereclause
    query = (
        select(Order.status, func.count(Order.id))
        .where(scope, Order.created_at >= period.start, Order.created_at < period.end)
        .group_by(Order.status)
    )
    found = {status: n for status, n in db.session.execute(query)}
    return {status: int(found.get(status, 0)) for status in ORDER_STATUSES}


def active_reseller_count_query(user, period: Period, group_id: int | None = None) -> Select:
    """The ``COUNT`` of distinct resellers with a sale in the period."""
    model = SalesMonth
    return select(func.count(distinct(model.reseller_id))).where(
        *in_period(model, user, period, group_id), model.orders > 0)

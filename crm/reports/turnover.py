"""A group's whole turnover per month, the study's measure of success.

The study compares a group's turnover with its turnover before MRSE
(``ProducerGroup.baseline_monthly_turnover``). The CRM sees only part of it by
itself: the **MRSE channels** — reseller orders (the group's share, from the monthly
sales summaries), consignment at warung and market stalls (units sold × agreed
price, by visit month) and catering for events (the group's lines of delivered,
invoiced or paid bookings, by delivery month). What the group sells at home or at
the market it records itself (:class:`~crm.reports.models.OtherSale`).

The **whole turnover** of a month is both together, and only it is compared with the
baseline, only for months whose other sales were recorded: a month without them has
no change at all (comparing the MRSE channels alone with the whole baseline would
show a loss that is only missing data), and shows what the MRSE channels added.

All groups' cells come from one statement (a ``UNION ALL`` of four ``GROUP BY``), so
the number of queries does not grow with the groups or the data.
"""

from dataclasses import dataclass, field

from sqlalchemy import BigInteger, case, cast, distinct, func, literal, select, union_all

from crm.consignment.models import ConsignmentVisit, ConsignmentVisitLine
from crm.events.models import BookingLine, CateringBooking
from crm.extensions import db
from crm.reports.models import OtherSale, SalesMonth
from crm.reports.queries import Month, Period, in_period

# Catering counts once the food has been delivered.
COUNTED_BOOKING_STATUSES = ("delivered", "invoiced", "paid")
# The cells' channel for the recorded other sales (not an MRSE channel).
OTHER = "other_sales"


def rupiah_sum(column):
    """SUM of ``column`` in whole rupiah, 0 for no rows (SUM of bigint is numeric on
    PostgreSQL: cast back)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def month_index(period: Period, column, *, dates: bool):
    """A CASE giving the index of ``column``'s month in ``period``: the first month
    that ends after it (``dates``: a DATE column compared with first days; otherwise
    an aware timestamp with the months' UTC ends). Callers keep rows outside the
    period out."""
    ends = [m.shift(1).first_day if dates else m.end for m in period.months]
    if len(ends) == 1:
        return literal(0)  # a CASE needs at least one WHEN
    return case(*((column < end, n) for n, end in enumerate(ends[:-1])),
                else_=len(ends) - 1)


def _grouped(sales, channel):
    """``sales`` (a subquery of ``group_id``, ``month``, ``value`` and ``item``)
    summed per group and month: rows of ``group_id``, ``channel``, ``month``,
    ``value`` and ``items`` (distinct bookings or entries). The month is worked out
    in the subquery and grouped on outside, so PostgreSQL sees one column rather
    than two copies of a CASE with their own parameters."""
    return (select(sales.c.group_id, channel.label("channel"), sales.c.month,
                   rupiah_sum(sales.c.value).label("value"),
                   func.count(distinct(sales.c.item)).label("items"))
            .group_by(sales.c.group_id, sales.c.month))


def _order_cells(user, period: Period, group_ids: list[int]):
    """The groups' share of reseller orders per channel and month (summaries in the
    reader's scope)."""
    model = SalesMonth
    sales = (select(model.group_id, model.channel,
                    month_index(period, model.month, dates=True).label("month"),
                    model.producer.label("value"))
             .where(*in_period(model, user, period, None), model.group_id.in_(group_ids))
             .subquery("orders"))
    return (select(sales.c.group_id, sales.c.channel, sales.c.month,
                   rupiah_sum(sales.c.value).label("value"), literal(0).label("items"))
            .group_by(sales.c.group_id, sales.c.channel, sales.c.month))


def _consignment_cells(period: Period, group_ids: list[int]):
    """Consignment sales per group and month."""
    visit, line = ConsignmentVisit, ConsignmentVisitLine
    first, end = period.months[0].first_day, period.months[-1].shift(1).first_day
    sales = (
        select(visit.group_id, month_index(period, visit.visited_on, dates=True).label("month"),
               (line.sold * line.unit_price).label("value"), line.visit_id.label("item"))
        .join_from(line, visit, line.visit_id == visit.id)
        .where(visit.group_id.in_(group_ids), visit.visited_on >= first,
               visit.visited_on < end)
        .subquery("consigned"))
    return _grouped(sales, literal("consignment"))


def catering_cells(period: Period, group_ids: list[int], village_ids: list[int]):
    """Catering turnover per group and month and the bookings counted. A group cooks
    only for bookings of its own village: saying so lets the database read those
    villages' bookings of the period rather than all of them."""
    booking, line = CateringBooking, BookingLine
    sales = (
        select(line.group_id, month_index(period, booking.deliver_at, dates=False)
               .label("month"), (line.quantity * line.unit_price).label("value"),
               line.booking_id.label("item"))
        .join_from(line, booking, line.booking_id == booking.id)
        .where(line.group_id.in_(group_ids), booking.village_id.in_(village_ids),
               booking.status.in_(COUNTED_BOOKING_STATUSES),
               booking.deliver_at >= period.start, booking.deliver_at < period.end)
        .subquery("catering"))
    return _grouped(sales, literal("catering"))


def other_cells(period: Period, group_ids: list[int]):
    """The other sales the groups recorded, per month, and how many entries."""
    model = OtherSale
    sales = (
        select(model.group_id, month_index(period, model.month, dates=True).label("month"),
               model.amount.label("value"), model.id.label("item"))
        .where(model.group_id.in_(group_ids), model.month >= period.months[0].first_day,
               model.month <= period.months[-1].first_day)
        .subquery("other"))
    return _grouped(sales, literal(OTHER))


def recent_other_sales(group_id: int, limit: int = 60) -> list[OtherSale]:
    """The group's latest other-sales entries, newest first."""
    return list(db.session.scalars(
        select(OtherSale).where(OtherSale.group_id == group_id)
        .order_by(OtherSale.month.desc(), OtherSale.sold_on.desc(), OtherSale.id.desc())
        .limit(limit)))


@dataclass
class GroupCells:
    """One group's figures over a period: ``cells`` maps (MRSE channel, month index)
    to rupiah, ``other`` month index to the other sales recorded (months without an
    entry absent), ``bookings`` the catering bookings counted."""

    cells: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    bookings: int = 0


def group_cells(user, period: Period, groups) -> dict[int, GroupCells]:
    """The cells of ``groups`` (objects with ``id`` and ``village_id``, loaded in
    ``user``'s scope) over ``period``, in one statement; every group has an entry."""
    found = {g.id: GroupCells() for g in groups}
    if not found:
        return found
    ids = sorted(found)
    villages = sorted({g.village_id for g in groups})
    rows = db.session.execute(union_all(
        _order_cells(user, period, ids), _consignment_cells(period, ids),
        catering_cells(period, ids, villages), other_cells(period, ids)))
    for group_id, channel, month, value, items in rows:
        mine = found[group_id]
        if channel == OTHER:
            mine.other[int(month)] = int(value)
            continue
        if channel == "catering":
            # A booking is delivered in one month: the months' counts add up.
            mine.bookings += int(items or 0)
        if value:
            mine.cells[(channel, int(month))] = int(value)
    return found


# --- the measure ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthTurnover:
    """One month of a group: MRSE channels, other sales (None: not recorded) and the
    change of the whole against the baseline (None without both)."""

    month: Month
    mrse: int
    other: int | None
    baseline: int | None

    @property
    def recorded(self) -> bool:
        return self.other is not None

    @property
    def whole(self) -> int | None:
        """MRSE channels and other sales; None while other sales are not recorded."""
        return None if self.other is None else self.mrse + self.other

    @property
    def change(self) -> int | None:
        return None if self.whole is None else change_percent(self.whole, self.baseline)


def change_percent(turnover: int, baseline: int | None) -> int | None:
    """Change of ``turnover`` against ``baseline`` in whole percent; None without a
    (positive) baseline to compare with."""
    if not baseline or baseline <= 0:
        return None
    return round(100 * (turnover - baseline) / baseline)


def _average(total: int, count: int) -> int:
    return (total + count // 2) // count


@dataclass(frozen=True)
class Turnover:
    """A group's turnover over a period against its turnover before MRSE."""

    months: tuple[MonthTurnover, ...]
    baseline: int | None

    @property
    def mrse_total(self) -> int:
        return sum(m.mrse for m in self.months)

    @property
    def mrse_average(self) -> int:
        """What the MRSE channels brought per month over the whole period."""
        return _average(self.mrse_total, len(self.months))

    @property
    def recorded(self) -> list[MonthTurnover]:
        """The months whose other sales were recorded."""
        return [m for m in self.months if m.recorded]

    @property
    def all_recorded(self) -> bool:
        return len(self.recorded) == len(self.months)

    @property
    def other_average(self) -> int | None:
        """Other sales per recorded month; None when no month was recorded."""
        recorded = self.recorded
        return _average(sum(m.other for m in recorded), len(recorded)) if recorded else None

    @property
    def whole_average(self) -> int | None:
        """The whole turnover per recorded month; None when no month was recorded."""
        recorded = self.recorded
        return _average(sum(m.whole for m in recorded), len(recorded)) if recorded else None

    @property
    def change(self) -> int | None:
        """The whole turnover per recorded month against the baseline, in whole
        percent; None without a baseline or without a recorded month."""
        whole = self.whole_average
        return None if whole is None else change_percent(whole, self.baseline)


def turnover_of(period: Period, cells: GroupCells, baseline: int | None) -> Turnover:
    """The measure of one group from its cells."""
    mrse = [0] * len(period.months)
    for (_channel, index), value in cells.cells.items():
        mrse[index] += value
    return Turnover(tuple(MonthTurnover(m, mrse[n], cells.other.get(n), baseline)
                          for n, m in enumerate(period.months)), baseline)

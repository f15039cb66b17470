"""What the CRM knows about a group's business, as evidence for a capital proposal.

Turnover per month and channel over the last full months (WIB): reseller orders by
their order channel (the sold lines of :mod:`crm.reports.queries`: shipped or
finished orders, by shipped month, at the producer's price), consignment sales
(units sold × agreed price, by visit month) and catering for events (the group's
booking lines of delivered, invoiced or paid bookings, by delivery month). Besides:
active resellers, event partnerships, catering bookings and the baseline turnover
before MRSE. Queries only; the monthly figures are one statement (a ``UNION ALL`` of
three ``GROUP BY``), so the number of queries does not grow with the data.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BigInteger, case, cast, distinct, func, literal, select, union_all

from crm.catalog.models import Product
from crm.consignment.models import ConsignmentVisit, ConsignmentVisitLine
from crm.events.models import (
    BookingLine,
    CateringBooking,
    Partner,
    Partnership,
    partnership_groups,
)
from crm.extensions import db
from crm.orders.models import ORDER_CHANNELS
from crm.reports.queries import (
    Month,
    Period,
    active_reseller_count_query,
    change_percent,
    current_month,
    months_ending,
    producer_share_query,
)
from crm.resellers.models import Claim
from crm.scalars import scalars_at_once

# Channels in the order they are shown: the reseller order channels, then the
# group's own channels.
CHANNELS = (*ORDER_CHANNELS, "consignment", "catering")
# Catering counts once the food has been delivered.
COUNTED_BOOKING_STATUSES = ("delivered", "invoiced", "paid")


@dataclass(frozen=True)
class PartnershipRow:
    """An event partnership the group takes part in."""

    partner_name: str
    title: str
    status: str
    starts_on: date
    ends_on: date | None


@dataclass
class Evidence:
    """The figures of one group over ``period``; ``cells`` maps (channel, month index)
    to rupiah, empty cells absent."""

    period: Period
    cells: dict
    active_resellers: int = 0
    claim_resellers: int = 0
    partnerships: tuple = ()
    bookings_count: int = 0
    bookings_value: int = 0
    baseline: int | None = None

    @property
    def months(self) -> list[Month]:
        return list(self.period.months)

    @property
    def channels(self) -> list[str]:
        """Channels with any turnover in the period, in :data:`CHANNELS` order."""
        used = {channel for channel, _ in self.cells}
        return [c for c in CHANNELS if c in used]

    def value(self, channel: str, index: int) -> int:
        return self.cells.get((channel, index), 0)

    @property
    def month_totals(self) -> list[int]:
        return [sum(v for (_, n), v in self.cells.items() if n == index)
                for index in range(len(self.period.months))]

    @property
    def channel_totals(self) -> dict[str, int]:
        return {c: sum(v for (channel, _), v in self.cells.items() if channel == c)
                for c in self.channels}

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def average(self) -> int:
        """Turnover per month over the period, rounded to whole rupiah."""
        count = len(self.period.months)
        return (self.total + count // 2) // count

    @property
    def change_percent(self) -> int | None:
        """The average against the baseline before MRSE, in whole percent."""
        return change_percent(self.average, self.baseline)


def evidence_period(months: int, now: datetime | None = None) -> Period:
    """The ``months`` full months before the current month (WIB)."""
    return months_ending(current_month(now).shift(-1), months)


def _sum(column):
    # SUM of bigint is numeric on PostgreSQL: cast back to whole rupiah.
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _month_index(period: Period, column, *, dates: bool):
    """A CASE giving the index of ``column``'s month in ``period``: the first month
    that ends after it (``dates``: a DATE column compared with first days; otherwise
    an aware timestamp with the months' UTC ends). Callers keep rows outside the
    period out."""
    ends = [m.shift(1).first_day if dates else m.end for m in period.months]
    return case(*((column < end, n) for n, end in enumerate(ends[:-1])),
                else_=len(ends) - 1)


def _consignment_cells(period: Period, group_id: int):
    """Consignment sales per month: rows of ``channel``, ``month``, ``value`` and
    ``bookings`` (none)."""
    visit, line = ConsignmentVisit, ConsignmentVisitLine
    first, end = period.months[0].first_day, period.months[-1].shift(1).first_day
    # The month is worked out in a subquery and grouped on outside, so PostgreSQL
    # sees one column rather than two copies of a CASE with their own parameters.
    sales = (
        select(_month_index(period, visit.visited_on, dates=True).label("month"),
               (line.sold * line.unit_price).label("value"))
        .join_from(line, visit, line.visit_id == visit.id)
        .where(visit.group_id == group_id, visit.visited_on >= first,
               visit.visited_on < end)
        .subquery("sales")
    )
    return (select(literal("consignment").label("channel"), sales.c.month,
                   _sum(sales.c.value).label("value"), literal(0).label("bookings"))
            .group_by(sales.c.month))


def _catering_cells(period: Period, group_id: int, village_id: int):
    """Catering turnover per month and the bookings counted: rows of ``channel``,
    ``month``, ``value`` and ``bookings``. A group cooks only for bookings of its own
    village (``village_id``): saying so lets the database read that village's
    bookings of the period rather than all of them."""
    booking, line = CateringBooking, BookingLine
    sales = (
        select(line.booking_id,
               _month_index(period, booking.deliver_at, dates=False).label("month"),
               (line.quantity * line.unit_price).label("value"))
        .join_from(line, booking, line.booking_id == booking.id)
        .where(line.group_id == group_id, booking.village_id == village_id,
               booking.status.in_(COUNTED_BOOKING_STATUSES),
               booking.deliver_at >= period.start, booking.deliver_at < period.end)
        .subquery("catering")
    )
    return (select(literal("catering").label("channel"), sales.c.month,
                   _sum(sales.c.value).label("value"),
                   func.count(distinct(sales.c.booking_id)).label("bookings"))
            .group_by(sales.c.month))


def _cells(user, period: Period, group) -> tuple[dict, int]:
    """Turnover per (channel, month index) from reseller sales, consignment and
    catering, and the number of catering bookings counted, in one statement."""
    share = producer_share_query(user, period, group.id).add_columns(
        literal(0).label("bookings"))
    rows = db.session.execute(union_all(
        share, _consignment_cells(period, group.id),
        _catering_cells(period, group.id, group.village_id)))
    cells, bookings = {}, 0
    for channel, month, value, count in rows:
        # A booking is delivered in one month: the months' counts add up.
        bookings += int(count or 0)
        if value:
            cells[(channel, int(month))] = int(value)
    return cells, bookings


def _claim_resellers_query(group_id: int):
    """The ``COUNT`` of resellers with an active claim on one of the group's products."""
    return (select(func.count(distinct(Claim.reseller_id)))
            .join(Product, Product.id == Claim.product_id)
            .where(Product.group_id == group_id, Claim.status == "active"))


def _partnerships(group_id: int) -> tuple[PartnershipRow, ...]:
    rows = db.session.execute(
        select(Partner.name, Partnership.title, Partnership.status, Partnership.starts_on,
               Partnership.ends_on)
        .join(partnership_groups, partnership_groups.c.partnership_id == Partnership.id)
        .join(Partner, Partner.id == Partnership.partner_id)
        .where(partnership_groups.c.group_id == group_id)
        .order_by(Partnership.starts_on.desc(), Partnership.id.desc()))
    return tuple(PartnershipRow(*row) for row in rows)


def group_evidence(group, user, months: int = 12, now: datetime | None = None) -> Evidence:
    """The evidence of ``group`` over the last ``months`` full months. ``user`` is the
    reader (reseller sales follow the order scoping rules; a reader who may see the
    group sees all its orders). Three statements: the monthly cells, the counts, the
    partnerships."""
    period = evidence_period(months, now)
    cells, bookings = _cells(user, period, group)
    counts = scalars_at_once(
        active=active_reseller_count_query(user, period, group.id),
        claims=_claim_resellers_query(group.id))
    return Evidence(
        period=period, cells=cells,
        active_resellers=int(counts["active"] or 0),
        claim_resellers=int(counts["claims"] or 0),
        partnerships=_partnerships(group.id),
        bookings_count=bookings,
        bookings_value=sum(v for (channel, _), v in cells.items() if channel == "catering"),
        baseline=group.baseline_monthly_turnover,
    )


def proposal_evidence(proposal, user, now: datetime | None = None) -> Evidence:
    """The evidence section of ``proposal``: its group over its ``evidence_months``."""
    return group_evidence(proposal.group, user, proposal.evidence_months, now)

"""The statements of the Kecamatan and Kabupaten view (:mod:`crm.reports.area`).

Each reads every village of the view at once and sums ``GROUP BY village``, so the
page sends the same statements for two villages or three hundred:

1. :func:`area_villages`: the villages in the officer's scope, each with the moment
   of its last order (an index look-up per village inside the one statement);
2. :func:`area_groups`: their producer groups and baselines;
3. :func:`area_cells`: the groups' turnover cells per month, as
   :func:`crm.reports.turnover.group_cells` gives them but with the reseller orders
   of every order channel together, read from the summaries per group and month
   (orders, consignment);
4. :func:`village_facts`: everything else per village in one ``UNION ALL`` —
   active resellers (from the summary per village, month and reseller), events,
   catering bookings, goods at outlets, proposals per status and the community
   fund (from the balances kept per group).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
    union_all,
)

from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.consignment.models import ConsignmentDrop, ConsignmentMonth
from crm.events.models import BookingLine, CateringBooking, Event
from crm.extensions import db
from crm.fund.models import FundBalance
from crm.orders.models import Order
from crm.proposals.models import Proposal
from crm.reports.models import GroupSalesMonth, VillageResellerMonth
from crm.reports.queries import Period, in_period
from crm.reports.turnover import (
    COUNTED_BOOKING_STATUSES,
    OTHER,
    GroupCells,
    catering_cells,
    month_index,
    other_cells,
    rupiah_sum,
)
from crm.villages.models import Village


@dataclass(frozen=True)
class AreaVillage:
    """A village of the view: ``kecamatan_code`` is the first 8 characters of its
    Kemendagri code ("32.04.11"), ``last_order_at`` when its last order came in
    (None: never)."""

    id: int
    code: str
    name: str
    kecamatan: str
    last_order_at: datetime | None

    @property
    def kecamatan_code(self) -> str:
        return self.code[:8]


def area_villages(user) -> list[AreaVillage]:
    """The villages ``user`` sees, by code (so by Kecamatan), each with its last order."""
    last_order = (select(func.max(Order.created_at)).where(Order.village_id == Village.id)
                  .correlate(Village).scalar_subquery())
    rows = db.session.execute(
        select(Village.id, Village.code, Village.name, Village.kecamatan,
               last_order.label("last_order_at"))
        .where(Village.id.in_(visible_village_ids(user)))
        .order_by(Village.code, Village.id))
    return [AreaVillage(*row) for row in rows.all()]


@dataclass(frozen=True)
class AreaGroup:
    """A group of the view: what :func:`~crm.reports.turnover.group_cells` needs and
    the group's turnover before MRSE."""

    id: int
    village_id: int
    baseline: int | None


def village_scope(user, kecamatan: str | None = None) -> Select:
    """A select of the ids of the villages ``user`` sees (of one Kecamatan, by its
    code, when given). The statements below take it as a subquery rather than a list
    of hundreds of ids, which would be sent and parsed in every one of them."""
    query = select(Village.id).where(Village.id.in_(visible_village_ids(user)))
    if kecamatan is not None:
        query = query.where(Village.code.startswith(f"{kecamatan}.", autoescape=True))
    return query


def group_scope(villages: Select) -> Select:
    """A select of the ids of the producer groups of ``villages`` (a select of ids)."""
    return select(ProducerGroup.id).where(ProducerGroup.village_id.in_(villages))


def area_groups(villages: Select) -> list[AreaGroup]:
    """The producer groups of ``villages`` (a select of village ids in the reader's
    scope)."""
    rows = db.session.execute(
        select(ProducerGroup.id, ProducerGroup.village_id,
               ProducerGroup.baseline_monthly_turnover)
        .where(ProducerGroup.village_id.in_(villages))
        .order_by(ProducerGroup.id))
    return [AreaGroup(*row) for row in rows.all()]


def _reseller_cells(user, period: Period, group_ids: Select):
    """The groups' share of reseller orders per month, every order channel together
    (channel ``reseller``), from the summary per group and month."""
    model = GroupSalesMonth
    sales = (select(model.group_id, month_index(period, model.month, dates=True).label("month"),
                    model.producer.label("value"))
             .where(*in_period(model, user, period, None), model.group_id.in_(group_ids))
             .subquery("orders"))
    return (select(sales.c.group_id, literal("reseller").label("channel"), sales.c.month,
                   rupiah_sum(sales.c.value).label("value"), literal(0).label("items"))
            .group_by(sales.c.group_id, sales.c.month))


def _consignment_cells(period: Period, group_ids):
    """Consignment sales per group and month by the rule of
    :func:`crm.reports.turnover.group_cells` (sold × agreed price, by visit month),
    read from the summary per group and month rather than every visit line."""
    model = ConsignmentMonth
    sales = (select(model.group_id, month_index(period, model.month, dates=True).label("month"),
                    model.sold_value.label("value"))
             .where(model.group_id.in_(group_ids), model.month >= period.months[0].first_day,
                    model.month <= period.months[-1].first_day)
             .subquery("consigned"))
    return (select(sales.c.group_id, literal("consignment").label("channel"), sales.c.month,
                   rupiah_sum(sales.c.value).label("value"), literal(0).label("items"))
            .group_by(sales.c.group_id, sales.c.month))


def area_cells(user, period: Period, groups: list[AreaGroup],
               villages: Select) -> dict[int, GroupCells]:
    """The turnover cells of ``groups`` (those of ``villages``, a select of village
    ids in ``user``'s scope) over ``period`` in one statement, shaped like
    :func:`crm.reports.turnover.group_cells` (which the village report uses) so that
    :func:`~crm.reports.turnover.turnover_of` measures them by the same rule; every
    group has an entry."""
    found = {g.id: GroupCells() for g in groups}
    if not found:
        return found
    ids = group_scope(villages)
    rows = db.session.execute(union_all(
        _reseller_cells(user, period, ids), _consignment_cells(period, ids),
        catering_cells(period, ids, villages), other_cells(period, ids)))
    # All rows at once: iterating the result fetches them one by one, which costs
    # more than the statement for the thousands of cells of a Kabupaten.
    for group_id, channel, month, value, _items in rows.all():
        mine = found[group_id]
        if channel == OTHER:
            mine.other[int(month)] = int(value)
        elif value:
            mine.cells[(channel, int(month))] = int(value)
    return found


@dataclass
class VillageFacts:
    """One village's figures besides turnover: resellers with a sale in the period,
    events held and catering bookings delivered in it (with their value), goods on
    outlets' shelves now (units, value at the agreed prices, drops past their
    pull-back day), proposals per status, fund balance and requests waiting."""

    active_resellers: int = 0
    events: int = 0
    bookings: int = 0
    booking_value: int = 0
    shelf_units: int = 0
    shelf_value: int = 0
    overdue_drops: int = 0
    proposals: dict = field(default_factory=dict)
    fund_balance: int = 0
    fund_pending: int = 0


def _num(column):
    # Sums of bigint are numeric on PostgreSQL, counts bigint, SQLite anything: every
    # branch of the UNION gives the same three bigint columns.
    return cast(literal(0) if column is None else func.coalesce(column, 0), BigInteger)


def _branch(village_id, kind: str, first, second=None, third=None, key=None):
    """One branch of the facts: village, kind, a text key and three figures."""
    return select(village_id.label("village_id"), literal(kind).label("kind"),
                  cast(key if key is not None else literal(""), String).label("key"),
                  _num(first).label("first"), _num(second).label("second"),
                  _num(third).label("third"))


def _resellers(user, period: Period, ids: Select):
    # Distinct (village, reseller) pairs first, then counted: hashed, not sorted. The
    # summary per village, month and reseller has a row only for a month the reseller
    # sold in (shipped orders are only ever added), so its primary key alone answers.
    model = VillageResellerMonth
    pairs = (select(model.village_id, model.reseller_id)
             .where(*in_period(model, user, period, None), model.village_id.in_(ids))
             .distinct().subquery("sellers"))
    return _branch(pairs.c.village_id, "resellers", func.count()).group_by(pairs.c.village_id)


def _events(period: Period, ids: Select):
    return (_branch(Event.village_id, "events", func.count(Event.id))
            .where(Event.village_id.in_(ids), Event.status == "planned",
                   Event.starts_at >= period.start, Event.starts_at < period.end)
            .group_by(Event.village_id))


def _bookings(period: Period, ids: Select):
    # The rule of the catering channel of the turnover: delivered (or later) bookings
    # by delivery time, valued at their lines.
    booking, line = CateringBooking, BookingLine
    return (_branch(booking.village_id, "bookings", func.count(distinct(booking.id)),
                    func.sum(line.quantity * line.unit_price))
            .join_from(line, booking, line.booking_id == booking.id)
            .where(booking.village_id.in_(ids),
                   booking.status.in_(COUNTED_BOOKING_STATUSES),
                   booking.deliver_at >= period.start, booking.deliver_at < period.end)
            .group_by(booking.village_id))


def _shelves(today: date, ids: Select):
    drop = ConsignmentDrop
    overdue = case(((drop.pull_back_on.is_not(None)) & (drop.pull_back_on < today), 1),
                   else_=0)
    return (_branch(drop.village_id, "shelf", func.sum(drop.on_shelf),
                    func.sum(drop.on_shelf * drop.unit_price), func.sum(overdue))
            .where(drop.village_id.in_(ids), drop.status == "open", drop.on_shelf > 0)
            .group_by(drop.village_id))


def _proposals(ids: Select):
    return (_branch(Proposal.village_id, "proposals", func.count(Proposal.id),
                    key=Proposal.status)
            .where(Proposal.village_id.in_(ids))
            .group_by(Proposal.village_id, Proposal.status))


def _fund(ids: Select):
    # The balances kept per group (crm.fund.balances), not the ledger of all time.
    model = FundBalance
    return (_branch(model.village_id, "fund", func.sum(model.balance), func.sum(model.waiting))
            .where(model.village_id.in_(ids))
            .group_by(model.village_id))


def village_facts(user, period: Period, today: date, village_ids: list[int],
                  villages: Select) -> dict[int, VillageFacts]:
    """:class:`VillageFacts` of every village of ``villages`` (a select of the ids
    ``village_ids``, in ``user``'s scope) from one statement; ``today`` decides which
    drops are past their pull-back day."""
    found = {village_id: VillageFacts() for village_id in village_ids}
    if not village_ids:
        return found
    ids = villages
    rows = db.session.execute(union_all(
        _resellers(user, period, ids), _events(period, ids), _bookings(period, ids),
        _shelves(today, ids), _proposals(ids), _fund(ids)))
    for village_id, kind, key, first, second, third in rows.all():
        facts = found[village_id]
        first, second = int(first), int(second)
        if kind == "resellers":
            facts.active_resellers = first
        elif kind == "events":
            facts.events = first
        elif kind == "bookings":
            facts.bookings, facts.booking_value = first, second
        elif kind == "shelf":
            facts.shelf_units, facts.shelf_value = first, second
            facts.overdue_drops = int(third)
        elif kind == "proposals":
            facts.proposals[key] = first
        elif kind == "fund":
            facts.fund_balance, facts.fund_pending = first, second
    return found

"""What resellers owe producer groups: balances, statements and their CSV.

A pair (reseller, group) owes the reseller price of everything shipped, less the
credit of returns the producer bears, less confirmed payments. Every sum is taken
by the database. Lists of balances read the pairs' running totals
(:mod:`crm.settlements.pair_totals`), so they cost the same whatever the history; a
statement sums one pair's records over its period.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import (
    BigInteger,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.orders.models import SOLD_STATUSES, Order, OrderLine, OrderReturn
from crm.settlements.models import PairTotal, ResellerPayment
from crm.text.dates import DEFAULT_TZ
from crm.web.i18n import gettext as _
from crm.web.spreadsheets import csv_text, formula_safe

ZERO = literal(0, BigInteger)


def _money(expression):
    """``SUM`` that is 0 for no rows and a whole number on every database."""
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


def local_midnight(day: date, tz: str = DEFAULT_TZ) -> datetime:
    """The moment ``day`` begins in ``tz``, in UTC (datetimes are stored in UTC)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _shipped_at():
    # Sold orders always have shipped_at; created_at only guards old or odd rows.
    return func.coalesce(Order.shipped_at, Order.created_at)


def _shipped_query(reseller_id: int, group_id: int):
    return (
        select(_money(OrderLine.reseller_price * OrderLine.quantity))
        .select_from(Order).join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.reseller_id == reseller_id, Order.group_id == group_id,
               Order.status.in_(SOLD_STATUSES))
    )


def _credit_query(reseller_id: int, group_id: int):
    return select(_money(OrderReturn.credit)).where(
        OrderReturn.reseller_id == reseller_id, OrderReturn.group_id == group_id)


def _paid_query(reseller_id: int, group_id: int):
    return select(_money(ResellerPayment.amount)).where(
        ResellerPayment.reseller_id == reseller_id, ResellerPayment.group_id == group_id,
        ResellerPayment.status == "confirmed")


def balance(reseller_id: int, group_id: int, until: date | None = None,
            tz: str = DEFAULT_TZ) -> int:
    """What the reseller owes the group, in whole rupiah, counting everything up to
    and including the local date ``until`` (all of it when ``None``).

    Shipments count on their shipping day, return credits on the day they were
    recorded, confirmed payments on the day of the transfer. One query.
    """
    shipped = _shipped_query(reseller_id, group_id)
    credit = _credit_query(reseller_id, group_id)
    paid = _paid_query(reseller_id, group_id)
    if until is not None:
        before = local_midnight(until + timedelta(days=1), tz)
        shipped = shipped.where(_shipped_at() < before)
        credit = credit.where(OrderReturn.created_at < before)
        paid = paid.where(ResellerPayment.paid_on <= until)
    owed = db.session.scalar(select(
        shipped.scalar_subquery() - credit.scalar_subquery() - paid.scalar_subquery()))
    return int(owed or 0)


# --- balances of many pairs ----------------------------------------------------------


@dataclass
class BalanceRow:
    """One (reseller, group) pair: what was shipped, credited, paid and is owed."""

    reseller_id: int
    reseller_name: str
    group_id: int
    group_name: str
    shipped: int
    credited: int
    paid: int
    waiting: int  # submitted payments not yet confirmed: shown, never counted

    @property
    def owed(self) -> int:
        return self.shipped - self.credited - self.paid


def balances_query(user: User):
    """The pairs in ``user``'s scope with any order, return or payment, from their
    running totals (:mod:`crm.settlements.pair_totals`) as rows shaped like
    :class:`BalanceRow`: a reseller one row per group, a producer one per reseller of
    the group, an officer every pair of their villages. By group, then reseller; one
    query whatever the history, ready to paginate."""
    return (
        select(PairTotal.reseller_id, User.full_name.label("reseller_name"),
               PairTotal.group_id, ProducerGroup.name.label("group_name"), PairTotal.shipped,
               PairTotal.credited, PairTotal.paid, PairTotal.waiting)
        .join(User, User.id == PairTotal.reseller_id)
        .join(ProducerGroup, ProducerGroup.id == PairTotal.group_id)
        .where(*_listed_pairs(user))
        .order_by(ProducerGroup.name, User.full_name, PairTotal.reseller_id,
                  PairTotal.group_id)
    )


def _listed_pairs(user: User) -> tuple:
    return (_pair_scope(user, PairTotal.reseller_id, PairTotal.group_id),
            or_(PairTotal.orders > 0, PairTotal.returns > 0, PairTotal.payments > 0))


def balance_row(row) -> BalanceRow:
    """A row of :func:`balances_query` as a :class:`BalanceRow`."""
    return BalanceRow(**row._mapping)


def balances_for(user: User) -> list[BalanceRow]:
    """Every row of :func:`balances_query` (short lists: a reseller's groups)."""
    return [balance_row(row) for row in db.session.execute(balances_query(user))]


def owed_by_pair(pairs) -> dict[tuple[int, int], int]:
    """``{(reseller id, group id): owed}`` for the given pairs, from their running
    totals; one query for any number of pairs."""
    wanted = set(pairs)
    if not wanted:
        return {}
    reseller_ids = {reseller_id for reseller_id, _group_id in wanted}
    group_ids = {group_id for _reseller_id, group_id in wanted}
    rows = db.session.execute(
        select(PairTotal.reseller_id, PairTotal.group_id,
               PairTotal.shipped - PairTotal.credited - PairTotal.paid)
        .where(PairTotal.reseller_id.in_(reseller_ids), PairTotal.group_id.in_(group_ids)))
    return {(r, g): int(owed) for r, g, owed in rows if (r, g) in wanted}


def owed_in_scope(user: User) -> int:
    """What is owed over every pair in ``user``'s scope (the balance list's total)."""
    return int(db.session.scalar(_owed_query(user)) or 0)


def _owed_query(user: User):
    return (select(_money(PairTotal.shipped - PairTotal.credited - PairTotal.paid))
            .where(_pair_scope(user, PairTotal.reseller_id, PairTotal.group_id)))


def _pair_scope(user: User, reseller_col, group_col):
    """Condition limiting pairs to ``user``'s scope: a reseller their own, a producer
    their group's, an officer the groups of their villages."""
    if user.role == Role.RESELLER:
        return reseller_col == user.id
    if user.role == Role.PRODUCER:
        return group_col == user.group_id
    if user.role == Role.OFFICER:
        return group_col.in_(select(ProducerGroup.id).where(
            ProducerGroup.village_id.in_(visible_village_ids(user))))
    return false()


# --- the pair of a statement -----------------------------------------------------------


def get_pair_or_404(group_id: int, reseller_id: int, user: User) -> tuple[ProducerGroup, User]:
    """The group and reseller of a statement in ``user``'s scope, else 404.

    A reseller sees only their own pairs, a producer only their group's, an officer
    only groups of their villages. The two must also deal with each other (same
    village, or an order or payment between them), so ids cannot be walked to learn
    names from elsewhere.
    """
    group = db.session.get(ProducerGroup, group_id)
    reseller = db.session.get(User, reseller_id)
    if group is None or reseller is None or reseller.role != Role.RESELLER:
        abort(404)
    if user.role == Role.RESELLER:
        allowed = reseller.id == user.id
    elif user.role == Role.PRODUCER:
        allowed = group.id == user.group_id
    elif user.role == Role.OFFICER:
        allowed = group.village_id in set(db.session.scalars(visible_village_ids(user)))
    else:
        allowed = False
    if not allowed:
        abort(404)
    if reseller.village_id != group.village_id and not db.session.scalar(select(or_(
            exists().where(Order.reseller_id == reseller.id, Order.group_id == group.id),
            exists().where(ResellerPayment.reseller_id == reseller.id,
                           ResellerPayment.group_id == group.id)))):
        abort(404)
    return group, reseller


# --- statements ----------------------------------------------------------------------


@dataclass
class Entry:
    """One line of a statement: positive adds to what is owed, negative lowers it."""

    day: date
    kind: str  # "shipment", "return" or "payment"
    description: str
    amount: int
    balance: int = 0
    ref_id: int = 0


@dataclass
class Statement:
    """A pair's account over a period of local dates, both ends included."""

    start: date
    end: date
    opening: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def charged(self) -> int:
        return sum(e.amount for e in self.entries if e.amount > 0)

    @property
    def credited(self) -> int:
        return -sum(e.amount for e in self.entries if e.amount < 0)

    @property
    def closing(self) -> int:
        return self.opening + sum(e.amount for e in self.entries)


KIND_ORDER = {"shipment": 0, "return": 1, "payment": 2}


def month_of(day: date) -> tuple[date, date]:
    """First and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def statement(reseller_id: int, group_id: int, start: date, end: date,
              tz: str = DEFAULT_TZ) -> Statement:
    """The statement of a pair from ``start`` to ``end`` (local dates, inclusive):
    the balance before ``start``, then shipments, return credits and confirmed
    payments in date order with the running balance. Four queries."""
    opening = balance(reseller_id, group_id, until=start - timedelta(days=1), tz=tz)
    since, before = local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz)
    zone = ZoneInfo(tz)
    entries: list[tuple[tuple, Entry]] = []
    shipped_at = _shipped_at()
    shipments = db.session.execute(
        select(Order.id, shipped_at, _money(OrderLine.reseller_price * OrderLine.quantity))
        .select_from(Order).join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.reseller_id == reseller_id, Order.group_id == group_id,
               Order.status.in_(SOLD_STATUSES), shipped_at >= since, shipped_at < before)
        .group_by(Order.id, Order.shipped_at, Order.created_at)
    ).all()
    for order_id, moment, total in shipments:
        moment = _aware(moment)
        entries.append(((moment.astimezone(zone).date(), 0, moment, order_id), Entry(
            moment.astimezone(zone).date(), "shipment",
            _("Pesanan #%(id)d dikirim", id=order_id), int(total), ref_id=order_id)))
    returns = db.session.execute(
        select(OrderReturn.id, OrderReturn.order_id, OrderReturn.created_at,
               OrderReturn.credit)
        .where(OrderReturn.reseller_id == reseller_id, OrderReturn.group_id == group_id,
               OrderReturn.credit > 0, OrderReturn.created_at >= since,
               OrderReturn.created_at < before)
    ).all()
    for return_id, order_id, moment, credit in returns:
        day = moment.astimezone(zone).date()
        entries.append(((day, 1, moment, return_id), Entry(
            day, "return", _("Retur pesanan #%(id)d", id=order_id), -int(credit),
            ref_id=order_id)))
    payments = db.session.execute(
        select(ResellerPayment.id, ResellerPayment.paid_on, ResellerPayment.reference,
               ResellerPayment.amount)
        .where(ResellerPayment.reseller_id == reseller_id,
               ResellerPayment.group_id == group_id, ResellerPayment.status == "confirmed",
               ResellerPayment.paid_on >= start, ResellerPayment.paid_on <= end)
    ).all()
    for payment_id, paid_on, reference, amount in payments:
        text = _("Setoran %(ref)s", ref=reference) if reference else _("Setoran")
        entries.append(((paid_on, 2, None, payment_id), Entry(
            paid_on, "payment", text.strip(), -int(amount), ref_id=payment_id)))
    entries.sort(key=lambda pair: (pair[0][0], pair[0][1], pair[0][3]))
    result = Statement(start=start, end=end, opening=opening)
    running = opening
    for _key, entry in entries:
        running += entry.amount
        entry.balance = running
        result.entries.append(entry)
    return result


def _aware(moment: datetime) -> datetime:
    # coalesce() of two UTC columns comes back as they were stored (naive UTC on SQLite).
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def statement_csv(item: Statement, group_name: str, reseller_name: str) -> str:
    """The statement as CSV (UTF-8 with a byte-order mark for spreadsheet programs).

    Amounts are plain whole numbers so that they add up; ``Tagihan`` raises what is
    owed, ``Pengurang`` lowers it. Text cells cannot start a formula.
    """
    rows = [
        [_("Kelompok"), formula_safe(group_name)],
        [_("Reseller"), formula_safe(reseller_name)],
        [_("Periode"), item.start.isoformat(), item.end.isoformat()],
        [_("Tanggal"), _("Keterangan"), _("Tagihan"), _("Pengurang"), _("Saldo")],
        [item.start.isoformat(), _("Saldo awal"), "", "", item.opening],
    ]
    rows += [[entry.day.isoformat(), formula_safe(entry.description),
              entry.amount if entry.amount > 0 else "",
              -entry.amount if entry.amount < 0 else "", entry.balance]
             for entry in item.entries]
    rows.append([item.end.isoformat(), _("Saldo akhir"), item.charged, item.credited,
                 item.closing])
    return csv_text(rows)

"""Scoped queries and loaders for the community fund, and its figures in SQL.

Officers see the groups of their villages; a producer their own group; resellers
and partners nothing. Anything outside the scope answers 404.

Balance = Σ contributions − Σ approved disbursements. Requests waiting for the
officer (and rejected ones) do not count.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, and_, case, extract, func, or_, select
from sqlalchemy.orm import joinedload

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.fund.models import FundEntry


def signed_amount():
    """An entry's effect on the balance: + a contribution, − an approved
    disbursement, 0 a request waiting or rejected."""
    return case(
        (FundEntry.kind == "contribution", FundEntry.amount),
        (FundEntry.status == "approved", -FundEntry.amount),
        else_=0,
    )


def entry_effect(entry: FundEntry) -> int:
    """What :func:`signed_amount` gives for one loaded entry."""
    if entry.kind == "contribution":
        return entry.amount
    return -entry.amount if entry.status == "approved" else 0


# Ledger lines: what moves the balance.
COUNTED = or_(FundEntry.kind == "contribution", FundEntry.status == "approved")
PENDING = (FundEntry.kind == "disbursement") & (FundEntry.status == "requested")


def fund_groups_visible_to(user) -> Select:
    """Groups whose fund ``user`` may see: an officer's villages', a producer's own."""
    query = select(ProducerGroup).order_by(ProducerGroup.name, ProducerGroup.id)
    if user.role == Role.OFFICER:
        return query.where(ProducerGroup.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PRODUCER:
        return query.where(ProducerGroup.id == user.group_id)
    return query.where(False)


def get_fund_group_or_404(group_id: int, user, need: str = "view") -> ProducerGroup:
    """A group whose fund ``user`` may see; ``need="edit"`` (set the rule, ask for a
    disbursement) is allowed to the same people: its producers and its officers."""
    group = db.session.scalar(
        fund_groups_visible_to(user).where(ProducerGroup.id == group_id)
        .options(joinedload(ProducerGroup.village)))  # its time zone dates the fund
    if group is None or (need == "edit" and user.role not in (Role.OFFICER, Role.PRODUCER)):
        abort(404)
    return group


def fund_entries_visible_to(user) -> Select:
    """Fund entries ``user`` may see."""
    query = select(FundEntry)
    if user.role == Role.OFFICER:
        return query.where(FundEntry.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PRODUCER:
        return query.where(FundEntry.group_id == user.group_id)
    return query.where(False)


def get_disbursement_or_404(entry_id: int, user, need: str = "view") -> FundEntry:
    """A disbursement in ``user``'s scope; ``need="decide"``: only an officer (the
    view answers the group's own producer with 403 before asking for that)."""
    entry = db.session.scalar(fund_entries_visible_to(user).where(
        FundEntry.id == entry_id, FundEntry.kind == "disbursement"))
    if entry is None or (need == "decide" and user.role != Role.OFFICER):
        abort(404)
    return entry


def pending_disbursements_for(user) -> Select:
    """Requests waiting for an officer's decision in ``user``'s scope, oldest first
    (a Select of :class:`FundEntry`: ``.limit()`` it, or count it)."""
    return (fund_entries_visible_to(user).where(PENDING)
            .order_by(FundEntry.created_at, FundEntry.id))


def pending_disbursement_count_query(user) -> Select:
    """The ``COUNT`` of requests in ``user``'s scope waiting for an officer."""
    pending = pending_disbursements_for(user).order_by(None).subquery()
    return select(func.count()).select_from(pending)


def pending_disbursement_count(user) -> int:
    """How many requests in ``user``'s scope wait for an officer's decision."""
    return db.session.scalar(pending_disbursement_count_query(user)) or 0


def fund_balance_query(group_id: int) -> Select:
    """The ``SUM`` that is the group's fund balance in whole rupiah."""
    return (select(func.coalesce(func.sum(signed_amount()), 0))
            .where(FundEntry.group_id == group_id))


def fund_balance(group_id: int) -> int:
    """The group's fund balance in whole rupiah, summed by the database."""
    return int(db.session.scalar(fund_balance_query(group_id)) or 0)


@dataclass(frozen=True)
class FundFigures:
    """A group's balance and the requests waiting for a decision."""

    balance: int = 0
    pending_count: int = 0
    pending_amount: int = 0


def figures_for(group_ids) -> dict[int, FundFigures]:
    """Balance and waiting requests of each group in ``group_ids`` (a list or a
    select of ids), in one aggregate query; groups without entries are left out."""
    rows = db.session.execute(
        select(FundEntry.group_id, func.coalesce(func.sum(signed_amount()), 0),
               func.count(case((PENDING, FundEntry.id))),
               func.coalesce(func.sum(case((PENDING, FundEntry.amount), else_=0)), 0))
        .where(FundEntry.group_id.in_(group_ids))
        .group_by(FundEntry.group_id))
    return {gid: FundFigures(int(balance), int(count), int(pending))
            for gid, balance, count, pending in rows}


def total_figures(group_ids) -> FundFigures:
    """The figures of all groups in ``group_ids`` together."""
    balance, count, pending = db.session.execute(
        select(func.coalesce(func.sum(signed_amount()), 0),
               func.count(case((PENDING, FundEntry.id))),
               func.coalesce(func.sum(case((PENDING, FundEntry.amount), else_=0)), 0))
        .where(FundEntry.group_id.in_(group_ids))).one()
    return FundFigures(int(balance), int(count), int(pending))


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def ledger_query(group_id: int, month: date | None = None) -> Select:
    """The group's ledger lines (contributions and approved disbursements), newest
    first; ``month`` (its first day) keeps only that month's."""
    query = select(FundEntry).where(FundEntry.group_id == group_id, COUNTED)
    if month is not None:
        query = query.where(FundEntry.occurred_on >= month,
                            FundEntry.occurred_on < next_month(month))
    return query.order_by(FundEntry.occurred_on.desc(), FundEntry.id.desc())


def running_balances(group_id: int, entries) -> dict[int, int]:
    """The balance right after each of ``entries`` (ledger lines of the group in
    ledger order, newest first, as a page shows them). One aggregate gives the
    balance after the newest of them (everything minus what came later); each older
    line's balance follows by taking back the line above it."""
    lines = list(entries)
    if not lines:
        return {}
    newest = lines[0]
    later = or_(FundEntry.occurred_on > newest.occurred_on,
                and_(FundEntry.occurred_on == newest.occurred_on, FundEntry.id > newest.id))
    total, after = db.session.execute(
        select(func.coalesce(func.sum(signed_amount()), 0),
               func.coalesce(func.sum(case((later, signed_amount()), else_=0)), 0))
        .where(FundEntry.group_id == group_id, COUNTED)).one()
    balance = int(total) - int(after)
    balances = {}
    for line in lines:
        balances[line.id] = balance
        balance -= entry_effect(line)
    return balances


@dataclass(frozen=True)
class MonthFigures:
    """Money in and out of a month, and the balance at its end."""

    money_in: int
    money_out: int
    closing: int


def month_figures(group_id: int, month: date) -> MonthFigures:
    """What came in and went out in ``month`` and the balance at its end."""
    end = next_month(month)
    inside = (FundEntry.occurred_on >= month) & (FundEntry.occurred_on < end)
    money_in, money_out, closing = db.session.execute(
        select(
            func.coalesce(func.sum(case(
                (inside & (FundEntry.kind == "contribution"), FundEntry.amount), else_=0)), 0),
            func.coalesce(func.sum(case(
                (inside & (FundEntry.kind == "disbursement")
                 & (FundEntry.status == "approved"), FundEntry.amount), else_=0)), 0),
            func.coalesce(func.sum(case(
                (FundEntry.occurred_on < end, signed_amount()), else_=0)), 0),
        ).where(FundEntry.group_id == group_id)).one()
    return MonthFigures(int(money_in), int(money_out), int(closing))


def ledger_months(group_id: int) -> list[tuple[int, int]]:
    """The (year, month) pairs that have ledger lines, newest first."""
    year = extract("year", FundEntry.occurred_on)
    month = extract("month", FundEntry.occurred_on)
    rows = db.session.execute(
        select(year, month).where(FundEntry.group_id == group_id, COUNTED)
        .group_by(year, month).order_by(year.desc(), month.desc()))
    return [(int(y), int(m)) for y, m in rows]


def year_totals(group_id: int, year: int) -> tuple[int, dict[str, int]]:
    """Contributions of ``year`` and approved disbursements per purpose."""
    inside = (FundEntry.occurred_on >= date(year, 1, 1)) & (
        FundEntry.occurred_on < date(year + 1, 1, 1))
    contributed = db.session.scalar(
        select(func.coalesce(func.sum(FundEntry.amount), 0))
        .where(FundEntry.group_id == group_id, FundEntry.kind == "contribution", inside))
    rows = db.session.execute(
        select(FundEntry.purpose, func.sum(FundEntry.amount))
        .where(FundEntry.group_id == group_id, FundEntry.kind == "disbursement",
               FundEntry.status == "approved", inside)
        .group_by(FundEntry.purpose))
    return int(contributed or 0), {purpose: int(total) for purpose, total in rows}

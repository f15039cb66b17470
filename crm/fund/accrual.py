"""Contributions to a group's fund, written when its revenue comes in.

The revenue hooks (an order finished, a catering booking paid, a consignment visit's
sales) call :func:`accrue_contribution`; a group on a fixed amount per month gets
:func:`accrue_fixed_months` (run by the fund pages when they open and by the daily
``flask crm fund-accrue``). Each source record gives at most one contribution (a
unique key and INSERT … ON CONFLICT DO NOTHING), so running a hook twice, or two
workers at once, never counts a sale twice.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from crm.audit.services import record_change
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.fund import balances
from crm.fund.models import FundEntry, FundRule
from crm.text.dates import village_today

BASIS_POINTS = 10_000


def rule_for(group_id: int) -> FundRule | None:
    """The group's fund rule, or None when it has not set one."""
    return db.session.scalar(select(FundRule).where(FundRule.group_id == group_id))


def contribution_of(revenue: int, rate_bp: int) -> int:
    """The share of ``revenue`` at ``rate_bp`` basis points, rounded down to whole
    rupiah (the fund never takes more than the rate)."""
    return revenue * rate_bp // BASIS_POINTS


def _insert(values: dict) -> int | None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = db.session.execute(
        insert(FundEntry).values(kind="contribution", **values)
        .on_conflict_do_nothing(index_elements=["group_id", "source", "source_id"])
        .returning(FundEntry.id)
    )
    entry_id = result.scalar()
    if entry_id is not None:
        balances.add(values["group_id"], values["village_id"], balance=values["amount"])
    return entry_id


def accrue_contribution(group, source: str, source_id: int, revenue: int, day: date,
                        actor=None) -> int | None:
    """Add the contribution of ``revenue`` earned by ``group`` on ``day`` from
    ``source`` record ``source_id`` ("order", "booking" or "consignment"), if the
    group sets aside a percentage. Returns the new entry's id, or None when nothing
    was added (no rule, a fixed rule, nothing due, or already counted)."""
    rule = rule_for(group.id)
    if rule is None or rule.mode != "percent" or day < rule.starts_on:
        return None
    amount = contribution_of(revenue, rule.rate_bp)
    if amount <= 0:
        return None
    entry_id = _insert({
        "group_id": group.id, "village_id": group.village_id, "amount": amount,
        "occurred_on": day, "source": source, "source_id": source_id, "revenue": revenue,
        "rate_bp": rule.rate_bp, "created_by_id": getattr(actor, "id", None),
    })
    if entry_id is not None:
        record_change(actor, "accrue", "fund_entry", entry_id, group.village_id,
                      {"source": f"{source}#{source_id}", "revenue": revenue,
                       "amount": amount})
    return entry_id


def _months(first: date, last: date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_key(day: date) -> int:
    """``YYYYMM``: the ``source_id`` of a month's fixed contribution."""
    return day.year * 100 + day.month


def _accrue_missing(group, rule: FundRule, upto: date, have: set[int], actor) -> list[int]:
    """Insert the fixed contribution of each month from the rule's start up to
    ``upto`` whose key is not in ``have``."""
    added = []
    for year, month in _months(rule.starts_on, upto):
        key = year * 100 + month
        if key in have:
            continue
        # The first month counts from the day the rule starts.
        day = max(date(year, month, 1), rule.starts_on)
        entry_id = _insert({
            "group_id": group.id, "village_id": group.village_id,
            "amount": rule.fixed_amount, "occurred_on": day,
            "source": "fixed", "source_id": key,
            "created_by_id": getattr(actor, "id", None),
        })
        if entry_id is not None:
            record_change(actor, "accrue", "fund_entry", entry_id, group.village_id,
                          {"source": f"fixed#{key}", "amount": rule.fixed_amount})
            added.append(entry_id)
    return added


def _fixed_months_held(group_ids) -> dict[int, set[int]]:
    held: dict[int, set[int]] = {gid: set() for gid in group_ids}
    if not held:
        return held
    rows = db.session.execute(
        select(FundEntry.group_id, FundEntry.source_id)
        .where(FundEntry.group_id.in_(list(held)), FundEntry.source == "fixed"))
    for group_id, key in rows:
        held[group_id].add(key)
    return held


def accrue_fixed_months(group, upto: date, actor=None) -> list[int]:
    """For a group on a fixed amount per month, add the contribution of every month
    from the rule's start up to ``upto`` that has none yet (``source_id`` is
    ``YYYYMM``). Returns the ids of the entries added."""
    rule = rule_for(group.id)
    if rule is None or rule.mode != "fixed" or rule.fixed_amount <= 0:
        return []
    have = _fixed_months_held([group.id])[group.id]
    return _accrue_missing(group, rule, upto, have, actor)


def accrue_all_fixed(group_ids=None, actor=None, upto: date | None = None) -> list[int]:
    """Catch up the fixed monthly contributions of every group on a fixed rule (or of
    those in ``group_ids``), each up to today where its village is (or ``upto``).
    The queries do not grow with the number of months: the months already held are
    read at once and only the missing ones are written."""
    query = (select(FundRule).where(FundRule.mode == "fixed", FundRule.fixed_amount > 0)
             .options(selectinload(FundRule.group).selectinload(ProducerGroup.village))
             .order_by(FundRule.group_id))
    if group_ids is not None:
        query = query.where(FundRule.group_id.in_(group_ids))
    rules = db.session.scalars(query).all()
    held = _fixed_months_held([rule.group_id for rule in rules])
    added = []
    for rule in rules:
        day = upto or village_today(rule.group.village)
        added += _accrue_missing(rule.group, rule, day, held[rule.group_id], actor)
    return added

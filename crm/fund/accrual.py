"""Contributions to a group's fund, written when its revenue comes in.

The revenue hooks (an order finished, a catering booking paid, a consignment visit's
sales) call :func:`accrue_contribution`; a group on a fixed amount per month gets
:func:`accrue_fixed_months`. Each source record gives at most one contribution (a
unique key and INSERT … ON CONFLICT DO NOTHING), so running a hook twice, or two
workers at once, never counts a sale twice.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import record_change
from crm.extensions import db
from crm.fund.models import FundEntry, FundRule

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
    return result.scalar()


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


def accrue_fixed_months(group, upto: date, actor=None) -> list[int]:
    """For a group on a fixed amount per month, add the contribution of every month
    from the rule's start up to ``upto`` that has none yet (``source_id`` is
    ``YYYYMM``). Returns the ids of the entries added."""
    rule = rule_for(group.id)
    if rule is None or rule.mode != "fixed" or rule.fixed_amount <= 0:
        return []
    added = []
    for year, month in _months(rule.starts_on, upto):
        entry_id = _insert({
            "group_id": group.id, "village_id": group.village_id,
            "amount": rule.fixed_amount, "occurred_on": date(year, month, 1),
            "source": "fixed", "source_id": year * 100 + month,
            "created_by_id": getattr(actor, "id", None),
        })
        if entry_id is not None:
            record_change(actor, "accrue", "fund_entry", entry_id, group.village_id,
                          {"source": f"fixed#{year * 100 + month}",
                           "amount": rule.fixed_amount})
            added.append(entry_id)
    return added

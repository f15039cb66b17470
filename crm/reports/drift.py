"""The stored totals checked against the records they are computed from.

The monthly sales summaries, the running totals per reseller and group, the
consignment sales per group and month and the fund balances are added to by the
steps that ship orders, record returns and visits, decide payments and write the
fund ledger. If a step ever
forgot its part, the pages built on them would show wrong figures without a sound:
``flask crm check-totals`` recomputes every row from the records and lists what
differs (and ``--fix`` rebuilds them).
"""

from dataclasses import dataclass

from crm.consignment import months as consignment_months
from crm.consignment.models import ConsignmentMonth
from crm.extensions import db
from crm.fund import balances as fund_balances
from crm.fund.models import FundBalance
from crm.reports import summaries
from crm.reports.models import (
    GroupSalesMonth,
    ProductSalesMonth,
    ResellerProductMonth,
    SalesMonth,
    VillageResellerMonth,
)
from crm.settlements import pair_totals
from crm.settlements.models import PairTotal


@dataclass(frozen=True)
class Drift:
    """One row of a summary table that differs from what the records give (``None`` on
    the side where the row is missing)."""

    table: str
    key: dict
    stored: dict | None
    computed: dict | None


def _checks():
    return (
        (SalesMonth, summaries.computed_sales_months()),
        (ProductSalesMonth, summaries.computed_product_sales_months()),
        (ResellerProductMonth, summaries.computed_reseller_product_months()),
        (GroupSalesMonth, summaries.computed_group_sales_months()),
        (VillageResellerMonth, summaries.computed_village_reseller_months()),
        (PairTotal, pair_totals.computed_totals()),
        (ConsignmentMonth, consignment_months.computed_months()),
        (FundBalance, fund_balances.computed_balances()),
    )


def _by_key(rows, keys, columns) -> dict:
    # Values compared as text: a month is a date in the table and may be text when
    # SQLite computes it.
    return {tuple(str(row[k]) for k in keys): {c: str(row[c]) for c in columns}
            for row in rows}


def table_drift(model, computed) -> tuple[int, list[Drift]]:
    """Rows of ``model`` checked against the ``computed`` select shaped like it:
    how many rows were checked, and those that differ."""
    table = model.__table__
    columns = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    stored = _by_key(db.session.execute(table.select()).mappings(), keys, columns)
    fresh = _by_key(db.session.execute(computed).mappings(), keys, columns)
    differences = [
        Drift(table.name, dict(zip(keys, key, strict=True)), stored.get(key), fresh.get(key))
        for key in sorted(stored.keys() | fresh.keys())
        if stored.get(key) != fresh.get(key)
    ]
    return len(stored.keys() | fresh.keys()), differences


def totals_drift() -> tuple[int, list[Drift]]:
    """Every stored summary and running total checked: rows checked, differences."""
    checked, differences = 0, []
    for model, computed in _checks():
        count, found = table_drift(model, computed)
        checked += count
        differences += found
    return checked, differences


def rebuild_totals() -> None:
    """Replace the summaries and running totals by what the records give (no commit)."""
    summaries.rebuild()
    pair_totals.rebuild()
    consignment_months.rebuild()
    fund_balances.rebuild()

"""Each group's fund balance and waiting requests (:class:`FundBalance`), kept up to
date by the steps that write the ledger, in their transaction, with one upsert
(:func:`crm.db.upsert.add_to_row`):

- a contribution written (:mod:`crm.fund.accrual`): balance + its amount;
- a disbursement requested: waiting + 1;
- approved: waiting − 1, balance − its amount; rejected: waiting − 1.

Ledger lines are never deleted or changed otherwise. :func:`rebuild` computes every
row from the ledger (the migration that made the table, bulk loads,
``flask crm check-totals --fix``).
"""

from sqlalchemy import BigInteger, Integer, case, cast, delete, func, select

from crm.db.upsert import add_to_row
from crm.extensions import db
from crm.fund.models import FundBalance, FundEntry
from crm.fund.queries import PENDING, signed_amount


def add(group_id: int, village_id: int, *, balance: int = 0, waiting: int = 0) -> None:
    """Add ``balance`` rupiah and ``waiting`` requests (negative to take away) to the
    group's row."""
    add_to_row(FundBalance.__table__, {"group_id": group_id}, {"village_id": village_id},
               {"balance": balance, "waiting": waiting})


def computed_balances():
    """Every group's row computed from the ledger (a SELECT shaped like the table)."""
    return (select(FundEntry.group_id, FundEntry.village_id,
                   cast(func.sum(signed_amount()), BigInteger).label("balance"),
                   cast(func.count(case((PENDING, FundEntry.id))), Integer).label("waiting"))
            .group_by(FundEntry.group_id, FundEntry.village_id))


def rebuild() -> None:
    """Replace every row by what the ledger gives (no commit)."""
    db.session.execute(delete(FundBalance))
    db.session.execute(FundBalance.__table__.insert().from_select(
        ["group_id", "village_id", "balance", "waiting"], computed_balances()))

"""Running totals per (reseller, group) pair, so that balances never sum the history.

Every step that moves money between a reseller and a group adds to its pair's row,
in the same transaction as the step itself, with one upsert
(``INSERT … ON CONFLICT DO UPDATE SET x = x + n``, :mod:`crm.db.upsert`, atomic on
SQLite and PostgreSQL):

- an order taken: ``orders`` + 1; cancelled: ``orders`` − 1;
- an order shipped: ``shipped`` + its reseller prices × quantities;
- a return: ``returns`` + 1 and ``credited`` + the credit the producer bears;
- a payment written down: ``payments`` + 1 and ``waiting`` + its amount; confirmed:
  ``waiting`` − amount, ``paid`` + amount; rejected: ``waiting`` − amount.

:func:`rebuild` computes every row from the records themselves: the migration that
made the table, bulk loads and the check that the two agree use it.
"""

from sqlalchemy import BigInteger, case, cast, delete, func, literal, select, union_all

from crm.catalog.models import ProducerGroup
from crm.db.upsert import add_to_row
from crm.extensions import db
from crm.orders.models import SOLD_STATUSES, Order, OrderLine, OrderReturn
from crm.settlements.models import PairTotal, ResellerPayment

FIGURES = ("orders", "returns", "payments", "shipped", "credited", "paid", "waiting")


def add(reseller_id: int, group_id: int, village_id: int, **changes: int) -> None:
    """Add ``changes`` (figure name → amount, negative to take away) to the pair."""
    unknown = set(changes) - set(FIGURES)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    add_to_row(PairTotal.__table__, {"reseller_id": reseller_id, "group_id": group_id},
               {"village_id": village_id}, {name: changes.get(name, 0) for name in FIGURES})


def order_owed(order: Order) -> int:
    """What the reseller owes the group for ``order`` once it is shipped."""
    return sum(line.reseller_price * line.quantity for line in order.lines)


def _moves():
    """One row per record that counts towards a pair, with what it adds."""
    zero = literal(0, BigInteger)
    one = literal(1, BigInteger)
    orders = select(Order.reseller_id, Order.group_id, one.label("orders"),
                    zero.label("returns"), zero.label("payments"), zero.label("shipped"),
                    zero.label("credited"), zero.label("paid"), zero.label("waiting")
                    ).where(Order.status != "cancelled")
    shipped = (select(Order.reseller_id, Order.group_id, zero, zero, zero,
                      OrderLine.reseller_price * OrderLine.quantity, zero, zero, zero)
               .join(OrderLine, OrderLine.order_id == Order.id)
               .where(Order.status.in_(SOLD_STATUSES)))
    returns = select(OrderReturn.reseller_id, OrderReturn.group_id, zero, one, zero, zero,
                     OrderReturn.credit, zero, zero)
    payments = select(
        ResellerPayment.reseller_id, ResellerPayment.group_id, zero, zero, one, zero, zero,
        case((ResellerPayment.status == "confirmed", ResellerPayment.amount), else_=0),
        case((ResellerPayment.status == "submitted", ResellerPayment.amount), else_=0))
    return union_all(orders, shipped, returns, payments).subquery("moves")


def computed_totals():
    """Every pair's totals computed from the records (a SELECT shaped like the table)."""
    moves = _moves()
    return (
        select(moves.c.reseller_id, moves.c.group_id, ProducerGroup.village_id,
               *(cast(func.sum(moves.c[name]), BigInteger).label(name) for name in FIGURES))
        .join(ProducerGroup, ProducerGroup.id == moves.c.group_id)
        .group_by(moves.c.reseller_id, moves.c.group_id, ProducerGroup.village_id)
    )


def rebuild() -> None:
    """Replace every row by totals computed from the records (no commit)."""
    db.session.execute(delete(PairTotal))
    columns = ["reseller_id", "group_id", "village_id", *FIGURES]
    db.session.execute(PairTotal.__table__.insert().from_select(columns, computed_totals()))

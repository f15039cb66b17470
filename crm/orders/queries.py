"""Scoped queries and loaders for orders, returns and payments."""

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, func, literal, null, select

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.extensions import db
from crm.orders.models import Order, OrderLine, ResellerPayment


def orders_visible_to(user) -> Select:
    """Orders ``user`` may see: a reseller's own, a producer's group's, an officer's
    villages'; partners none."""
    query = select(Order)
    if user.role == Role.RESELLER:
        return query.where(Order.reseller_id == user.id)
    if user.role == Role.PRODUCER:
        return query.where(Order.group_id == user.group_id)
    if user.role == Role.OFFICER:
        return query.where(Order.village_id.in_(visible_village_ids(user)))
    return query.where(False)


@dataclass(frozen=True, slots=True)
class OrderCard:
    """What an order list shows of an order: plain values, no ORM objects."""

    id: int
    customer_name: str
    status: str
    channel: str
    ship_date: date
    reseller_name: str | None
    group_name: str | None
    items: str  # "2 × Ladu Ketan, 1 × Tas Rajut" in the order's line order
    goods_total: int  # what the customer pays for the goods


@dataclass(frozen=True)
class CardNames:
    """Whose names order cards show: the reseller's, the group's (the other is None
    on the cards, and not read)."""

    reseller: bool = True
    group: bool = True


def order_cards(orders: Select, order_by: tuple, limit: int,
                names: CardNames = CardNames()) -> list[OrderCard]:
    """The first ``limit`` orders of ``orders`` (a select of :class:`Order`) by
    ``order_by``, as cards. One statement: the orders ranked and cut in a subquery,
    then joined to their lines and products (and reseller and group for ``names``)."""
    cards, _total = _cards(orders, order_by, limit, 0, False, names)
    return cards


def order_card_page(orders: Select, order_by: tuple, limit: int, offset: int,
                    names: CardNames = CardNames()) -> tuple[list[OrderCard], int]:
    """A page of cards (``limit`` from ``offset``) and the number of all ``orders``,
    counted in the same statement. An empty page (past the last, or no orders) has
    no row to carry the number, and it is counted apart."""
    cards, total = _cards(orders, order_by, limit, offset, True, names)
    if total is None:
        total = db.session.scalar(_count(orders))
    return cards, total


def _count(orders: Select) -> Select:
    """The ``COUNT`` of the orders of ``orders``."""
    return select(func.count()).select_from(
        orders.with_only_columns(Order.id, maintain_column_froms=True).subquery())


def _cards(orders: Select, order_by: tuple, limit: int, offset: int,
           counted: bool, names: CardNames) -> tuple[list[OrderCard], int | None]:
    ranked = (
        orders.with_only_columns(
            Order.id, Order.customer_name, Order.status, Order.channel, Order.ship_date,
            Order.reseller_id, Order.group_id,
            func.row_number().over(order_by=order_by).label("position"),
            maintain_column_froms=True)
        .order_by(*order_by).limit(limit).offset(offset).subquery("ranked")
    )
    # The count of every order (not only the page's), once: an uncorrelated subquery.
    total = _count(orders).scalar_subquery() if counted else literal(None)
    query = select(
        ranked.c.id, ranked.c.customer_name, ranked.c.status, ranked.c.channel,
        ranked.c.ship_date, User.full_name if names.reseller else null(),
        ProducerGroup.name if names.group else null(), OrderLine.quantity, Product.name,
        OrderLine.retail_price, total,
    ).select_from(ranked)
    if names.reseller:
        query = query.join(User, User.id == ranked.c.reseller_id)
    if names.group:
        query = query.join(ProducerGroup, ProducerGroup.id == ranked.c.group_id)
    rows = db.session.execute(
        query.outerjoin(OrderLine, OrderLine.order_id == ranked.c.id)
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .order_by(ranked.c.position, OrderLine.id)
    )
    cards: list[OrderCard] = []
    current, items, amount, count = None, [], 0, None
    for *head, quantity, name, price, row_total in rows:
        count = row_total  # the same on every row
        if current is None or head[0] != current[0]:
            if current is not None:
                cards.append(OrderCard(*current, ", ".join(items), amount))
            current, items, amount = head, [], 0
        if quantity is not None:
            items.append(f"{quantity} × {name}")
            amount += price * quantity
    if current is not None:
        cards.append(OrderCard(*current, ", ".join(items), amount))
    return cards, count


def get_order_or_404(order_id: int, user, need: str = "view") -> Order:
    """An order in ``user``'s scope. ``need="reseller"``: only its reseller;
    ``need="producer"``: its group's producers or an officer of the village."""
    order = db.session.scalar(orders_visible_to(user).where(Order.id == order_id))
    allowed = {
        "view": (Role.RESELLER, Role.PRODUCER, Role.OFFICER),
        "reseller": (Role.RESELLER,),
        "producer": (Role.PRODUCER, Role.OFFICER),
    }[need]
    if order is None or user.role not in allowed:
        abort(404)
    return order


def payments_visible_to(user) -> Select:
    """Reseller payments ``user`` may see, scoped like orders."""
    query = select(ResellerPayment)
    if user.role == Role.RESELLER:
        return query.where(ResellerPayment.reseller_id == user.id)
    if user.role == Role.PRODUCER:
        return query.where(ResellerPayment.group_id == user.group_id)
    if user.role == Role.OFFICER:
        return query.where(ResellerPayment.village_id.in_(visible_village_ids(user)))
    return query.where(False)

"""Scoped queries and loaders for orders, returns and payments."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, select

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
    reseller_name: str
    group_name: str
    items: tuple  # ((quantity, product name), ...) in the order's line order
    goods_total: int  # what the customer pays for the goods


def order_cards(orders: Select) -> list[OrderCard]:
    """The orders of ``orders`` (a select of :class:`Order`, filtered, ordered and
    limited by the caller) as cards, in the same order. Two queries: the orders with
    their reseller and group, then their lines with the products' names."""
    rows = db.session.execute(
        orders.with_only_columns(
            Order.id, Order.customer_name, Order.status, Order.channel, Order.ship_date,
            User.full_name, ProducerGroup.name, maintain_column_froms=True)
        .join_from(Order, User, User.id == Order.reseller_id)
        .join_from(Order, ProducerGroup, ProducerGroup.id == Order.group_id)
    ).all()
    if not rows:
        return []
    items: dict[int, list] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    for order_id, quantity, name, price in db.session.execute(
            select(OrderLine.order_id, OrderLine.quantity, Product.name,
                   OrderLine.retail_price)
            .join(Product, Product.id == OrderLine.product_id)
            .where(OrderLine.order_id.in_([row[0] for row in rows]))
            .order_by(OrderLine.order_id, OrderLine.id)):
        items[order_id].append((quantity, name))
        totals[order_id] += price * quantity
    return [OrderCard(*row, tuple(items[row[0]]), totals[row[0]]) for row in rows]


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

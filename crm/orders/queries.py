"""Scoped queries and loaders for orders, returns and payments."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import abort
from sqlalchemy import Date, Integer, Select, bindparam, case, func, literal, null, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role, User
from crm.auth.permissions import bound_user, scope_values, visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.extensions import db
from crm.orders.models import (
    QUEUE_STATUSES,
    Order,
    OrderLine,
    OrderReturn,
    ResellerPayment,
)
from crm.resellers.models import ResellerProfile


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


# The work queue shows at most this many orders (late ones first).
QUEUE_LIMIT = 200


def queue_cards(user, today: date, names: CardNames = CardNames()) -> list[OrderCard]:
    """The orders waiting for work in ``user``'s scope (to confirm, pack or ship) as
    cards: late ones (shipping before ``today``) first, then by shipping day; at most
    :data:`QUEUE_LIMIT`. One kept statement."""
    rows = db.session.execute(_queue_statement(Role(user.role), names),
                              {**scope_values(user), "today": today})
    cards, _total = _read_cards(rows)
    return cards


def order_card_page(user, status: str | None, limit: int, offset: int,
                    names: CardNames = CardNames()) -> tuple[list[OrderCard], int]:
    """A page of ``user``'s orders (of ``status`` when given), newest first, as
    cards (``limit`` from ``offset``), and the number of all of them, counted in the
    same (kept) statement. An empty page (past the last, or no orders) has no row to
    carry the number, and it is counted apart."""
    role, filtered = Role(user.role), status is not None
    values = {**scope_values(user), "status": status, "limit": limit, "offset": offset}
    cards, total = _read_cards(db.session.execute(
        _list_statement(role, filtered, names), values))
    if total is None:
        total = db.session.scalar(_count(_listed_orders(role, filtered)), values)
    return cards, total


# Kept statements (see crm.auth.permissions): built once per role and filter, from
# the scope of a BoundUser; the values come with each run.


@cache
def _queue_statement(role: Role, names: CardNames) -> Select:
    orders = orders_visible_to(bound_user(role)).where(Order.status.in_(QUEUE_STATUSES))
    late = case((Order.ship_date < bindparam("today", type_=Date, required=True), 0),
                else_=1)
    return _cards_statement(orders, (late, Order.ship_date, Order.id), QUEUE_LIMIT, 0,
                            False, names)


@cache
def _listed_orders(role: Role, filtered: bool) -> Select:
    orders = orders_visible_to(bound_user(role))
    if filtered:
        orders = orders.where(Order.status == bindparam("status", required=True))
    return orders


@cache
def _list_statement(role: Role, filtered: bool, names: CardNames) -> Select:
    return _cards_statement(
        _listed_orders(role, filtered), (Order.id.desc(),),
        bindparam("limit", type_=Integer, required=True),
        bindparam("offset", type_=Integer, required=True), True, names)


def _count(orders: Select) -> Select:
    """The ``COUNT`` of the orders of ``orders``."""
    return select(func.count()).select_from(
        orders.with_only_columns(Order.id, maintain_column_froms=True).subquery())


def _cards_statement(orders: Select, order_by: tuple, limit, offset, counted: bool,
                     names: CardNames) -> Select:
    """The first ``limit`` orders of ``orders`` (a select of :class:`Order`) from
    ``offset`` by ``order_by``, ranked and cut in a subquery, joined to their lines
    and products (and reseller and group for ``names``); with ``counted``, every row
    carries the number of all ``orders`` (an uncorrelated subquery, run once)."""
    ranked = (
        orders.with_only_columns(
            Order.id, Order.customer_name, Order.status, Order.channel, Order.ship_date,
            Order.reseller_id, Order.group_id,
            func.row_number().over(order_by=order_by).label("position"),
            maintain_column_froms=True)
        .order_by(*order_by).limit(limit).offset(offset).subquery("ranked")
    )
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
    return (query.outerjoin(OrderLine, OrderLine.order_id == ranked.c.id)
            .outerjoin(Product, Product.id == OrderLine.product_id)
            .order_by(ranked.c.position, OrderLine.id))


def _read_cards(rows) -> tuple[list[OrderCard], int | None]:
    """The cards of a :func:`_cards_statement`'s rows (one per order line), and the
    number it carries (None without rows, or when not counted)."""
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


def reseller_phones(user_ids) -> dict[int, str]:
    """``{reseller id: number}`` a producer group writes to on WhatsApp: the number in
    the reseller's profile, else the account's phone; resellers with neither are left
    out. One query for any number of resellers."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, ResellerProfile.whatsapp, User.phone)
        .outerjoin(ResellerProfile, ResellerProfile.user_id == User.id)
        .where(User.id.in_(ids)))
    return {user_id: profile or phone for user_id, profile, phone in rows if profile or phone}


def order_returns(order: Order) -> list[OrderReturn]:
    """The returns recorded on ``order``, oldest first, with their lines' products."""
    return list(db.session.scalars(
        select(OrderReturn).where(OrderReturn.order_id == order.id)
        .order_by(OrderReturn.id)
        .options(selectinload(OrderReturn.line).selectinload(OrderLine.product))))

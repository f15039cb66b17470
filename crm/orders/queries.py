"""Scoped queries and loaders for orders, returns and payments."""

from datetime import date

from flask import abort
from sqlalchemy import Select, case, select
from sqlalchemy.orm import joinedload, selectinload

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.orders.models import QUEUE_STATUSES, Order, OrderLine, OrderReturn
from crm.resellers.models import ResellerProfile
from crm.settlements.models import ResellerPayment


def orders_visible_to(user: User) -> Select:
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


# The work queue shows at most this many orders (late ones first).
QUEUE_LIMIT = 200


def _card_options():
    """What an order card shows besides the order: its lines with their products,
    the reseller and the group, loaded with the orders (no query per card)."""
    return (selectinload(Order.lines).joinedload(OrderLine.product),
            joinedload(Order.reseller), joinedload(Order.group))


def order_list(user, status: str | None = None) -> Select:
    """``user``'s orders (of ``status`` when given), newest first, with what their
    cards show; for ``db.paginate``."""
    orders = orders_visible_to(user)
    if status is not None:
        orders = orders.where(Order.status == status)
    return orders.order_by(Order.id.desc()).options(*_card_options())


def queue_orders(user, today: date) -> list[Order]:
    """The orders waiting for work in ``user``'s scope (to confirm, pack or ship):
    late ones (shipping before ``today``) first, then by shipping day; at most
    :data:`QUEUE_LIMIT`."""
    late = case((Order.ship_date < today, 0), else_=1)
    return list(db.session.scalars(
        orders_visible_to(user).where(Order.status.in_(QUEUE_STATUSES))
        .order_by(late, Order.ship_date, Order.id).limit(QUEUE_LIMIT)
        .options(*_card_options())))


def get_order_or_404(order_id: int, user: User, need: str = "view") -> Order:
    """An order in ``user``'s scope. ``need="reseller"``: only its reseller;
    ``need="producer"``: its group's producers or an officer of the village;
    ``need="group"``: its group's producers only (the shipping label)."""
    order = db.session.scalar(orders_visible_to(user).where(Order.id == order_id))
    allowed = {
        "view": (Role.RESELLER, Role.PRODUCER, Role.OFFICER),
        "reseller": (Role.RESELLER,),
        "producer": (Role.PRODUCER, Role.OFFICER),
        "group": (Role.PRODUCER,),
    }[need]
    if order is None or user.role not in allowed:
        abort(404)
    return order


def payments_visible_to(user: User) -> Select:
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

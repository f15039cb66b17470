"""Scoped queries and loaders for orders, returns and payments."""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.orders.models import Order, ResellerPayment


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

"""Scoped queries and loaders for groups and products."""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.extensions import db


def groups_visible_to(user: User) -> Select:
    """Groups ``user`` may see: an officer's villages, a producer's own group, the
    groups of a reseller's or partner's village."""
    query = select(ProducerGroup).order_by(ProducerGroup.name)
    if user.role == Role.PRODUCER:
        return query.where(ProducerGroup.id == user.group_id)
    return query.where(ProducerGroup.village_id.in_(visible_village_ids(user)))


def group_names(user: User) -> list:
    """Rows of id and name of the groups ``user`` may see, by name (a filter's
    choices)."""
    return db.session.execute(groups_visible_to(user).with_only_columns(
        ProducerGroup.id, ProducerGroup.name)).all()


def get_group_or_404(group_id: int, user: User, need: str = "view") -> ProducerGroup:
    """A group in ``user``'s scope; officers and the group's own producers may edit."""
    group = db.session.scalar(groups_visible_to(user).where(ProducerGroup.id == group_id))
    if group is None or (need == "edit" and user.role not in (Role.OFFICER, Role.PRODUCER)):
        abort(404)
    return group


def products_visible_to(user: User) -> Select:
    """Products ``user`` may see: producers their group's (active or not), officers
    their villages', resellers and partners the active products of their village."""
    query = select(Product).order_by(Product.name, Product.id)
    if user.role == Role.PRODUCER:
        return query.where(Product.group_id == user.group_id)
    query = query.where(Product.village_id.in_(visible_village_ids(user)))
    if user.role in (Role.RESELLER, Role.PARTNER):
        query = query.where(Product.active.is_(True))
    return query


def get_product_or_404(product_id: int, user: User, need: str = "view") -> Product:
    """A product in ``user``'s scope; only officers and its group's producers edit."""
    product = db.session.scalar(products_visible_to(user).where(Product.id == product_id))
    if product is None or (need == "edit" and user.role not in (Role.OFFICER, Role.PRODUCER)):
        abort(404)
    return product

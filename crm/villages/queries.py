"""Scoped queries and loaders for villages."""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.villages.models import Village


def villages_visible_to(user) -> Select:
    """Villages ``user`` may see, by name: an administrator sees every village (to set
    it up), everyone else the villages of their scope."""
    query = select(Village).order_by(Village.name, Village.id)
    if user.role == Role.ADMIN:
        return query
    return query.where(Village.id.in_(visible_village_ids(user)))


def get_village_or_404(village_id: int, user, need: str = "view") -> Village:
    """Load a village in ``user``'s scope; only officers and administrators may edit.
    Others get 404."""
    village = db.session.scalar(villages_visible_to(user).where(Village.id == village_id))
    if village is None or (need == "edit" and user.role not in (Role.OFFICER, Role.ADMIN)):
        abort(404)
    return village

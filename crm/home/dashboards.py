"""Figures on each role's home page, all scoped to what the user may see."""

from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.events.models import Partner
from crm.extensions import db
from crm.villages.queries import villages_visible_to


def dashboard_figures(user) -> dict:
    """What the home page of ``user``'s role shows."""
    if user.role == Role.OFFICER:
        return _officer_figures(user)
    if user.role == Role.PRODUCER:
        members = db.session.scalars(
            select(User).where(User.group_id == user.group_id, User.active.is_(True))
            .order_by(User.full_name)
        ).all()
        return {"group": user.group, "members": members}
    if user.role == Role.PARTNER:
        return {"partner": user.partner}
    return {"village": user.home_village}


def _officer_figures(user) -> dict:
    scope = visible_village_ids(user)
    villages = db.session.scalars(villages_visible_to(user)).all()

    def count(model, *where):
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.village_id.in_(scope), *where)
        )

    return {
        "villages": villages,
        "group_count": count(ProducerGroup),
        "reseller_count": count(User, User.role == Role.RESELLER, User.active.is_(True)),
        "partner_count": count(Partner),
    }

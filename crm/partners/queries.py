"""Scoped queries and loaders for partners and partnerships.

Officers see the records of their villages; a partner contact sees only their own
institution and its partnerships; producers see the partnerships that include their
group (read only); resellers see none of it. Another user's id answers 404.
"""

from flask import abort
from sqlalchemy import Select, false, select

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.partners.models import Partner, Partnership, partnership_groups


def partners_visible_to(user) -> Select:
    """Partners ``user`` may see, by name."""
    query = select(Partner).order_by(Partner.name, Partner.id)
    if user.role == Role.OFFICER:
        return query.where(Partner.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(Partner.id == user.partner_id)
    return query.where(false())


def get_partner_or_404(partner_id: int, user, need: str = "view") -> Partner:
    """A partner in ``user``'s scope. ``need="edit"``: officers only; ``need="contact"``
    (the contact fields): officers and the institution's own contact."""
    partner = db.session.scalar(partners_visible_to(user).where(Partner.id == partner_id))
    if partner is None:
        abort(404)
    if need == "edit" and user.role != Role.OFFICER:
        abort(404)
    if need == "contact" and user.role not in (Role.OFFICER, Role.PARTNER):
        abort(404)
    return partner


def partnerships_visible_to(user) -> Select:
    """Partnerships ``user`` may see, newest first."""
    query = select(Partnership).order_by(Partnership.starts_on.desc(), Partnership.id.desc())
    if user.role == Role.OFFICER:
        return query.where(Partnership.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(Partnership.partner_id == user.partner_id)
    if user.role == Role.PRODUCER and user.group_id is not None:
        return query.where(Partnership.id.in_(
            select(partnership_groups.c.partnership_id)
            .where(partnership_groups.c.group_id == user.group_id)
        ))
    return query.where(false())


def get_partnership_or_404(partnership_id: int, user, need: str = "view") -> Partnership:
    """A partnership in ``user``'s scope; only officers change it (``need="edit"``)."""
    item = db.session.scalar(
        partnerships_visible_to(user).where(Partnership.id == partnership_id)
    )
    if item is None or (need == "edit" and user.role != Role.OFFICER):
        abort(404)
    return item

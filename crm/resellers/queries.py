"""Scoped queries and loaders for reseller profiles and claims."""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import Product
from crm.extensions import db
from crm.resellers.models import Claim, ResellerProfile


def profiles_visible_to(user) -> Select:
    """Reseller profiles ``user`` may see: an officer's villages, a reseller's own."""
    query = select(ResellerProfile)
    if user.role == Role.OFFICER:
        return query.where(ResellerProfile.village_id.in_(visible_village_ids(user)))
    if user.role == Role.RESELLER:
        return query.where(ResellerProfile.user_id == user.id)
    return query.where(False)


def get_profile_or_404(profile_id: int, user) -> ResellerProfile:
    """A reseller profile in ``user``'s scope."""
    profile = db.session.scalar(
        profiles_visible_to(user).where(ResellerProfile.id == profile_id)
    )
    if profile is None:
        abort(404)
    return profile


def claims_visible_to(user) -> Select:
    """Claims ``user`` may see: a reseller's own, the claims on a producer's group's
    products, those of an officer's villages; partners see none."""
    query = select(Claim)
    if user.role == Role.RESELLER:
        return query.where(Claim.reseller_id == user.id)
    if user.role == Role.PRODUCER:
        return query.join(Product, Product.id == Claim.product_id).where(
            Product.group_id == user.group_id
        )
    if user.role == Role.OFFICER:
        return query.where(Claim.village_id.in_(visible_village_ids(user)))
    return query.where(False)


def get_claim_or_404(claim_id: int, user, need: str = "view") -> Claim:
    """A claim in ``user``'s scope. ``need="withdraw"``: the reseller's own;
    ``need="decide"``: its product's producers or an officer of the village."""
    claim = db.session.scalar(claims_visible_to(user).where(Claim.id == claim_id))
    allowed = {
        "view": (Role.RESELLER, Role.PRODUCER, Role.OFFICER),
        "withdraw": (Role.RESELLER,),
        "decide": (Role.PRODUCER, Role.OFFICER),
    }[need]
    if claim is None or user.role not in allowed:
        abort(404)
    return claim

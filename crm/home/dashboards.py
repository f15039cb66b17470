"""Figures on each role's home page, all scoped to what the user may see. The counts
of a page are one statement (:func:`crm.db.scalars.scalars_at_once`)."""

from sqlalchemy import func, select, true

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.consignment.queries import overdue_drop_count_query
from crm.db.scalars import scalars_at_once
from crm.extensions import db
from crm.fund.queries import fund_balance_query, pending_disbursement_count_query
from crm.orders.models import QUEUE_STATUSES, Order
from crm.partners.models import Partner
from crm.proposals.models import Proposal
from crm.resellers.models import Claim, ResellerProfile
from crm.resellers.services import mentoring_due_clause, profile_for
from crm.text.dates import today_in
from crm.villages.models import Village
from crm.villages.queries import villages_visible_to


def dashboard_figures(user: User) -> dict:
    """What the home page of ``user``'s role shows."""
    if user.role == Role.OFFICER:
        return _officer_figures(user)
    if user.role == Role.PRODUCER:
        members = db.session.scalars(
            select(User).where(User.group_id == user.group_id, User.active.is_(True))
            .order_by(User.full_name)
        ).all()
        figures = _producer_counts(user)
        return {"group": user.group, "members": members,
                "queue": {status: int(figures.pop(status)) for status in QUEUE_STATUSES},
                **{name: int(value or 0) for name, value in figures.items()}}
    if user.role == Role.PARTNER:
        return {"partner": user.partner}
    return _reseller_figures(user)


def _producer_counts(user: User) -> dict:
    queue = {status: select(func.count()).select_from(Order).where(
        Order.group_id == user.group_id, Order.status == status)
        for status in QUEUE_STATUSES}
    return scalars_at_once(
        pending_claims=select(func.count()).select_from(Claim)
        .join(Product, Product.id == Claim.product_id)
        .where(Product.group_id == user.group_id, Claim.status == "pending"),
        proposals_to_revise=select(func.count()).select_from(Proposal)
        .where(Proposal.group_id == user.group_id, Proposal.status == "revision"),
        overdue_drops=overdue_drop_count_query(user, today_in()),
        fund_balance=fund_balance_query(user.group_id),
        **queue,
    )


def _reseller_figures(user: User) -> dict:
    counts = dict(db.session.execute(
        select(Claim.status, func.count()).where(Claim.reseller_id == user.id)
        .group_by(Claim.status)
    ).all())
    orders = dict(db.session.execute(
        select(Order.status, func.count()).where(Order.reseller_id == user.id)
        .group_by(Order.status)
    ).all())
    profile = profile_for(user)
    return {"village": user.home_village, "profile": profile, "claim_counts": counts,
            "order_counts": orders}


# The officer's home page names this many villages; the village list has them all.
VILLAGES_NAMED = 6


def _officer_figures(user: User) -> dict:
    villages = db.session.scalars(villages_visible_to(user).limit(VILLAGES_NAMED)).all()
    figures = _officer_counts(user)
    return {"villages": villages, **{name: int(value or 0) for name, value in figures.items()}}


def _officer_counts(user: User) -> dict:
    scope = visible_village_ids(user)

    def count(model, *where):
        return (select(func.count()).select_from(model)
                .where((model.id if model is Village else model.village_id).in_(scope),
                       *where))

    return scalars_at_once(
        village_total=count(Village, true()),
        group_count=count(ProducerGroup),
        reseller_count=count(User, User.role == Role.RESELLER, User.active.is_(True)),
        partner_count=count(Partner),
        pending_claims=count(Claim, Claim.status == "pending"),
        due_resellers=_due_resellers(scope),
        proposals_to_review=count(Proposal, Proposal.status == "submitted"),
        fund_requests=pending_disbursement_count_query(user),
        overdue_drops=overdue_drop_count_query(user, today_in()),
    )


def _due_resellers(scope):
    # Mentoring is due by the server's date, as on the list of resellers.
    return (
        select(func.count()).select_from(ResellerProfile)
        .join(User, User.id == ResellerProfile.user_id)
        .where(ResellerProfile.village_id.in_(scope), User.active.is_(True),
               mentoring_due_clause())
    )

"""Scoped queries and loaders for outlets, drops and visits, and the figures shown
about them.

Producers see their own group's outlets, officers the outlets of groups in their
villages; resellers and partners nothing. Anything outside the scope answers 404.
Figures are summed in SQL (GROUP BY), a fixed number of queries whatever the
number of outlets.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort
from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import joinedload

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.extensions import db

MANAGERS = (Role.OFFICER, Role.PRODUCER)


def _scoped(query: Select, model, user) -> Select:
    """``query`` limited to ``user``'s scope through ``model``'s group and village."""
    if user.role == Role.PRODUCER:
        return query.where(model.group_id == user.group_id)
    if user.role == Role.OFFICER:
        return query.where(model.village_id.in_(visible_village_ids(user)))
    return query.where(False)


def outlets_visible_to(user) -> Select:
    """Outlets ``user`` may see: a producer's group's, an officer's villages'."""
    return _scoped(select(Outlet), Outlet, user)


def get_outlet_or_404(outlet_id: int, user, need: str = "view") -> Outlet:
    """An outlet in ``user``'s scope; officers and the group's producers may edit."""
    outlet = db.session.scalar(outlets_visible_to(user).where(Outlet.id == outlet_id))
    if outlet is None or (need == "edit" and user.role not in MANAGERS):
        abort(404)
    return outlet


def drops_visible_to(user) -> Select:
    """Drops ``user`` may see."""
    return _scoped(select(ConsignmentDrop), ConsignmentDrop, user)


def get_drop_or_404(drop_id: int, user) -> ConsignmentDrop:
    """A drop in ``user``'s scope."""
    drop = db.session.scalar(drops_visible_to(user).where(ConsignmentDrop.id == drop_id))
    if drop is None:
        abort(404)
    return drop


def visits_visible_to(user) -> Select:
    """Visits ``user`` may see."""
    return _scoped(select(ConsignmentVisit), ConsignmentVisit, user)


def get_visit_or_404(visit_id: int, user) -> ConsignmentVisit:
    """A visit in ``user``'s scope."""
    visit = db.session.scalar(visits_visible_to(user).where(ConsignmentVisit.id == visit_id))
    if visit is None:
        abort(404)
    return visit


def groups_for(user) -> list[ProducerGroup]:
    """The groups whose outlets ``user`` may manage, by name."""
    query = select(ProducerGroup).order_by(ProducerGroup.name, ProducerGroup.id)
    if user.role == Role.PRODUCER:
        query = query.where(ProducerGroup.id == user.group_id)
    elif user.role == Role.OFFICER:
        query = query.where(ProducerGroup.village_id.in_(visible_village_ids(user)))
    else:
        query = query.where(False)
    return list(db.session.scalars(query))


def products_for_drop(group_id: int) -> list[Product]:
    """The active products of a group that can be left at an outlet."""
    return list(db.session.scalars(
        select(Product).where(Product.group_id == group_id, Product.active.is_(True))
        .order_by(Product.name, Product.id)))


def open_drops(outlet_id: int) -> list[ConsignmentDrop]:
    """The drops still on the outlet's shelf, oldest first, with their products."""
    return list(db.session.scalars(
        select(ConsignmentDrop)
        .where(ConsignmentDrop.outlet_id == outlet_id, ConsignmentDrop.status == "open",
               ConsignmentDrop.on_shelf > 0)
        .options(joinedload(ConsignmentDrop.product))
        .order_by(ConsignmentDrop.placed_on, ConsignmentDrop.id)))


@dataclass
class OutletFigures:
    """What is still at an outlet: units on the shelf, their value at the agreed
    prices, and the cash it still owes the group (dues − cash collected)."""

    units: int = 0
    value: int = 0
    due: int = 0
    collected: int = 0

    @property
    def outstanding(self) -> int:
        return self.due - self.collected


def outlet_figures(outlet_ids) -> dict[int, OutletFigures]:
    """``{outlet id: OutletFigures}`` in two GROUP BY queries, however many outlets."""
    ids = list(outlet_ids)
    figures = {outlet_id: OutletFigures() for outlet_id in ids}
    if not ids:
        return figures
    shelf = db.session.execute(
        select(ConsignmentDrop.outlet_id, func.sum(ConsignmentDrop.on_shelf),
               func.sum(ConsignmentDrop.on_shelf * ConsignmentDrop.unit_price))
        .where(ConsignmentDrop.outlet_id.in_(ids), ConsignmentDrop.status == "open")
        .group_by(ConsignmentDrop.outlet_id))
    for outlet_id, units, value in shelf:
        figures[outlet_id].units = int(units or 0)
        figures[outlet_id].value = int(value or 0)
    cash = db.session.execute(
        select(ConsignmentVisit.outlet_id, func.sum(ConsignmentVisit.amount_due),
               func.sum(ConsignmentVisit.cash_collected))
        .where(ConsignmentVisit.outlet_id.in_(ids))
        .group_by(ConsignmentVisit.outlet_id))
    for outlet_id, due, collected in cash:
        figures[outlet_id].due = int(due or 0)
        figures[outlet_id].collected = int(collected or 0)
    return figures


def outstanding_after(visit: ConsignmentVisit) -> int:
    """What the outlet still owed once ``visit`` was recorded: dues − cash over its
    visits up to and including this one (in the order they were recorded, so a slip
    printed again later shows the same figure)."""
    due, collected = db.session.execute(
        select(func.coalesce(func.sum(ConsignmentVisit.amount_due), 0),
               func.coalesce(func.sum(ConsignmentVisit.cash_collected), 0))
        .where(ConsignmentVisit.outlet_id == visit.outlet_id,
               ConsignmentVisit.id <= visit.id)).one()
    return int(due) - int(collected)


def pull_back_drops(user, today: date, days_ahead: int = 1) -> list[ConsignmentDrop]:
    """Open drops in ``user``'s scope that must leave the shelf by ``today`` +
    ``days_ahead`` (overdue ones included), soonest first, with outlet and product."""
    return list(db.session.scalars(
        drops_visible_to(user)
        .where(ConsignmentDrop.status == "open", ConsignmentDrop.on_shelf > 0,
               ConsignmentDrop.pull_back_on.is_not(None),
               ConsignmentDrop.pull_back_on <= today + timedelta(days=days_ahead))
        .options(joinedload(ConsignmentDrop.outlet), joinedload(ConsignmentDrop.product))
        .order_by(ConsignmentDrop.pull_back_on, ConsignmentDrop.outlet_id,
                  ConsignmentDrop.id)))


def overdue_drop_count_query(user, today: date) -> Select:
    """The ``COUNT`` of open drops in ``user``'s scope past their pull-back day, for
    dashboards (the list is on the consignment pages)."""
    drops = drops_visible_to(user).where(
        ConsignmentDrop.status == "open", ConsignmentDrop.on_shelf > 0,
        ConsignmentDrop.pull_back_on.is_not(None), ConsignmentDrop.pull_back_on < today,
    ).subquery()
    return select(func.count()).select_from(drops)


def overdue_drops_for(user, today: date) -> list[ConsignmentDrop]:
    """Open drops in ``user``'s scope past their pull-back day (``pull_back_on`` before
    ``today``): goods that should already have left the shelf. For dashboards."""
    return pull_back_drops(user, today, days_ahead=-1)


def consignment_sales_by_month(group_id: int, start_day: date,
                               end_day: date) -> dict[tuple[int, int], int]:
    """``{(year, month): rupiah}`` sold through outlets by ``group_id`` at the agreed
    prices (Σ sold × unit price, before the outlets' cut), by the visit day, for
    visits from ``start_day`` to ``end_day`` inclusive. Months without sales are left
    out."""
    year = extract("year", ConsignmentVisit.visited_on)
    month = extract("month", ConsignmentVisit.visited_on)
    rows = db.session.execute(
        select(year, month,
               func.sum(ConsignmentVisitLine.sold * ConsignmentVisitLine.unit_price))
        .join(ConsignmentVisit, ConsignmentVisit.id == ConsignmentVisitLine.visit_id)
        .where(ConsignmentVisit.group_id == group_id,
               ConsignmentVisit.visited_on >= start_day,
               ConsignmentVisit.visited_on <= end_day)
        .group_by(year, month))
    return {(int(y), int(m)): int(total or 0) for y, m, total in rows if total}

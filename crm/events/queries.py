"""Scoped queries and loaders for events and catering bookings.

Officers see their villages; a partner contact their institution's events and
bookings; a producer the bookings with a line of their group (and those events),
and only the money of their own lines; resellers nothing. Anything outside the
scope answers 404.
"""

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.events.models import BookingLine, CateringBooking, Event, SpendingCeiling
from crm.extensions import db
from crm.partners.models import Partner

# Who may change an event or book catering for it: the officer and the partner.
EDITORS = (Role.OFFICER, Role.PARTNER)


def _group_booking_ids(group_id):
    return select(BookingLine.booking_id).where(BookingLine.group_id == group_id)


def events_visible_to(user) -> Select:
    """Events ``user`` may see."""
    query = select(Event)
    if user.role == Role.OFFICER:
        return query.where(Event.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER:
        return query.where(Event.partner_id == user.partner_id)
    if user.role == Role.PRODUCER:
        return query.where(Event.id.in_(
            select(CateringBooking.event_id)
            .where(CateringBooking.id.in_(_group_booking_ids(user.group_id)))))
    return query.where(False)


def get_event_or_404(event_id: int, user, need: str = "view") -> Event:
    """An event in ``user``'s scope; ``need="edit"``: only its officer or partner."""
    event = db.session.scalar(events_visible_to(user).where(Event.id == event_id))
    if event is None or (need == "edit" and user.role not in EDITORS):
        abort(404)
    return event


def bookings_visible_to(user) -> Select:
    """Catering bookings ``user`` may see."""
    query = select(CateringBooking)
    if user.role == Role.OFFICER:
        return query.where(CateringBooking.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER:
        return query.where(CateringBooking.partner_id == user.partner_id)
    if user.role == Role.PRODUCER:
        return query.where(CateringBooking.id.in_(_group_booking_ids(user.group_id)))
    return query.where(False)


def get_booking_or_404(booking_id: int, user, need: str = "view") -> CateringBooking:
    """A booking in ``user``'s scope. ``need="edit"``: its officer or partner."""
    booking = db.session.scalar(
        bookings_visible_to(user).where(CateringBooking.id == booking_id)
        .options(selectinload(CateringBooking.lines).selectinload(BookingLine.group)))
    if booking is None or (need == "edit" and user.role not in EDITORS):
        abort(404)
    return booking


def shows_money(line: BookingLine, user) -> bool:
    """Whether ``user`` may see the price of ``line``: producers only their own."""
    return user.role != Role.PRODUCER or line.group_id == user.group_id


def booking_groups(booking: CateringBooking) -> list[ProducerGroup]:
    """The groups with lines in ``booking``, by name."""
    seen = {}
    for line in booking.lines:
        seen.setdefault(line.group_id, line.group)
    return sorted(seen.values(), key=lambda g: (g.name, g.id))


def get_booking_group_or_404(booking: CateringBooking, group_id: int, user) -> ProducerGroup:
    """A group with lines in ``booking`` whose documents ``user`` may download:
    a producer only their own group, the officer and the partner any of them."""
    if user.role == Role.PRODUCER and group_id != user.group_id:
        abort(404)
    for group in booking_groups(booking):
        if group.id == group_id:
            return group
    abort(404)


def partners_for(user) -> Select:
    """Partners an event may be made for: an officer's villages', a contact's own."""
    query = select(Partner).order_by(Partner.name, Partner.id)
    if user.role == Role.OFFICER:
        return query.where(Partner.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER:
        return query.where(Partner.id == user.partner_id)
    return query.where(False)


def ceilings_visible_to(user) -> Select:
    """Spending ceilings of an officer's villages."""
    query = select(SpendingCeiling).order_by(
        SpendingCeiling.year.desc(), SpendingCeiling.village_id, SpendingCeiling.kind)
    if user.role == Role.OFFICER:
        return query.where(SpendingCeiling.village_id.in_(visible_village_ids(user)))
    return query.where(False)

"""Scoped queries and loaders for events and catering bookings.

Officers see their villages; a partner contact their institution's events and
bookings; a producer the bookings with a line of their group (and those events),
and only the money of their own lines; resellers nothing. Anything outside the
scope answers 404. The calendar and its feed (:mod:`crm.calendar.queries`) show
what these same rules let each user see.
"""

from flask import abort
from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup, Product
from crm.events.models import BookingLine, CateringBooking, Event, SpendingCeiling
from crm.extensions import db
from crm.partners.models import Partner

# Who may change an event or book catering for it: the officer and the partner.
EDITORS = (Role.OFFICER, Role.PARTNER)


def _group_booking_ids(group_id: int) -> Select:
    return select(BookingLine.booking_id).where(BookingLine.group_id == group_id)


def events_visible_to(user: User) -> Select:
    """Events ``user`` may see: an officer's villages', a partner contact's own
    institution's, for a producer those with a booking line of their group. The
    event pages, the calendar and its feed all ask this one question."""
    query = select(Event)
    if user.role == Role.OFFICER:
        return query.where(Event.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(Event.partner_id == user.partner_id)
    if user.role == Role.PRODUCER and user.group_id is not None:
        return query.where(Event.id.in_(
            select(CateringBooking.event_id)
            .where(CateringBooking.id.in_(_group_booking_ids(user.group_id)))))
    return query.where(false())


def get_event_or_404(event_id: int, user: User, need: str = "view") -> Event:
    """An event in ``user``'s scope, else 404; ``need="edit"``: only its officer or
    partner contact (a producer may see it, never change it)."""
    event = db.session.scalar(events_visible_to(user).where(Event.id == event_id))
    if event is None or (need == "edit" and user.role not in EDITORS):
        abort(404)
    return event


def bookings_visible_to(user: User) -> Select:
    """Catering bookings ``user`` may see: an officer's villages', a partner
    contact's institution's, a producer's when a line is their group's (also on the
    calendar and in the feed)."""
    query = select(CateringBooking)
    if user.role == Role.OFFICER:
        return query.where(CateringBooking.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(CateringBooking.partner_id == user.partner_id)
    if user.role == Role.PRODUCER and user.group_id is not None:
        return query.where(CateringBooking.id.in_(_group_booking_ids(user.group_id)))
    return query.where(false())


def get_booking_or_404(booking_id: int, user: User, need: str = "view") -> CateringBooking:
    """A booking in ``user``'s scope. ``need="edit"``: its officer or partner."""
    booking = db.session.scalar(
        bookings_visible_to(user).where(CateringBooking.id == booking_id)
        .options(selectinload(CateringBooking.lines).selectinload(BookingLine.group)))
    if booking is None or (need == "edit" and user.role not in EDITORS):
        abort(404)
    return booking


def shows_money(line: BookingLine, user: User) -> bool:
    """Whether ``user`` may see the price of ``line``: producers only their own."""
    return user.role != Role.PRODUCER or line.group_id == user.group_id


def booking_groups(booking: CateringBooking) -> list[ProducerGroup]:
    """The groups with lines in ``booking``, by name."""
    seen = {}
    for line in booking.lines:
        seen.setdefault(line.group_id, line.group)
    return sorted(seen.values(), key=lambda g: (g.name, g.id))


def get_booking_group_or_404(booking: CateringBooking, group_id: int, user: User) -> ProducerGroup:
    """A group with lines in ``booking`` whose documents ``user`` may download:
    a producer only their own group, the officer and the partner any of them."""
    if user.role == Role.PRODUCER and group_id != user.group_id:
        abort(404)
    for group in booking_groups(booking):
        if group.id == group_id:
            return group
    abort(404)


def booking_history(booking: CateringBooking) -> list[tuple[AuditEntry, str | None]]:
    """The booking's audit entries, oldest first, each with its actor's name."""
    rows = db.session.execute(
        select(AuditEntry, User.full_name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity == "booking", AuditEntry.entity_id == booking.id)
        .order_by(AuditEntry.id)).all()
    return [(entry, name) for entry, name in rows]


def booking_coordinator(booking: CateringBooking) -> tuple[str, str] | None:
    """``(name, phone)`` of whoever coordinates a booking for its producer groups: the
    officer or contact who booked it, else the institution's contact person."""
    booker = db.session.get(User, booking.created_by_id) if booking.created_by_id else None
    if booker is not None and booker.phone:
        return booker.full_name, booker.phone
    partner = booking.partner
    if partner.phone:
        return partner.contact_name or partner.name, partner.phone
    return None


def village_products(event: Event) -> tuple[list[ProducerGroup], list[Product]]:
    """The producer groups of the event's village and their active products, by
    group and name: what a booking for the event is made from."""
    groups = db.session.scalars(select(ProducerGroup).where(
        ProducerGroup.village_id == event.village_id).order_by(ProducerGroup.name)).all()
    products = db.session.scalars(
        select(Product).join(ProducerGroup, ProducerGroup.id == Product.group_id)
        .where(Product.village_id == event.village_id, Product.active.is_(True))
        .order_by(ProducerGroup.name, Product.name, Product.id)).all()
    return groups, products


def partners_for(user: User) -> Select:
    """Partners an event may be made for: an officer's villages', a contact's own."""
    query = select(Partner).order_by(Partner.name, Partner.id)
    if user.role == Role.OFFICER:
        return query.where(Partner.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER:
        return query.where(Partner.id == user.partner_id)
    return query.where(false())


def ceilings_visible_to(user: User) -> Select:
    """Spending ceilings of an officer's villages."""
    query = select(SpendingCeiling).order_by(
        SpendingCeiling.year.desc(), SpendingCeiling.village_id, SpendingCeiling.kind)
    if user.role == Role.OFFICER:
        return query.where(SpendingCeiling.village_id.in_(visible_village_ids(user)))
    return query.where(false())

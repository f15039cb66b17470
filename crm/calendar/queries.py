"""What each user's calendar shows: events and catering deliveries in their scope.

One set of rules for the calendar page, the one-event download and the feed:

- officer: every event of their villages and every booking delivery there;
- producer: the deliveries of bookings with a line of their group, showing only
  that group's lines, with a reminder the day before;
- partner contact: their institution's events and the deliveries of its bookings;
- reseller: nothing.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import abort
from sqlalchemy import Select, false, func, select, true

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.documents.ical import CalendarEntry, Reminder, zone
from crm.events.models import BookingLine, CateringBooking, Event
from crm.extensions import db
from crm.partners.models import Partner
from crm.villages.models import Village
from crm.web.i18n import gettext as _

# How far back a feed reaches; everything ahead is in it.
FEED_PAST = timedelta(days=90)
# A delivery is an appointment of this length at ``deliver_at``.
DELIVERY_LENGTH = timedelta(minutes=30)
PRODUCER_REMINDER = timedelta(days=1)
# Roles whose calendar holds the events themselves (producers get deliveries only).
EVENT_ROLES = (Role.OFFICER, Role.PARTNER)


class CalendarItem(NamedTuple):
    """One thing on a calendar (an event or a delivery), ready to show or export. A
    named tuple: a month or a feed makes hundreds, each made in one step."""

    kind: str  # "event" or "delivery"
    uid: str  # "event-12", "delivery-7-3", "delivery-7-all"
    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    tzid: str
    place: str
    description: str
    sequence: int
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    updated_at: datetime | None  # None (as is created_at) on pages, which do not show it
    created_at: datetime | None = None
    remind_before: timedelta | None = None

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def local_start(self) -> datetime:
        """The start in the village's time zone."""
        return self.starts_at.astimezone(zone(self.tzid))

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(zone(self.tzid))

    def to_entry(self) -> CalendarEntry:
        """The plain data the iCalendar builder takes."""
        summary = _("Dibatalkan: %(title)s", title=self.title) if self.cancelled else self.title
        reminder = (Reminder(self.remind_before, self.title)
                    if self.remind_before is not None else None)
        return CalendarEntry(
            uid=self.uid, summary=summary, starts_at=self.starts_at, ends_at=self.ends_at,
            updated_at=self.updated_at, tzid=self.tzid, sequence=self.sequence,
            status=self.status, location=self.place, description=self.description,
            created_at=self.created_at, reminder=reminder,
        )


# --- scoped queries ----------------------------------------------------------------


def events_visible_to(user: User) -> Select:
    """Events ``user`` may see: an officer's villages, a partner contact's own
    institution, for a producer the events with a booking line of their group."""
    query = select(Event)
    if user.role == Role.OFFICER:
        return query.where(Event.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(Event.partner_id == user.partner_id)
    if user.role == Role.PRODUCER and user.group_id is not None:
        return query.where(Event.id.in_(
            select(CateringBooking.event_id)
            .join(BookingLine, BookingLine.booking_id == CateringBooking.id)
            .where(BookingLine.group_id == user.group_id)
        ))
    return query.where(false())


def bookings_visible_to(user: User) -> Select:
    """Catering bookings ``user`` may see on a calendar: an officer's villages, a
    partner contact's institution, a producer's when a line is their group's."""
    query = select(CateringBooking)
    if user.role == Role.OFFICER:
        return query.where(CateringBooking.village_id.in_(visible_village_ids(user)))
    if user.role == Role.PARTNER and user.partner_id is not None:
        return query.where(CateringBooking.partner_id == user.partner_id)
    if user.role == Role.PRODUCER and user.group_id is not None:
        return query.where(CateringBooking.id.in_(
            select(BookingLine.booking_id).where(BookingLine.group_id == user.group_id)
        ))
    return query.where(false())


def get_event_or_404(event_id: int, user: User) -> Event:
    """An event in ``user``'s scope, else 404."""
    event = db.session.scalar(events_visible_to(user).where(Event.id == event_id))
    if event is None:
        abort(404)
    return event


# --- what a feed holds, cheaply ---------------------------------------------------


def calendar_version(user: User, start: datetime) -> tuple:
    """A fingerprint of ``user``'s calendar from ``start`` on, in one statement:
    how many events and deliveries it holds and when the last of them (or an event
    a delivery belongs to) changed. Every change to an event or booking bumps its
    ``updated_at`` (a line confirmed bumps its booking), so the fingerprint changes
    whenever the calendar does, and an item leaving the window changes the counts."""
    columns = []
    if user.role in EVENT_ROLES:
        events = events_visible_to(user).where(Event.starts_at >= start).subquery()
        columns.append(select(func.count(), func.max(events.c.updated_at))
                       .select_from(events).subquery())
    bookings = bookings_visible_to(user).where(CateringBooking.deliver_at >= start).subquery()
    columns.append(
        select(func.count(), func.max(bookings.c.updated_at), func.max(Event.updated_at))
        .select_from(bookings).join(Event, Event.id == bookings.c.event_id).subquery()
    )
    joined = columns[0]
    for sub in columns[1:]:
        joined = joined.join(sub, true())  # one row each: side by side
    query = select(*(column for sub in columns for column in sub.c)).select_from(joined)
    return tuple(db.session.execute(query).one())


# --- calendar items ----------------------------------------------------------------

# The columns a calendar item is made of: plain rows, no ORM objects (a year's feed
# holds hundreds of deliveries, and loading them as objects costs more than the SQL).
# Pages read only what they show; calendar files also the description, the version
# and the times of change (``_DESCRIBED``).
_EVENT_COLUMNS = (
    Event.id, Event.title, Event.place, Event.starts_at, Event.ends_at, Event.status,
)
_EVENT_DESCRIBED = (
    Event.headcount, Event.notes, Event.cancel_reason, Event.sequence, Event.created_at,
    Event.updated_at,
)
_BOOKING_COLUMNS = (
    CateringBooking.id, CateringBooking.event_id, CateringBooking.status,
    CateringBooking.deliver_at, CateringBooking.deliver_place,
    Event.title.label("event_title"), Event.place.label("event_place"),
    Event.status.label("event_status"),
)
_BOOKING_DESCRIBED = (
    CateringBooking.dietary_notes, CateringBooking.cancel_reason, CateringBooking.sequence,
    CateringBooking.created_at, CateringBooking.updated_at,
    Event.cancel_reason.label("event_cancel_reason"),
    Event.updated_at.label("event_updated_at"),
)
# A producer's line beside its booking (outer-joined: empty for a booking without one).
_LINE_COLUMNS = (
    BookingLine.quantity.label("line_quantity"),
    BookingLine.description.label("line_description"),
    BookingLine.confirmed_at.label("line_confirmed_at"),
)


class _Line(NamedTuple):
    """A booking line as a calendar item needs it (``group_name`` only on calendars
    that name the groups)."""

    quantity: int
    description: str
    confirmed_at: datetime | None
    group_name: str | None


def calendar_items(user: User, start: datetime | None = None, end: datetime | None = None,
                   event_id: int | None = None, describe: bool = True) -> list[CalendarItem]:
    """The events and deliveries ``user`` sees starting in ``[start, end)`` (either
    bound may be open), optionally of one event only, in time order. ``describe``:
    write each item's description (calendar files show it, the pages do not)."""
    role = Role(user.role)
    statements = _calendar_statements(user, start, end, event_id, describe)
    events = (db.session.execute(statements.events).all()
              if statements.events is not None else [])
    # A producer's calendar holds only their group's lines; group names appear only
    # in the descriptions of calendars that show every group.
    group_id = user.group_id if role == Role.PRODUCER else None
    if statements.lines is None:
        bookings, lines_by_booking = _with_own_lines(
            db.session.execute(statements.bookings))
    else:
        bookings = db.session.execute(statements.bookings).all()
        lines_by_booking = {}
        if bookings:
            for line in db.session.execute(statements.lines):
                lines_by_booking.setdefault(line.booking_id, []).append(line)

    texts = _texts()
    items = [_event_item(e, e.timezone, texts, describe) for e in events]
    items += [_delivery_item(b, lines_by_booking.get(b.id, []), b.timezone, group_id, texts,
                             describe)
              for b in bookings]
    items.sort(key=lambda item: (item.starts_at, item.uid))
    return items


class _CalendarStatements(NamedTuple):
    """The statements of a calendar: its events (None for roles without), its
    bookings (for a producer with their group's lines beside) and the lines of the
    bookings (None for a producer)."""

    events: Select | None
    bookings: Select
    lines: Select | None


def _calendar_statements(user: User, start: datetime | None, end: datetime | None,
                         event_id: int | None, describe: bool) -> _CalendarStatements:
    role = Role(user.role)
    events = None
    if role in EVENT_ROLES:
        events = events_visible_to(user).with_only_columns(
            *_EVENT_COLUMNS, Village.timezone,
            *((*_EVENT_DESCRIBED, Partner.name.label("partner_name")) if describe else ()),
        ).join(Village, Village.id == Event.village_id)
        if describe:
            events = events.outerjoin(Partner, Partner.id == Event.partner_id)
        events = events.where(*_window(Event.starts_at, Event.id, start, end, event_id))

    bookings = bookings_visible_to(user).where(*_window(
        CateringBooking.deliver_at, CateringBooking.event_id, start, end, event_id))
    query = bookings.with_only_columns(
        *_BOOKING_COLUMNS, Village.timezone,
        *((*_BOOKING_DESCRIBED, Partner.name.label("partner_name")) if describe else ()),
    ).join(Event, Event.id == CateringBooking.event_id).join(
        Village, Village.id == CateringBooking.village_id)
    if describe:
        query = query.outerjoin(Partner, Partner.id == CateringBooking.partner_id)
    if role == Role.PRODUCER:
        return _CalendarStatements(events, _own_lines_statement(query, user.group_id), None)
    return _CalendarStatements(events, query, _lines_statement(bookings, describe))


def _window(moment, event_column, start: datetime | None, end: datetime | None,
            event_id: int | None) -> list:
    """Conditions of a calendar's window: ``moment`` from ``start``, before ``end``,
    of the event ``event_id`` (each only when given)."""
    conditions = []
    if start is not None:
        conditions.append(moment >= start)
    if end is not None:
        conditions.append(moment < end)
    if event_id is not None:
        conditions.append(event_column == event_id)
    return conditions


def _own_lines_statement(query: Select, group_id: int) -> Select:
    """The bookings of ``query`` with the lines of one group, in the same statement:
    a row per line (a booking has one or two of a group), a booking without one
    once, its line columns empty."""
    return query.add_columns(*_LINE_COLUMNS).outerjoin(
        BookingLine, (BookingLine.booking_id == CateringBooking.id)
        & (BookingLine.group_id == group_id),
    ).order_by(CateringBooking.id, BookingLine.id)


def _with_own_lines(rows) -> tuple[list, dict[int, list[_Line]]]:
    """The bookings and, by booking, the lines of the rows of an
    :func:`_own_lines_statement`."""
    bookings, lines_by_booking = [], {}
    for row in rows:
        lines = lines_by_booking.get(row.id)
        if lines is None:
            bookings.append(row)
            lines = lines_by_booking[row.id] = []
        if row.line_quantity is not None:
            lines.append(_Line(row.line_quantity, row.line_description, row.line_confirmed_at,
                               None))
    return bookings, lines_by_booking


def _lines_statement(bookings_query: Select, named: bool) -> Select:
    """Every line of the bookings of ``bookings_query`` (rows with ``booking_id`` and
    the fields of :class:`_Line`, ``group_name`` only when ``named``), in a statement
    of their own: a calendar of every group has several lines a booking, and
    repeating each booking's columns on each of its lines would cost more than the
    second statement."""
    line_query = select(
        BookingLine.booking_id, BookingLine.quantity, BookingLine.description,
        BookingLine.confirmed_at,
        *((ProducerGroup.name.label("group_name"),) if named else ()),
    ).where(BookingLine.booking_id.in_(
        bookings_query.with_only_columns(CateringBooking.id).scalar_subquery()
    )).order_by(BookingLine.booking_id, BookingLine.id)
    if named:
        line_query = line_query.outerjoin(ProducerGroup, ProducerGroup.id == BookingLine.group_id)
    return line_query


def _texts() -> dict[str, str]:
    """The wording of calendar items in the current language, looked up once per
    calendar rather than once per item (a year holds hundreds); filled in with ``%``."""
    return {
        "people": _("Jumlah peserta: %(n)d orang"),
        "reason": _("Alasan batal: %(reason)s"),
        "deliver": _("Antar: %(what)s — %(event)s"),
        "deliver_food": _("Antar konsumsi — %(event)s"),
        "event": _("Acara: %(title)s"),
        "partner": _("Mitra: %(name)s"),
        "diet": _("Catatan makanan: %(notes)s"),
    }


def _event_item(event, tzid: str | None, texts: dict[str, str],
                describe: bool = True) -> CalendarItem:
    """An event from a row of ``_EVENT_COLUMNS`` (and, to describe it,
    ``_EVENT_DESCRIBED`` and ``partner_name``)."""
    cancelled = event.status == "cancelled"
    lines = []
    sequence, updated, created = 0, None, None
    if describe:
        lines.append(event.partner_name or "")
        if event.headcount:
            lines.append(texts["people"] % {"n": event.headcount})
        if event.notes:
            lines.append(event.notes)
        if cancelled and event.cancel_reason:
            lines.append(texts["reason"] % {"reason": event.cancel_reason})
        sequence = event.sequence or 0
        updated, created = event.updated_at or event.created_at, event.created_at
    return CalendarItem(
        kind="event", uid=f"event-{event.id}", event_id=event.id, title=event.title,
        starts_at=event.starts_at, ends_at=event.ends_at, tzid=tzid or "Asia/Jakarta",
        place=event.place or "", description="\n".join(x for x in lines if x),
        sequence=sequence, status="CANCELLED" if cancelled else "CONFIRMED",
        updated_at=updated, created_at=created,
    )


def _delivery_item(booking, lines: list, tzid: str | None, group_id: int | None,
                   texts: dict[str, str], describe: bool = True) -> CalendarItem:
    """A delivery from a row of ``_BOOKING_COLUMNS`` (and, to describe it,
    ``_BOOKING_DESCRIBED`` and ``partner_name``) and its lines (for a producer,
    ``group_id``, only their group's)."""
    what = ", ".join(f"{line.quantity} {line.description}" for line in lines)
    title = (texts["deliver"] % {"what": what, "event": booking.event_title} if what
             else texts["deliver_food"] % {"event": booking.event_title})

    cancelled = booking.status == "cancelled" or booking.event_status == "cancelled"
    if cancelled:
        status = "CANCELLED"
    elif booking.status == "requested":
        # A group that has confirmed all its lines may count on the delivery.
        mine_confirmed = group_id is not None and lines and all(
            line.confirmed_at is not None for line in lines)
        status = "CONFIRMED" if mine_confirmed else "TENTATIVE"
    else:
        status = "CONFIRMED"

    text, sequence, updated, created = [], 0, None, None
    if describe:
        text = _delivery_text(booking, lines, group_id, cancelled, texts)
        sequence, created = booking.sequence or 0, booking.created_at
        updated = max(x for x in (booking.updated_at, booking.created_at,
                                  booking.event_updated_at) if x)
    return CalendarItem(
        kind="delivery", uid=f"delivery-{booking.id}-{group_id or 'all'}",
        event_id=booking.event_id, title=title, starts_at=booking.deliver_at,
        ends_at=booking.deliver_at + DELIVERY_LENGTH, tzid=tzid or "Asia/Jakarta",
        place=booking.deliver_place or booking.event_place or "",
        description="\n".join(text), sequence=sequence, status=status,
        updated_at=updated, created_at=created,
        remind_before=PRODUCER_REMINDER if group_id is not None else None,
    )


def _delivery_text(booking, lines: list, group_id: int | None, cancelled: bool,
                   texts: dict[str, str]) -> list[str]:
    """The description of a delivery: event, partner, what to bring, notes."""
    text = [texts["event"] % {"title": booking.event_title}]
    if booking.partner_name is not None:
        text.append(texts["partner"] % {"name": booking.partner_name})
    for line in lines:
        if group_id is None and line.group_name is not None:
            text.append(f"- {line.quantity} {line.description} ({line.group_name})")
        else:
            text.append(f"- {line.quantity} {line.description}")
    if booking.dietary_notes:
        text.append(texts["diet"] % {"notes": booking.dietary_notes})
    reason = booking.cancel_reason or (
        booking.event_cancel_reason if booking.event_status == "cancelled" else "")
    if cancelled and reason:
        text.append(texts["reason"] % {"reason": reason})
    return text

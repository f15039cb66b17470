"""What each user's calendar holds, in as few statements as a month or a feed allows.

The scope is the events' own (:func:`crm.events.queries.events_visible_to` and
:func:`~crm.events.queries.bookings_visible_to`), one set of rules for the calendar
page, the one-event download and the feed:

- officer: every event of their villages and every booking delivery there;
- producer: the deliveries of bookings with a line of their group, showing only
  that group's lines, with a reminder the day before;
- partner contact: their institution's events and the deliveries of its bookings;
- reseller: nothing.

Rows are read as plain columns and made into items by :mod:`crm.calendar.items`;
:func:`calendar_version` fingerprints a feed without building it.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Select, func, select, true

from crm.auth.models import Role, User
from crm.calendar.items import CalendarItem, Line, delivery_item, event_item, item_texts
from crm.catalog.models import ProducerGroup
from crm.events.models import BookingLine, CateringBooking, Event
from crm.events.queries import bookings_visible_to, events_visible_to
from crm.extensions import db
from crm.partners.models import Partner
from crm.villages.models import Village

# How far back a feed reaches; everything ahead is in it.
FEED_PAST = timedelta(days=90)
# Roles whose calendar holds the events themselves (producers get deliveries only).
EVENT_ROLES = (Role.OFFICER, Role.PARTNER)


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

    texts = item_texts()
    items = [event_item(e, e.timezone, texts, describe) for e in events]
    items += [delivery_item(b, lines_by_booking.get(b.id, []), b.timezone, group_id, texts,
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


def _with_own_lines(rows) -> tuple[list, dict[int, list[Line]]]:
    """The bookings and, by booking, the lines of the rows of an
    :func:`_own_lines_statement`."""
    bookings, lines_by_booking = [], {}
    for row in rows:
        lines = lines_by_booking.get(row.id)
        if lines is None:
            bookings.append(row)
            lines = lines_by_booking[row.id] = []
        if row.line_quantity is not None:
            lines.append(Line(row.line_quantity, row.line_description, row.line_confirmed_at,
                              None))
    return bookings, lines_by_booking


def _lines_statement(bookings_query: Select, named: bool) -> Select:
    """Every line of the bookings of ``bookings_query`` (rows with ``booking_id`` and
    the fields of :class:`~crm.calendar.items.Line`, ``group_name`` only when
    ``named``), in a statement of their own: a calendar of every group has several
    lines a booking, and repeating each booking's columns on each of its lines would
    cost more than the second statement."""
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



"""The things on a calendar (events and catering deliveries) and what each says,
made from plain rows of :mod:`crm.calendar.queries`: the title, the status a
calendar app shows (tentative, confirmed, cancelled), the description and the
reminder, the same on the calendar page, the one-event download and the feed.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from crm.documents.ical import CalendarEntry, Reminder, zone
from crm.web.i18n import gettext as _

# A delivery is an appointment of this length at ``deliver_at``.
DELIVERY_LENGTH = timedelta(minutes=30)
PRODUCER_REMINDER = timedelta(days=1)


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


class Line(NamedTuple):
    """A booking line as a calendar item needs it (``group_name`` only on calendars
    that name the groups)."""

    quantity: int
    description: str
    confirmed_at: datetime | None
    group_name: str | None


def item_texts() -> dict[str, str]:
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


def event_item(event, tzid: str | None, texts: dict[str, str],
               describe: bool = True) -> CalendarItem:
    """An event from a row of the queries' event columns (and, to describe it, the
    described ones and ``partner_name``)."""
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


def delivery_item(booking, lines: list, tzid: str | None, group_id: int | None,
                  texts: dict[str, str], describe: bool = True) -> CalendarItem:
    """A delivery from a row of the queries' booking columns (and, to describe it,
    the described ones and ``partner_name``) and its lines (for a producer,
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

"""iCalendar (RFC 5545) files from plain data: no database, no request.

Every user text goes to the ``icalendar`` library as a value, never as a content
line, so the library escapes commas, semicolons and backslashes and folds long
lines. Line breaks in a one-line SUMMARY become spaces; other control characters,
which RFC 5545 does not allow in text, are dropped.

The output depends only on the input: DTSTAMP is the time the entry was last
changed (RFC 5545 §3.8.7.2, for objects without METHOD) and VTIMEZONE covers a
fixed span, so the same data gives the same bytes and a hash of the bytes is a
valid ETag.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Timezone, vDuration
from icalendar import Event as VEvent

PRODID = "-//MRSE CRM//Kalender Desa//ID"
DEFAULT_TZID = "Asia/Jakarta"
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
# The span each VTIMEZONE describes (fixed, so that the output stays stable).
TZ_FIRST = date(1970, 1, 1)
TZ_LAST = date(2038, 1, 1)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")


@dataclass(frozen=True)
class Reminder:
    """A VALARM shown ``before`` the start."""

    before: timedelta
    text: str


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT. ``uid`` is unique within the site (``event-12``); the host is
    added by :func:`build_calendar`. Times are timezone-aware."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    tzid: str = DEFAULT_TZID
    sequence: int = 0
    status: str = "CONFIRMED"
    location: str = ""
    description: str = ""
    created_at: datetime | None = None
    reminder: Reminder | None = None


def one_line(text: str | None) -> str:
    """Text for a one-line property: line breaks become a space, control
    characters go."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text or "")).strip()


def multi_line(text: str | None) -> str:
    """Text that may keep its lines (DESCRIPTION): CRLF and CR become LF."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def zone(tzid: str | None) -> ZoneInfo:
    """The zone named ``tzid``; WIB when the name is empty or unknown."""
    try:
        return ZoneInfo(tzid or DEFAULT_TZID)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZID)


def _vtimezone(tzid: str) -> Timezone:
    return Timezone.from_tzid(tzid, first_date=TZ_FIRST, last_date=TZ_LAST)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware datetime")
    return moment.astimezone(UTC)


def _vevent(entry: CalendarEntry, host: str) -> tuple[VEvent, str]:
    if entry.status not in STATUSES:
        raise ValueError(f"unknown STATUS {entry.status!r}")
    tz = zone(entry.tzid)
    event = VEvent()
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", _utc(entry.updated_at))
    event.add("dtstart", entry.starts_at.astimezone(tz))
    event.add("dtend", max(entry.ends_at, entry.starts_at).astimezone(tz))
    event.add("summary", one_line(entry.summary))
    if entry.location:
        event.add("location", one_line(entry.location))
    if entry.description:
        event.add("description", multi_line(entry.description))
    event.add("sequence", max(int(entry.sequence), 0))
    event.add("status", entry.status)
    if entry.created_at is not None:
        event.add("created", _utc(entry.created_at))
    event.add("last-modified", _utc(entry.updated_at))
    if entry.reminder is not None and entry.status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -abs(entry.reminder.before))
        alarm.add("description", one_line(entry.reminder.text) or one_line(entry.summary))
        event.add_component(alarm)
    return event, tz.key


def _host(host: str | None) -> str:
    return (host or "localhost").lower()


def build_calendar(name: str, host: str, entries: Iterable[CalendarEntry],
                   refresh: timedelta | None = None) -> bytes:
    """A VCALENDAR named ``name`` with one VEVENT per entry, as UTF-8 bytes.

    ``host`` (the site's host name) makes the UIDs unique worldwide. ``refresh``
    asks subscribing apps to fetch again after that long.
    """
    host = _host(host)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    events = [_vevent(entry, host)
              for entry in sorted(entries, key=lambda e: (_utc(e.starts_at), e.uid))]
    # Each VTIMEZONE comes before the events that refer to it.
    for tzid in sorted({tzid for _event, tzid in events}):
        calendar.add_component(_vtimezone(tzid))
    for event, _tzid in events:
        calendar.add_component(event)
    return calendar.to_ical()

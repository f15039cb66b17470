"""iCalendar (RFC 5545) files from plain data: no database, no request.

Every user text goes to the ``icalendar`` library as a value, never as a content
line, so the library escapes commas, semicolons and backslashes and folds long
lines. Line breaks in a one-line SUMMARY become spaces; other control characters,
which RFC 5545 does not allow in text, are dropped.

The output depends only on the input: DTSTAMP is the time the entry was last
changed (RFC 5545 §3.8.7.2, for objects without METHOD) and VTIMEZONE covers a
fixed span, so the same data gives the same bytes and a hash of the bytes is a
valid ETag.

Each VEVENT depends on its entry and the host alone, so it is made once and reused:
:func:`vevent_key` names it, and :func:`build_calendar` takes VEVENTs made before
(kept in the database by the feeds) beside the ones it makes.
"""

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar import Alarm, Calendar, Timezone, vDuration
from icalendar import Event as VEvent

from crm.lru import LRU

PRODID = "-//MRSE CRM//Kalender Desa//ID"
DEFAULT_TZID = "Asia/Jakarta"
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
# Bump whenever ``_vevent`` writes anything differently: VEVENTs kept under the old
# keys are then never used again.
VEVENT_LAYOUT = 1
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


@lru_cache(maxsize=32)
def _vtimezone(tzid: str) -> bytes:
    # Building a VTIMEZONE walks the zone's transitions; keep the result.
    return Timezone.from_tzid(tzid, first_date=TZ_FIRST, last_date=TZ_LAST).to_ical()


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


# VEVENTs serialised in this process, by (entry, host).
_made = LRU(max_entries=50_000)


def vevent(entry: CalendarEntry, host: str) -> tuple[bytes, str]:
    """The VEVENT of ``entry`` as bytes, and the TZID it refers to. An entry is frozen
    data and its VEVENT depends on nothing else: one serialised once is reused by
    every feed that holds it, so a calendar in which one booking changed is rebuilt
    from what is kept plus that one event."""
    key = (entry, _host(host))
    made = _made.get(key)
    if made is None:
        event, tzid = _vevent(entry, key[1])
        made = (event.to_ical(), tzid)
        _made.put(key, made)
    return made


def made_before(entry: CalendarEntry, host: str) -> tuple[bytes, str] | None:
    """The VEVENT of ``entry`` if this process has serialised it already, else None."""
    return _made.get((entry, _host(host)))


def remember_made(entry: CalendarEntry, host: str, made: tuple[bytes, str]) -> None:
    """Keep ``made`` (the VEVENT of ``entry`` on ``host``, e.g. read from the database)
    for this process's later builds."""
    _made.put((entry, _host(host)), made)


def forget_made() -> None:
    """Forget the VEVENTs serialised in this process (as a new process would)."""
    _made.clear()


def vevent_key(entry: CalendarEntry, host: str) -> str:
    """A name for the VEVENT of ``entry`` on ``host``: equal names, equal bytes (the
    data, the library's version and this module's layout are all in it)."""
    text = f"{VEVENT_LAYOUT}|{icalendar.__version__}|{_host(host)}|{entry!r}"
    return hashlib.sha256(text.encode()).hexdigest()


_END = b"END:VCALENDAR\r\n"


def build_calendar(name: str, host: str, entries: Iterable[CalendarEntry],
                   refresh: timedelta | None = None,
                   made: Mapping[CalendarEntry, tuple[bytes, str]] | None = None) -> bytes:
    """A VCALENDAR named ``name`` with one VEVENT per entry, as UTF-8 bytes.

    ``host`` (the site's host name) makes the UIDs unique worldwide. ``refresh``
    asks subscribing apps to fetch again after that long. ``made`` holds VEVENTs
    made before for some entries (``vevent`` of the entry on the same host).
    """
    host = _host(host)
    made = made or {}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    tzids: list[str] = []
    events = []
    for entry in sorted(entries, key=lambda e: (_utc(e.starts_at), e.uid)):
        event, tzid = made.get(entry) or vevent(entry, host)
        events.append(event)
        if tzid not in tzids:
            tzids.append(tzid)
    # VTIMEZONE comes before the events that refer to it; the events close the file.
    head = calendar.to_ical()
    if not head.endswith(_END):  # the library's layout changed: build it all again
        raise RuntimeError("unexpected end of VCALENDAR")
    zones = b"".join(_vtimezone(tzid) for tzid in sorted(tzids))
    return head[: -len(_END)] + zones + b"".join(events) + _END

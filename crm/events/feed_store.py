"""VEVENTs of the calendar feeds, kept in the database by the key of their data.

Serialising a VEVENT is most of the cost of a feed (the library escapes and folds
every line). A producer's year holds hundreds of deliveries that hardly change, so a
feed takes the VEVENTs its process has made already, the ones kept in the database
for the others in one statement, and makes only the missing ones, which are then
kept for the next build, in whichever worker it runs.
A changed entry has a new key, so nothing stale is ever used; keys no feed asks for
any more are dropped once older than ``KEEP_FOR``.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import String, any_, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from crm.documents.ical import (
    CalendarEntry,
    made_before,
    remember_made,
    vevent,
    vevent_key,
)
from crm.events.models import KeptVEvent
from crm.extensions import db

# Rows per statement: well under the bound-parameter limits of SQLite and PostgreSQL.
CHUNK = 5000
# A feed reaches 90 days back; a VEVENT not made again for this long is dropped.
KEEP_FOR = timedelta(days=400)


@dataclass
class KeptVEvents:
    """The keys of a feed's entries and the VEVENTs found for them."""

    keys: dict[CalendarEntry, str]  # of the entries not made in this process
    made: dict[CalendarEntry, tuple[bytes, str]] = field(default_factory=dict)

    @property
    def missing(self) -> list[CalendarEntry]:
        return [entry for entry in self.keys if entry not in self.made]


def _chunks(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def find_kept(entries: list[CalendarEntry], host: str) -> KeptVEvents:
    """The VEVENTs of ``entries`` on ``host`` that this process has made already, and
    those kept in the database for the others (one statement, when any is left)."""
    found = KeptVEvents({})
    for entry in entries:
        made = made_before(entry, host)
        if made is not None:
            found.made[entry] = made
        else:
            found.keys[entry] = vevent_key(entry, host)
    by_key = {key: entry for entry, key in found.keys.items()}
    for chunk in _chunks(list(by_key)):
        rows = db.session.execute(
            select(KeptVEvent.key, KeptVEvent.body, KeptVEvent.tzid).where(_key_in(chunk)))
        for key, body, tzid in rows:
            entry = by_key[key]
            found.made[entry] = (bytes(body), tzid)
            remember_made(entry, host, found.made[entry])
    return found


def _key_in(keys: list[str]):
    """``key IN (…)``; on PostgreSQL one array parameter rather than one per key."""
    if db.session.get_bind().dialect.name == "postgresql":
        return KeptVEvent.key == any_(bindparam("keys", keys, type_=ARRAY(String)))
    return KeptVEvent.key.in_(keys)


def keep_missing(found: KeptVEvents, host: str, today: date | None = None) -> int:
    """Keep the VEVENTs of the entries ``found`` lacked (made by ``vevent``, which
    the feed has just called for them) and drop old ones; how many were added.
    Two workers keeping the same key at once is harmless: the second does nothing."""
    missing = found.missing
    if not missing:
        return 0
    today = today or datetime.now(UTC).date()
    rows = []
    for entry in missing:
        body, tzid = vevent(entry, host)
        rows.append({"key": found.keys[entry], "body": body, "tzid": tzid, "made_on": today})
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for chunk in _chunks(rows):
        db.session.execute(insert(KeptVEvent).values(chunk).on_conflict_do_nothing())
    db.session.execute(delete(KeptVEvent).where(KeptVEvent.made_on < today - KEEP_FOR))
    return len(rows)

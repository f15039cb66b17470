"""Events: a meeting or other event of a partner institution, made, changed and
cancelled (cancelling takes its open catering bookings with it).

Catering bookings are in :mod:`crm.events.catering` (making one and its warnings),
:mod:`crm.events.booking_steps` (its status flow), :mod:`crm.events.booking_documents`
(each group's numbered documents) and :mod:`crm.events.spending_ceilings` (the
per-person ceilings).

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from crm.audit.services import changed_fields, record_change
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.events.booking_steps import cancel_open_bookings
from crm.events.models import Event
from crm.extensions import db
from crm.text.dates import village_tz
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

MAX_HEADCOUNT = 100_000


def _text(values: dict, name: str, limit: int) -> str:
    return (values.get(name) or "").strip()[:limit]


def _clean_event(values: dict) -> dict:
    title = _text(values, "title", 200)
    if not title:
        raise RuleError(_("Isi nama acara."), field="title")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at is None or starts_at.tzinfo is None:
        raise RuleError(_("Isi tanggal dan jam mulai."), field="start_date")
    if ends_at is None or ends_at.tzinfo is None:
        raise RuleError(_("Isi tanggal dan jam selesai."), field="end_time")
    if ends_at < starts_at:
        raise RuleError(_("Acara tidak bisa selesai sebelum mulai."), field="end_time")
    if ends_at - starts_at > timedelta(days=31):
        raise RuleError(_("Acara paling lama 31 hari."), field="end_date")
    headcount = values.get("headcount") or 0
    if not 0 <= headcount <= MAX_HEADCOUNT:
        raise RuleError(_("Jumlah peserta 0 sampai %(n)d.", n=MAX_HEADCOUNT), field="headcount")
    return {
        "title": title, "place": _text(values, "place", 200), "starts_at": starts_at,
        "ends_at": ends_at, "headcount": headcount, "notes": _text(values, "notes", 2000),
    }


def create_event(partner, values: dict, actor) -> Event:
    """A meeting or event of ``partner`` (in the partner's village)."""
    cleaned = _clean_event(values)
    event = Event(village_id=partner.village_id, partner_id=partner.id, status="planned",
                  sequence=0, created_by_id=getattr(actor, "id", None), **cleaned)
    db.session.add(event)
    db.session.flush()
    record_change(actor, "create", "event", event.id, event.village_id, {
        "title": event.title, "starts_at": event.starts_at.isoformat()})
    return event


def update_event(event: Event, values: dict, actor) -> Event:
    """Change an event; calendars notice through the bumped ``sequence``."""
    if event.status != "planned":
        raise RuleError(_("Acara yang dibatalkan tidak bisa diubah."))
    cleaned = _clean_event(values)
    changes = changed_fields(event, list(cleaned), cleaned)
    if changes:
        event.sequence += 1
        db.session.flush()
        record_change(actor, "update", "event", event.id, event.village_id, {
            name: [str(old), str(new)] for name, (old, new) in changes.items()})
    return event


def cancel_event(event: Event, reason: str, actor) -> Event:
    """Cancel an event and its open bookings (their capacity is given back)."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise RuleError(_("Tulis alasan pembatalan."), field="reason")
    move_status(event, "planned", "cancelled", _("Acara ini sudah dibatalkan."),
                values={"cancel_reason": reason, "sequence": Event.sequence + 1,
                        "updated_at": utcnow()})
    record_change(actor, "cancel", "event", event.id, event.village_id,
                  {"status": ["planned", "cancelled"], "reason": reason})
    cancel_open_bookings(event, _("Acara dibatalkan: %(reason)s", reason=reason)[:300],
                         actor)
    return event


def combine_local(day: date | None, moment, village) -> datetime | None:
    """A date and a time typed in the village's zone, as an aware datetime in UTC."""
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(village_tz(village))).astimezone(UTC)

"""The calendar page and iCalendar feeds behind a secret token."""

import calendar as pycal
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_timezone
from flask_login import current_user, login_required

from crm.auth.models import Role
from crm.auth.permissions import VILLAGE_ROLES, roles_required
from crm.calendar import tokens as calendar_tokens
from crm.calendar.items import CalendarItem
from crm.calendar.queries import FEED_PAST, calendar_items, calendar_version
from crm.documents.ical import build_calendar
from crm.events.queries import get_event_or_404
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.templating import date_long, day_text

bp = Blueprint("calendar", __name__)

AGENDA_DAYS = 60
FEED_MAX_AGE = 300  # seconds a calendar app may keep a feed before asking again
FEED_REFRESH = timedelta(hours=1)  # how often subscribing apps are asked to refetch
MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
FEED_ROLES = (Role.OFFICER, Role.PRODUCER, Role.PARTNER)
# Bump when the feed's layout changes, so that the ETags change too.
FEED_FORMAT = 2


@dataclass
class Day:
    """A day of the month grid or the agenda, with what happens on it."""

    day: date
    in_month: bool = True
    is_today: bool = False
    items: list = field(default_factory=list)
    label: str = ""


# --- helpers -----------------------------------------------------------------------


def _today() -> date:
    return datetime.now(get_timezone()).date()


def _parse_month(value: str | None, today: date) -> date:
    """``2026-11`` → 1 November 2026; anything else → this month."""
    match = MONTH_RE.fullmatch(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 9998 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def _shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _utc_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _by_local_day(items: list[CalendarItem], links: bool = False) -> dict[date, list]:
    """What the templates need of each item, by the day it starts on in its village's
    zone: the item and its start time; ``links``: also its end and its event's .ics
    link (an event and its deliveries share one)."""
    days: dict[date, list] = {}
    ics: dict[int, str] = {}
    for item in items:
        start = item.local_start
        # "HH.mm" has no words in it: the same in every language.
        shown = {"item": item, "time": f"{start.hour:02d}.{start.minute:02d}"}
        if links:
            end = item.local_end
            shown["end"] = f"{end.hour:02d}.{end.minute:02d}"
            if item.event_id not in ics:
                ics[item.event_id] = url_for("calendar.event_ics", event_id=item.event_id)
            shown["ics"] = ics[item.event_id]
        days.setdefault(start.date(), []).append(shown)
    return days


def _item_words() -> dict[str, str]:
    """The fixed words of calendar items, translated once per page, not per item."""
    return {"cancelled": _("Dibatalkan"), "tentative": _("belum dikonfirmasi"),
            "ics": _("Simpan ke kalender (.ics)")}


def _site_host() -> str:
    """The host part of UIDs: SERVER_NAME when set, else the request's host
    (without port), so it stays the same from one request to the next."""
    host = current_app.config.get("SERVER_NAME") or request.host
    return (urlsplit("//" + host).hostname or "localhost").lower()


def _calendar_name(user) -> str:
    return _("MRSE — %(name)s", name=user.full_name)


def _ics_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.charset = "utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- pages -------------------------------------------------------------------------


@bp.get("/kalender")
@roles_required(*VILLAGE_ROLES)
def month():
    """The month: a 7-column grid on wide screens, a list of days on phones."""
    return _month_page(request.args.get("bulan"))


def _month_page(month_text: str | None, new_feed_url: str | None = None) -> str:
    """The month page; ``new_feed_url``: a feed link made by this very request, shown
    once in this response and stored nowhere else."""
    today = _today()
    first = _parse_month(month_text, today)
    weeks = pycal.Calendar(firstweekday=pycal.MONDAY).monthdatescalendar(first.year,
                                                                         first.month)
    grid_first, grid_last = weeks[0][0], weeks[-1][-1]
    # A day's items are those starting on it in the village's zone; fetch one day
    # more on each side so that no zone offset drops an item.
    items = calendar_items(current_user, _utc_start(grid_first - timedelta(days=1)),
                           _utc_start(grid_last + timedelta(days=2)), describe=False)
    by_day = _by_local_day(items)
    days = [Day(d, d.month == first.month, d == today, by_day.get(d, []), date_long(d))
            for week in weeks for d in week]
    has_items = any(day.items for day in days if day.in_month)
    return render_template(
        "calendar/month.html", days=days, has_items=has_items,
        month_label=day_text(first, "LLLL y"),
        weekdays=[day_text(d, "EEE") for d in weeks[0]],
        prev_month=_shift_month(first, -1).strftime("%Y-%m"),
        next_month=_shift_month(first, 1).strftime("%Y-%m"),
        this_month=today.replace(day=1) == first,
        words=_item_words(),
        **_subscription_context(new_feed_url),
    )


@bp.get("/kalender/agenda")
@roles_required(*VILLAGE_ROLES)
def agenda():
    """The next 60 days as a list, grouped by day."""
    today = _today()
    items = calendar_items(current_user, _utc_start(today - timedelta(days=1)),
                           _utc_start(today + timedelta(days=AGENDA_DAYS + 1)), describe=False)
    last = today + timedelta(days=AGENDA_DAYS - 1)
    by_day = _by_local_day(items, links=True)
    days = [Day(d, True, d == today, by_day[d]) for d in sorted(by_day) if today <= d <= last]
    return render_template("calendar/agenda.html", days=days, today=today, last=last,
                           agenda_days=AGENDA_DAYS, words=_item_words())


def _subscription_context(new_url: str | None = None) -> dict:
    if current_user.role not in FEED_ROLES:
        return {"can_subscribe": False}
    return {
        "can_subscribe": True,
        "feed_since": calendar_tokens.active_link_since(current_user),
        "new_feed_url": new_url,
        "new_webcal_url": ("webcal://" + new_url.split("://", 1)[1]) if new_url else None,
    }


# --- subscription link -------------------------------------------------------------


def _issue(message: str):
    with saving():  # nothing refuses a new link
        token = calendar_tokens.issue_token(current_user)
    # Shown in this response only (201: the link was made), not after a redirect: the
    # session cookie is readable by whoever holds it, and the database keeps nothing
    # but the hash. (Signed-in pages are no-store.)
    flash(message, "success")
    return _month_page(None, url_for("calendar.feed", token=token, _external=True)), 201


@bp.post("/kalender/langganan")
@roles_required(*FEED_ROLES)
def create_token():
    """Make the private feed link (an older one, if any, stops working)."""
    return _issue(_("Link langganan kalender sudah dibuat. Salin sekarang: link ini "
                    "hanya ditampilkan sekali."))


@bp.post("/kalender/langganan/ganti")
@roles_required(*FEED_ROLES)
def regenerate_token():
    """Replace the feed link: the old one stops working at once."""
    return _issue(_("Link baru sudah dibuat dan link lama tidak berlaku lagi. Salin "
                    "sekarang: link ini hanya ditampilkan sekali."))


@bp.post("/kalender/langganan/cabut")
@roles_required(*FEED_ROLES)
def revoke_token():
    """Stop the feed link from working."""
    with saving():
        calendar_tokens.revoke_tokens(current_user)
    flash(_("Link langganan kalender sudah dicabut."), "success")
    return redirect(url_for("calendar.month") + "#langganan")


# --- iCalendar ---------------------------------------------------------------------


@bp.get("/acara/<int:event_id>.ics")
@login_required
def event_ics(event_id: int):
    """One event (and the deliveries for it that the user sees) as a .ics file."""
    event = get_event_or_404(event_id, current_user)
    items = calendar_items(current_user, event_id=event.id)
    if not items:
        abort(404)
    body = build_calendar(event.title, _site_host(), [i.to_entry() for i in items])
    return _ics_response(body, filename=f"acara-{event.id}.ics")


def _feed_start() -> datetime:
    """The feed's first moment: 90 days before today (UTC midnight), so the window
    moves once a day and stays the same between two fetches of one day."""
    return _utc_start(datetime.now(UTC).date()) - FEED_PAST


def _build_feed(user, locale: str, start: datetime) -> bytes:
    """The feed's body: ``user``'s calendar from ``start`` on, in ``locale``."""
    with force_locale(locale):
        entries = [item.to_entry() for item in calendar_items(user, start=start)]
        name = _calendar_name(user)
    return build_calendar(name, _site_host(), entries, refresh=FEED_REFRESH)


@bp.get("/kalender/feed/<token>.ics")
def feed(token: str):
    """The user's calendar for calendar apps: no login, the secret token is the key.
    From 90 days ago on. The ETag comes from one cheap query (counts and last
    changes), so an unchanged calendar answers 304 without being built."""
    found = calendar_tokens.user_for_token(token)
    if found is None:
        abort(404)
    user, token_row = found
    start = _feed_start()
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    version = calendar_version(user, start)
    fingerprint = repr((FEED_FORMAT, user.id, user.full_name, locale, _site_host(),
                        start.date().isoformat(), version))
    etag = hashlib.sha256(fingerprint.encode()).hexdigest()[:40]
    changes = [moment for moment in version[1:] if isinstance(moment, datetime)]
    last_modified = max(changes, default=token_row.created_at)

    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.headers.pop("Content-Type", None)
    else:
        response = _ics_response(_build_feed(user, locale, start))
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    return response

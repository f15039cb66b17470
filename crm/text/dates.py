"""Dates and times shown the Indonesian way, in the village's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_TZ = "Asia/Jakarta"


def village_tz(village=None) -> str:
    """The village's time zone (WIB unless the village says otherwise)."""
    return getattr(village, "timezone", None) or DEFAULT_TZ


def today_in(tz: str | None = None) -> date:
    """Today's date in the time zone ``tz`` (WIB by default): the one "today" of the
    app, never the server's date."""
    return datetime.now(ZoneInfo(tz or DEFAULT_TZ)).date()


def village_today(village=None) -> date:
    """Today where ``village`` is."""
    return today_in(village_tz(village))


def roman_month(month: int) -> str:
    """``11`` → ``"XI"`` (letter numbers use Roman months)."""
    return ROMAN_MONTHS[month - 1]


def to_local(moment: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """An aware datetime in the given zone (WIB by default)."""
    return moment.astimezone(ZoneInfo(tz))


def long_date_id(day: date | datetime, tz: str = DEFAULT_TZ) -> str:
    """"Senin, 23 November 2026", always in Indonesian (letters, receipts)."""
    if isinstance(day, datetime):
        day = to_local(day, tz).date()
    return format_date(day, "EEEE, d MMMM y", locale="id")


def letter_date_id(day: date | datetime, place: str, tz: str = DEFAULT_TZ) -> str:
    """"Katapang, 23 November 2026": place and date above a letter."""
    if isinstance(day, datetime):
        day = to_local(day, tz).date()
    return f"{place}, {format_date(day, 'd MMMM y', locale='id')}"


def short_date(day: date | datetime) -> str:
    """"23-11-2026": a date in a short message (WhatsApp), the same in every language."""
    return day.strftime("%d-%m-%Y")

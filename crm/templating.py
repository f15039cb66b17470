"""Template filters and the values every page needs."""

from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_login import current_user
from markupsafe import Markup

from crm.auth.models import role_label
from crm.home.navigation import menu_for
from crm.money import format_rupiah, group_digits
from crm.phones import display_phone
from crm.villages.addresses import group_address, kecamatan_name


def register(app: Flask) -> None:
    """Install the filters and the context processor."""
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["phone"] = display_phone
    app.jinja_env.filters["date_long"] = date_long
    app.jinja_env.filters["datetime_local"] = datetime_local
    app.jinja_env.filters["nl2br"] = nl2br
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["group_address"] = group_address
    app.jinja_env.globals["kecamatan_name"] = kecamatan_name
    app.context_processor(_page_context)


def date_long(value) -> str:
    """"Senin, 23 November 2026" in the page's language."""
    if value is None:
        return ""
    if type(value) is date:
        return day_text(value, "EEEE, d MMMM y")
    return format_date(value, "EEEE, d MMMM y")  # a moment: in the user's time zone


def day_text(day: date, pattern: str) -> str:
    """``day`` written with the Babel date ``pattern`` ("MMMM y": "November 2026") in
    the page's language. A day is the same text for everyone: the text is kept."""
    return _day_text(day, str(get_locale()), pattern)


@lru_cache(maxsize=4096)
def _day_text(day: date, locale: str, pattern: str) -> str:
    # Lists and month pickers show the same few days and months again and again;
    # Babel takes ~50 µs per call.
    return babel_format_date(day, pattern, locale=locale)


def format_count(value) -> str:
    """A whole number in the page's language: ``1.234`` (id), ``1,234`` (en)."""
    group = _group_symbol(str(get_locale()))
    if group is None or type(value) is not int:
        return format_number(value)
    return group_digits(value, group)


@lru_cache(maxsize=16)
def _group_symbol(locale: str) -> str | None:
    # The locale's group symbol when it groups by three digits ("#,##0", as Python's
    # "," format does); tables print hundreds of numbers, Babel takes ~20 µs each.
    data = Locale.parse(locale)
    if data.decimal_formats[None].grouping != (3, 3):
        return None
    return data.number_symbols["latn"]["group"]


def datetime_local(value) -> str:
    """"23 Nov 2026 10.05 WIB" in the user's time zone."""
    if value is None:
        return ""
    return format_datetime(value, "d MMM y HH.mm zzz")


def nl2br(value: str | None) -> Markup:
    """Line breaks of user text as ``<br>``, the text itself escaped."""
    if not value:
        return Markup("")
    escaped = Markup.escape(value)
    return Markup("<br>").join(escaped.split("\n"))


def _page_context() -> dict:
    user = current_user if current_user.is_authenticated else None
    return {
        "menu": menu_for(user, request.endpoint),
        "languages": current_app.config["LANGUAGES"],
        "current_locale": str(get_locale()),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }

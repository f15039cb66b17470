"""Template filters and the values every page needs."""

from datetime import date

from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_login import current_user
from markupsafe import Markup

from crm.auth.models import Role, role_label
from crm.home.install import THEME_COLOR
from crm.home.navigation import navigation_for
from crm.text.money import format_rupiah
from crm.text.phones import display_phone
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
    app.jinja_env.globals["theme_color"] = THEME_COLOR
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
    the page's language."""
    return babel_format_date(day, pattern, locale=get_locale())


def format_count(value) -> str:
    """A whole number in the page's language: ``1.234`` (id), ``1,234`` (en)."""
    return format_number(value)


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
        "nav_items": navigation_for(Role(user.role)) if user else None,
        "languages": current_app.config["LANGUAGES"],
        "current_locale": str(get_locale()),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }

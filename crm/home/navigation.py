"""The navigation of each role: the menu entries, most used first.

A phone shows only the first few entries in the bar and the rest under "Lainnya";
a wide screen has room for a few more in the bar.
"""

from functools import lru_cache
from typing import NamedTuple

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from crm.auth.models import Role
from crm.i18n import lazy_gettext as _l

# Entries shown in the bar on every screen; the rest go under "Lainnya" on phones.
IN_BAR_ON_PHONES = 4
# Entries shown in the bar on wide screens.
IN_BAR_ON_WIDE_SCREENS = 8

NAVIGATION = {
    Role.OFFICER: [
        ("home.dashboard", _l("Beranda")),
        ("events.index", _l("Acara")),
        ("groups.index", _l("Kelompok")),
        ("proposals.index", _l("Proposal")),
        ("resellers.index", _l("Reseller")),
        ("orders.index", _l("Pesanan")),
        ("partners.index", _l("Mitra")),
        ("reports.sales", _l("Laporan")),
        ("calendar.month", _l("Kalender")),
        ("catalog.products", _l("Produk")),
        ("consignment.outlets", _l("Titip jual")),
        ("fund.index", _l("Dana sosial")),
        ("villages.index", _l("Desa")),
        ("auth.users", _l("Pengguna")),
        ("audit.index", _l("Riwayat")),
    ],
    Role.PRODUCER: [
        ("home.dashboard", _l("Beranda")),
        ("orders.queue", _l("Antrian")),
        ("catalog.products", _l("Produk")),
        ("settlements.payments", _l("Setoran")),
        ("events.bookings", _l("Pesanan acara")),
        ("consignment.outlets", _l("Titip jual")),
        ("reports.sales", _l("Laporan")),
        ("resellers.claims", _l("Reseller")),
        ("calendar.month", _l("Kalender")),
        ("proposals.index", _l("Proposal")),
        ("fund.index", _l("Dana sosial")),
        ("groups.index", _l("Kelompok")),
    ],
    Role.RESELLER: [
        ("home.dashboard", _l("Beranda")),
        ("orders.index", _l("Pesanan")),
        ("resellers.claims", _l("Produk saya")),
        ("settlements.payments", _l("Setoran")),
        ("reports.earnings", _l("Penghasilan")),
        ("resellers.my_profile", _l("Profil")),
    ],
    Role.PARTNER: [
        ("home.dashboard", _l("Beranda")),
        ("events.index", _l("Acara")),
        ("partners.partnerships", _l("Kemitraan")),
        ("calendar.month", _l("Kalender")),
    ],
}


class NavItem(NamedTuple):
    """One menu entry. ``place``: ``"bar"`` (always in the bar), ``"wide"`` (in the
    bar on wide screens, under "Lainnya" on phones) or ``"more"`` (always under
    "Lainnya")."""

    endpoint: str
    label: object
    place: str


def _place(index: int) -> str:
    if index < IN_BAR_ON_PHONES:
        return "bar"
    return "wide" if index < IN_BAR_ON_WIDE_SCREENS else "more"


def navigation_for(role: Role) -> list[NavItem]:
    """Menu entries of ``role``, most used first."""
    entries = NAVIGATION.get(role, [])
    return [NavItem(endpoint, label, _place(i)) for i, (endpoint, label) in enumerate(entries)]


class Menu(NamedTuple):
    """The main menu as written for one role, page and language: ``head``, then the
    reader's CSRF token (for the sign-out form), then ``tail``."""

    head: Markup
    tail: Markup


# Where the reader's CSRF token goes in a kept menu: not a value a page can hold.
_CSRF_PLACE = "\x00csrf\x00"
# Roles × pages × languages × script roots: a few hundred menus at most.
_KEPT_MENUS = 1024


def menu_for(user, endpoint: str | None) -> Menu | None:
    """The main menu of ``user``'s role on the page of ``endpoint`` (None for
    visitors). Everyone of a role gets the same menu on a page, so it is written once
    per role, page, language and script root and kept by the app: a dozen links and
    labels a page, on every page."""
    if user is None:
        return None
    writer = current_app.extensions.get("crm_menus")
    if current_app.debug:  # templates edited while the app runs show at once
        writer = _write_menu
    elif writer is None:
        writer = current_app.extensions["crm_menus"] = lru_cache(maxsize=_KEPT_MENUS)(
            _write_menu)
    return writer(Role(user.role), endpoint, str(get_locale()), request.script_root)


def _write_menu(role: Role, endpoint: str | None, locale: str, script_root: str) -> Menu:
    # ``locale`` and ``script_root`` are the request's (what the labels and links
    # are written with); they are arguments so that they key the kept menus.
    html = current_app.jinja_env.get_template("_menu.html").render(
        nav_items=navigation_for(role), current=endpoint, token_mark=_CSRF_PLACE)
    head, mark, tail = html.partition(_CSRF_PLACE)
    if not mark:
        raise RuntimeError("the menu has no place for the CSRF token")
    return Menu(Markup(head), Markup(tail))  # noqa: S704  # nosec B704  (our template)

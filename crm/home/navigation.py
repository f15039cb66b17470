"""The navigation of each role: the menu entries, most used first.

A phone shows only the first few entries in the bar and the rest under "Lainnya";
a wide screen has room for a few more in the bar.
"""

from typing import NamedTuple

from crm.auth.models import Role
from crm.web.i18n import lazy_gettext as _l

# Entries shown in the bar on every screen; the rest go under "Lainnya" on phones.
IN_BAR_ON_PHONES = 4
# Entries shown in the bar on wide screens.
IN_BAR_ON_WIDE_SCREENS = 8

NAVIGATION = {
    # The administrator sets up villages and officers; the villages' daily pages are
    # the officers'.
    Role.ADMIN: [
        ("setup.villages", _l("Desa")),
        ("setup.officer_list", _l("Petugas")),
        ("setup.create_village", _l("Desa baru")),
    ],
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
        ("reports.area", _l("Perbandingan desa")),
        ("villages.index", _l("Desa")),
        ("imports.index", _l("Impor data")),
        ("auth.users", _l("Pengguna")),
        ("audit.index", _l("Riwayat")),
    ],
    Role.PRODUCER: [
        ("home.dashboard", _l("Beranda")),
        ("orders.today_page", _l("Hari ini")),
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

"""The navigation of each role: (endpoint, label) pairs shown in the menu."""

from crm.auth.models import Role
from crm.i18n import lazy_gettext as _l

NAVIGATION = {
    Role.OFFICER: [
        ("home.dashboard", _l("Beranda")),
        ("groups.index", _l("Kelompok")),
        ("catalog.products", _l("Produk")),
        ("resellers.index", _l("Reseller")),
        ("orders.index", _l("Pesanan")),
        ("events.index", _l("Acara")),
        ("partners.index", _l("Mitra")),
        ("calendar.month", _l("Kalender")),
        ("reports.sales", _l("Laporan")),
        ("villages.index", _l("Desa")),
        ("auth.users", _l("Pengguna")),
    ],
    Role.PRODUCER: [
        ("home.dashboard", _l("Beranda")),
        ("orders.queue", _l("Antrian")),
        ("events.bookings", _l("Pesanan acara")),
        ("calendar.month", _l("Kalender")),
        ("catalog.products", _l("Produk")),
        ("resellers.claims", _l("Reseller")),
        ("settlements.payments", _l("Setoran")),
        ("reports.sales", _l("Laporan")),
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


def navigation_for(user) -> list:
    """Menu entries for ``user`` (none for visitors)."""
    if user is None:
        return []
    return NAVIGATION.get(Role(user.role), [])

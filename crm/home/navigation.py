"""The navigation of each role: (endpoint, label) pairs shown in the menu."""

from crm.auth.models import Role
from crm.i18n import lazy_gettext as _l

NAVIGATION = {
    Role.OFFICER: [
        ("home.dashboard", _l("Beranda")),
        ("groups.index", _l("Kelompok")),
        ("catalog.products", _l("Produk")),
        ("resellers.index", _l("Reseller")),
        ("villages.index", _l("Desa")),
        ("auth.users", _l("Pengguna")),
    ],
    Role.PRODUCER: [
        ("home.dashboard", _l("Beranda")),
        ("catalog.products", _l("Produk")),
        ("resellers.claims", _l("Reseller")),
        ("groups.index", _l("Kelompok")),
    ],
    Role.RESELLER: [
        ("home.dashboard", _l("Beranda")),
        ("resellers.claims", _l("Jualan saya")),
        ("resellers.browse", _l("Pilih produk")),
        ("resellers.my_profile", _l("Profil toko")),
    ],
    Role.PARTNER: [("home.dashboard", _l("Beranda"))],
}


def navigation_for(user) -> list:
    """Menu entries for ``user`` (none for visitors)."""
    if user is None:
        return []
    return NAVIGATION.get(Role(user.role), [])

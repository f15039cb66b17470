"""What a village still lacks before its officer can work with it ("Yang masih
kurang"): an officer, producer groups, products, resellers, a complete letterhead and
this year's spending ceilings.

Every village of a list is checked in one statement (one row per village, each item a
correlated subquery), so the administrator's list and the officer's home page send
the same number of statements for 3 villages as for 300.
"""

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, exists, func, or_, select

from crm.auth.models import Role, User, officer_villages
from crm.catalog.models import ProducerGroup, Product
from crm.events.models import SpendingCeiling
from crm.extensions import db
from crm.text.dates import DEFAULT_TZ, today_in
from crm.villages.models import Village
from crm.villages.services import VILLAGE_TIMEZONES
from crm.web.i18n import lazy_gettext as _l

# The items, in the order the page lists them, with what they ask.
ITEMS = (
    ("officer", _l("Petugas desa sudah ditugaskan")),
    ("groups", _l("Kelompok usaha sudah dicatat")),
    ("products", _l("Produk sudah ada di katalog")),
    ("resellers", _l("Reseller sudah punya akun")),
    ("letterhead", _l("Kop surat lengkap (lembaga, alamat, nama kepala desa, logo)")),
    ("ceilings", _l("Batas biaya (SBM) tahun ini sudah diisi")),
)


@dataclass
class VillageChecklist:
    """One village and, for each item of :data:`ITEMS`, whether it is done."""

    village: Village
    done: dict[str, bool]

    @property
    def missing(self) -> list[str]:
        """The names of the items not done yet, in page order."""
        return [name for name, _label in ITEMS if not self.done[name]]

    @property
    def done_count(self) -> int:
        return sum(self.done.values())

    @property
    def total(self) -> int:
        return len(ITEMS)


def _this_year():
    """This year in each village's own time zone (on the night of 31 December, a WIT
    village is already in the new year while a WIB one is not)."""
    years = {zone: today_in(zone).year for zone in VILLAGE_TIMEZONES}
    return case(years, value=Village.timezone, else_=today_in(DEFAULT_TZ).year)


def _filled(column):
    return and_(column.is_not(None), func.length(func.trim(column)) > 0)


def _item_columns():
    """``{item: boolean SQL expression}`` about the ``Village`` row of the query."""
    return {
        "officer": exists().where(
            officer_villages.c.village_id == Village.id,
            officer_villages.c.user_id == User.id,
            User.role == Role.OFFICER.value, User.active.is_(True),
        ),
        "groups": exists().where(ProducerGroup.village_id == Village.id),
        "products": exists().where(Product.village_id == Village.id),
        "resellers": exists().where(
            User.village_id == Village.id, User.role == Role.RESELLER.value,
            User.active.is_(True),
        ),
        "letterhead": and_(_filled(Village.institution_name), _filled(Village.address),
                           _filled(Village.head_name), _filled(Village.logo_filename)),
        "ceilings": exists().where(SpendingCeiling.village_id == Village.id,
                                   SpendingCeiling.year == _this_year()),
    }


def _with_items(villages: Select) -> Select:
    columns = _item_columns()
    return villages.add_columns(*(case((column, True), else_=False).label(name)
                                  for name, column in columns.items()))


def _checklist(row) -> VillageChecklist:
    return VillageChecklist(row[0], {name: bool(row._mapping[name]) for name, _label in ITEMS})


def checklists(villages: Select) -> list[VillageChecklist]:
    """The checklist of every village ``villages`` selects (a scoped select of
    ``Village``, in its order), in one statement."""
    return [_checklist(row) for row in db.session.execute(_with_items(villages))]


def checklist(village: Village) -> VillageChecklist:
    """The checklist of one village (already loaded through a scoped loader)."""
    return checklists(select(Village).where(Village.id == village.id))[0]


def incomplete(villages: Select, limit: int) -> tuple[list[VillageChecklist], int]:
    """Up to ``limit`` villages of ``villages`` that still lack something, and how
    many lack something in all (the officer's home page names a few), in one
    statement: the total is counted over the rows before the limit."""
    lacking = or_(*(~column for column in _item_columns().values()))
    query = (_with_items(villages.where(lacking))
             .add_columns(func.count().over().label("lacking_total")).limit(limit))
    rows = db.session.execute(query).all()
    return [_checklist(row) for row in rows], (rows[0].lacking_total if rows else 0)

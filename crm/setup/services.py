"""Setting up an installation: the first administrator, new villages with what they
start with, officers and their scopes. Services flush and never commit."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm.audit.services import record_change
from crm.auth.models import OfficerArea, Role, User
from crm.auth.services import check_area_code, create_user
from crm.documents.numbering import open_year_counters
from crm.events.models import BOOKING_KINDS, SpendingCeiling
from crm.events.spending_ceilings import set_spending_ceiling
from crm.extensions import db
from crm.setup.models import INSTALLATION_ID, Installation
from crm.setup.queries import area_names
from crm.text.dates import village_today
from crm.villages.models import Village
from crm.villages.services import create_village
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _


def has_users() -> bool:
    """True once any account exists (the first-run page is then closed)."""
    return db.session.scalar(select(User.id).limit(1)) is not None


def set_up_installation(*, full_name: str, username: str, password: str,
                        phone: str | None = None) -> User:
    """Make the first administrator of an installation without any account.

    The installation row, whose key is fixed, is written first and in the same
    transaction as the account: when two first-run forms are sent at the same moment,
    the database lets one insert it and refuses the other (on PostgreSQL the second
    waits for the first's commit, then meets the primary key; on SQLite it waits for
    the write lock, then meets it), so exactly one administrator is made."""
    if has_users():
        raise RuleError(_("Aplikasi ini sudah dipasang. Silakan masuk."))
    installation = Installation(id=INSTALLATION_ID)
    db.session.add(installation)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another first run got there first
        raise RuleError(_("Aplikasi ini sudah dipasang. Silakan masuk.")) from exc
    admin = create_user(username=username, full_name=full_name, role=Role.ADMIN,
                        password=password, phone=phone)
    installation.first_admin_id = admin.id
    db.session.flush()
    return admin


def start_village(values: dict, actor) -> Village:
    """Add a village (``values`` as :func:`crm.villages.services.create_village`
    takes them) with this year's letter counters, each at 0, and this year's spending
    ceilings of its Kabupaten, where known. The catalogue starts empty."""
    village = create_village(**values, actor=actor)
    open_year_counters(village, village_today(village).year)
    copy_kabupaten_ceilings(village, actor)
    return village


def copy_kabupaten_ceilings(village: Village, actor) -> list[SpendingCeiling]:
    """Give ``village`` this year's spending ceilings (SBM) of the other villages of its
    Kabupaten (same ``PP.KK`` code prefix). The SBM is set by the Kabupaten, so its
    villages should agree; where they do not, the amount most of them hold is taken
    (on a tie, the one set last)."""
    year = village_today(village).year
    kabupaten = village.code[:5] + "."
    copied = []
    for kind in BOOKING_KINDS:
        amount = db.session.scalar(
            select(SpendingCeiling.amount)
            .join(Village, Village.id == SpendingCeiling.village_id)
            .where(Village.code.startswith(kabupaten, autoescape=True),
                   Village.id != village.id,
                   SpendingCeiling.year == year, SpendingCeiling.kind == kind)
            .group_by(SpendingCeiling.amount)
            .order_by(func.count().desc(), func.max(SpendingCeiling.id).desc())
            .limit(1)
        )
        if amount is not None:
            copied.append(set_spending_ceiling(village, year, kind, amount, actor))
    return copied


def create_officer(*, full_name: str, username: str, phone: str | None, village: Village,
                   actor) -> User:
    """An officer account assigned to ``village``, without a password: the person
    chooses one through a first sign-in link (crm.auth.first_sign_in)."""
    if village is None:
        raise RuleError(_("Pilih desa."), field="village_id")
    return create_user(username=username, full_name=full_name, role=Role.OFFICER,
                       password=None, phone=phone, assigned_villages=[village], actor=actor)


def set_officer_scopes(officer: User, villages: list[Village], area_codes: list[str],
                       actor) -> dict:
    """Set the villages assigned to ``officer`` and their area scopes (Kecamatan
    ``32.04.11`` or Kabupaten ``32.04`` codes of existing villages); return what
    changed (also written to the audit). An officer keeps at least one of either."""
    if officer.role != Role.OFFICER:
        raise RuleError(_("Wilayah tugas hanya untuk petugas."))
    codes = sorted({check_area_code(code) for code in area_codes})
    known = area_names()
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise RuleError(_("Wilayah %(code)s tidak dikenal.", code=unknown[0]), field="areas")
    if not villages and not codes:
        raise RuleError(_("Pilih minimal satu desa atau wilayah."), field="village_ids")
    old_villages = sorted(v.code for v in officer.assigned_villages)
    old_areas = sorted(area.region_code for area in officer.areas)
    new_villages = sorted(v.code for v in villages)
    changes = {}
    if new_villages != old_villages:
        officer.assigned_villages = sorted(villages, key=lambda v: v.name)
        changes["villages"] = [old_villages, new_villages]
    if codes != old_areas:
        keep = [area for area in officer.areas if area.region_code in codes]
        officer.areas = keep + [OfficerArea(region_code=code) for code in codes
                                if code not in old_areas]
        changes["areas"] = [old_areas, codes]
    if changes:
        db.session.flush()
        record_change(actor, "scope", "user", officer.id, None, changes)
    return changes

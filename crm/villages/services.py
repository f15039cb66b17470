"""Creating villages and editing their letterhead."""

from sqlalchemy import select

from crm.audit.services import changed_fields, record_change
from crm.extensions import db
from crm.villages.addresses import village_name
from crm.villages.models import LETTER_CODE_RE, REGION_CODE_RE, Village
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

LETTERHEAD_FIELDS = (
    "institution_name",
    "address",
    "phone",
    "email",
    "head_name",
    "head_title",
    "letter_code",
)
# What an administrator may change of a village after creating it (the code stays:
# records elsewhere, and officers' area scopes, are matched on it).
DETAIL_FIELDS = ("name", "kecamatan", "kabupaten", "provinsi", "timezone", *LETTERHEAD_FIELDS)
# The three time zones of Indonesia, by the name a village uses for them.
VILLAGE_TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def check_region_code(code: str) -> str:
    """Return a valid Kemendagri village code (``32.04.11.2002``) or raise."""
    code = (code or "").strip()
    if not REGION_CODE_RE.match(code):
        raise RuleError(
            _("Kode wilayah harus berbentuk 32.04.11.2002 (bagian desa diawali 1 atau 2)."),
            field="code",
        )
    return code


def check_letter_code(letter_code: str) -> str:
    """Return the letter code in capitals (``KTP``) or raise."""
    letter_code = (letter_code or "").strip().upper()
    if not LETTER_CODE_RE.match(letter_code):
        raise RuleError(_("Kode surat 2–8 huruf besar, misalnya KTP."), field="letter_code")
    return letter_code


def check_timezone(timezone: str) -> str:
    """Return one of the village time zones (WIB, WITA, WIT) or raise."""
    if timezone not in VILLAGE_TIMEZONES:
        raise RuleError(_("Pilih zona waktu WIB, WITA atau WIT."), field="timezone")
    return timezone


def _check_names(values: dict) -> None:
    """The village, Kecamatan, Kabupaten and Provinsi names must be given."""
    messages = {
        "name": _("Isi nama desa."),
        "kecamatan": _("Isi nama kecamatan."),
        "kabupaten": _("Isi nama kabupaten/kota."),
        "provinsi": _("Isi nama provinsi."),
    }
    for name, message in messages.items():
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
            if not values[name]:
                raise RuleError(message, field=name)


def create_village(
    *, code, name, kecamatan, kabupaten, provinsi, letter_code, timezone="Asia/Jakarta",
    actor=None, **letterhead
) -> Village:
    """Add a village with a valid region code, names, letter code and time zone.

    A new village has no records of its own yet: its letter counters are made by the
    first number issued of each kind and year (crm.documents.numbering), its
    catalogue is empty."""
    code = check_region_code(code)
    if db.session.scalar(select(Village.id).where(Village.code == code)):
        raise RuleError(_("Desa dengan kode ini sudah ada."), field="code")
    names = {"name": name, "kecamatan": kecamatan, "kabupaten": kabupaten,
             "provinsi": provinsi}
    _check_names(names)
    village = Village(
        code=code,
        letter_code=check_letter_code(letter_code),
        timezone=check_timezone(timezone),
        institution_name=(letterhead.pop("institution_name", None) or "").strip()
        or f"Pemerintah {village_name(names['name'], code[9] == '1')}",
        **names,
        **{key: value for key, value in letterhead.items() if value is not None},
    )
    db.session.add(village)
    db.session.flush()
    record_change(actor, "create", "village", village.id, village.id, {"code": code})
    return village


def update_village(village: Village, values: dict, actor) -> dict:
    """Change a village's names, time zone and letterhead (an administrator's page);
    return what changed (also written to the audit). The region code stays."""
    values = {name: values[name] for name in DETAIL_FIELDS if name in values}
    _check_names(values)
    if "timezone" in values:
        check_timezone(values["timezone"])
    if "letter_code" in values:
        values["letter_code"] = check_letter_code(values["letter_code"])
    changes = changed_fields(village, DETAIL_FIELDS, values)
    if changes:
        db.session.flush()
        record_change(actor, "update", "village", village.id, village.id, changes)
    return changes


def update_letterhead(village: Village, values: dict, actor) -> dict:
    """Change the letterhead fields; return what changed (also written to the audit)."""
    if "letter_code" in values:
        values["letter_code"] = check_letter_code(values["letter_code"])
    changes = changed_fields(village, LETTERHEAD_FIELDS, values)
    if changes:
        db.session.flush()
        record_change(actor, "update", "village", village.id, village.id, changes)
    return changes


def set_logo(village: Village, filename: str, actor) -> None:
    """Use a stored image as the village logo."""
    old = village.logo_filename
    village.logo_filename = filename
    db.session.flush()
    record_change(actor, "update", "village", village.id, village.id, {"logo": [old, filename]})

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


def check_region_code(code: str) -> str:
    """Return a valid Kemendagri village code (``32.04.11.2002``) or raise."""
    code = (code or "").strip()
    if not REGION_CODE_RE.match(code):
        raise RuleError(
            _("Kode wilayah harus berbentuk 32.04.11.2002 (bagian desa diawali 1 atau 2)."),
            field="code",
        )
    return code


def create_village(
    *, code, name, kecamatan, kabupaten, provinsi, letter_code, actor=None, **letterhead
) -> Village:
    """Add a village with a valid region code and letter code."""
    code = check_region_code(code)
    if db.session.scalar(select(Village.id).where(Village.code == code)):
        raise RuleError(_("Desa dengan kode ini sudah ada."), field="code")
    letter_code = (letter_code or "").strip().upper()
    if not LETTER_CODE_RE.match(letter_code):
        raise RuleError(_("Kode surat 2–8 huruf besar, misalnya KTP."), field="letter_code")
    village = Village(
        code=code,
        name=name.strip(),
        kecamatan=kecamatan.strip(),
        kabupaten=kabupaten.strip(),
        provinsi=provinsi.strip(),
        letter_code=letter_code,
        institution_name=letterhead.pop("institution_name", None)
        or f"Pemerintah {village_name(name, code[9] == '1')}",
        **letterhead,
    )
    db.session.add(village)
    db.session.flush()
    record_change(actor, "create", "village", village.id, village.id, {"code": code})
    return village


def update_letterhead(village: Village, values: dict, actor) -> dict:
    """Change the letterhead fields; return what changed (also written to the audit)."""
    if "letter_code" in values:
        values["letter_code"] = (values["letter_code"] or "").strip().upper()
        if not LETTER_CODE_RE.match(values["letter_code"]):
            raise RuleError(_("Kode surat 2–8 huruf besar, misalnya KTP."), field="letter_code")
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

"""Partners (institutions) and their partnerships with producer groups: made,
changed, and a partnership's status steps. The partnership's letters are in
:mod:`crm.partners.letters`.

Services flush and never commit; a refused change raises :class:`RuleError` and the
caller rolls back.
"""

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm.audit.services import changed_fields, record_change
from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.db.status_step import move_status
from crm.extensions import db
from crm.partners.models import PARTNER_KINDS, Partner, Partnership
from crm.text.phones import PhoneError, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

PARTNER_FIELDS = (
    "kind", "name", "unit", "address", "contact_name", "contact_position", "phone", "email",
    "npwp",
)
# What the institution's own contact person may change.
CONTACT_FIELDS = ("address", "contact_name", "contact_position", "phone", "email")
PARTNER_TEXT_LIMITS = {
    "name": 160, "unit": 160, "address": 500, "contact_name": 120, "contact_position": 120,
}
PARTNERSHIP_FIELDS = ("title", "scope", "price_terms", "starts_on", "ends_on")
PARTNERSHIP_TEXT_LIMITS = {"title": 200, "scope": 4000, "price_terms": 2000}

# Allowed partnership transitions: (status, action) → new status.
PARTNERSHIP_TRANSITIONS = {
    ("proposed", "activate"): "active",
    ("proposed", "end"): "ended",
    ("active", "end"): "ended",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NPWP_SEPARATORS = re.compile(r"[\s.-]")


# --- helpers --------------------------------------------------------------------------


def normalise_npwp(text: str | None) -> str:
    """NPWP as its digits: 15 (old form) or 16 (NIK-based) after removing dots and
    dashes; empty stays empty. Raises :class:`RuleError` on anything else."""
    digits = _NPWP_SEPARATORS.sub("", (text or "").strip())
    if not digits:
        return ""
    if not (digits.isascii() and digits.isdigit() and len(digits) in (15, 16)):
        raise RuleError(
            _("NPWP harus 15 atau 16 angka, misalnya 01.234.567.8-901.000."), field="npwp"
        )
    return digits


def format_npwp(digits: str | None) -> str:
    """``012345678901000`` → ``01.234.567.8-901.000``; 16-digit NPWP stay as they are."""
    if not digits:
        return ""
    if len(digits) == 15:
        d = digits
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
    return digits


def _in_scope(actor, village_id: int | None) -> bool:
    return village_id is not None and village_id in db.session.scalars(
        visible_village_ids(actor)
    ).all()


def _check_officer_of(actor, village_id: int | None, field: str | None = None) -> None:
    """``actor`` (None: the command line) must be an officer of the village."""
    if actor is None:
        return
    if actor.role != Role.OFFICER or not _in_scope(actor, village_id):
        raise RuleError(_("Pilih salah satu desa wilayah tugas Anda."), field=field)


def _clean_text(values: dict, limits: dict) -> dict:
    clean = {}
    for name, limit in limits.items():
        if name not in values:
            continue
        clean[name] = (values.get(name) or "").strip()
        if limit and len(clean[name]) > limit:
            raise RuleError(
                _("Terlalu panjang: paling banyak %(max)d karakter.", max=limit), field=name
            )
    return clean


def _for_audit(value):
    return value.isoformat() if isinstance(value, date) else value


# --- partners ---------------------------------------------------------------------------


def _clean_partner(values: dict, fields) -> dict:
    """Checked and tidied copy of the ``fields`` of ``values``."""
    values = {name: values.get(name) for name in fields}
    clean = _clean_text(values, PARTNER_TEXT_LIMITS)
    if "name" in fields and not clean["name"]:
        raise RuleError(_("Isi nama lembaga."), field="name")
    if "kind" in fields:
        if values.get("kind") not in PARTNER_KINDS:
            raise RuleError(_("Pilih jenis lembaga."), field="kind")
        clean["kind"] = values["kind"]
    if "phone" in fields:
        phone = (values.get("phone") or "").strip()
        try:
            clean["phone"] = normalise_phone(phone) if phone else None
        except PhoneError as exc:
            raise RuleError(
                _("Nomor telepon tidak dikenali. Contoh: 0812-3456-7890 atau 022-5891234."),
                field="phone",
            ) from exc
    if "email" in fields:
        email = (values.get("email") or "").strip()
        if email and (len(email) > 120 or not _EMAIL.match(email)):
            raise RuleError(_("Alamat email tidak sah. Contoh: tu@kecamatan.go.id."),
                            field="email")
        clean["email"] = email or None
    if "npwp" in fields:
        clean["npwp"] = normalise_npwp(values.get("npwp"))
    return clean


def _check_partner_name_free(village_id: int, name: str, partner_id: int | None = None) -> None:
    query = select(Partner.id).where(
        Partner.village_id == village_id, func.lower(Partner.name) == name.lower()
    )
    if partner_id is not None:
        query = query.where(Partner.id != partner_id)
    if db.session.scalar(query.limit(1)):
        raise RuleError(_("Desa ini sudah punya mitra dengan nama itu."), field="name")


def _flush_or_partner_name_taken() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request took the name meanwhile
        raise RuleError(_("Desa ini sudah punya mitra dengan nama itu."), field="name") from exc


def create_partner(village, values: dict, actor) -> Partner:
    """Add an institution to ``village``; ``actor`` must be one of its officers."""
    if village is None:
        raise RuleError(_("Pilih salah satu desa wilayah tugas Anda."), field="village_id")
    _check_officer_of(actor, village.id, field="village_id")
    clean = _clean_partner({"kind": "pemdes"} | values, PARTNER_FIELDS)
    _check_partner_name_free(village.id, clean["name"])
    partner = Partner(village_id=village.id)
    for name in PARTNER_FIELDS:
        setattr(partner, name, clean[name])
    db.session.add(partner)
    _flush_or_partner_name_taken()
    record_change(actor, "create", "partner", partner.id, village.id, {"name": partner.name})
    return partner


def update_partner(partner: Partner, values: dict, actor) -> dict:
    """Change an institution's details (never its village); return what changed.

    Officers of its village change everything; the institution's own contact only
    the contact fields (:data:`CONTACT_FIELDS`): anything else they send is ignored.
    """
    if actor is not None and actor.role == Role.PARTNER:
        if actor.partner_id != partner.id:
            raise RuleError(_("Anda hanya bisa mengubah data lembaga Anda sendiri."))
        fields = CONTACT_FIELDS
    else:
        _check_officer_of(actor, partner.village_id)
        fields = PARTNER_FIELDS
    merged = {name: getattr(partner, name) for name in fields} | {
        name: values[name] for name in fields if name in values
    }
    clean = _clean_partner(merged, fields)
    if "name" in clean:
        _check_partner_name_free(partner.village_id, clean["name"], partner.id)
    changes = changed_fields(partner, fields, clean)
    if changes:
        _flush_or_partner_name_taken()
        record_change(actor, "update", "partner", partner.id, partner.village_id, changes)
    return changes


# --- partnerships -------------------------------------------------------------------------


def _clean_partnership(values: dict) -> dict:
    clean = _clean_text({k: values.get(k) for k in PARTNERSHIP_TEXT_LIMITS},
                        PARTNERSHIP_TEXT_LIMITS)
    if not clean["title"]:
        raise RuleError(_("Isi judul kerja sama."), field="title")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    for name, value in (("starts_on", starts), ("ends_on", ends)):
        if value is not None and not isinstance(value, date):
            raise RuleError(_("Tulis tanggal yang benar."), field=name)
    if starts is None:
        raise RuleError(_("Isi tanggal mulai kerja sama."), field="starts_on")
    if ends is not None and ends < starts:
        raise RuleError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
                        field="ends_on")
    clean["starts_on"], clean["ends_on"] = starts, ends
    return clean


def create_partnership(partner: Partner, groups, values: dict, actor) -> Partnership:
    """A proposed partnership between ``partner`` and one or more producer groups of
    the same village. The village comes from the partner and the status is always
    "proposed": nothing in ``values`` sets them."""
    if partner is None:
        raise RuleError(_("Pilih mitra dari desa wilayah tugas Anda."), field="partner_id")
    _check_officer_of(actor, partner.village_id, field="partner_id")
    groups = list({g.id: g for g in groups or () if g is not None}.values())
    if not groups:
        raise RuleError(_("Pilih minimal satu kelompok usaha."), field="group_ids")
    if any(g.village_id != partner.village_id for g in groups):
        raise RuleError(_("Kelompok usaha harus dari desa yang sama dengan mitra."),
                        field="group_ids")
    clean = _clean_partnership(values)
    item = Partnership(village_id=partner.village_id, partner_id=partner.id,
                       status="proposed", **clean)
    item.groups = groups
    db.session.add(item)
    db.session.flush()
    record_change(actor, "create", "partnership", item.id, item.village_id, {
        "title": item.title, "partner_id": partner.id,
        "group_ids": sorted(g.id for g in groups),
        **{k: _for_audit(v) for k, v in clean.items() if k in ("starts_on", "ends_on")},
    })
    return item


def change_partnership_status(item: Partnership, action: str, actor) -> Partnership:
    """Take one step of :data:`PARTNERSHIP_TRANSITIONS`; anything else is refused.

    The step is one guarded UPDATE (``WHERE status = <old>``), so two officers
    pressing at once change it once.
    """
    if actor is not None and (actor.role != Role.OFFICER
                              or not _in_scope(actor, item.village_id)):
        raise RuleError(_("Hanya petugas desa yang bisa mengubah status kemitraan."))
    old = item.status
    new = PARTNERSHIP_TRANSITIONS.get((old, action))
    if new is None:
        if old == "ended":
            raise RuleError(_("Kemitraan ini sudah berakhir; statusnya tidak bisa diubah lagi."))
        if old == action_target(action):
            raise RuleError(_("Kemitraan ini sudah aktif."))
        raise RuleError(_("Langkah ini tidak bisa dilakukan pada kemitraan ini."))
    move_status(item, old, new,
                _("Status kemitraan baru saja diubah orang lain. Muat ulang halaman."))
    record_change(actor, action, "partnership", item.id, item.village_id,
                  {"status": [old, new]})
    return item


def action_target(action: str) -> str | None:
    """The status an action leads to (``activate`` → ``active``)."""
    return {"activate": "active", "end": "ended"}.get(action)

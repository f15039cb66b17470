"""Producer groups: creating them and keeping their profile right.

Services flush and never commit; a refused change raises :class:`RuleError` and the
caller rolls back.
"""

import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm.audit.services import changed_fields, record_change
from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import GROUP_KINDS, ProducerGroup
from crm.extensions import db
from crm.text.dates import today_in
from crm.text.phones import PhoneError, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

GROUP_FIELDS = (
    "name", "kind", "description", "dusun", "rw", "rt", "address", "chair_name", "phone",
    "since_year", "bank_name", "bank_account_number", "bank_account_name", "nib",
    "pirt_number", "halal_number", "halal_expires_on", "notes",
)
# Text columns and their sizes (None: unlimited Text); checked here so that a long
# value is a clear message, not a database error on PostgreSQL.
TEXT_LIMITS = {
    "name": 120, "description": None, "dusun": 60, "address": None, "chair_name": 120,
    "bank_name": 60, "bank_account_number": 30, "bank_account_name": 120, "nib": 20,
    "pirt_number": 30, "halal_number": 40, "notes": None,
}
FIRST_YEAR = 1950
# The profile warns this many days before the halal certificate runs out.
HALAL_WARNING_DAYS = 30
# People type account numbers and NIB in groups: "123-456 789". Keep the digits.
_SEPARATORS = re.compile(r"[\s.-]")


def halal_status(expires_on: date | None, today: date) -> str | None:
    """``"expired"`` when the halal certificate ran out before ``today``, ``"expiring"``
    when it runs out within :data:`HALAL_WARNING_DAYS`, else ``None``."""
    if expires_on is None:
        return None
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=HALAL_WARNING_DAYS):
        return "expiring"
    return None


def _clean(values: dict, this_year: int) -> dict:
    """Checked and tidied copy of ``values`` (every field of :data:`GROUP_FIELDS`)."""
    clean = dict(values)
    for name, limit in TEXT_LIMITS.items():
        clean[name] = (clean.get(name) or "").strip()
        if limit and len(clean[name]) > limit:
            raise RuleError(
                _("Terlalu panjang: paling banyak %(max)d karakter.", max=limit), field=name
            )
    if not clean["name"]:
        raise RuleError(_("Isi nama kelompok."), field="name")
    if clean.get("kind") not in GROUP_KINDS:
        raise RuleError(_("Pilih jenis usaha."), field="kind")
    for name, message in (
        ("rw", _("RW diisi angka saja, paling banyak 3 angka.")),
        ("rt", _("RT diisi angka saja, paling banyak 3 angka.")),
    ):
        clean[name] = (clean.get(name) or "").strip()
        if clean[name] and not (
            len(clean[name]) <= 3 and clean[name].isascii() and clean[name].isdigit()
        ):
            raise RuleError(message, field=name)
    phone = (clean.get("phone") or "").strip()
    if phone:
        try:
            clean["phone"] = normalise_phone(phone)
        except PhoneError as exc:
            raise RuleError(
                _("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."), field="phone"
            ) from exc
    else:
        clean["phone"] = None
    year = clean.get("since_year")
    if year is not None and not FIRST_YEAR <= year <= this_year:
        raise RuleError(
            _("Tahun berdiri antara %(first)d dan %(last)d.", first=FIRST_YEAR, last=this_year),
            field="since_year",
        )
    nib = _SEPARATORS.sub("", clean["nib"])
    if nib and not (len(nib) == 13 and nib.isascii() and nib.isdigit()):
        raise RuleError(_("NIB harus 13 angka (lihat di OSS)."), field="nib")
    clean["nib"] = nib
    account = _SEPARATORS.sub("", clean["bank_account_number"])
    if account and not (account.isascii() and account.isdigit()):
        raise RuleError(_("Nomor rekening hanya boleh berisi angka."),
                        field="bank_account_number")
    clean["bank_account_number"] = account
    expires = clean.get("halal_expires_on")
    if expires is not None and (isinstance(expires, datetime) or not isinstance(expires, date)):
        raise RuleError(_("Tulis tanggal yang benar."), field="halal_expires_on")
    return clean


def _check_name_free(village_id: int, name: str, group_id: int | None = None) -> None:
    # Case-insensitive: "Ladu Ketan" and "ladu ketan" are the same group to people.
    query = select(ProducerGroup.id).where(
        ProducerGroup.village_id == village_id, func.lower(ProducerGroup.name) == name.lower()
    )
    if group_id is not None:
        query = query.where(ProducerGroup.id != group_id)
    if db.session.scalar(query.limit(1)):
        raise RuleError(_("Desa ini sudah punya kelompok dengan nama itu."), field="name")


def _flush_or_name_taken() -> None:
    """Flush; a name taken by a concurrent request meanwhile is a RuleError too (the
    caller rolls back, as after every RuleError)."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise RuleError(
            _("Desa ini sudah punya kelompok dengan nama itu."), field="name"
        ) from exc


def _for_audit(value):
    return value.isoformat() if isinstance(value, date) else value


def create_group(village, values: dict, actor) -> ProducerGroup:
    """Add a producer group to ``village``.

    ``actor`` (None for the command line) must be an officer assigned to the village.
    """
    if actor is not None:
        in_scope = village is not None and village.id in db.session.scalars(
            visible_village_ids(actor)
        ).all()
        if actor.role != Role.OFFICER or not in_scope:
            raise RuleError(_("Pilih salah satu desa wilayah tugas Anda."), field="village_id")
    elif village is None:
        raise RuleError(_("Pilih desa."), field="village_id")
    clean = _clean({"kind": "food"} | values, today_in(village.timezone).year)
    _check_name_free(village.id, clean["name"])
    group = ProducerGroup(village_id=village.id)
    for name in GROUP_FIELDS:
        setattr(group, name, clean.get(name))
    db.session.add(group)
    _flush_or_name_taken()
    record_change(actor, "create", "group", group.id, village.id, {"name": group.name})
    return group


def update_group(group: ProducerGroup, values: dict, actor) -> dict:
    """Change a group's profile (never its village); return ``{field: [old, new]}``."""
    merged = {name: getattr(group, name) for name in GROUP_FIELDS} | values
    clean = _clean(merged, today_in(group.village.timezone).year)
    _check_name_free(group.village_id, clean["name"], group.id)
    changes = changed_fields(group, GROUP_FIELDS, clean)
    if changes:
        _flush_or_name_taken()
        record_change(actor, "update", "group", group.id, group.village_id, {
            name: [_for_audit(old), _for_audit(new)] for name, (old, new) in changes.items()
        })
    return changes

"""Partners (institutions), partnerships with producer groups, and the numbers and
contents of their letters.

Services flush and never commit; a refused change raises :class:`RuleError` and the
caller rolls back.
"""

import re
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from crm.audit.services import changed_fields, record_change
from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import Product
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.documents.letterhead import Letterhead
from crm.documents.letters import (
    DEFAULT_OFFER_SUBJECT,
    AgreementLetter,
    GroupParty,
    OfferLetter,
    PartnerParty,
    Signatory,
)
from crm.documents.models import IssuedDocument
from crm.documents.numbering import issue_number
from crm.extensions import db
from crm.partners.models import PARTNER_KINDS, Partner, Partnership
from crm.text.dates import DEFAULT_TZ, to_local, village_today
from crm.text.phones import PhoneError, display_phone, normalise_phone
from crm.villages.addresses import group_address, kabupaten_name, kecamatan_name
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import stored_path

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
# Letters of a partnership: document kind → file name stem.
LETTER_KINDS = {"offer": "surat-penawaran", "agreement": "perjanjian"}
SUBJECT = "partnership"
OFFICER_POSITION = "Kasi Kesejahteraan Rakyat"
# Products named per group in a letter (the rest are in the catalogue).
LETTER_PRODUCTS = 6

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


# --- letters ----------------------------------------------------------------------------


def partnership_documents(item: Partnership) -> dict[str, IssuedDocument]:
    """The letters already numbered for a partnership, by kind."""
    rows = db.session.scalars(select(IssuedDocument).where(
        IssuedDocument.subject == SUBJECT, IssuedDocument.subject_id == item.id,
        IssuedDocument.group_id.is_(None), IssuedDocument.kind.in_(tuple(LETTER_KINDS)),
    ).order_by(IssuedDocument.id))
    found = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


def issue_letter_number(item: Partnership, kind: str, actor,
                        day: date | None = None) -> IssuedDocument:
    """The number of the partnership's ``kind`` letter: the one given before, or the
    next of the village's counter for today (WIB). Only officers give new numbers.

    Two requests for the same letter at once are put in line by a write on the
    partnership's row first, so a letter never gets two numbers.
    """
    if kind not in LETTER_KINDS:
        raise ValueError(f"not a partnership letter: {kind!r}")
    earlier = partnership_documents(item).get(kind)
    if earlier is not None:
        return earlier
    if actor is not None and actor.role != Role.OFFICER:
        raise RuleError(_("Surat ini belum diberi nomor oleh petugas desa."))
    db.session.execute(
        update(Partnership).where(Partnership.id == item.id)
        .values(status=Partnership.status),
        execution_options={"synchronize_session": False},
    )
    # Read again under that lock: a request just before ours may have numbered it.
    earlier = partnership_documents(item).get(kind)
    if earlier is not None:
        return earlier
    village = item.village
    document = issue_number(village, kind, SUBJECT, item.id,
                            day=day or village_today(village), actor=actor)
    record_change(actor, "issue_letter", "partnership", item.id, item.village_id,
                  {"kind": kind, "number": document.number})
    return document


def _logo_bytes(village) -> bytes | None:
    path = stored_path("logos", village.logo_filename or "")
    return path.read_bytes() if path is not None else None


def village_letterhead(village) -> Letterhead:
    """The kop surat of ``village``."""
    kabupaten = kabupaten_name(village.kabupaten)
    kecamatan = kecamatan_name(village.kecamatan)
    return Letterhead(
        institution_name=village.institution_name or f"Pemerintah {village.display_name}",
        address=village.address or "",
        phone=display_phone(village.phone),
        email=village.email or "",
        upper_lines=[line for line in (f"Pemerintah {kabupaten}" if kabupaten else "",
                                       kecamatan) if line],
        logo=_logo_bytes(village),
    )


def _group_parties(item: Partnership) -> list[GroupParty]:
    ids = [g.id for g in item.groups]
    products: dict[int, list[str]] = {}
    for group_id, name in db.session.execute(
        select(Product.group_id, Product.name)
        .where(Product.group_id.in_(ids), Product.active.is_(True))
        .order_by(Product.name)
    ):
        products.setdefault(group_id, []).append(name)
    return [
        GroupParty(name=g.name, chair_name=g.chair_name or "", address=group_address(g),
                   products=products.get(g.id, [])[:LETTER_PRODUCTS])
        for g in item.groups
    ]


def _partner_party(partner: Partner) -> PartnerParty:
    return PartnerParty(
        institution=partner.name, unit=partner.unit or "", address=partner.address or "",
        contact_name=partner.contact_name or "", contact_position=partner.contact_position or "",
    )


def _head(village) -> Signatory:
    return Signatory(position=f"{village.head_title or 'Kepala Desa'} {village.name}",
                     name=village.head_name or "")


def _letter_day(document: IssuedDocument, village) -> date:
    """The day the letter was numbered, in the village's time zone: the date printed
    on it stays the same however often it is downloaded."""
    return to_local(document.issued_at or utcnow(), village.timezone or DEFAULT_TZ).date()


def offer_letter(item: Partnership, document: IssuedDocument) -> OfferLetter:
    """What the offer letter (Surat Penawaran Kerja Sama) of ``item`` says."""
    village = item.village
    issuer = (db.session.get(User, document.issued_by_id)
              if document.issued_by_id is not None else None)
    signer = None
    if issuer is not None and issuer.role == Role.OFFICER:
        signer = Signatory(position=f"{OFFICER_POSITION}\n{village.display_name}",
                           name=issuer.full_name)
    subject = item.title if "kerja sama" in item.title.lower() else DEFAULT_OFFER_SUBJECT
    return OfferLetter(
        letterhead=village_letterhead(village), number=document.number, place=village.name,
        day=_letter_day(document, village), village_name=village.display_name,
        recipient=_partner_party(item.partner), groups=_group_parties(item),
        head=_head(village), title=item.title, subject=subject, scope=item.scope or "",
        price_terms=item.price_terms or "", starts_on=item.starts_on, ends_on=item.ends_on,
        signer=signer, copies_to=[f"Camat {village.kecamatan}", "Arsip"],
    )


def agreement_letter(item: Partnership, document: IssuedDocument) -> AgreementLetter:
    """What the cooperation agreement (Perjanjian Kerja Sama) of ``item`` says."""
    village = item.village
    place = ", ".join(p for p in (village.display_name,
                                  kecamatan_name(village.kecamatan),
                                  kabupaten_name(village.kabupaten)) if p)
    return AgreementLetter(
        letterhead=village_letterhead(village), number=document.number,
        day=_letter_day(document, village), village_name=village.display_name,
        place_full=place, title=item.title, first=_partner_party(item.partner),
        second=_group_parties(item), head=_head(village), scope=item.scope or "",
        price_terms=item.price_terms or "", starts_on=item.starts_on, ends_on=item.ends_on,
    )

"""The letters of a partnership: the offer (Surat Penawaran Kerja Sama) and the
cooperation agreement (Perjanjian Kerja Sama), under the village's letterhead.

An officer gives a letter its number (once: asking again returns it); what the
letter says is read from the partnership, its partner and groups each time it is
downloaded, dated the day it was numbered.
"""

from datetime import date

from sqlalchemy import select, update

from crm.audit.services import record_change
from crm.auth.models import Role, User
from crm.catalog.models import Product
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
from crm.partners.models import Partner, Partnership
from crm.text.dates import DEFAULT_TZ, to_local, village_today
from crm.text.phones import display_phone
from crm.villages.addresses import group_address, kabupaten_name, kecamatan_name
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import stored_path

# Letters of a partnership: document kind → file name stem.
LETTER_KINDS = {"offer": "surat-penawaran", "agreement": "perjanjian"}
SUBJECT = "partnership"
OFFICER_POSITION = "Kasi Kesejahteraan Rakyat"
# Products named per group in a letter (the rest are in the catalogue).
LETTER_PRODUCTS = 6


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

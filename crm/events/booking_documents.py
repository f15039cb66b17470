"""The documents each producer group issues for its part of a catering booking
(invoice, receipt, delivery note): their numbers and what they say.

A number is given only on request (a POST); looking never issues one. Documents
are always in Indonesian.
"""

from crm.catalog.models import ProducerGroup
from crm.documents.catering_content import CateringDocument, DocumentLine, Supplier
from crm.documents.numbering import issue_number, issued_for, issued_number
from crm.events.models import CateringBooking
from crm.text.dates import to_local, village_today, village_tz
from crm.text.phones import display_phone
from crm.villages.addresses import group_address
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

DOCUMENT_KIND_LABELS = {"snack": "Snack/kue", "meal": "Makan"}
TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
             "Asia/Jayapura": "WIT"}


def issued_documents(booking: CateringBooking) -> dict[tuple[str, int], object]:
    """The numbers already given to the booking's documents, by (kind, group id)."""
    return issued_for("booking", booking.id)


def document_number(booking: CateringBooking, group: ProducerGroup, kind: str):
    """The number of ``group``'s ``kind`` document for ``booking`` if it has one."""
    return issued_number(kind, "booking", booking.id, group_id=group.id)


def issue_document(booking: CateringBooking, group: ProducerGroup, kind: str, actor):
    """Give ``group``'s ``kind`` document for ``booking`` its number (asked for with
    a POST); the same one when it has one already."""
    if booking.status == "cancelled":
        raise RuleError(_("Pesanan ini dibatalkan; dokumennya tidak dibuat."))
    village = booking.event.village
    return issue_number(village, kind, "booking", booking.id, day=village_today(village),
                        group_id=group.id, actor=actor)


def catering_document(booking: CateringBooking, group: ProducerGroup,
                      issued) -> CateringDocument:
    """Plain data for ``group``'s document about its lines of ``booking``."""
    event = booking.event
    village = event.village
    tz = village_tz(village)
    partner = booking.partner
    contact = ", ".join(p for p in (partner.contact_name, partner.contact_position) if p)
    if partner.phone:
        contact = f"{contact} ({display_phone(partner.phone)})" if contact \
            else display_phone(partner.phone)
    supplier = Supplier(
        name=group.name, village_name=village.display_name, chair_name=group.chair_name,
        address=group_address(group, places=False), phone=display_phone(group.phone),
        npwp=group.npwp,
        nib=group.nib, pirt_number=group.pirt_number, bank_name=group.bank_name,
        bank_account_number=group.bank_account_number,
        bank_account_name=group.bank_account_name,
    )
    return CateringDocument(
        number=issued.number, issued_on=to_local(issued.issued_at, tz).date(),
        place=village.name, supplier=supplier, customer_name=partner.name,
        customer_unit=partner.unit, customer_address=partner.address,
        customer_contact=contact, event_title=event.title,
        event_day=to_local(event.starts_at, tz).date(), event_place=event.place,
        deliver_at=to_local(booking.deliver_at, tz), tz_label=TZ_LABELS.get(tz, tz),
        kind_label=DOCUMENT_KIND_LABELS[booking.kind], deliver_place=booking.deliver_place,
        dietary_notes=booking.dietary_notes, booking_ref=f"Pesanan acara #{booking.id}",
        lines=[DocumentLine(line.description, line.quantity, line.unit_price)
               for line in booking.lines if line.group_id == group.id],
    )

"""The documents each producer group issues for its part of a catering booking
(invoice, receipt, delivery note): a download (GET) and a button that gives one its
number (POST), three of each, registered on the events blueprint by
:func:`register_document_routes`.
"""

from contextlib import suppress
from io import BytesIO

from flask import Blueprint, flash, redirect, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from crm.auth.forms import ConfirmForm
from crm.documents.catering_pdf import build_catering_pdf
from crm.events import booking_documents
from crm.events.queries import get_booking_group_or_404, get_booking_or_404
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l

# The documents each group issues for its part of a booking:
# kind → (file, download endpoint, label).
DOCUMENTS = {
    "invoice": ("faktur.pdf", "invoice_pdf", _l("Faktur")),
    "receipt": ("kwitansi.pdf", "receipt_pdf", _l("Kuitansi")),
    "delivery": ("surat-jalan.pdf", "delivery_pdf", _l("Surat jalan")),
}


def booking_document(booking_id: int, group_id: int, kind: str):
    """One group's invoice, receipt or delivery note for its lines of a booking, once
    it has its number. Opening it (GET) never gives a number: a link on another site
    could make a browser do that."""
    booking = get_booking_or_404(booking_id, current_user)
    group = get_booking_group_or_404(booking, group_id, current_user)
    filename = f"{DOCUMENTS[kind][0][:-4]}-{booking.id}-{group.id}.pdf"
    issued = booking_documents.document_number(booking, group, kind)
    if issued is None or booking.status == "cancelled":
        flash(_("Dokumen ini belum bernomor. Terbitkan nomornya dulu dengan tombol "
                "\u201cTerbitkan\u201d.") if booking.status != "cancelled"
              else _("Pesanan ini dibatalkan; dokumennya tidak dibuat."), "error")
        return redirect(url_for("events.booking_detail", booking_id=booking.id))
    document = booking_documents.catering_document(booking, group, issued)
    return send_file(BytesIO(build_catering_pdf(kind, document)), mimetype="application/pdf",
                     download_name=filename, as_attachment=False, max_age=0)


def issue_booking_document(booking_id: int, group_id: int, kind: str):
    """Give one group's invoice, receipt or delivery note its number (a button, so a
    POST with its CSRF token), then open it."""
    booking = get_booking_or_404(booking_id, current_user)
    group = get_booking_group_or_404(booking, group_id, current_user)
    back = url_for("events.booking_detail", booking_id=booking.id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(back)
    # The same document issued twice at once: the unique index refuses the second
    # (``saving`` rolls it back) and the first one's number is opened.
    with suppress(IntegrityError), saving() as saved:
        booking_documents.issue_document(booking, group, kind, current_user)
    if saved.error is not None:
        return redirect(back)
    return redirect(url_for(f"events.{DOCUMENTS[kind][1]}", booking_id=booking_id,
                            group_id=group_id), code=303)


def register_document_routes(bp: Blueprint) -> None:
    """The download and the issue button of each document, on ``bp`` (the events
    blueprint: endpoints ``events.invoice_pdf``, ``events.issue_invoice`` and so on)."""
    for kind, (file, endpoint, _label) in DOCUMENTS.items():
        bp.add_url_rule(
            f"/pesanan-acara/<int:booking_id>/kelompok/<int:group_id>/{file}",
            endpoint=endpoint, view_func=login_required(booking_document),
            defaults={"kind": kind}, methods=["GET"],
        )
        bp.add_url_rule(
            f"/pesanan-acara/<int:booking_id>/kelompok/<int:group_id>/{file[:-4]}/terbitkan",
            endpoint=f"issue_{kind}", view_func=login_required(issue_booking_document),
            defaults={"kind": kind}, methods=["POST"],
        )

"""The shipping label of an order: the marketplace's label (a PDF) that the order's
reseller attaches, or the label the app makes from the order when none is attached.

Only the producers of the order's group print it (``get_order_or_404(…,
need="group")``); its reseller sees that one is attached, by its file name, and may
replace or remove it while the goods have not left. Services flush and never commit.
"""

import re
from pathlib import PurePosixPath, PureWindowsPath

from crm.audit.services import record_change
from crm.documents.shipping_label import LabelItem, ShippingLabel
from crm.extensions import db
from crm.orders.models import QUEUE_STATUSES, Order
from crm.orders.queries import reseller_phones
from crm.text.phones import display_phone
from crm.villages.addresses import group_address, kecamatan_name
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import new_name, save_upload, stored_path

LABEL_KIND = "labels"
MAX_LABEL_BYTES = 2 * 1024 * 1024
# Every PDF file starts with these bytes (its header, "%PDF-1.7").
PDF_HEADER = b"%PDF-"
# The label may change while the goods wait at the producer's.
OPEN_STATUSES = QUEUE_STATUSES
_NOT_SHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def checked_label(data: bytes | None) -> bytes:
    """``data`` when it is a PDF file (by its content) of at most 2 MB; RuleError
    otherwise."""
    if not data:
        raise RuleError(_("Pilih berkas PDF label pengiriman dulu."), field="label")
    if len(data) > MAX_LABEL_BYTES:
        raise RuleError(_("Berkas label terlalu besar: paling besar 2 MB."), field="label")
    if not data.startswith(PDF_HEADER):
        raise RuleError(_("Berkas ini bukan PDF. Unggah label pengiriman dari marketplace "
                          "dalam bentuk PDF."), field="label")
    return data


def shown_name(filename: str | None) -> str:
    """The name the reseller's file is shown by: without folders or control
    characters, at most 120 characters; ``label.pdf`` when nothing is left."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = " ".join(_NOT_SHOWN.sub("", name).split())[:120]
    return name or "label.pdf"


def _check_open(order: Order) -> None:
    if order.status not in OPEN_STATUSES:
        raise RuleError(_("Label tidak bisa diubah lagi: pesanan sudah dikirim atau "
                          "dibatalkan."))


def attach_label(order: Order, data: bytes | None, filename: str | None, actor) -> str | None:
    """Store ``data`` (checked by :func:`checked_label`) under a generated name as
    ``order``'s label, in place of the one it had. Returns the stored name of the
    replaced file, for :func:`discard_label_file` once the change is committed."""
    _check_open(order)
    checked_label(data)
    name = new_name("PDF")
    save_upload(data, LABEL_KIND, name)
    replaced = order.label_filename
    order.label_filename = name
    order.label_name = shown_name(filename)
    db.session.flush()
    record_change(actor, "attach_label", "order", order.id, order.village_id,
                  {"label": order.label_name})
    return replaced


def remove_label(order: Order, actor) -> str:
    """Take the attached label off ``order`` (the app's own label is printed again).
    Returns the stored name of the file, for :func:`discard_label_file`."""
    _check_open(order)
    if not order.label_filename:
        raise RuleError(_("Pesanan ini tidak punya label terlampir."))
    removed, shown = order.label_filename, order.label_name
    order.label_filename = None
    order.label_name = ""
    db.session.flush()
    record_change(actor, "remove_label", "order", order.id, order.village_id,
                  {"label": shown})
    return removed


def discard_label_file(name: str | None) -> None:
    """Delete a label file no order points to any more (after the commit)."""
    path = stored_path(LABEL_KIND, name or "")
    if path is not None:
        path.unlink(missing_ok=True)


def label_file(order: Order):
    """The path of ``order``'s attached label, or None when it has none (or the file
    is gone)."""
    return stored_path(LABEL_KIND, order.label_filename or "")


def label_document(order: Order) -> ShippingLabel:
    """What the app's own label of ``order`` prints. A dropship order names its
    reseller as the sender (the customer bought from them); any other the producer
    group, with its address. A COD label shows what the courier collects: the goods
    at retail price and the shipping cost."""
    if order.dropship:
        sender = (order.reseller.full_name,
                  reseller_phones([order.reseller_id]).get(order.reseller_id), "")
    else:
        sender = (order.group.name, order.group.phone, group_address(order.group))
    kecamatan = kecamatan_name(order.kecamatan, short=True) if order.kecamatan else ""
    area = ", ".join(part for part in (kecamatan, order.kabupaten) if part)
    return ShippingLabel(
        order_id=order.id, recipient_name=order.customer_name,
        recipient_phone=display_phone(order.customer_phone), address=order.address,
        area=f"{area} {order.postcode}".strip(), courier=order.courier,
        courier_service=order.courier_service, tracking_number=order.tracking_number,
        marketplace_ref=order.marketplace_ref, ship_date=order.ship_date,
        sender_name=sender[0], sender_phone=display_phone(sender[1]),
        sender_address=sender[2], dropship=order.dropship,
        cod_amount=(order.goods_total + order.shipping_cost
                    if order.payment == "cod" else None),
        items=[LabelItem(line.product.name, line.quantity) for line in order.lines],
    )

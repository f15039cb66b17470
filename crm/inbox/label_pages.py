"""The marketplace's label PDF of a saved export: seller centres give one PDF with
the labels of many orders, one label a page, each page showing its order number.
Every page is read, matched to the export's orders by their marketplace order number
and attached to each order of that number (an order split over two producer groups
gets the page on both). Flushes and never commits: the view's ``saving`` block
commits, then drops the label files the new ones replaced."""

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from crm.extensions import db
from crm.inbox.models import ImportBatch, ImportedOrder
from crm.orders.labels import PDF_HEADER, attach_label
from crm.orders.models import Order
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

MAX_PDF_BYTES = 8 * 1024 * 1024
MAX_PAGES = 500
# How a label names its order when the number is none of the export's: shown to the
# reseller to tell which page it was.
_PRINTED_NUMBER = re.compile(
    r"(?:No\.?\s*Pesanan|Nomor\s*Pesanan|Order\s*ID|No\.?\s*Invoice)\s*:?\s*([A-Z0-9/-]{5,60})",
    re.IGNORECASE)


@dataclass
class LabelResult:
    """What an upload did: the orders given a label, the pages no order of the
    export is on (page number, the order number printed on it or ""), the export's
    order numbers no page named, and the orders whose label may no longer change."""

    attached: list[Order] = field(default_factory=list)
    unmatched_pages: list[tuple[int, str]] = field(default_factory=list)
    missing_refs: list[str] = field(default_factory=list)
    skipped: list[Order] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def batch_orders(batch: ImportBatch) -> dict[str, list[Order]]:
    """The orders saved from ``batch``, by their marketplace order number."""
    found: dict[str, list[Order]] = {}
    orders = db.session.scalars(
        select(Order).join(ImportedOrder, (ImportedOrder.order_ref == Order.marketplace_ref)
                           & (ImportedOrder.channel == Order.channel)
                           & (ImportedOrder.reseller_id == Order.reseller_id))
        .where(ImportedOrder.batch_id == batch.id).order_by(Order.id))
    for order in orders:
        found.setdefault(order.marketplace_ref, []).append(order)
    return found


def read_label_pdf(data: bytes | None) -> tuple[PdfReader, list[str]]:
    """The uploaded PDF and the text of each of its pages; RuleError for no file, a file
    that is no PDF, too large, with too many pages, locked or broken."""
    if not data:
        raise RuleError(_("Pilih berkas PDF label dari marketplace dulu."), field="file")
    if len(data) > MAX_PDF_BYTES:
        raise RuleError(_("Berkas label terlalu besar: paling besar 8 MB."), field="file")
    if not data.startswith(PDF_HEADER):
        raise RuleError(_("Berkas ini bukan PDF. Unggah label pengiriman dari marketplace "
                          "dalam bentuk PDF."), field="file")
    broken = RuleError(_("PDF ini rusak atau tidak bisa dibaca. Unduh lagi label dari "
                         "marketplace lalu unggah."), field="file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise RuleError(_("PDF ini dikunci dengan kata sandi. Unduh label dari "
                              "marketplace tanpa kata sandi."), field="file")
        if len(reader.pages) > MAX_PAGES:
            raise RuleError(_("PDF ini punya lebih dari %(n)d halaman. Bagi jadi beberapa "
                              "berkas.", n=MAX_PAGES), field="file")
        texts = [page.extract_text() or "" for page in reader.pages]
    except RuleError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise broken from exc
    if not texts:
        raise broken
    return reader, texts


def _refs_on(text: str, refs: list[str]) -> list[str]:
    """The order numbers of ``refs`` printed on a page, as whole words."""
    return [ref for ref in refs
            if re.search(rf"(?<![0-9A-Za-z]){re.escape(ref)}(?![0-9A-Za-z])", text)]


def _pages_pdf(reader: PdfReader, numbers: list[int]) -> bytes:
    """A PDF with only the pages ``numbers`` (0-based) of ``reader``'s."""
    writer = PdfWriter()
    for number in numbers:
        writer.add_page(reader.pages[number])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach_batch_labels(batch: ImportBatch, data: bytes | None, filename: str,
                        actor) -> LabelResult:
    """Attach the pages of the label PDF ``data`` to the orders of ``batch`` whose
    marketplace order number is on them. A number found on several pages gets
    those pages together. Orders already shipped or cancelled are skipped."""
    reader, texts = read_label_pdf(data)
    by_ref = batch_orders(batch)
    refs = sorted(by_ref, key=len, reverse=True)
    pages_of: dict[str, list[int]] = {}
    result = LabelResult()
    for number, text in enumerate(texts):
        found = _refs_on(text, refs)
        for ref in found:
            pages_of.setdefault(ref, []).append(number)
        if not found:
            printed = _PRINTED_NUMBER.search(text)
            result.unmatched_pages.append((number + 1, printed.group(1) if printed else ""))
    result.missing_refs = sorted(ref for ref in by_ref if ref not in pages_of)
    for ref, numbers in pages_of.items():
        label = _pages_pdf(reader, numbers)
        shown = "label-" + ref.replace("/", "-").replace("\\", "-") + ".pdf"
        for order in by_ref[ref]:
            try:
                replaced = attach_label(order, label, shown, actor)
            except RuleError:
                result.skipped.append(order)
                continue
            result.attached.append(order)
            if replaced:
                result.replaced.append(replaced)
    return result

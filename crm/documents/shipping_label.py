"""The shipping label of an order as a PDF: plain data in, bytes out.

Two sizes, for the two printers resellers' producers have: the 100 × 150 mm thermal
sticker and the 58 mm receipt roll. The sticker is one page: long text is set
smaller until it fits, and only past the smallest size does it continue on a second
sticker. The receipt is as long as its content.

Printed black on white (thermal printers have no grey), in Indonesian like every
document. User text is escaped before it reaches a Paragraph (see
:mod:`crm.documents.style`).
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from crm.documents.style import AUTHOR, MUTED, day_text, para, plain
from crm.text.money import format_rupiah

# ``?ukuran=`` → (page width, page height or None for "as long as the content",
# side margin, top and bottom margin).
SIZES = {
    "100x150": (100 * mm, 150 * mm, 4 * mm, 4 * mm),
    "58": (58 * mm, None, 3 * mm, 4 * mm),
}
DEFAULT_SIZE = "100x150"
# Text sizes tried, largest first, until the sticker holds everything on one page
# (a short order prints large, for the courier to read at arm's length).
STICKER_SCALES = (1.3, 1.15, 1.0, 0.9, 0.8, 0.72, 0.64)
# The longest page a PDF reader is sure to show (200 inches); a longer receipt
# continues on a second page.
MAX_PAGE_HEIGHT = 14_400
# Base text sizes (points) of each size, before scaling.
BASE_SIZE = {"100x150": 10, "58": 8.5}


@dataclass
class LabelItem:
    """One line of the order: what and how many."""

    name: str
    quantity: int


@dataclass
class ShippingLabel:
    """Everything printed on a label. ``sender_address`` is empty for a dropship
    order (the reseller sends in their own name); ``cod_amount`` is what the courier
    collects, None when the order is paid."""

    order_id: int
    recipient_name: str
    recipient_phone: str = ""
    address: str = ""
    area: str = ""  # "Kec. Katapang, Kab. Bandung 40921"
    courier: str = ""
    courier_service: str = ""
    tracking_number: str = ""
    marketplace_ref: str = ""
    ship_date: date | None = None
    sender_name: str = ""
    sender_phone: str = ""
    sender_address: str = ""
    dropship: bool = False
    cod_amount: int | None = None
    items: list[LabelItem] = field(default_factory=list)


def label_styles(base: float) -> dict:
    """Black Helvetica at ``base`` points, with the larger courier and recipient."""
    body = ParagraphStyle("label-body", fontName="Helvetica", fontSize=base,
                          leading=base * 1.22, textColor=colors.black)

    def sized(name, factor, bold=True, **attrs):
        return ParagraphStyle(name, parent=body, fontName="Helvetica-Bold" if bold
                              else "Helvetica", fontSize=base * factor,
                              leading=base * factor * 1.2, **attrs)

    return {
        "body": body,
        "bold": sized("label-bold", 1),
        "small": sized("label-small", 0.8, bold=False, textColor=MUTED),
        "caption": sized("label-caption", 0.75, textColor=MUTED),
        "courier": sized("label-courier", 1.6),
        "cod": sized("label-cod", 1.2, alignment=TA_RIGHT),
        "name": sized("label-name", 1.3),
        "tracking": sized("label-tracking", 1.1),
        # An item's name that wraps continues under the name, not under the number.
        "item": ParagraphStyle("label-item", parent=body, leftIndent=base * 1.6,
                               firstLineIndent=-base * 1.6),
    }


def _rule(width: float, weight: float = 0.8) -> Table:
    """A black line across the label."""
    line = Table([[""]], colWidths=[width], rowHeights=[weight + 2])
    line.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), weight, colors.black),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return line


def _barcode(value: str, width: float, height: float) -> Flowable | None:
    """A Code128 barcode of ``value`` at most ``width`` wide, or None when ``value``
    has characters Code128 cannot carry."""
    if not value or not value.isascii() or not value.isprintable():
        return None
    code = Code128(value, barHeight=height, barWidth=0.4 * mm, quiet=False,
                   humanReadable=False)
    if code.width > width:
        code = Code128(value, barHeight=height, barWidth=0.4 * mm * width / code.width,
                       quiet=False, humanReadable=False)
    code.hAlign = "CENTER"
    return code


def _two_columns(left, right, width: float, split: float = 0.5) -> Table:
    """``left`` and ``right`` side by side, top-aligned, without padding."""
    table = Table([[left, right]], colWidths=[width * split, width * (1 - split)])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _order_number(label: ShippingLabel) -> str:
    number = f"Pesanan #{label.order_id}"
    return f"{number} · {label.marketplace_ref}" if label.marketplace_ref else number


def _story(label: ShippingLabel, width: float, base: float, narrow: bool) -> list:
    """The label's flowables at ``base`` points; ``narrow``: the receipt, whose
    courier and COD amount stand under each other."""
    s = label_styles(base)
    gap = Spacer(1, base * 0.35)
    courier = " ".join(p for p in (label.courier, label.courier_service) if p) or "Kurir: –"
    cod = (f"COD {format_rupiah(label.cod_amount)}" if label.cod_amount is not None
           else "NON-COD")
    if narrow:
        story = [para(courier, s["courier"]), plain(cod, s["bold"])]
    else:
        story = [_two_columns(para(courier, s["courier"]), plain(cod, s["cod"]), width)]
    code = _barcode(label.tracking_number or str(label.order_id), width, base * 3.4)
    if code is not None:
        story += [gap, code]
    if label.tracking_number:
        story.append(plain(f"Resi: {label.tracking_number}", s["tracking"]))
    story += [gap, _rule(width)]

    story += [plain("PENERIMA", s["caption"]), para(label.recipient_name, s["name"])]
    if label.recipient_phone:
        story.append(plain(label.recipient_phone, s["bold"]))
    story.append(para(label.address, s["body"]))
    if label.area:
        story.append(para(label.area, s["body"]))
    story += [gap, _rule(width, 0.5)]

    story += [plain("PENGIRIM", s["caption"]), para(label.sender_name, s["bold"])]
    if label.sender_phone:
        story.append(plain(label.sender_phone, s["body"]))
    if label.sender_address:
        story.append(para(label.sender_address, s["small"]))
    story += [gap, _rule(width, 0.5)]

    when = f"Tanggal kirim: {day_text(label.ship_date)}" if label.ship_date else ""
    story += [plain(_order_number(label), s["bold"])]
    if when:
        story.append(plain(when, s["body"]))
    story += [gap, plain("ISI PAKET", s["caption"])]
    story += [para(f"{item.quantity} × {item.name}", s["item"]) for item in label.items]
    if label.cod_amount is not None:
        story += [gap, plain(f"Tagih ke penerima (COD): {format_rupiah(label.cod_amount)}",
                             s["bold"])]
    return story


def _height(story: list, width: float) -> float:
    """The height ``story`` takes in a frame ``width`` wide (a frame drops the space
    before its first flowable; the rest counts)."""
    total = 0.0
    for n, flowable in enumerate(story):
        _w, h = flowable.wrap(width, MAX_PAGE_HEIGHT)
        total += h + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if n else 0)
    return total


def _render(story: list, page: tuple[float, float], side: float, vertical: float,
            title: str, later_pages=None) -> bytes:
    out = BytesIO()
    frame = Frame(side, vertical, page[0] - 2 * side, page[1] - 2 * vertical,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    pdf = BaseDocTemplate(out, pagesize=page, title=title, author=AUTHOR, creator=AUTHOR)
    pdf.addPageTemplates([PageTemplate("label", frames=[frame])])
    if later_pages is not None:
        pdf.pageTemplates[0].onPage = later_pages
    pdf.build(story)
    return out.getvalue()


def _continued(order_id: int, page_width: float, page_height: float):
    """Page callback: from the second sticker on, which order it continues."""

    def draw(canvas, doc):
        if doc.page < 2:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 6)
        canvas.drawRightString(page_width - 4 * mm, page_height - 3 * mm,
                               f"Pesanan #{order_id} (lanjutan {doc.page})")
        canvas.restoreState()

    return draw


def build_label_pdf(label: ShippingLabel, size: str = DEFAULT_SIZE) -> bytes:
    """The label as PDF bytes, in ``size`` (a key of :data:`SIZES`; an unknown one
    gives the default)."""
    if size not in SIZES:
        size = DEFAULT_SIZE
    page_width, page_height, side, vertical = SIZES[size]
    width = page_width - 2 * side
    title = f"Label pesanan #{label.order_id}"
    base = BASE_SIZE[size]
    if page_height is None:  # the receipt: as long as its content
        needed = _height(_story(label, width, base, narrow=True), width)
        height = min(needed + 2 * vertical + 2 * mm, MAX_PAGE_HEIGHT)
        return _render(_story(label, width, base, narrow=True), (page_width, height),
                       side, vertical, title)
    room = page_height - 2 * vertical
    for scale in STICKER_SCALES:
        if _height(_story(label, width, base * scale, narrow=False), width) <= room:
            break
    story = _story(label, width, base * scale, narrow=False)
    return _render(story, (page_width, page_height), side, vertical, title,
                   later_pages=_continued(label.order_id, page_width, page_height))

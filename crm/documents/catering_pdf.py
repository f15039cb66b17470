"""Documents a producer group issues for its part of a catering booking: the invoice
(faktur), the receipt (kwitansi) and the delivery note (surat jalan).

Plain data in, PDF bytes out: no database, no request. Like letters, these documents
are always in Indonesian (an office's reimbursement file, SPJ, needs them so). Every
piece of user text is escaped before it reaches a Paragraph, so a name such as
``<img src="http://…">`` is printed as typed and never fetched.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape as _html_escape
from io import BytesIO

from babel.dates import format_date, format_time
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from crm.documents.glyphs import LIST_MARK, printable
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words_capitalised


def escape(text: str) -> str:
    """User text printed, never read as markup: &, < and > are escaped (quotes need
    not), in characters the font prints readably."""
    return _html_escape(printable(text), quote=False)


# Above this amount a receipt needs a Rp 10.000 duty stamp (bea meterai).
METERAI_THRESHOLD = 5_000_000
METERAI_NOTE = "Tempel meterai Rp10.000"
PAYMENT_DUE_DAYS = 14

INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#4b5563")
LINE = colors.HexColor("#9ca3af")
SOFT = colors.HexColor("#f0fdf4")
GREEN = colors.HexColor("#166534")
# A4 less the margins and the 6 pt padding of the page frame on each side.
CONTENT_WIDTH = A4[0] - 30 * mm - 12


@dataclass
class Supplier:
    """The producer group that issues the document."""

    name: str
    village_name: str = ""
    chair_name: str = ""
    address: str = ""
    phone: str = ""
    npwp: str = ""
    nib: str = ""
    pirt_number: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_name and self.bank_account_number)


@dataclass
class DocumentLine:
    """One line of the group's part of the booking."""

    description: str
    quantity: int
    unit_price: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass
class CateringDocument:
    """Everything printed on an invoice, receipt or delivery note of one group."""

    number: str
    issued_on: date
    place: str  # where it is signed: "Katapang, 23 November 2026"
    supplier: Supplier
    customer_name: str
    event_title: str
    event_day: date
    deliver_at: datetime  # aware, in the village's time zone
    customer_unit: str = ""
    customer_address: str = ""
    customer_contact: str = ""
    event_place: str = ""
    tz_label: str = "WIB"
    kind_label: str = "Snack/kue"
    deliver_place: str = ""
    dietary_notes: str = ""
    booking_ref: str = ""
    lines: list[DocumentLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


def _day(value: date, pattern: str = "d MMMM y") -> str:
    return format_date(value, pattern, locale="id")


def _long_day(value: date) -> str:
    return format_date(value, "EEEE, d MMMM y", locale="id")


def _styles() -> dict:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10,
                          leading=13, textColor=INK)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold"),
        "supplier": ParagraphStyle("supplier", parent=body, fontName="Helvetica-Bold",
                                   fontSize=14, leading=17, textColor=GREEN),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=MUTED),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=18,
                                leading=22, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=body, alignment=TA_CENTER),
        "words": ParagraphStyle("words", parent=body, fontName="Helvetica-BoldOblique",
                                fontSize=11.5, leading=15),
        "amount": ParagraphStyle("amount", parent=body, fontName="Helvetica-Bold",
                                 fontSize=15, leading=19),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName="Helvetica-Bold",
                                   fontSize=9.5, leading=12),
        "num": ParagraphStyle("num", parent=body, fontSize=9.5, leading=12, alignment=TA_RIGHT),
        "numbold": ParagraphStyle("numbold", parent=body, fontName="Helvetica-Bold",
                                  fontSize=9.5, leading=12, alignment=TA_RIGHT),
        "para": ParagraphStyle("para", parent=body, spaceAfter=4),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "centerbold": ParagraphStyle("centerbold", parent=body, fontName="Helvetica-Bold",
                                     alignment=TA_CENTER),
        "meterai": ParagraphStyle("meterai", parent=body, fontSize=8, leading=10,
                                  alignment=TA_CENTER, textColor=MUTED),
    }


def _text(value, style) -> Paragraph:
    """A Paragraph of user or computed text, always escaped (never markup); line
    breaks of the text are kept."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def _joined(parts, style, separator=" · ") -> Paragraph:
    """Several escaped texts on one line (only the separator is ours)."""
    return Paragraph(escape(separator).join(escape(str(p)) for p in parts if p), style)


def _deliver_text(doc: CateringDocument) -> str:
    return (f"{_long_day(doc.deliver_at.date())} pukul "
            f"{format_time(doc.deliver_at, 'HH.mm', locale='id')} {doc.tz_label}")


def _bank_text(supplier: Supplier) -> str:
    text = f"{supplier.bank_name} {supplier.bank_account_number}"
    if supplier.bank_account_name:
        text += f" a.n. {supplier.bank_account_name}"
    return text


def _header(doc: CateringDocument, styles: dict, title: str) -> list:
    """The group's name and address above a rule, then the title and number."""
    s = doc.supplier
    story = [_text(s.name, styles["supplier"])]
    where = [s.address, s.village_name]
    story.append(_joined(where, styles["small"], ", "))
    facts = []
    if s.phone:
        facts.append(f"Telp/WA {s.phone}")
    if s.npwp:
        facts.append(f"NPWP {s.npwp}")
    if s.nib:
        facts.append(f"NIB {s.nib}")
    if s.pirt_number:
        facts.append(f"P-IRT {s.pirt_number}")
    if facts:
        story.append(_joined(facts, styles["small"]))
    rule = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.5, GREEN),
                              ("LINEBELOW", (0, 0), (-1, 0), 0.5, GREEN)]))
    story += [Spacer(1, 2 * mm), rule, Spacer(1, 5 * mm)]
    story.append(_text(title, styles["title"]))
    story.append(_text(f"No. {doc.number}", styles["number"]))
    story.append(Spacer(1, 6 * mm))
    return story


def _signature(doc: CateringDocument, styles: dict, heading: str, *, meterai: bool = False,
               width: float = 70 * mm) -> Table:
    """Place and date, the heading, room to sign (with the duty stamp note when
    needed), the chair's name over the group's name."""
    chair = doc.supplier.chair_name or "(" + "." * 40 + ")"
    space: object = Spacer(1, 20 * mm)
    if meterai:
        stamp = Table([[_text(METERAI_NOTE, styles["meterai"])]], colWidths=[28 * mm],
                      rowHeights=[18 * mm])
        stamp.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.6, MUTED, None, (2, 2)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]))
        space = stamp
    rows = [
        [_text(f"{doc.place}, {_day(doc.issued_on)}", styles["center"])],
        [_text(heading, styles["center"])],
        [space],
        [Paragraph(f"<u>{escape(chair)}</u>", styles["centerbold"])],
        [_text(f"Ketua {doc.supplier.name}", styles["center"])],
    ]
    table = Table(rows, colWidths=[width])
    table.setStyle(TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 2), (0, 2), 3 * mm),
        ("BOTTOMPADDING", (0, 2), (0, 2), 3 * mm),
    ]))
    return table


def _document(out: BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
        bottomMargin=14 * mm, title=title, author="MRSE CRM",
    )


def _line_text(line: DocumentLine) -> str:
    return (f"{line.quantity} × {line.description} @ {format_rupiah(line.unit_price)}"
            f" = {format_rupiah(line.total)}")


def build_receipt_pdf(doc: CateringDocument) -> bytes:
    """The receipt (kwitansi) as A4 PDF bytes."""
    styles = _styles()
    out = BytesIO()
    story = _header(doc, styles, "KWITANSI")

    body, bold = styles["body"], styles["bold"]
    customer = doc.customer_name + (f"\n{doc.customer_unit}" if doc.customer_unit else "")
    words = Table([[_text(rupiah_in_words_capitalised(doc.total), styles["words"])]],
                  colWidths=[CONTENT_WIDTH - 48 * mm])
    words.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
    ]))
    purpose = [
        _text(f"Konsumsi ({doc.kind_label.lower()}) untuk acara \u201c{doc.event_title}\u201d, "
              f"{_long_day(doc.event_day)}"
              + (f", di {doc.event_place}" if doc.event_place else "") + ":", body),
    ]
    purpose += [_text(f"{LIST_MARK} {_line_text(line)}", styles["cell"]) for line in doc.lines]
    rows = [
        [_text("Sudah terima dari", bold), _text(":", body), _text(customer, body)],
        [_text("Uang sejumlah", bold), _text(":", body), words],
        [_text("Untuk pembayaran", bold), _text(":", body), purpose],
    ]
    facts = Table(rows, colWidths=[40 * mm, 5 * mm, CONTENT_WIDTH - 45 * mm])
    facts.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        # The label sits level with the words inside their box.
        ("TOPPADDING", (0, 1), (1, 1), 3 * mm),
        ("LINEBELOW", (2, 0), (2, 0), 0.4, LINE, None, (1, 2)),
        ("LINEBELOW", (2, 2), (2, 2), 0.4, LINE, None, (1, 2)),
    ]))
    story += [facts, Spacer(1, 6 * mm)]

    amount = Table([[_text(format_rupiah(doc.total), styles["amount"])]],
                   colWidths=[70 * mm])
    amount.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.5, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
    ]))
    left = [_text("Jumlah", styles["small"]), amount, Spacer(1, 5 * mm)]
    s = doc.supplier
    if s.has_bank_account:
        left.append(_text("Rekening penerima:", styles["small"]))
        left.append(_text(_bank_text(s), styles["cell"]))
    if s.npwp:
        left.append(_text(f"NPWP: {s.npwp}", styles["cell"]))
    if doc.booking_ref:
        left.append(Spacer(1, 2 * mm))
        left.append(_text(doc.booking_ref, styles["small"]))
    signature = _signature(doc, styles, "Penerima,",
                           meterai=doc.total > METERAI_THRESHOLD)
    bottom = Table([[left, signature]], colWidths=[CONTENT_WIDTH - 75 * mm, 75 * mm])
    bottom.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
    ]))
    story.append(KeepTogether([bottom]))
    story.append(Spacer(1, 8 * mm))
    story.append(_text(
        "Jumlah di atas adalah jumlah bruto; pemotongan pajak (PPh) dilakukan oleh "
        "instansi pemungut sesuai ketentuan.", styles["small"]))
    _document(out, "Kwitansi").build(story)
    return out.getvalue()


def _lines_table(doc: CateringDocument, styles: dict, *, prices: bool) -> Table:
    cell, num = styles["cell"], styles["num"]
    if prices:
        head = [_text("No", cell), _text("Uraian", cell), _text("Jumlah", num),
                _text("Harga satuan", num), _text("Total", num)]
        parts = [10, 82, 22, 33, 33]
    else:
        head = [_text("No", cell), _text("Barang", cell), _text("Jumlah", num),
                _text("Keterangan", cell)]
        parts = [10, 100, 25, 45]
    widths = [CONTENT_WIDTH * p / sum(parts) for p in parts]
    rows = [head]
    for n, line in enumerate(doc.lines, start=1):
        row = [_text(n, cell), _text(line.description, cell), _text(line.quantity, num)]
        if prices:
            row += [_text(format_rupiah(line.unit_price), num),
                    _text(format_rupiah(line.total), num)]
        else:
            row.append(_text("", cell))
        rows.append(row)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dcfce7")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
    ]
    if prices:
        rows.append([_text("", cell), _text("Total", styles["cellbold"]), _text("", num),
                     _text("", num), _text(format_rupiah(doc.total), styles["numbold"])])
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
        style.append(("BACKGROUND", (0, -1), (-1, -1), SOFT))
    else:
        rows.append([_text("", cell), _text("Jumlah barang", styles["cellbold"]),
                     _text(sum(line.quantity for line in doc.lines), styles["numbold"]),
                     _text("", cell)])
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _two_columns(left_rows, right_rows, styles) -> Table:
    """Two blocks of label: value facts side by side (who it is for, what for)."""
    def block(rows):
        table = Table([[_text(label, styles["small"]), _text(value, styles["cell"])]
                       for label, value in rows if value],
                      colWidths=[26 * mm, 62 * mm])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return table
    table = Table([[block(left_rows), block(right_rows)]],
                  colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _customer_rows(doc: CateringDocument) -> list:
    return [("Kepada Yth.", doc.customer_name), ("Bagian", doc.customer_unit),
            ("Alamat", doc.customer_address), ("Kontak", doc.customer_contact)]


def build_invoice_pdf(doc: CateringDocument) -> bytes:
    """The invoice (faktur) as A4 PDF bytes."""
    styles = _styles()
    out = BytesIO()
    story = _header(doc, styles, "FAKTUR")
    event_rows = [
        ("Tanggal", _day(doc.issued_on)),
        ("Acara", doc.event_title),
        ("Tanggal acara", _long_day(doc.event_day)),
        ("Dikirim", _deliver_text(doc)),
        ("Tempat", doc.deliver_place or doc.event_place),
        ("Jenis", doc.kind_label),
    ]
    story += [_two_columns(_customer_rows(doc), event_rows, styles), Spacer(1, 6 * mm)]
    story += [_lines_table(doc, styles, prices=True), Spacer(1, 3 * mm)]
    story.append(_joined(["Terbilang:", rupiah_in_words_capitalised(doc.total)],
                         styles["words"], " "))
    story.append(Spacer(1, 6 * mm))

    s = doc.supplier
    pay = [_text("Pembayaran", styles["bold"])]
    if s.has_bank_account:
        pay.append(_text(f"Mohon transfer ke rekening {_bank_text(s)}.", styles["para"]))
    else:
        pay.append(_text(f"Pembayaran tunai kepada {s.chair_name or s.name}.", styles["para"]))
    if s.npwp:
        pay.append(_text(f"NPWP penyedia: {s.npwp}", styles["para"]))
    pay.append(_text(
        f"Mohon dibayar paling lambat {PAYMENT_DUE_DAYS} hari setelah faktur ini diterima, "
        "dengan menyebut nomor faktur.", styles["para"]))
    pay.append(_text("Jumlah di atas adalah jumlah bruto; pemotongan pajak (PPh) dilakukan "
                     "oleh instansi pemungut sesuai ketentuan.", styles["small"]))
    if doc.booking_ref:
        pay.append(_text(doc.booking_ref, styles["small"]))
    bottom = Table([[pay, _signature(doc, styles, "Hormat kami,")]],
                   colWidths=[CONTENT_WIDTH - 75 * mm, 75 * mm])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    story.append(KeepTogether([bottom]))
    _document(out, "Faktur").build(story)
    return out.getvalue()


def build_delivery_note_pdf(doc: CateringDocument) -> bytes:
    """The delivery note (surat jalan) as A4 PDF bytes."""
    styles = _styles()
    out = BytesIO()
    story = _header(doc, styles, "SURAT JALAN")
    event_rows = [
        ("Acara", doc.event_title),
        ("Tanggal acara", _long_day(doc.event_day)),
        ("Waktu kirim", _deliver_text(doc)),
        ("Tempat kirim", doc.deliver_place or doc.event_place),
        ("Jenis", doc.kind_label),
    ]
    story += [_two_columns(_customer_rows(doc), event_rows, styles), Spacer(1, 6 * mm)]
    story += [_lines_table(doc, styles, prices=False), Spacer(1, 4 * mm)]
    if doc.dietary_notes:
        story.append(_text("Catatan makanan (halal, alergi, dll.):", styles["bold"]))
        story.append(_text(doc.dietary_notes, styles["body"]))
        story.append(Spacer(1, 4 * mm))
    story.append(_text("Barang di atas telah diterima dalam keadaan baik dan jumlah yang "
                       "sesuai.", styles["body"]))
    if doc.booking_ref:
        story.append(_text(doc.booking_ref, styles["small"]))
    story.append(Spacer(1, 6 * mm))

    def block(heading, name, role):
        signed = (Paragraph(f"<u>{escape(name)}</u>", styles["centerbold"]) if name
                  else _text("(" + "." * 40 + ")", styles["center"]))
        rows = [[_text(heading, styles["center"])], [Spacer(1, 20 * mm)], [signed],
                [_text(role, styles["meterai"])]]
        table = Table(rows, colWidths=[80 * mm])
        table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return table

    receiver = block("Diterima oleh,", "", f"Nama jelas dan tanda tangan\n{doc.customer_name}")
    sender = block("Dikirim oleh,", doc.supplier.chair_name, doc.supplier.name)
    story.append(_text(f"{doc.place}, {_day(doc.issued_on)}", styles["body"]))
    story.append(Spacer(1, 2 * mm))
    signatures = Table([[receiver, sender]], colWidths=[CONTENT_WIDTH / 2] * 2)
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story.append(KeepTogether([signatures]))
    _document(out, "Surat Jalan").build(story)
    return out.getvalue()


BUILDERS = {
    "invoice": build_invoice_pdf,
    "receipt": build_receipt_pdf,
    "delivery": build_delivery_note_pdf,
}


def build_catering_pdf(kind: str, doc: CateringDocument) -> bytes:
    """The ``kind`` ("invoice", "receipt", "delivery") document as PDF bytes."""
    return BUILDERS[kind](doc)

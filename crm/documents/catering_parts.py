"""The parts the catering documents share: the group's header and signature, the
table of lines, the two columns of facts about the customer and the event.

Pure layout: :mod:`crm.documents.catering_content` data in, reportlab flowables out.
Values are printed as typed (escaped, line breaks preserved), never read as markup.
"""

from datetime import date

from babel.dates import format_time
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from crm.documents.catering_content import CateringDocument, DocumentLine, Supplier
from crm.documents.style import (
    CONTENT_WIDTH,
    HEAD_FILL,
    INK,
    LINE,
    MUTED,
    SOFT,
    day_text,
    escape,
    fact_columns,
    green_rule,
    plain_lines,
)
from crm.text.money import format_rupiah

METERAI_NOTE = "Tempel meterai Rp10.000"


def long_day(value: date) -> str:
    """``Senin, 23 November 2026``."""
    return day_text(value, "EEEE, d MMMM y")


def joined(parts, style, separator=" · ") -> Paragraph:
    """Several escaped texts on one line (only the separator is ours)."""
    return Paragraph(escape(separator).join(escape(str(p)) for p in parts if p), style)


def deliver_text(doc: CateringDocument) -> str:
    """When the food arrives: the long day, the time and the time zone."""
    return (f"{long_day(doc.deliver_at.date())} pukul "
            f"{format_time(doc.deliver_at, 'HH.mm', locale='id')} {doc.tz_label}")


def bank_text(supplier: Supplier) -> str:
    """``BRI 1234 a.n. Sari``: where to pay."""
    text = f"{supplier.bank_name} {supplier.bank_account_number}"
    if supplier.bank_account_name:
        text += f" a.n. {supplier.bank_account_name}"
    return text


def header(doc: CateringDocument, styles: dict, title: str) -> list:
    """The group's name and address above a rule, then the title and number."""
    s = doc.supplier
    story = [plain_lines(s.name, styles["issuer"])]
    where = [s.address, s.village_name]
    story.append(joined(where, styles["small"], ", "))
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
        story.append(joined(facts, styles["small"]))
    story += [Spacer(1, 2 * mm), green_rule(), Spacer(1, 5 * mm)]
    story.append(plain_lines(title, styles["title"]))
    story.append(plain_lines(f"No. {doc.number}", styles["number"]))
    story.append(Spacer(1, 6 * mm))
    return story


def signature_block(doc: CateringDocument, styles: dict, heading: str, *, meterai: bool = False,
               width: float = 70 * mm) -> Table:
    """Place and date, the heading, room to sign (with the duty stamp note when
    needed), the chair's name over the group's name."""
    chair = doc.supplier.chair_name or "(" + "." * 40 + ")"
    space: object = Spacer(1, 20 * mm)
    if meterai:
        stamp = Table([[plain_lines(METERAI_NOTE, styles["meterai"])]], colWidths=[28 * mm],
                      rowHeights=[18 * mm])
        stamp.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.6, MUTED, None, (2, 2)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]))
        space = stamp
    rows = [
        [plain_lines(f"{doc.place}, {day_text(doc.issued_on)}", styles["center"])],
        [plain_lines(heading, styles["center"])],
        [space],
        [Paragraph(f"<u>{escape(chair)}</u>", styles["centerbold"])],
        [plain_lines(f"Ketua {doc.supplier.name}", styles["center"])],
    ]
    table = Table(rows, colWidths=[width])
    table.setStyle(TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 2), (0, 2), 3 * mm),
        ("BOTTOMPADDING", (0, 2), (0, 2), 3 * mm),
    ]))
    return table


def line_text(line: DocumentLine) -> str:
    """``40 × Ladu @ Rp 1.500 = Rp 60.000``."""
    return (f"{line.quantity} × {line.description} @ {format_rupiah(line.unit_price)}"
            f" = {format_rupiah(line.total)}")


def lines_table(doc: CateringDocument, styles: dict, *, prices: bool) -> Table:
    """The lines with their total (invoice), or the goods with their count and room
    for remarks (delivery note)."""
    cell, num = styles["cell"], styles["num"]
    if prices:
        head = [plain_lines("No", cell), plain_lines("Uraian", cell), plain_lines("Jumlah", num),
                plain_lines("Harga satuan", num), plain_lines("Total", num)]
        parts = [10, 82, 22, 33, 33]
    else:
        head = [plain_lines("No", cell), plain_lines("Barang", cell), plain_lines("Jumlah", num),
                plain_lines("Keterangan", cell)]
        parts = [10, 100, 25, 45]
    widths = [CONTENT_WIDTH * p / sum(parts) for p in parts]
    rows = [head]
    for n, line in enumerate(doc.lines, start=1):
        row = [plain_lines(n, cell), plain_lines(line.description, cell),
               plain_lines(line.quantity, num)]
        if prices:
            row += [plain_lines(format_rupiah(line.unit_price), num),
                    plain_lines(format_rupiah(line.total), num)]
        else:
            row.append(plain_lines("", cell))
        rows.append(row)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
    ]
    if prices:
        rows.append([plain_lines("", cell), plain_lines("Total", styles["cellbold"]),
                     plain_lines("", num), plain_lines("", num),
                     plain_lines(format_rupiah(doc.total), styles["numbold"])])
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
        style.append(("BACKGROUND", (0, -1), (-1, -1), SOFT))
    else:
        rows.append([plain_lines("", cell), plain_lines("Jumlah barang", styles["cellbold"]),
                     plain_lines(sum(line.quantity for line in doc.lines), styles["numbold"]),
                     plain_lines("", cell)])
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def two_columns(left_rows, right_rows, styles) -> Table:
    """Two blocks of label: value facts side by side (who it is for, what for)."""
    return fact_columns(left_rows, right_rows, styles, [26 * mm, 62 * mm], text=plain_lines)


def customer_rows(doc: CateringDocument) -> list:
    """Who the document is for, as label and value."""
    return [("Kepada Yth.", doc.customer_name), ("Bagian", doc.customer_unit),
            ("Alamat", doc.customer_address), ("Kontak", doc.customer_contact)]



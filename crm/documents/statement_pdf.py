"""The reseller statement (Rekening Reseller) as a PDF: plain data in, bytes out.

Like letters and receipts, the document is always in Indonesian. Every piece of
user text is escaped before it reaches a Paragraph, so a name such as
``<img src="http://…">`` is printed as it was typed and never fetched.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from crm.documents.style import (
    FAINT_LINE,
    HEAD_FILL,
    day_text,
    plain,
    slip_document,
    statement_styles,
)
from crm.text.money import format_rupiah

TITLE = "Rekening Reseller"


@dataclass
class StatementLine:
    """One line of the table: positive ``amount`` adds to what is owed."""

    day: date
    description: str
    amount: int
    balance: int


@dataclass
class StatementDocument:
    """Everything printed on a statement."""

    group_name: str
    village_name: str
    reseller_name: str
    start: date
    end: date
    opening: int
    closing: int
    lines: list[StatementLine] = field(default_factory=list)
    printed_on: date | None = None


def build_statement_pdf(doc: StatementDocument) -> bytes:
    """The statement as A4 PDF bytes."""
    styles = statement_styles()
    out = BytesIO()
    pdf = slip_document(out, TITLE, vertical=15 * mm)
    story = [plain(TITLE, styles["title"])]
    facts = [
        ("Kelompok", doc.group_name),
        ("Desa", doc.village_name),
        ("Reseller", doc.reseller_name),
        ("Periode", f"{day_text(doc.start)} – {day_text(doc.end)}"),
    ]
    facts_table = Table(
        [[plain(label, styles["body"]), plain(value, styles["body"])] for label, value in facts],
        colWidths=[30 * mm, 150 * mm],
    )
    facts_table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story += [facts_table, Spacer(1, 6 * mm)]

    cell, num = styles["cell"], styles["num"]
    rows = [[plain(h, cell) for h in ("Tanggal", "Keterangan")]
            + [plain(h, num) for h in ("Jumlah", "Saldo")]]
    rows.append([plain(day_text(doc.start, "d MMM y"), cell), plain("Saldo awal", cell),
                 plain("", num), plain(format_rupiah(doc.opening), num)])
    for line in doc.lines:
        rows.append([
            plain(day_text(line.day, "d MMM y"), cell), plain(line.description, cell),
            plain(format_rupiah(line.amount), num), plain(format_rupiah(line.balance), num),
        ])
    rows.append([plain(day_text(doc.end, "d MMM y"), cell), plain("Saldo akhir", cell),
                 plain("", num), plain(format_rupiah(doc.closing), num)])
    table = Table(rows, colWidths=[26 * mm, 84 * mm, 35 * mm, 35 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, FAINT_LINE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
    ]))
    story += [table, Spacer(1, 6 * mm)]
    story.append(plain(f"Saldo awal: {format_rupiah(doc.opening)}", styles["body"]))
    story.append(plain(f"Saldo akhir: {format_rupiah(doc.closing)}", styles["body"]))
    story.append(Spacer(1, 3 * mm))
    story.append(plain(
        "Saldo positif: jumlah yang masih harus disetor reseller kepada kelompok "
        "(harga reseller barang terkirim, dikurangi retur yang ditanggung produsen "
        "dan setoran yang sudah dikonfirmasi).", styles["note"]))
    if doc.printed_on:
        story.append(plain(f"Dicetak {day_text(doc.printed_on)}", styles["note"]))
    pdf.build(story)
    return out.getvalue()

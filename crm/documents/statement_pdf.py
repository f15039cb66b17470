"""The reseller statement (Rekening Reseller) as a PDF: plain data in, bytes out.

Like letters and receipts, the document is always in Indonesian. Every piece of
user text is escaped before it reaches a Paragraph, so a name such as
``<img src="http://…">`` is printed as it was typed and never fetched.
"""

from dataclasses import dataclass, field
from datetime import date
from html import escape as _html_escape
from io import BytesIO

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from crm.documents.glyphs import printable
from crm.text.money import format_rupiah


def escape(text: str) -> str:
    """User text printed, never read as markup: &, < and > are escaped (quotes need
    not), in characters the font prints readably."""
    return _html_escape(printable(text), quote=False)


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


def _day(value: date, pattern: str = "d MMMM y") -> str:
    return format_date(value, pattern, locale="id")


def _styles() -> dict:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10,
                          leading=13)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName="Helvetica-Bold",
                                fontSize=16, leading=20, spaceAfter=4),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "num": ParagraphStyle("num", parent=body, fontSize=9, leading=11, alignment=2),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10,
                               textColor=colors.HexColor("#4b5563")),
    }


def _text(value, style) -> Paragraph:
    """A Paragraph of user or computed text, always escaped (never markup)."""
    return Paragraph(escape(str(value)), style)


def build_statement_pdf(doc: StatementDocument) -> bytes:
    """The statement as A4 PDF bytes."""
    styles = _styles()
    out = BytesIO()
    pdf = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=TITLE, author="MRSE CRM",
    )
    story = [_text(TITLE, styles["title"])]
    facts = [
        ("Kelompok", doc.group_name),
        ("Desa", doc.village_name),
        ("Reseller", doc.reseller_name),
        ("Periode", f"{_day(doc.start)} – {_day(doc.end)}"),
    ]
    facts_table = Table(
        [[_text(label, styles["body"]), _text(value, styles["body"])] for label, value in facts],
        colWidths=[30 * mm, 150 * mm],
    )
    facts_table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story += [facts_table, Spacer(1, 6 * mm)]

    cell, num = styles["cell"], styles["num"]
    rows = [[_text(h, cell) for h in ("Tanggal", "Keterangan")]
            + [_text(h, num) for h in ("Jumlah", "Saldo")]]
    rows.append([_text(_day(doc.start, "d MMM y"), cell), _text("Saldo awal", cell),
                 _text("", num), _text(format_rupiah(doc.opening), num)])
    for line in doc.lines:
        rows.append([
            _text(_day(line.day, "d MMM y"), cell), _text(line.description, cell),
            _text(format_rupiah(line.amount), num), _text(format_rupiah(line.balance), num),
        ])
    rows.append([_text(_day(doc.end, "d MMM y"), cell), _text("Saldo akhir", cell),
                 _text("", num), _text(format_rupiah(doc.closing), num)])
    table = Table(rows, colWidths=[26 * mm, 84 * mm, 35 * mm, 35 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.HexColor("#d1d5db")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dcfce7")),
    ]))
    story += [table, Spacer(1, 6 * mm)]
    story.append(_text(f"Saldo awal: {format_rupiah(doc.opening)}", styles["body"]))
    story.append(_text(f"Saldo akhir: {format_rupiah(doc.closing)}", styles["body"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_text(
        "Saldo positif: jumlah yang masih harus disetor reseller kepada kelompok "
        "(harga reseller barang terkirim, dikurangi retur yang ditanggung produsen "
        "dan setoran yang sudah dikonfirmasi).", styles["note"]))
    if doc.printed_on:
        story.append(_text(f"Dicetak {_day(doc.printed_on)}", styles["note"]))
    pdf.build(story)
    return out.getvalue()

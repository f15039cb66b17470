"""The settlement slip of a consignment visit (Nota Titip Jual): what was on the shelf,
what remains, what was taken back or thrown away, what sold, the outlet's cut, the
money due, the cash collected and what the outlet still owes.

Plain data in, PDF bytes out: no database, no request. Like the other documents it
is always in Indonesian. Every piece of user text is escaped before it reaches a
Paragraph, so an outlet named ``<img src="http://…">`` is printed as typed and never
fetched.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from crm.documents.style import (
    CONTENT_WIDTH,
    HEAD_FILL,
    INK,
    LINE,
    SOFT,
    consignment_styles,
    day_text,
    fact_columns,
    green_rule,
    para,
    safe_text,
    slip_document,
)
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words_capitalised

TITLE = "NOTA TITIP JUAL"


@dataclass
class SlipLine:
    """One product counted at the visit."""

    product: str
    before: int
    remaining: int
    returned: int
    expired: int
    sold: int
    unit_price: int
    cut_kind: str  # "percent" (cut_value in basis points) or "fixed" (rupiah per unit)
    cut_value: int
    cut_amount: int
    amount_due: int
    unit: str = ""


@dataclass
class ConsignmentSlip:
    """Everything printed on the slip of one visit."""

    number: str
    visited_on: date
    place: str  # where it is signed, usually the village: "Katapang"
    group_name: str
    outlet_name: str
    amount_due: int
    cash_collected: int
    outstanding: int  # what the outlet still owes after this visit (all visits)
    group_address: str = ""
    group_phone: str = ""
    group_chair: str = ""
    outlet_owner: str = ""
    outlet_address: str = ""
    outlet_phone: str = ""
    recorded_by: str = ""
    notes: str = ""
    lines: list[SlipLine] = field(default_factory=list)


def cut_text(line: SlipLine) -> str:
    """"10%" or "Rp 1.000/brg" (a percentage keeps at most two decimals)."""
    if line.cut_kind == "percent":
        whole, fraction = divmod(line.cut_value, 100)
        text = f"{whole},{fraction:02d}".rstrip("0") if fraction else str(whole)
        return f"{text}%"
    return f"{format_rupiah(line.cut_value)}/brg"


def _header(slip: ConsignmentSlip, styles: dict) -> list:
    story = [para(slip.group_name, styles["issuer"])]
    if slip.group_address:
        story.append(para(slip.group_address, styles["small"]))
    if slip.group_phone:
        story.append(para(f"Telp/WA {slip.group_phone}", styles["small"]))
    story += [Spacer(1, 2 * mm), green_rule(), Spacer(1, 4 * mm),
              para(TITLE, styles["title"]), para(f"No. {slip.number}", styles["number"]),
              Spacer(1, 5 * mm)]
    return story


def _facts(slip: ConsignmentSlip, styles: dict) -> Table:
    outlet = [("Tempat titip", slip.outlet_name), ("Pemilik", slip.outlet_owner),
              ("Alamat", slip.outlet_address), ("Telp/WA", slip.outlet_phone)]
    visit = [("Tanggal", day_text(slip.visited_on, "EEEE, d MMMM y")),
             ("Kelompok", slip.group_name), ("Dicatat oleh", slip.recorded_by)]
    return fact_columns(outlet, visit, styles, [27 * mm, CONTENT_WIDTH / 2 - 29 * mm])


# Column headings and their share of the width.
COLUMNS = (
    ("No", 4, False), ("Produk", 23, False), ("Di rak sebelumnya", 13, True),
    ("Sisa", 7, True), ("Ditarik", 9, True), ("Rusak/ kedaluwarsa", 15, True),
    ("Terjual", 9, True), ("Harga", 15, True), ("Potongan warung", 16, True),
    ("Jumlah", 17, True),
)


def _lines_table(slip: ConsignmentSlip, styles: dict) -> Table:
    parts = [share for _label, share, _num in COLUMNS]
    widths = [CONTENT_WIDTH * p / sum(parts) for p in parts]
    rows = [[para(label, styles["headnum" if numeric else "head"])
             for label, _share, numeric in COLUMNS]]
    num = styles["num"]
    for n, line in enumerate(slip.lines, start=1):
        product = line.product + (f" ({line.unit})" if line.unit else "")
        cut = [para(format_rupiah(line.cut_amount), num), para(cut_text(line), styles["numsmall"])]
        rows.append([
            para(n, styles["cell"]), para(product, styles["cell"]), para(line.before, num),
            para(line.remaining, num), para(line.returned, num), para(line.expired, num),
            para(line.sold, styles["numbold"]), para(format_rupiah(line.unit_price), num), cut,
            para(format_rupiah(line.amount_due), num),
        ])
    rows.append([para("", styles["cell"]), para("Jumlah tagihan", styles["bold"])]
                + [para("", num)] * 4
                + [para(sum(line.sold for line in slip.lines), styles["numbold"]), para("", num),
                   para(format_rupiah(sum(line.cut_amount for line in slip.lines)), num),
                   para(format_rupiah(slip.amount_due), styles["numbold"])])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, LINE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, -1), (-1, -1), SOFT),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
    ]))
    return table


def _money_box(slip: ConsignmentSlip, styles: dict) -> Table:
    rows = [
        [para("Tagihan kunjungan ini", styles["body"]),
         para(format_rupiah(slip.amount_due), styles["total"])],
        [para("Uang diterima", styles["body"]),
         para(format_rupiah(slip.cash_collected), styles["total"])],
        [para("Sisa utang tempat ini (semua kunjungan sampai nota ini)", styles["bold"]),
         para(format_rupiah(slip.outstanding), styles["total"])],
    ]
    table = Table(rows, colWidths=[CONTENT_WIDTH - 55 * mm, 55 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, LINE),
        ("BACKGROUND", (0, -1), (-1, -1), SOFT),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ]))
    return table


def _words(slip: ConsignmentSlip, styles: dict) -> list:
    story = [para(f"Terbilang tagihan: {rupiah_in_words_capitalised(slip.amount_due)}",
                styles["words"])]
    if slip.cash_collected != slip.amount_due:
        story.append(para("Terbilang uang diterima: "
                        f"{rupiah_in_words_capitalised(slip.cash_collected)}", styles["words"]))
    return story


def _signatures(slip: ConsignmentSlip, styles: dict) -> Table:
    blank = "(" + "." * 36 + ")"

    def block(heading, name, under):
        rows = [[para(heading, styles["center"])], [Spacer(1, 18 * mm)],
                [Paragraph(f"<u>{safe_text(name or blank)}</u>", styles["centerbold"])],
                [para(under, styles["center"])]]
        table = Table(rows, colWidths=[CONTENT_WIDTH / 2 - 6 * mm])
        table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return table

    day = day_text(slip.visited_on)
    date_line = f"{slip.place}, {day}" if slip.place else day
    left = block("Pemilik warung,", slip.outlet_owner, slip.outlet_name)
    right = block(f"{date_line}\nKelompok,", slip.recorded_by or slip.group_chair,
                  slip.group_name)
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def build_consignment_slip_pdf(slip: ConsignmentSlip) -> bytes:
    """The settlement slip of one visit as A4 PDF bytes."""
    styles = consignment_styles()
    out = BytesIO()
    story = _header(slip, styles)
    story += [_facts(slip, styles), Spacer(1, 5 * mm)]
    if slip.lines:
        story += [_lines_table(slip, styles), Spacer(1, 2 * mm),
                  para("Terjual = di rak sebelumnya - sisa - ditarik - rusak/kedaluwarsa. "
                     "Jumlah = terjual × harga - potongan warung.", styles["small"])]
    else:
        story.append(para("Tidak ada barang yang dihitung: kunjungan ini hanya menerima uang.",
                        styles["body"]))
    story += [Spacer(1, 4 * mm), _money_box(slip, styles), Spacer(1, 3 * mm)]
    story += _words(slip, styles)
    if slip.notes:
        story += [Spacer(1, 3 * mm), para(f"Catatan: {slip.notes}", styles["body"])]
    story += [Spacer(1, 8 * mm), KeepTogether([_signatures(slip, styles)])]
    slip_document(out, "Nota Titip Jual").build(story)
    return out.getvalue()

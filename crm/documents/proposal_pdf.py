"""A group's capital proposal (Proposal Permohonan Bantuan Modal Usaha) and the
village's recommendation letter for it (surat rekomendasi), as PDF.

Pure builders: plain dataclasses in, A4 PDF bytes out, no database and no request.
Both documents are always in Indonesian. Every piece of user text goes through
:func:`~crm.documents.letterhead.safe_text` before it reaches a Paragraph, so a
title such as ``<img src="http://…">`` is printed literally and reportlab never
fetches anything.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from crm.documents.letterhead import Letterhead, letterhead_flowables, safe_text
from crm.documents.letters import Signatory
from crm.text.dates import letter_date_id
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words

LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 20 * mm, 12 * mm, 18 * mm
WIDTH = A4[0] - LEFT - RIGHT
SIGNATURE_SPACE = 19 * mm
SUBJECT = "Permohonan Bantuan Modal Usaha"
ADVOCACY_SUBJECT = "Rekomendasi Permohonan Bantuan Modal Usaha"
ATTACHMENT = "1 (satu) berkas"
INK = colors.HexColor("#1f2937")
LINE = colors.HexColor("#9ca3af")
HEAD_FILL = colors.HexColor("#dcfce7")
TOTAL_FILL = colors.HexColor("#f0fdf4")
DRAFT_MARK = "DRAF – belum dikirim"


@dataclass
class GroupProfile:
    """The group as the proposal introduces it."""

    name: str
    kind: str = ""
    address: str = ""
    village_name: str = ""
    phone: str = ""
    since_year: int | None = None
    description: str = ""
    chair_name: str = ""
    secretary_name: str = ""
    treasurer_name: str = ""
    nib: str = ""
    pirt_number: str = ""
    halal_number: str = ""
    npwp: str = ""
    products: list[str] = field(default_factory=list)


@dataclass
class EvidenceTable:
    """Turnover per month (rows) and channel (columns), in whole rupiah, with the
    other figures of the evidence section. ``total``, ``average``, ``month_totals``
    and ``channel_totals`` are of the MRSE channels; ``other`` holds each month's
    other sales recorded by the group (None: not recorded), ``whole_average`` and
    ``change_percent`` the whole turnover over the recorded months (None: none)."""

    period: str
    months: list[str]
    channels: list[str]
    cells: list[list[int]]
    month_totals: list[int]
    channel_totals: list[int]
    total: int
    average: int
    baseline: int | None = None
    change_percent: int | None = None
    other: list = field(default_factory=list)
    other_average: int | None = None
    whole_average: int | None = None
    active_resellers: int = 0
    claim_resellers: int = 0
    bookings_count: int = 0
    bookings_value: int = 0
    # (partner, partnership title, status)
    partnerships: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class BudgetRow:
    """A line of the RAB."""

    item: str
    volume: int
    unit: str
    unit_price: int

    @property
    def total(self) -> int:
        return self.volume * self.unit_price


@dataclass
class ProposalDocument:
    """What the proposal says. ``number`` is empty until the proposal is sent;
    ``draft`` marks every page."""

    letterhead: Letterhead
    number: str
    place: str
    day: date
    funder_name: str
    funder_address: str
    funder_kind: str
    title: str
    requested_amount: int
    group: GroupProfile
    evidence: EvidenceTable
    budget: list[BudgetRow]
    head: Signatory
    village_name: str
    kur_scheme: str = ""
    background: str = ""
    aims: str = ""
    activities: str = ""
    closing: str = ""
    attachments: list[str] = field(default_factory=list)
    draft: bool = False

    @property
    def budget_total(self) -> int:
        return sum(row.total for row in self.budget)


@dataclass
class AdvocacyLetter:
    """The village's recommendation of a group's proposal to a funder."""

    letterhead: Letterhead
    number: str
    place: str
    day: date
    village_name: str
    region: str  # "Kecamatan Katapang, Kabupaten Bandung"
    funder_name: str
    funder_address: str
    group: GroupProfile
    title: str
    requested_amount: int
    head: Signatory
    evidence_period: str = ""
    # Per month over the evidence period: the MRSE channels, and the whole turnover
    # over the months whose other sales were recorded (None: none was).
    average_turnover: int = 0
    whole_average: int | None = None
    copies_to: list[str] = field(default_factory=list)


# --- formatting ---------------------------------------------------------------------


def number_id(amount: int) -> str:
    """``1500000`` → ``1.500.000`` (table cells, the header says rupiah)."""
    return f"{amount:,}".replace(",", ".")


def _styles() -> dict:
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14,
                          alignment=TA_JUSTIFY, spaceAfter=4, textColor=INK)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, alignment=TA_LEFT,
                          spaceAfter=0)
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT, spaceAfter=0),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=14,
                                leading=18, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11.5, leading=15,
                                   alignment=TA_CENTER, spaceAfter=0),
        "section": ParagraphStyle("section", parent=body, fontName="Helvetica-Bold",
                                  fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4,
                                  keepWithNext=1, alignment=TA_LEFT),
        "item": ParagraphStyle("item", parent=body, leftIndent=7 * mm, spaceAfter=2),
        "cell": cell,
        "cellbold": ParagraphStyle("cellbold", parent=cell, fontName="Helvetica-Bold"),
        "num": ParagraphStyle("num", parent=cell, alignment=TA_RIGHT),
        "numbold": ParagraphStyle("numbold", parent=cell, fontName="Helvetica-Bold",
                                  alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12,
                                alignment=TA_LEFT, spaceAfter=2),
        "copy": ParagraphStyle("copy", fontName="Helvetica", fontSize=9.5, leading=12,
                               leftIndent=5 * mm),
        "place": ParagraphStyle("place", parent=body, alignment=TA_LEFT, spaceAfter=0,
                                leftIndent=8 * mm),
    }


def group_title(name: str) -> str:
    """``Ladu Ketan`` → ``Kelompok Ladu Ketan``; a name that already says so stays."""
    name = (name or "").strip()
    return name if name.lower().startswith("kelompok") else f"Kelompok {name}"


def _p(text, style) -> Paragraph:
    """User or computed text as a Paragraph: always escaped, never markup."""
    return Paragraph(safe_text(text), style)


def _grid(rows, widths, style=None) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        *(style or []),
    ]))
    return table


def _facts(pairs, s, label_width=30 * mm, width=WIDTH) -> Table:
    """``Label : value`` lines with the colons under each other."""
    rows = [[_p(label, s["left"]), _p(":", s["left"]), _p(value or "-", s["left"])]
            for label, value in pairs]
    return _grid(rows, [label_width, 4 * mm, width - label_width - 4 * mm])


def _ruled(rows, widths, header_rows=1, total_rows=0) -> Table:
    """A table with a shaded header and, when ``total_rows``, shaded totals below."""
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_rows:
        style += [("LINEABOVE", (0, -total_rows), (-1, -total_rows), 0.8, INK),
                  ("BACKGROUND", (0, -total_rows), (-1, -1), TOTAL_FILL)]
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _text_block(text: str, s, empty: str = "-") -> list:
    """User text as paragraphs (blank lines start a new one)."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    parts = [p for p in parts if p]
    if not parts:
        return [_p(empty, s["body"])]
    return [_p(part, s["body"]) for part in parts]


def _signature_table(blocks, s, widths) -> Table:
    """Signature blocks side by side: ``(title markup, name)`` or None. Titles, the
    signing space and the names are separate rows, so names stand on one line."""
    titles, spaces, names = [], [], []
    for block in blocks:
        if block is None:
            titles.append("")
            spaces.append("")
            names.append("")
            continue
        title, name = block
        titles.append(Paragraph(title, s["center"]))
        spaces.append("")
        shown = safe_text(name) if (name or "").strip() else "(" + "." * 36 + ")"
        names.append(Paragraph(f"<u><b>{shown}</b></u>", s["center"]))
    table = Table([titles, spaces, names], colWidths=widths,
                  rowHeights=[None, SIGNATURE_SPACE, None], hAlign="CENTER")
    table.setStyle(TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _group_signatures(doc: ProposalDocument, s) -> list:
    """Chair and secretary side by side, the village head ("Mengetahui") below."""
    group = safe_text(group_title(doc.group.name))
    flow = [_signature_table([
        (f"Ketua<br/>{group},", doc.group.chair_name),
        (f"Sekretaris<br/>{group},", doc.group.secretary_name),
    ], s, [WIDTH / 2, WIDTH / 2])]
    flow.append(Spacer(1, 6 * mm))
    head = doc.head
    flow.append(_signature_table([
        None, ("Mengetahui,<br/>" + safe_text(head.position) + ",", head.name), None,
    ], s, [WIDTH / 4, WIDTH / 2, WIDTH / 4]))
    return flow


def _footer(label: str, mark: str = ""):
    """Page callback: the document and page on every page, and the draft mark."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.drawCentredString(LEFT + WIDTH / 2, BOTTOM / 2,
                                 f"{label} · halaman {doc.page}")
        if mark:
            canvas.setFont("Helvetica-Bold", 9)
            canvas.setFillColor(colors.HexColor("#b91c1c"))
            canvas.drawRightString(LEFT + WIDTH, A4[1] - 7 * mm, mark)
        canvas.restoreState()

    return draw


def _render(story, title: str, footer) -> bytes:
    out = BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                            topMargin=TOP, bottomMargin=BOTTOM, title=title,
                            author="MRSE CRM", creator="MRSE CRM")
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _heading_block(number: str, subject: str, to_name: str, to_address: str, s) -> Table:
    """Nomor … Perihal on the left, the addressee on the right."""
    left = WIDTH * 0.55
    facts = _facts([("Nomor", number), ("Lampiran", ATTACHMENT), ("Perihal", subject)], s,
                   label_width=20 * mm, width=left - 4 * mm)
    lines = ["Kepada Yth.", to_name]
    if to_address.strip():
        lines.append(" ".join(to_address.split()))
    addressee = [_p(line, s["left"]) for line in lines if line]
    addressee += [_p("di", s["left"]), _p("Tempat", s["place"])]
    return _grid([[facts, addressee]], [left, WIDTH - left])


# --- proposal -----------------------------------------------------------------------


def _profile(doc: ProposalDocument, s) -> list:
    g = doc.group
    pairs = [
        ("Nama kelompok", g.name),
        ("Bidang usaha", g.kind),
        ("Alamat", " ".join(g.address.split())),
        ("Berdiri sejak", str(g.since_year) if g.since_year else "-"),
        ("Telepon", g.phone),
        ("Produk", ", ".join(g.products)),
        ("NIB", g.nib),
        ("P-IRT", g.pirt_number),
        ("Sertifikat halal", g.halal_number),
        ("NPWP", g.npwp),
    ]
    flow = []
    if g.description.strip():
        flow += _text_block(g.description, s)
    flow.append(_facts(pairs, s, label_width=34 * mm))
    flow.append(Spacer(1, 3 * mm))
    flow.append(_p("Susunan pengurus:", s["left"]))
    flow.append(_facts([("Ketua", g.chair_name), ("Sekretaris", g.secretary_name),
                        ("Bendahara", g.treasurer_name)], s, label_width=34 * mm))
    return flow


def evidence_table(ev: EvidenceTable, s) -> Table:
    """Months down, channels across, then the MRSE sum, the other sales recorded and
    the whole turnover; totals below; figures in rupiah."""
    channels = ev.channels
    small = len(channels) > 4
    cell = ParagraphStyle("ev-cell", parent=s["cell"], fontSize=7 if small else 8,
                          leading=9 if small else 10)
    num = ParagraphStyle("ev-num", parent=cell, alignment=TA_RIGHT)
    bold = ParagraphStyle("ev-bold", parent=cell, fontName="Helvetica-Bold")
    numbold = ParagraphStyle("ev-numbold", parent=num, fontName="Helvetica-Bold")
    month_width = 22 * mm
    other = (WIDTH - month_width) / (len(channels) + 3)
    other_cells = ev.other or [None] * len(ev.months)
    rows = [[_p("Bulan", bold), *[_p(c, numbold) for c in channels],
             _p("Omzet MRSE", numbold), _p("Penjualan lain", numbold),
             _p("Omzet seluruhnya", numbold)]]
    for month, values, total, extra in zip(ev.months, ev.cells, ev.month_totals, other_cells,
                                           strict=True):
        rows.append([_p(month, cell), *[_p(number_id(v), num) for v in values],
                     _p(number_id(total), numbold),
                     _p(NOT_RECORDED if extra is None else number_id(extra), num),
                     _p(NOT_RECORDED if extra is None else number_id(total + extra), numbold)])
    recorded = [x for x in other_cells if x is not None]
    whole = (number_id(ev.total + sum(recorded)) if len(recorded) == len(other_cells)
             else "-")
    rows.append([_p("Jumlah", bold), *[_p(number_id(v), numbold) for v in ev.channel_totals],
                 _p(number_id(ev.total), numbold), _p(number_id(sum(recorded)), numbold),
                 _p(whole, numbold)])
    return _ruled(rows, [month_width] + [other] * (len(channels) + 3), total_rows=1)


# A month whose other sales were not recorded: no figure, and no whole turnover.
NOT_RECORDED = "belum dicatat"
MRSE_CHANNELS_ID = "reseller, titip jual, pesanan acara"


def turnover_pairs(ev: EvidenceTable) -> list[tuple[str, str]]:
    """The turnover lines of the evidence: the MRSE channels, the other sales, the
    whole turnover, the turnover before the program and the change, which is only
    ever of the whole turnover and only over months whose other sales were recorded.
    Without them there is no change but what the MRSE channels added."""
    months = len(ev.months)
    recorded = sum(1 for x in ev.other if x is not None)
    pairs = [
        (f"Omzet MRSE ({MRSE_CHANNELS_ID}) selama periode", format_rupiah(ev.total)),
        ("Omzet MRSE rata-rata per bulan", format_rupiah(ev.average)),
    ]
    of_months = f" ({recorded} dari {months} bulan dicatat)" if recorded < months else ""
    if ev.whole_average is not None:
        pairs += [
            ("Penjualan lain yang dicatat, rata-rata per bulan",
             format_rupiah(ev.other_average) + of_months),
            ("Omzet seluruhnya (MRSE dan penjualan lain), rata-rata per bulan",
             format_rupiah(ev.whole_average) + of_months),
        ]
    if ev.baseline:
        pairs.append(("Omzet seluruhnya per bulan sebelum program",
                      format_rupiah(ev.baseline)))
        if ev.whole_average is not None and ev.change_percent is not None:
            pairs.append(("Perubahan omzet seluruhnya dibanding sebelum program",
                          f"{ev.change_percent:+d}%"))
    if ev.whole_average is None:
        pairs += [
            ("Penjualan lain (langsung, pasar)",
             "belum dicatat – perubahan omzet belum bisa dihitung"),
            ("Tambahan dari saluran MRSE", f"{format_rupiah(ev.average)} per bulan"),
        ]
    return pairs


def _evidence(doc: ProposalDocument, s) -> list:
    ev = doc.evidence
    flow = [Paragraph(
        f"Data berikut dicatat dalam aplikasi pemasaran desa (CRM MRSE) untuk periode "
        f"{safe_text(ev.period)}, dalam rupiah. <b>Omzet MRSE</b>: penjualan melalui "
        f"saluran MRSE ({MRSE_CHANNELS_ID}; penjualan melalui reseller dihitung dengan "
        f"harga reseller, titip jual dengan harga titip, pesanan acara dengan harga "
        f"pesanan). <b>Penjualan lain</b>: penjualan kelompok di luar saluran MRSE "
        f"(langsung atau di rumah, di pasar) yang dicatat sendiri oleh kelompok. "
        f"<b>Omzet seluruhnya</b> = omzet MRSE + penjualan lain; hanya omzet seluruhnya "
        f"yang dibandingkan dengan omzet sebelum program, dan hanya untuk bulan yang "
        f"penjualan lainnya dicatat.", s["body"]),
        evidence_table(ev, s), Spacer(1, 3 * mm)]
    pairs = turnover_pairs(ev)
    pairs += [
        ("Reseller aktif (ada penjualan)", f"{ev.active_resellers} orang"),
        ("Reseller yang sedang memasarkan", f"{ev.claim_resellers} orang"),
        ("Pesanan acara", f"{ev.bookings_count} pesanan, {format_rupiah(ev.bookings_value)}"),
    ]
    flow.append(_facts(pairs, s, label_width=72 * mm))
    flow.append(Spacer(1, 3 * mm))
    if ev.partnerships:
        flow.append(_p("Kemitraan dengan lembaga:", s["left"]))
        for n, (partner, title, status) in enumerate(ev.partnerships, start=1):
            flow.append(Paragraph(
                f"{safe_text(partner)} – {safe_text(title)} ({safe_text(status)})",
                s["item"], bulletText=f"{n}."))
    else:
        flow.append(_p("Kemitraan dengan lembaga: belum ada.", s["left"]))
    return flow


def budget_table(doc: ProposalDocument, s) -> Table:
    """No | Uraian | Volume | Satuan | Harga Satuan | Jumlah, with the total."""
    cell, num = s["cell"], s["num"]
    parts = [9, 62, 16, 18, 33, 33]
    widths = [WIDTH * p / sum(parts) for p in parts]
    rows = [[_p("No", s["cellbold"]), _p("Uraian", s["cellbold"]), _p("Volume", s["numbold"]),
             _p("Satuan", s["cellbold"]), _p("Harga Satuan (Rp)", s["numbold"]),
             _p("Jumlah (Rp)", s["numbold"])]]
    for n, row in enumerate(doc.budget, start=1):
        rows.append([_p(n, cell), _p(row.item, cell), _p(number_id(row.volume), num),
                     _p(row.unit, cell), _p(number_id(row.unit_price), num),
                     _p(number_id(row.total), num)])
    rows.append(["", _p("Jumlah", s["cellbold"]), "", "", "",
                 _p(number_id(doc.budget_total), s["numbold"])])
    return _ruled(rows, widths, total_rows=1)


def _budget(doc: ProposalDocument, s) -> list:
    total = doc.budget_total
    flow = [budget_table(doc, s), Spacer(1, 2 * mm),
            _p(f"Terbilang: {rupiah_in_words(total)}.", s["body"])]
    pairs = [("Total RAB", format_rupiah(total)),
             ("Jumlah yang dimohonkan", format_rupiah(doc.requested_amount))]
    if total > doc.requested_amount:
        pairs.append(("Swadaya kelompok", format_rupiah(total - doc.requested_amount)))
    flow.append(_facts(pairs, s, label_width=50 * mm))
    flow.append(_p(f"Jumlah yang dimohonkan terbilang: {rupiah_in_words(doc.requested_amount)}.",
                   s["body"]))
    return flow


def _cover_letter(doc: ProposalDocument, s) -> list:
    story = letterhead_flowables(doc.letterhead, WIDTH)
    story += [_p(letter_date_id(doc.day, doc.place), s["right"]), Spacer(1, 3 * mm)]
    story.append(_heading_block(doc.number or "—", SUBJECT, doc.funder_name,
                                doc.funder_address, s))
    story.append(Spacer(1, 6 * mm))
    group, village = safe_text(group_title(doc.group.name)), safe_text(doc.village_name)
    amount = format_rupiah(doc.requested_amount)
    story.append(_p("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Bersama surat ini kami, pengurus {group} di {village}, mengajukan "
        f"permohonan bantuan modal usaha sebesar <b>{safe_text(amount)}</b> "
        f"({safe_text(rupiah_in_words(doc.requested_amount))}) untuk kegiatan "
        f"<i>{safe_text(doc.title)}</i>.", s["body"]))
    story.append(_p(
        "Sebagai bahan pertimbangan, bersama ini kami lampirkan proposal yang memuat latar "
        "belakang, tujuan, profil kelompok, rencana kegiatan, bukti kinerja usaha dan "
        "rencana anggaran biaya, beserta kelengkapannya.", s["body"]))
    story.append(_p(
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan bantuan Bapak/Ibu, kami "
        "ucapkan terima kasih.", s["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether(_group_signatures(doc, s)))
    return story


def build_proposal_pdf(doc: ProposalDocument) -> bytes:
    """The proposal as A4 PDF bytes: the cover letter, then sections A to G."""
    s = _styles()
    story = _cover_letter(doc, s)
    story.append(PageBreak())
    story.append(_p("PROPOSAL PERMOHONAN BANTUAN MODAL USAHA", s["title"]))
    story.append(_p(doc.title.upper(), s["subtitle"]))
    story.append(_p(f"{group_title(doc.group.name)} · {doc.village_name}", s["subtitle"]))
    story.append(Spacer(1, 2 * mm))
    funder = doc.funder_kind + (f" – {doc.kur_scheme}" if doc.kur_scheme else "")
    story.append(_p(f"Diajukan kepada: {doc.funder_name} ({funder})", s["subtitle"]))
    story.append(Spacer(1, 4 * mm))

    sections = [
        ("A. Latar Belakang", _text_block(doc.background, s)),
        ("B. Tujuan", _text_block(doc.aims, s)),
        ("C. Profil Kelompok dan Pengurus", _profile(doc, s)),
        ("D. Rencana Kegiatan", _text_block(doc.activities, s)),
        ("E. Bukti Kinerja Usaha", _evidence(doc, s)),
        ("F. Rencana Anggaran Biaya", _budget(doc, s)),
    ]
    for heading, flow in sections:
        story.append(CondPageBreak(35 * mm))
        story.append(Paragraph(heading, s["section"]))
        story += flow
    closing = doc.closing.strip() or (
        "Demikian proposal ini kami susun dengan sebenar-benarnya. Besar harapan kami "
        "Bapak/Ibu berkenan membantu permodalan kelompok kami. Atas perhatian dan "
        "bantuannya kami ucapkan terima kasih.")
    ending = [Paragraph("G. Penutup", s["section"]), *_text_block(closing, s)]
    if doc.attachments:
        ending.append(_p("Lampiran:", s["left"]))
        ending += [Paragraph(safe_text(item), s["item"], bulletText=f"{n}.")
                   for n, item in enumerate(doc.attachments, start=1)]
    story.append(CondPageBreak(60 * mm))
    story += ending
    # The place and date stay on the page of the signatures.
    story.append(KeepTogether([Spacer(1, 3 * mm),
                               _p(letter_date_id(doc.day, doc.place), s["right"]),
                               Spacer(1, 3 * mm), *_group_signatures(doc, s)]))
    label = f"Proposal {group_title(doc.group.name)}"
    if doc.number:
        label += f" · Nomor {doc.number}"
    return _render(story, f"Proposal {doc.title}",
                   _footer(label, DRAFT_MARK if doc.draft else ""))


# --- recommendation letter ---------------------------------------------------------------


def build_advocacy_pdf(letter: AdvocacyLetter) -> bytes:
    """The village's surat rekomendasi as A4 PDF bytes."""
    s = _styles()
    story = letterhead_flowables(letter.letterhead, WIDTH)
    story += [_p(letter_date_id(letter.day, letter.place), s["right"]), Spacer(1, 3 * mm)]
    story.append(_heading_block(letter.number, ADVOCACY_SUBJECT, letter.funder_name,
                                letter.funder_address, s))
    story.append(Spacer(1, 6 * mm))
    head, g = letter.head, letter.group
    village = safe_text(letter.village_name)
    story.append(_p("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Yang bertanda tangan di bawah ini, {safe_text(head.position)}, "
        f"{safe_text(letter.region)}, dengan ini memberikan rekomendasi kepada:", s["body"]))
    story.append(_facts([
        ("Nama kelompok", g.name),
        ("Ketua", g.chair_name),
        ("Alamat", " ".join(g.address.split())),
        ("Bidang usaha", g.kind),
        ("Berdiri sejak", str(g.since_year) if g.since_year else "-"),
    ], s, label_width=32 * mm))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(
        f"Kelompok tersebut benar berkedudukan dan menjalankan usaha di {village} serta "
        f"mendapat pendampingan dari Pemerintah {village}.", s["body"]))
    if letter.evidence_period and (letter.average_turnover > 0
                                   or letter.whole_average is not None):
        mrse = safe_text(format_rupiah(letter.average_turnover))
        if letter.whole_average is not None:
            said = (f"rata-rata omzet seluruhnya kelompok sebesar "
                    f"{safe_text(format_rupiah(letter.whole_average))} per bulan, termasuk "
                    f"omzet melalui saluran MRSE ({MRSE_CHANNELS_ID}) rata-rata {mrse} per "
                    f"bulan.")
        else:
            said = (f"omzet kelompok melalui saluran MRSE ({MRSE_CHANNELS_ID}) rata-rata "
                    f"{mrse} per bulan, di luar penjualan langsung dan di pasar yang belum "
                    f"dicatat.")
        story.append(Paragraph(
            f"Berdasarkan catatan penjualan periode {safe_text(letter.evidence_period)}, "
            + said, s["body"]))
    amount = format_rupiah(letter.requested_amount)
    story.append(Paragraph(
        f"Sehubungan dengan itu, kami merekomendasikan permohonan bantuan modal usaha "
        f"{safe_text(group_title(g.name))} sebesar <b>{safe_text(amount)}</b> "
        f"({safe_text(rupiah_in_words(letter.requested_amount))}) untuk kegiatan "
        f"<i>{safe_text(letter.title)}</i> kepada {safe_text(letter.funder_name)}.", s["body"]))
    closing = _p("Demikian surat rekomendasi ini dibuat untuk dapat dipergunakan sebagaimana "
                 "mestinya.", s["body"])
    signature = _signature_table(
        [None, (safe_text(head.position) + ",", head.name)], s, [WIDTH / 2, WIDTH / 2])
    story.append(KeepTogether([closing, Spacer(1, 5 * mm), signature]))
    if letter.copies_to:
        story.append(Spacer(1, 4 * mm))
        copies = [Paragraph("<u>Tembusan</u>:", s["small"])]
        copies += [Paragraph(safe_text(line), s["copy"], bulletText=f"{n}.")
                   for n, line in enumerate(letter.copies_to, start=1)]
        story.append(KeepTogether(copies))
    return _render(story, f"Surat Rekomendasi {letter.number}",
                   _footer(f"Surat Rekomendasi Nomor {letter.number}"))

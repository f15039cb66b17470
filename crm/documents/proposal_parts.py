"""The parts of a capital proposal and of the village's recommendation letter: the
sections on the group, its sales (the evidence) and its budget, the heading with the
addressee, the signature blocks.

Pure layout: :mod:`crm.documents.proposal_content` data in, reportlab flowables out.
User text goes through :func:`~crm.documents.style.safe_text`.
"""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from crm.documents.charts import chart_drawing
from crm.documents.proposal_content import EvidenceTable, ProposalDocument
from crm.documents.style import (
    HEAD_FILL,
    INK,
    LETTER_WIDTH,
    LINE,
    SIGNATURE_SPACE,
    SOFT,
    evidence_styles,
    facts,
    heading_block,
    para,
    safe_text,
)
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words

ATTACHMENT = "1 (satu) berkas"
# A month whose other sales were not recorded: no figure, and no whole turnover.
NOT_RECORDED = "belum dicatat"
MRSE_CHANNELS_ID = "reseller, titip jual, pesanan acara"


def number_id(amount: int) -> str:
    """``1500000`` → ``1.500.000`` (table cells, the header says rupiah)."""
    return f"{amount:,}".replace(",", ".")


def ruled(rows, widths, header_rows=1, total_rows=0) -> Table:
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
                  ("BACKGROUND", (0, -total_rows), (-1, -1), SOFT)]
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def text_block(text: str, s, empty: str = "-") -> list:
    """User text as paragraphs (blank lines start a new one)."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    parts = [p for p in parts if p]
    if not parts:
        return [para(empty, s["body"])]
    return [para(part, s["body"]) for part in parts]


def signature_table(blocks, s, widths) -> Table:
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


def letter_heading(number: str, subject: str, to_name: str, to_address: str, s) -> Table:
    """Nomor … Perihal on the left, the addressee on the right."""
    lines = ["Kepada Yth.", to_name]
    if to_address.strip():
        lines.append(" ".join(to_address.split()))
    pairs = [("Nomor", number), ("Lampiran", ATTACHMENT), ("Perihal", subject)]
    return heading_block(pairs, [line for line in lines if line], s, blank="-")


def profile_section(doc: ProposalDocument, s) -> list:
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
        flow += text_block(g.description, s)
    flow.append(facts(pairs, s, label_width=34 * mm, blank="-"))
    flow.append(Spacer(1, 3 * mm))
    flow.append(para("Susunan pengurus:", s["left"]))
    flow.append(facts([("Ketua", g.chair_name), ("Sekretaris", g.secretary_name),
                        ("Bendahara", g.treasurer_name)], s, label_width=34 * mm, blank="-"))
    return flow


def evidence_table(ev: EvidenceTable, s) -> Table:
    """Months down, channels across, then the MRSE sum, the other sales recorded and
    the whole turnover; totals below; figures in rupiah."""
    channels = ev.channels
    small = len(channels) > 4
    ev_styles = evidence_styles(s["cell"], narrow=small)
    cell, num, bold, numbold = (ev_styles[name] for name in ("cell", "num", "bold", "numbold"))
    month_width = 22 * mm
    other = (LETTER_WIDTH - month_width) / (len(channels) + 3)
    other_cells = ev.other or [None] * len(ev.months)
    rows = [[para("Bulan", bold), *[para(c, numbold) for c in channels],
             para("Omzet MRSE", numbold), para("Penjualan lain", numbold),
             para("Omzet seluruhnya", numbold)]]
    for month, values, total, extra in zip(ev.months, ev.cells, ev.month_totals, other_cells,
                                           strict=True):
        rows.append([para(month, cell), *[para(number_id(v), num) for v in values],
                     para(number_id(total), numbold),
                     para(NOT_RECORDED if extra is None else number_id(extra), num),
                     para(NOT_RECORDED if extra is None else number_id(total + extra), numbold)])
    recorded = [x for x in other_cells if x is not None]
    whole = (number_id(ev.total + sum(recorded)) if len(recorded) == len(other_cells)
             else "-")
    rows.append([para("Jumlah", bold), *[para(number_id(v), numbold) for v in ev.channel_totals],
                 para(number_id(ev.total), numbold), para(number_id(sum(recorded)), numbold),
                 para(whole, numbold)])
    return ruled(rows, [month_width] + [other] * (len(channels) + 3), total_rows=1)


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


def evidence_section(doc: ProposalDocument, s) -> list:
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
        f"penjualan lainnya dicatat.", s["body"])]
    if ev.chart is not None:
        flow += [KeepTogether([Paragraph(f"<b>{safe_text(ev.chart.title)}</b>", s["left"]),
                               Spacer(1, 1 * mm), chart_drawing(ev.chart, LETTER_WIDTH * 0.85),
                               para(ev.chart.summary, s["small"])]), Spacer(1, 2 * mm)]
    flow += [evidence_table(ev, s), Spacer(1, 3 * mm)]
    pairs = turnover_pairs(ev)
    pairs += [
        ("Reseller aktif (ada penjualan)", f"{ev.active_resellers} orang"),
        ("Reseller yang sedang memasarkan", f"{ev.claim_resellers} orang"),
        ("Pesanan acara", f"{ev.bookings_count} pesanan, {format_rupiah(ev.bookings_value)}"),
    ]
    flow.append(facts(pairs, s, label_width=72 * mm, blank="-"))
    flow.append(Spacer(1, 3 * mm))
    if ev.partnerships:
        flow.append(para("Kemitraan dengan lembaga:", s["left"]))
        for n, (partner, title, status) in enumerate(ev.partnerships, start=1):
            flow.append(Paragraph(
                f"{safe_text(partner)} – {safe_text(title)} ({safe_text(status)})",
                s["item"], bulletText=f"{n}."))
    else:
        flow.append(para("Kemitraan dengan lembaga: belum ada.", s["left"]))
    return flow


def budget_table(doc: ProposalDocument, s) -> Table:
    """No | Uraian | Volume | Satuan | Harga Satuan | Jumlah, with the total."""
    cell, num = s["cell"], s["num"]
    parts = [9, 62, 16, 18, 33, 33]
    widths = [LETTER_WIDTH * p / sum(parts) for p in parts]
    rows = [[para("No", s["cellbold"]), para("Uraian", s["cellbold"]), para("Volume", s["numbold"]),
             para("Satuan", s["cellbold"]), para("Harga Satuan (Rp)", s["numbold"]),
             para("Jumlah (Rp)", s["numbold"])]]
    for n, row in enumerate(doc.budget, start=1):
        rows.append([para(n, cell), para(row.item, cell), para(number_id(row.volume), num),
                     para(row.unit, cell), para(number_id(row.unit_price), num),
                     para(number_id(row.total), num)])
    rows.append(["", para("Jumlah", s["cellbold"]), "", "", "",
                 para(number_id(doc.budget_total), s["numbold"])])
    return ruled(rows, widths, total_rows=1)


def budget_section(doc: ProposalDocument, s) -> list:
    total = doc.budget_total
    flow = [budget_table(doc, s), Spacer(1, 2 * mm),
            para(f"Terbilang: {rupiah_in_words(total)}.", s["body"])]
    pairs = [("Total RAB", format_rupiah(total)),
             ("Jumlah yang dimohonkan", format_rupiah(doc.requested_amount))]
    if total > doc.requested_amount:
        pairs.append(("Swadaya kelompok", format_rupiah(total - doc.requested_amount)))
    flow.append(facts(pairs, s, label_width=50 * mm, blank="-"))
    flow.append(para(f"Jumlah yang dimohonkan terbilang: {rupiah_in_words(doc.requested_amount)}.",
                   s["body"]))
    return flow



"""The village report (Laporan Omzet Kelompok) as PDF: under the village's letterhead,
the sales of every group in scope, then each group's turnover per month against its
turnover before MRSE, as the same chart and the same numbers as the page
``/laporan/desa``.

Pure builder: a :class:`VillageReportDocument` in, A4 PDF bytes out, no database and
no request. Always in Indonesian; user text (group and village names) goes through
:func:`~crm.documents.style.safe_text`.
"""

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from crm.documents.charts import chart_drawing, chart_table
from crm.documents.letterhead import Letterhead, letterhead_flowables
from crm.documents.style import (
    LETTER_BOTTOM,
    LETTER_WIDTH,
    day_text,
    facts,
    page_footer,
    para,
    proposal_styles,
    render_letter,
    safe_text,
)
from crm.reports.charts import Chart
from crm.text.dates import letter_date_id

TITLE = "LAPORAN OMZET KELOMPOK USAHA"
# The chart a little narrower than the text: a group's facts and chart fit one page.
CHART_WIDTH = LETTER_WIDTH * 0.85
EXPLANATION = (
    "Omzet MRSE: penjualan melalui saluran MRSE (pesanan reseller dengan harga reseller, "
    "titip jual, pesanan acara). Penjualan lain: penjualan kelompok di luar saluran MRSE "
    "(langsung, di pasar) yang dicatat sendiri oleh kelompok. Omzet seluruhnya = omzet MRSE "
    "+ penjualan lain; hanya omzet seluruhnya yang dibandingkan dengan omzet sebelum "
    "program, dan hanya untuk bulan yang penjualan lainnya dicatat.")


@dataclass
class GroupSection:
    """One group: its name, the line under it, the facts of its turnover (label,
    value) and its chart."""

    name: str
    subtitle: str
    facts: list[tuple[str, str]]
    chart: Chart


@dataclass
class VillageReportDocument:
    """What the report says. ``letterhead`` is the village's when the report is of one
    village (None: several, no kop)."""

    letterhead: Letterhead | None
    villages: str
    period: str
    place: str
    day: date
    totals: list[tuple[str, str]]
    groups: list[GroupSection] = field(default_factory=list)
    page_note: str = ""


def _group(section: GroupSection, s) -> list:
    flow = [Paragraph(safe_text(section.name), s["section"]),
            para(section.subtitle, s["small"]),
            facts(section.facts, s, label_width=70 * mm, blank="-"), Spacer(1, 2 * mm)]
    if section.chart.empty:  # nothing sold: the summary says so, no empty chart
        return [*flow, para(section.chart.summary, s["small"]), Spacer(1, 4 * mm)]
    picture = [chart_drawing(section.chart, CHART_WIDTH), Spacer(1, 1 * mm),
               para(section.chart.summary, s["small"]), Spacer(1, 1 * mm)]
    return [*flow, KeepTogether(picture),
            KeepTogether([chart_table(section.chart, s["cell"], LETTER_WIDTH)]), Spacer(1, 4 * mm)]


def build_village_report_pdf(doc: VillageReportDocument) -> bytes:
    """The report as A4 PDF bytes."""
    s = proposal_styles()
    story = letterhead_flowables(doc.letterhead, LETTER_WIDTH) if doc.letterhead else []
    story += [para(TITLE, s["title"]), para(doc.villages, s["subtitle"]),
              para(f"Periode {doc.period}", s["subtitle"]), Spacer(1, 4 * mm),
              Paragraph("Semua kelompok", s["section"]),
              facts(doc.totals, s, label_width=70 * mm, blank="-"), Spacer(1, 2 * mm),
              para(EXPLANATION, s["small"])]
    if doc.page_note:
        story.append(para(doc.page_note, s["small"]))
    for section in doc.groups:
        story.append(CondPageBreak(60 * mm))
        story += _group(section, s)
    if not doc.groups:
        story.append(para("Belum ada kelompok.", s["body"]))
    dated = letter_date_id(doc.day, doc.place) if doc.place else day_text(doc.day)
    story += [Spacer(1, 4 * mm), para(dated, s["right"])]
    footer = page_footer(f"Laporan omzet kelompok · {doc.period}", bottom=LETTER_BOTTOM)
    return render_letter(story, f"Laporan omzet kelompok {doc.period}", footer,
                         bottom=LETTER_BOTTOM)

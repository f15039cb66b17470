"""What the village report PDF says (:mod:`crm.documents.village_report_pdf`), from the
village report of one page of groups (:mod:`crm.reports.village_report`): the same
figures and the same charts as the page, always in Indonesian."""

from flask_babel import force_locale

from crm.documents.village_report_pdf import GroupSection, VillageReportDocument
from crm.extensions import db
from crm.partners.letters import village_letterhead
from crm.reports.queries import Period
from crm.reports.report_charts import change_words, group_charts, long_month
from crm.reports.turnover import Turnover
from crm.reports.village_report import VillageReport
from crm.text.dates import village_today
from crm.text.money import format_rupiah, group_digits
from crm.villages.models import Village
from crm.villages.queries import villages_visible_to


def period_text(period: Period) -> str:
    """``Juni 2026 – November 2026``."""
    first, last = long_month(period.months[0]), long_month(period.months[-1])
    return first if period.single else f"{first} – {last}"


def turnover_facts(t: Turnover) -> list[tuple[str, str]]:
    """The lines of a group's turnover, worded as the page words them: the change is
    only ever of the whole turnover over the months whose other sales were recorded."""
    months, recorded = len(t.months), len(t.recorded)
    of_months = f" ({recorded} dari {months} bulan dicatat)" if recorded < months else ""
    pairs = [("Omzet MRSE (reseller, titip jual, pesanan acara)",
              f"{format_rupiah(t.mrse_average)} per bulan (jumlah "
              f"{format_rupiah(t.mrse_total)})")]
    if t.whole_average is None:
        pairs.append(("Penjualan lain yang dicatat", "belum dicatat"))
    else:
        pairs += [("Penjualan lain yang dicatat",
                   f"{format_rupiah(t.other_average)} per bulan{of_months}"),
                  ("Omzet seluruhnya", f"{format_rupiah(t.whole_average)} per bulan"
                                       f"{of_months}")]
    pairs.append(("Omzet sebelum program",
                  f"{format_rupiah(t.baseline)} per bulan" if t.baseline else "belum diisi"))
    if t.whole_average is None:
        pairs.append(("Perubahan", "penjualan lain belum dicatat – perubahan belum bisa "
                                   "dihitung"))
    elif t.change is not None:
        pairs.append(("Perubahan omzet seluruhnya", change_words(t.change)))
    return pairs


def _letterhead_and_place(user, report: VillageReport):
    """The village's kop and name when every group of the report is of one village."""
    ids = {r.group.village_id for r in report.groups}
    if len(ids) != 1:
        return None, None
    village = db.session.scalar(villages_visible_to(user).where(Village.id.in_(ids)))
    if village is None:
        return None, None
    return village_letterhead(village), village


def village_report_document(user, report: VillageReport, period: Period,
                            page_note: str = "") -> VillageReportDocument:
    """The PDF's content for ``report`` (one page of groups) over ``period``."""
    with force_locale("id"):
        charts = group_charts(report.groups)
        sections = [GroupSection(
            name=r.group.name,
            subtitle=f"{r.group.village_name} · {r.active_resellers} reseller aktif",
            facts=turnover_facts(r.turnover), chart=charts[r.group.id])
            for r in report.groups]
        period_name = period_text(period)
    letterhead, village = _letterhead_and_place(user, report)
    names = sorted({r.group.village_name for r in report.groups})
    totals = report.totals
    return VillageReportDocument(
        letterhead=letterhead, villages=", ".join(names), period=period_name,
        place=village.name if village else "", day=village_today(village),
        totals=[("Pendapatan kelompok (pesanan reseller)", format_rupiah(totals.producer)),
                ("Omzet (harga konsumen)", format_rupiah(totals.omzet)),
                ("Barang terjual", group_digits(totals.quantity))],
        groups=sections, page_note=page_note)

"""How the Kecamatan and Kabupaten view is shown: the labels of its page, and its
export — one row per village, a total row after each Kecamatan's villages and one
for the whole view; the period's figures first, then each month's turnover by
channel. The CSV and the XLSX hold the same rows (:func:`area_rows`), text cells
made formula-safe."""

from collections.abc import Iterator

from flask import url_for

from crm.proposals.labels import STATUS_LABELS
from crm.proposals.models import PROPOSAL_STATUSES
from crm.reports.area import (
    CATERING,
    CONSIGNMENT,
    NO_ORDER_DAYS,
    OTHER,
    RESELLERS,
    WAITING_STATUS,
    AreaFigures,
    AreaReport,
)
from crm.text.dates import to_local
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l
from crm.web.i18n import translated
from crm.web.request_args import MAX_ID
from crm.web.spreadsheets import SafeCells
from crm.web.templating import format_count

CHANNEL_LABELS = {
    RESELLERS: _l("Reseller"),
    CONSIGNMENT: _l("Titip jual"),
    CATERING: _l("Pesanan acara"),
    OTHER: _l("Penjualan lain"),
}


def count_text(value: int) -> str:
    """A count as the page shows it: below a thousand there is nothing to group, and
    the page shows thousands of small counts (a locale's digit grouping only above)."""
    return str(value) if -1000 < value < 1000 else format_count(value)


def change_text(percent: int | None) -> str:
    """A change as the reports show it (the ``change_text`` macro of
    ``reports/_turnover.html``): "+12%", "−3%", "0%", "—" without one. A function
    here, not a macro: the page shows up to seven for each of hundreds of villages,
    and a macro call costs many times a function's."""
    if percent is None:
        return "—"
    if percent > 0:
        return f"+{percent}%"
    return f"−{-percent}%" if percent < 0 else "0%"


class AreaLines:
    """The lines of a village or Kecamatan that hold no link, written here rather
    than in the template: hundreds of villages, each a dozen figures per line.
    ``month_short``: the period's months as the page names them ("Jun 2026")."""

    def __init__(self, month_short: list[str]):
        self.labels = translated(CHANNEL_LABELS)
        self.not_recorded = _("belum dicatat")
        self.month_short = month_short

    def channels(self, figures: AreaFigures) -> str:
        """"Reseller Rp 1.000 · Titip jual Rp 0 · … · Penjualan lain belum dicatat"."""
        parts = [f"{self.labels[c]} {format_rupiah(figures.total(c))}"
                 for c in (RESELLERS, CONSIGNMENT, CATERING)]
        other = (format_rupiah(figures.total(OTHER)) if figures.recorded_months
                 else self.not_recorded)
        return " · ".join([*parts, f"{self.labels[OTHER]} {other}"])

    def months(self, figures: AreaFigures) -> str:
        """"Jun 2026 Rp 1.000 · Jul 2026 Rp 2.000 (+5%) · …": MRSE turnover per month,
        with the change of the groups compared that month."""
        parts = []
        for name, value, compared in zip(self.month_short, figures.mrse_by_month,
                                         figures.by_month, strict=True):
            change = f" ({change_text(compared.change)})" if compared.groups else ""
            parts.append(f"{name} {format_rupiah(value)}{change}")
        return " · ".join(parts)


def area_labels(month_short: list[str]) -> dict:
    """The page's labels, each looked up once (the page repeats them per village),
    :func:`count_text`, :func:`change_text` and the :class:`AreaLines`."""
    return {"count": count_text, "change": change_text, "lines": AreaLines(month_short),
            "month_short": month_short, "area_channels": translated(CHANNEL_LABELS),
            "proposal_labels": translated(STATUS_LABELS),
            "proposal_statuses": PROPOSAL_STATUSES, "no_order_days": NO_ORDER_DAYS}


def village_urls(sampai: str | None) -> dict[str, str]:
    """Each village's links as patterns (``pattern.format(village_id)``), built once
    rather than for each of hundreds of villages: its page, its groups, the village
    report of the period, its outlets and its proposals (all, and those waiting for
    the officer), each filtered to it."""
    marker = str(MAX_ID)  # an id no village has, replaced by the placeholder

    def pattern(endpoint: str, name: str, **values) -> str:
        return url_for(endpoint, **{name: MAX_ID}, **values).replace(marker, "{}")

    return {"village": pattern("villages.detail", "village_id"),
            "groups": pattern("groups.index", "desa"),
            "report": pattern("reports.villages", "desa", sampai=sampai),
            "outlets": pattern("consignment.outlets", "desa"),
            "proposals": pattern("proposals.index", "desa"),
            "waiting": pattern("proposals.index", "desa", status=WAITING_STATUS)}


def area_file_name(report: AreaReport) -> str:
    """``wilayah-2026-06_2026-11`` (and ``-320411`` for one Kecamatan), no extension."""
    months = report.period.months
    name = f"wilayah-{months[0].key}_{months[-1].key}"
    return f"{name}-{report.chosen.replace('.', '')}" if report.chosen else name


def _header(report: AreaReport) -> list[str]:
    head = [_("Kode Kecamatan"), _("Kecamatan"), _("Kode desa"), _("Desa"),
            _("Kelompok"), _("Kelompok dengan penjualan"), _("Reseller aktif"),
            _("Omzet reseller"), _("Omzet titip jual"), _("Omzet pesanan acara"),
            _("Omzet MRSE"), _("Penjualan lain dicatat"), _("Bulan penjualan lain dicatat"),
            _("Kelompok dibandingkan"), _("Omzet seluruhnya per bulan (kelompok dibandingkan)"),
            _("Omzet sebelum program per bulan (kelompok dibandingkan)"),
            _("Perubahan omzet seluruhnya (%)"),
            _("Acara"), _("Pesanan acara"), _("Nilai pesanan acara"),
            _("Barang di warung"), _("Nilai barang di warung"),
            _("Titipan lewat hari tarik")]
    head += [_("Proposal: %(status)s", status=STATUS_LABELS[s]) for s in PROPOSAL_STATUSES]
    head += [_("Saldo dana sosial"), _("Permintaan dana menunggu"), _("Pesanan terakhir"),
             _("Tanpa pesanan 30 hari"), _("Desa perlu perhatian")]
    for month in report.period.months:
        head += [_("%(month)s reseller", month=month.key),
                 _("%(month)s titip jual", month=month.key),
                 _("%(month)s pesanan acara", month=month.key),
                 _("%(month)s penjualan lain", month=month.key),
                 _("%(month)s perubahan (%%)", month=month.key)]
    return head


def _figures(figures: AreaFigures) -> list:
    """The columns from "Kelompok" to the end, less the village's own (last order,
    no order in 30 days), which the caller puts in."""
    facts, compared = figures.facts, figures.period
    recorded = figures.recorded_months
    cells = [figures.groups, figures.active_groups, facts.active_resellers,
             figures.total(RESELLERS), figures.total(CONSIGNMENT), figures.total(CATERING),
             figures.mrse_total, figures.total(OTHER) if recorded else None, recorded,
             compared.groups, compared.whole if compared.groups else None,
             compared.baseline if compared.groups else None, compared.change,
             facts.events, facts.bookings, facts.booking_value,
             facts.shelf_units, facts.shelf_value, facts.overdue_drops]
    cells += [facts.proposals.get(s, 0) for s in PROPOSAL_STATUSES]
    cells += [facts.fund_balance, facts.fund_pending]
    return cells


def _months(figures: AreaFigures) -> list:
    cells = []
    for index, compared in enumerate(figures.by_month):
        cells += [figures.channels[RESELLERS][index], figures.channels[CONSIGNMENT][index],
                  figures.channels[CATERING][index],
                  figures.channels[OTHER][index] if figures.recorded[index] else None,
                  compared.change]
    return cells


def area_rows(report: AreaReport) -> Iterator[list]:
    """The header, then the rows of the export."""
    cell = SafeCells()
    yes, no = _("ya"), _("tidak")
    yield [cell[text] for text in _header(report)]
    for kecamatan in report.kecamatans:
        for row in kecamatan.villages:
            village, figures = row.village, row.figures
            last = village.last_order_at
            yield [cell[village.kecamatan_code], cell[village.kecamatan],
                   cell[village.code], cell[village.name], *_figures(figures),
                   to_local(last).date().isoformat() if last else None,
                   yes if row.lags.no_recent_order else no, figures.lagging,
                   *_months(figures)]
        totals = kecamatan.totals
        yield [cell[kecamatan.code], cell[kecamatan.name], None,
               cell[_("Total Kecamatan")], *_figures(totals), None, None, totals.lagging,
               *_months(totals)]
    totals = report.totals
    yield [None, None, None, cell[_("Total")], *_figures(totals), None, None, totals.lagging,
           *_months(totals)]

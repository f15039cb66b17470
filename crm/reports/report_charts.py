"""The charts of the report pages, the home pages and the PDFs, built from the rows
the reports already read (:mod:`crm.reports.turnover`, :mod:`crm.reports.queries`):
no query of their own.

The study's measure is drawn as honestly as the village report says it: each month
stacks the MRSE channels and, where the group recorded them, its other sales; only
those months carry the mark of the turnover before MRSE. A month without recorded
other sales shows the MRSE channels alone, marked "*" and said to be "belum
dicatat", and is never compared with the baseline.

Texts are translated here (Bahasa Indonesia first); the PDFs build their charts under
``flask_babel.force_locale("id")`` so that they always speak Indonesian.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from crm.orders.models import ORDER_CHANNELS
from crm.reports.charts import BARS, COLUMNS, Category, Chart, Series
from crm.reports.turnover import Turnover
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _
from crm.web.templating import day_text

# The MRSE channels folded into three, then the other sales: four colours at most.
RESELLER, CONSIGNMENT, CATERING, OTHER = "reseller", "consignment", "catering", "other"
NOT_RECORDED_MARK = "*"


def short_month(month) -> str:
    """"Nov" in the page's language (the axis); the hover says "November 2026"."""
    return day_text(month.first_day, "MMM")


def long_month(month) -> str:
    return day_text(month.first_day, "MMMM y")


def change_words(percent: int) -> str:
    """``+4%`` / ``−3%`` / ``0%``, as the report writes a change."""
    if percent > 0:
        return f"+{percent}%"
    return f"−{-percent}%" if percent < 0 else "0%"


def _channel_parts(cells: dict | None, index: int) -> tuple[int, int, int]:
    """Reseller orders (every order channel), consignment and catering of month
    ``index`` from a group's cells ``{(channel, month index): rupiah}``."""
    reseller = consignment = catering = 0
    for (channel, month), value in (cells or {}).items():
        if month != index:
            continue
        if channel == "consignment":
            consignment += value
        elif channel == "catering":
            catering += value
        elif channel in ORDER_CHANNELS:
            reseller += value
    return reseller, consignment, catering


def _turnover_series(split: bool) -> tuple[Series, ...]:
    """The parts of a month; each keeps its colour on every chart."""
    if not split:
        return (Series(RESELLER, _("Omzet MRSE"), 0), Series(OTHER, _("Penjualan lain"), 3))
    return (Series(RESELLER, _("Reseller"), 0), Series(CONSIGNMENT, _("Titip jual"), 1),
            Series(CATERING, _("Pesanan acara"), 2), Series(OTHER, _("Penjualan lain"), 3))


def _without_empty_parts(series, categories):
    """Leave out the MRSE parts nothing was sold through (the legend and the table
    stay short); the first part and the other sales always stay."""
    keep = [n for n in range(len(series))
            if n in (0, len(series) - 1) or any(c.values[n] for c in categories)]
    return (tuple(series[n] for n in keep),
            tuple(replace(c, values=tuple(c.values[n] for n in keep)) for c in categories))


def _turnover_summary(turnover: Turnover, first: str, last: str) -> str:
    months = len(turnover.months)
    text = _("Omzet %(n)d bulan, %(first)s sampai %(last)s.", n=months, first=first, last=last)
    best = max(turnover.months, key=lambda m: m.mrse + (m.other or 0))
    if best.mrse or best.other:
        text += " " + _("Tertinggi %(month)s: %(amount)s.", month=long_month(best.month),
                        amount=format_rupiah(best.mrse + (best.other or 0)))
    if turnover.whole_average is None:
        text += " " + _("Omzet MRSE rata-rata %(amount)s per bulan. Penjualan lain belum "
                        "dicatat, jadi omzet belum dibandingkan dengan omzet sebelum program.",
                        amount=format_rupiah(turnover.mrse_average))
        return text
    recorded = len(turnover.recorded)
    text += " " + _("Omzet seluruhnya rata-rata %(amount)s per bulan pada %(n)d bulan yang "
                    "penjualan lainnya dicatat.", amount=format_rupiah(turnover.whole_average),
                    n=recorded)
    if turnover.change is not None:
        text += " " + _("Dibanding omzet sebelum program (%(baseline)s per bulan): "
                        "%(change)s.", baseline=format_rupiah(turnover.baseline),
                        change=change_words(turnover.change))
    return text


def turnover_chart(turnover: Turnover, title: str, cells: dict | None = None,
                   month_name: Callable = long_month,
                   month_short: Callable = short_month) -> Chart:
    """A group's (or several groups') turnover per month against the turnover before
    MRSE: columns stacked by channel (``cells`` given: reseller orders, consignment,
    catering; otherwise the MRSE channels as one) and the recorded other sales; the
    baseline mark only over months whose other sales were recorded."""
    split = cells is not None
    categories = []
    for n, m in enumerate(turnover.months):
        mrse = _channel_parts(cells, n) if split else (m.mrse,)
        if m.recorded:
            note = (_("%(change)s dibanding sebelum program", change=change_words(m.change))
                    if m.change is not None else "")
            categories.append(Category(
                month_short(m.month), (*mrse, m.other), name=month_name(m.month),
                baseline=turnover.baseline or None, note=note))
        else:
            categories.append(Category(
                month_short(m.month), (*mrse, None), name=month_name(m.month),
                mark=NOT_RECORDED_MARK, note=_("penjualan lain belum dicatat")))
    footnote = ""
    if not turnover.all_recorded:
        footnote = _("* Penjualan lain belum dicatat: hanya omzet MRSE, tidak dibandingkan "
                     "dengan omzet sebelum program.")
    months = turnover.months
    series, categories = _without_empty_parts(_turnover_series(split), categories)
    return Chart(
        COLUMNS, title, _turnover_summary(turnover, month_name(months[0].month),
                                          month_name(months[-1].month)),
        series, categories, label_name=_("Bulan"),
        total_name=_("Jumlah"), baseline_name=_("Omzet sebelum program"), footnote=footnote,
        note_name=_("Catatan"), missing=_("belum dicatat"))


def _bars_summary(rows: Sequence[Category], what: str) -> str:
    total = sum(c.total for c in rows)
    if not total:
        return _("Belum ada penjualan pada periode ini.")
    best = max(rows, key=lambda c: c.total)
    return _("%(n)d %(what)s, jumlah %(total)s. Tertinggi: %(name)s, %(amount)s.",
             n=len(rows), what=what, total=format_rupiah(total), name=best.full_name,
             amount=format_rupiah(best.total))


# Rows of a horizontal chart on a page (a phone screen); the list under it has more.
CHART_ROWS = 10


def amount_bars(title: str, what: str, items: Iterable[tuple[str, int]],
                label_name: str) -> Chart:
    """Horizontal bars of ``(name, rupiah)`` in the order given (sales by reseller,
    product or channel; the first :data:`CHART_ROWS`); ``what`` names the rows in the
    summary ("reseller")."""
    rows = tuple(Category(name, (int(value),)) for name, value in items)
    summary = _bars_summary(rows, what)
    if len(rows) > CHART_ROWS:
        rows = rows[:CHART_ROWS]
        summary += " " + _("Grafik menunjukkan %(n)d teratas.", n=CHART_ROWS)
    return Chart(BARS, title, summary, (Series("amount", title),), rows,
                 label_name=label_name, total_name=_("Omzet"))


def sales_charts(by_reseller, by_product, by_channel, channel_labels) -> dict[str, Chart]:
    """The sales page's charts of omzet (consumer prices) by reseller, product and
    channel (channels without a sale left out)."""
    return {
        "resellers": amount_bars(_("Omzet per reseller"), _("reseller"),
                                 ((r.label, r.figures.omzet) for r in by_reseller),
                                 _("Reseller")),
        "products": amount_bars(_("Omzet per produk"), _("produk"),
                                ((r.label, r.figures.omzet) for r in by_product), _("Produk")),
        "channels": amount_bars(_("Omzet per tempat jualan"), _("tempat jualan"),
                                ((str(channel_labels[c]), f.omzet) for c, f in by_channel
                                 if f.omzet), _("Tempat jualan")),
    }


def village_comparison(title: str, rows: Iterable) -> Chart:
    """One bar per village, under the heading of its Kecamatan, for the Kecamatan and
    Kabupaten view. ``rows`` (in the order to draw, grouped by Kecamatan) carry
    ``kecamatan``, ``village``, ``mrse``, ``other`` (None: not recorded) and
    ``baseline`` (the village's groups' turnover before MRSE, or None). The baseline
    tick is drawn only for a village whose other sales were recorded."""
    categories = []
    for row in rows:
        recorded = row.other is not None
        categories.append(Category(
            row.village, (row.mrse, row.other), group=row.kecamatan,
            baseline=row.baseline if recorded and row.baseline else None,
            mark="" if recorded else NOT_RECORDED_MARK,
            note="" if recorded else _("penjualan lain belum dicatat")))
    footnote = ""
    if any(c.mark for c in categories):
        footnote = _("* Penjualan lain belum dicatat: hanya omzet MRSE, tidak dibandingkan "
                     "dengan omzet sebelum program.")
    rows_ = tuple(categories)
    return Chart(BARS, title, _bars_summary(rows_, _("desa")),
                 _turnover_series(False),
                 rows_, label_name=_("Desa"), total_name=_("Jumlah"),
                 baseline_name=_("Omzet sebelum program"), footnote=footnote,
                 note_name=_("Catatan"), missing=_("belum dicatat"))


class _ComparedPlace(NamedTuple):
    """A bar of :func:`village_comparison`."""

    kecamatan: str | None
    village: str
    mrse: int
    other: int | None
    baseline: int | None


def _compared(name: str, kecamatan: str | None, figures, index: int) -> _ComparedPlace:
    """A village's or Kecamatan's month ``index`` (``AreaFigures`` of
    :mod:`crm.reports.area`): its other sales and baseline only when every one of its
    groups recorded its other sales and has a baseline, as the chart's rule asks."""
    compared = figures.by_month[index]
    whole = figures.groups > 0 and compared.groups == figures.groups
    return _ComparedPlace(
        kecamatan, name, figures.mrse(index),
        figures.channels[OTHER][index] if whole else None,
        compared.baseline if whole else None)


def area_chart(report) -> Chart:
    """The comparison of the Kecamatan and Kabupaten view (an ``AreaReport``) in the
    last month of its period with any turnover (early in a month, the month before):
    one bar per village under its Kecamatan when the view holds one Kecamatan, one bar
    per Kecamatan when it holds several (a phone cannot show hundreds of bars; each
    Kecamatan's page shows its villages)."""
    totals = report.totals
    index = next((n for n in reversed(range(len(report.period.months)))
                  if totals.mrse(n) or totals.channels[OTHER][n]),
                 len(report.period.months) - 1)
    month = long_month(report.period.months[index])
    if len(report.kecamatans) == 1:
        kecamatan = report.kecamatans[0]
        rows = [_compared(row.village.name, kecamatan.name, row.figures, index)
                for row in kecamatan.villages]
        return village_comparison(_("Omzet per desa, %(month)s", month=month), rows)
    rows = [_compared(k.name, None, k.totals, index) for k in report.kecamatans]
    return village_comparison(_("Omzet per Kecamatan, %(month)s", month=month), rows)


def group_charts(groups) -> dict:
    """The turnover chart of each group of the village report (``GroupReport``s),
    by group id."""
    return {r.group.id: turnover_chart(r.turnover, _("Omzet %(group)s per bulan",
                                                     group=r.group.name), r.cells)
            for r in groups}


def months_columns(title: str, what: str, by_month, value: Callable) -> Chart:
    """Columns of ``value(figures)`` per month of ``by_month`` (``(Month, Figures)``
    pairs, as :func:`crm.reports.queries.sales_breakdown` gives them); ``what`` names
    the amount in the summary ("penghasilan")."""
    rows = tuple(Category(short_month(m), (int(value(f)),), name=long_month(m))
                 for m, f in by_month)
    total = sum(c.total for c in rows)
    if total:
        best = max(rows, key=lambda c: c.total)
        summary = _("%(what)s %(n)d bulan: jumlah %(total)s. Tertinggi %(month)s: "
                    "%(amount)s.", what=what, n=len(rows), total=format_rupiah(total),
                    month=best.full_name, amount=format_rupiah(best.total))
    else:
        summary = _("Belum ada penjualan pada periode ini.")
    return Chart(COLUMNS, title, summary, (Series("amount", title),), rows,
                 label_name=_("Bulan"), total_name=what)

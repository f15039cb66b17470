"""Charts: the pure model (ticks, short rupiah, the honest baseline), and on the pages
the SVG's numbers (each bar's <title>) equal the numbers table's and the figures of
an independent query; the SVG is accessible (role, title, desc), carries no style
attribute and stays small."""

import re
from collections import namedtuple
from datetime import UTC, datetime, time
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from crm.extensions import db
from crm.orders.models import SOLD_STATUSES, Order, OrderLine
from crm.reports.charts import BARS, COLUMNS, Category, Chart, Series, layout, nice_ticks
from crm.reports.home_charts import combined
from crm.reports.models import OtherSale
from crm.reports.queries import current_month, months_ending
from crm.reports.report_charts import village_comparison
from crm.reports.turnover import MonthTurnover, Turnover
from crm.text.money import format_rupiah, format_rupiah_short
from tests import factories
from tests.helpers import SVG, bar_titles, first_amount, svgs

WIB = ZoneInfo("Asia/Jakarta")


# --- the model ------------------------------------------------------------------------


@pytest.mark.parametrize(("top", "ticks"), [
    (0, (0,)),
    (3, (0, 1, 2, 3)),
    (1_234_000, (0, 500_000, 1_000_000, 1_500_000)),
    (15_654_000, (0, 5_000_000, 10_000_000, 15_000_000, 20_000_000)),
    (900, (0, 250, 500, 750, 1000)),
    (100_000, (0, 25_000, 50_000, 75_000, 100_000)),
])
def test_nice_ticks_are_round_and_reach_the_top(top, ticks):
    assert nice_ticks(top) == ticks


@pytest.mark.parametrize(("amount", "text"), [
    (0, "0"), (950, "950"), (1_000, "1 rb"), (250_000, "250 rb"), (1_200_000, "1,2 jt"),
    (1_250_000, "1,3 jt"), (15_000_000, "15 jt"), (2_500_000_000, "2,5 M"),
    (1_234_000_000_000, "1.234 M"),
])
def test_short_rupiah(amount, text):
    assert format_rupiah_short(amount) == text


def _months_chart():
    series = (Series("mrse", "MRSE"), Series("other", "Penjualan lain"))
    return Chart(COLUMNS, "Omzet", "Ringkasan", series, (
        Category("Okt", (600_000, None), name="Oktober 2026", mark="*"),
        Category("Nov", (500_000, 1_000_000), name="November 2026", baseline=1_200_000),
    ), baseline_name="Omzet sebelum program")


def test_baseline_is_drawn_only_where_the_comparison_is_valid():
    chart = _months_chart()
    drawn = layout(chart)
    unrecorded, recorded = drawn.marks
    assert not unrecorded.rules and [r.cls for r in recorded.rules] == ["ch-base"]
    # The unrecorded month has one part (MRSE), marked "*"; the other two.
    assert len(unrecorded.boxes) == 1 and "*" in [t.text for t in unrecorded.labels]
    assert len(recorded.boxes) == 2
    # Heights are in proportion: 600.000 against 1.500.000 on the same scale.
    whole = sum(b.h for b in recorded.boxes)
    assert unrecorded.boxes[0].h / whole == pytest.approx(0.4, abs=0.01)
    # The baseline mark stands at 1.200.000 of the scale (0 … 1.500.000).
    bottom = recorded.boxes[0].y + recorded.boxes[0].h
    top = recorded.boxes[-1].y
    assert (bottom - recorded.rules[0].y1) / (bottom - top) == pytest.approx(0.8, abs=0.01)
    assert chart.hover(chart.categories[1]) == (
        "November 2026: Rp 1.500.000 (MRSE Rp 500.000, Penjualan lain Rp 1.000.000); "
        "Omzet sebelum program Rp 1.200.000")


def test_horizontal_bars_stand_under_their_group():
    rows = (Category("Katapang", (900_000,), group="Kec. Katapang"),
            Category("Sangkanhurip", (300_000,), group="Kec. Katapang"),
            Category("Soreang", (600_000,), group="Kec. Soreang"))
    chart = Chart(BARS, "Desa", "Ringkasan", (Series("a", "Omzet"),), rows)
    drawn = layout(chart)
    groups = [t.text for t in drawn.labels if t.cls == "ch-group"]
    assert groups == ["Kec. Katapang", "Kec. Soreang"]
    widths = [m.boxes[0].w for m in drawn.marks]
    assert widths[0] / widths[1] == pytest.approx(3, rel=0.01)
    assert [m.labels[1].text for m in drawn.marks] == [format_rupiah(900_000),
                                                       format_rupiah(300_000),
                                                       format_rupiah(600_000)]


# --- on the pages -----------------------------------------------------------------------


@pytest.fixture
def world(app):
    """A ladu group (Rp 15.000.000 a month before MRSE) that sold through a reseller
    last month and two months ago, and recorded its other sales for last month only."""
    a = factories.village("Katapang", letter_code="KTP", head_name="H. Asep Saepudin")
    ladu = factories.group(a, "Ladu Ketan RW 09", baseline_monthly_turnover=15_000_000)
    factories.producer(a, ladu, username="ladu")
    factories.officer(a, username="kesra")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia")
    gi = factories.reseller(a, username="gi", full_name="Gilang Eka")
    snack = factories.product(ladu, "Ladu Ketan Original", reseller_price=10_900,
                              retail_price=13_000)
    box = factories.product(ladu, "Ladu Kotak Hantaran", reseller_price=40_000,
                            retail_price=50_000)
    last = current_month().shift(-1)

    def at(month, day):
        return datetime.combine(month.first_day.replace(day=day), time(10),
                                WIB).astimezone(UTC)

    factories.order(ka, [(snack, 60)], when=at(last, 14))                 # 654.000
    factories.order(gi, [(box, 3)], when=at(last, 20), channel="whatsapp")  # 120.000
    factories.order(ka, [(snack, 10)], when=at(last.shift(-1), 5))        # 109.000
    db.session.add(OtherSale(group_id=ladu.id, village_id=a.id, month=last.first_day,
                             sold_on=last.first_day, whole_month=True, channel="market",
                             amount=16_000_000))
    db.session.commit()
    return {"a": a, "ladu": ladu, "last": last}








def table_rows(html: str, chart_id: str) -> list[dict[str, str]]:
    """The numbers table of a chart: its body's rows, each cell's text by its column's
    heading."""
    start = html.index(f'id="{chart_id}-angka"')
    table = html[start:html.index("</table>", start)]

    def cells(row):
        return [unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]

    rows = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def mrse_by_sql(group, month) -> int:
    """The group's share of its sold orders shipped in ``month``, straight from the
    orders (not the summaries the report reads)."""
    return int(db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.quantity * OrderLine.reseller_price), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.group_id == group.id, Order.status.in_(SOLD_STATUSES),
               Order.shipped_at >= month.start, Order.shipped_at < month.end)))


def other_by_sql(group, month) -> int | None:
    return db.session.scalar(select(func.sum(OtherSale.amount)).where(
        OtherSale.group_id == group.id, OtherSale.month == month.first_day))


def test_village_report_chart_numbers_equal_the_table_and_the_orders(browser, world):
    browser.login("kesra")
    page = browser.get("/laporan/desa")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    chart_id = f"rp-chart-{world['ladu'].id}"
    svg = svgs(html)[chart_id]
    # Accessible: a role, a name and a description.
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Omzet Ladu Ketan RW 09")
    assert "Omzet seluruhnya rata-rata" in svg.find(f"{SVG}desc").text
    titles = bar_titles(svg)
    rows = table_rows(html, chart_id)
    assert len(titles) == len(rows) == 6
    months = [current_month().shift(n) for n in range(-5, 1)]
    for title, row, month in zip(titles, rows, months, strict=True):
        mrse, other = mrse_by_sql(world["ladu"], month), other_by_sql(world["ladu"], month)
        total = mrse + (other or 0)
        # The bar's hover, the table's total and the orders say the same.
        assert first_amount(title) == total, title
        assert row["Jumlah"] == format_rupiah(total), row
        assert row["Reseller"] == format_rupiah(mrse), row
        assert row["Bulan"] == title.split(":")[0]
        if other is None:
            assert "belum dicatat" in title and row["Penjualan lain"] == "belum dicatat"
            # No baseline where other sales are not recorded.
            assert row["Omzet sebelum program"] == "—"
        else:
            assert row["Penjualan lain"] == format_rupiah(other)
            assert row["Omzet sebelum program"] == format_rupiah(15_000_000)
    # Nothing went through consignment or catering: no empty parts in the legend.
    assert set(rows[0]) == {"Bulan", "Reseller", "Penjualan lain", "Jumlah",
                            "Omzet sebelum program", "Catatan"}
    last = titles[4]
    assert last.endswith("Omzet sebelum program Rp 15.000.000; +12% dibanding sebelum program")
    # One baseline mark: over the one month whose other sales were recorded.
    bases = [line for g in svg.iter(f"{SVG}g") for line in g.iter(f"{SVG}line")
             if line.get("class") == "ch-base"]
    assert len(bases) == 1
    assert "style=" not in html
    # Small for a phone: the chart of six months stays under 6 KB.
    size = len(re.search(rf'id="{chart_id}">\s*(<svg.*?</svg>)', html, re.S).group(1)
               .encode())
    assert size < 6_000, size


def test_sales_page_chart_numbers_equal_the_lists(browser, world):
    browser.login("ladu")
    html = browser.get(f"/laporan?bulan={world['last'].key}").get_data(as_text=True)
    charts = svgs(html)
    resellers = {t.split(":")[0]: first_amount(t)
                 for t in bar_titles(charts["rp-chart-resellers"])}
    assert resellers == {"Kiki Aulia": 60 * 13_000, "Gilang Eka": 3 * 50_000}
    products = {t.split(":")[0]: first_amount(t)
                for t in bar_titles(charts["rp-chart-products"])}
    assert products == {"Ladu Ketan Original": 780_000, "Ladu Kotak Hantaran": 150_000}
    channels = {t.split(":")[0]: first_amount(t)
                for t in bar_titles(charts["rp-chart-channels"])}
    assert channels == {"Shopee": 780_000, "WhatsApp": 150_000}
    # The lists under the charts say the same.
    listed = dict(re.findall(r'<span class="rp-name">(.*?)</span>\s*<span class="rp-num">'
                             r'(.*?)</span>', html))
    for name, amount in {**resellers, **products, **channels}.items():
        assert listed[name] == format_rupiah(amount)


@pytest.mark.parametrize("login", ["ladu", "kesra"])
def test_home_pages_show_the_turnover_chart(browser, world, login):
    browser.login(login)
    html = browser.get("/beranda").get_data(as_text=True)
    svg = svgs(html)["home-chart"]
    titles = bar_titles(svg)
    assert len(titles) == 6
    last = world["last"]
    assert first_amount(titles[4]) == mrse_by_sql(world["ladu"], last) + 16_000_000
    assert "belum dicatat" in titles[3]


def test_village_comparison_for_the_kecamatan_view(app):
    """The chart the Kecamatan view shows: a bar per village under its Kecamatan, the
    baseline tick only for villages whose other sales were recorded."""
    VillageRow = namedtuple("VillageRow", "kecamatan village mrse other baseline")
    rows = [VillageRow("Katapang", "Desa Katapang", 900_000, 14_000_000, 15_000_000),
            VillageRow("Katapang", "Desa Sangkanhurip", 300_000, None, 5_000_000),
            VillageRow("Soreang", "Desa Soreang", 450_000, 2_000_000, None)]
    chart = village_comparison("Omzet desa, November 2026", rows)
    with app.test_request_context():
        html = render_template_string(
            '{% from "reports/_charts.html" import chart %}{{ chart(c, "kec") }}', c=chart)
    svg = svgs(html)["kec"]
    groups = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "ch-group"]
    assert groups == ["Katapang", "Soreang"]
    titles = bar_titles(svg)
    assert [first_amount(t) for t in titles] == [14_900_000, 300_000, 2_450_000]
    assert "belum dicatat" in titles[1] and "sebelum program" not in titles[1]
    bases = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "ch-item"
             and any(line.get("class") == "ch-base" for line in g.iter(f"{SVG}line"))]
    assert len(bases) == 1  # Sangkanhurip not recorded, Soreang without a baseline
    rows = table_rows(html, "kec")
    assert [r["Kecamatan"] for r in rows] == ["Katapang", "Katapang", "Soreang"]
    assert rows[1]["Penjualan lain"] == "belum dicatat"


def test_earnings_page_chart_shows_the_resellers_margin_per_month(browser, world):
    browser.login("ka")
    html = browser.get("/penghasilan").get_data(as_text=True)
    titles = bar_titles(svgs(html)["rp-chart-months"])
    assert len(titles) == 6
    # 60 × (13.000 − 10.900) last month, 10 × 2.100 the month before.
    assert [first_amount(t) for t in titles] == [0, 0, 0, 21_000, 126_000, 0]
    listed = dict(re.findall(r'<span class="rp-name">(.*?)</span>\s*<span class="rp-num">'
                             r'(.*?)</span>', html))
    assert all(listed[t.split(":")[0]] == format_rupiah(first_amount(t)) for t in titles)


def test_groups_together_compare_only_months_every_group_recorded():
    period = months_ending(current_month(), 2)
    first, second = period.months

    def turnover(baseline, *months):
        return Turnover(tuple(MonthTurnover(m, mrse, other, baseline)
                              for m, (mrse, other) in zip(period.months, months,
                                                          strict=True)), baseline)

    a = turnover(1_000_000, (100_000, None), (200_000, 900_000))
    b = turnover(500_000, (50_000, 400_000), (60_000, 500_000))
    both = combined([a, b])
    assert [m.mrse for m in both.months] == [150_000, 260_000]
    # The first month: group a did not record its other sales, so no whole turnover.
    assert [m.other for m in both.months] == [None, 1_400_000]
    assert both.baseline == 1_500_000 and both.months[1].change == 11  # 1.660.000
    assert both.months[0].change is None
    # A group without a baseline: no comparison at all.
    assert combined([a, turnover(None, (0, 0), (0, 0))]).change is None

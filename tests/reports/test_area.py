"""The Kecamatan and Kabupaten view (/laporan/wilayah): figures equal sums written
here in SQL, each officer sees only their villages (page, CSV and XLSX), links go
down to the right village, and the lagging rules."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from crm.consignment.models import ConsignmentDrop, ConsignmentVisit, ConsignmentVisitLine, Outlet
from crm.consignment.months import record_visit_sales
from crm.db.types import utcnow
from crm.events.models import BookingLine, CateringBooking
from crm.extensions import db
from crm.fund import balances
from crm.fund.models import FundEntry
from crm.proposals.models import Proposal
from crm.reports.models import OtherSale
from crm.reports.queries import current_month
from crm.text.dates import village_today
from tests import factories
from tests.helpers import Browser, bar_titles, csv_rows, first_amount, svgs, text_of, wib

MONTH = current_month()
LAST_MONTH = MONTH.shift(-1)


def _consignment(group, product, sold, price, *, on_shelf, pull_back_on, visited_on):
    outlet = Outlet(group_id=group.id, village_id=group.village_id, name=f"Warung {group.id}")
    db.session.add(outlet)
    db.session.flush()
    drop = ConsignmentDrop(outlet_id=outlet.id, group_id=group.id, village_id=group.village_id,
                           product_id=product.id, quantity=on_shelf + sold, on_shelf=on_shelf,
                           unit_price=price, placed_on=visited_on - timedelta(days=3),
                           pull_back_on=pull_back_on, status="open")
    db.session.add(drop)
    db.session.flush()
    visit = ConsignmentVisit(outlet_id=outlet.id, group_id=group.id, village_id=group.village_id,
                             visited_on=visited_on, amount_due=sold * price)
    db.session.add(visit)
    db.session.flush()
    db.session.add(ConsignmentVisitLine(visit_id=visit.id, drop_id=drop.id, product_id=product.id,
                                        on_shelf_before=on_shelf + sold, remaining=on_shelf,
                                        sold=sold, unit_price=price, amount_due=sold * price))
    record_visit_sales(visit, sold * price)  # what recording the visit adds
    db.session.commit()


def _booking(group, when, quantity, price, status="delivered"):
    partner = factories.partner(group.village)
    event = factories.event(partner, when - timedelta(hours=2))
    booking = CateringBooking(event_id=event.id, village_id=group.village_id,
                              partner_id=partner.id, status=status, deliver_at=when)
    booking.lines = [BookingLine(group_id=group.id, description="Nasi kotak", quantity=quantity,
                                 unit_price=price)]
    db.session.add(booking)
    db.session.commit()


def _proposal(group, status):
    db.session.add(Proposal(village_id=group.village_id, group_id=group.id, status=status,
                            title="Modal usaha", requested_amount=5_000_000))
    db.session.commit()


def _fund(group, amount, source_id):
    db.session.add(FundEntry(group_id=group.id, village_id=group.village_id, kind="contribution",
                             amount=amount, occurred_on=date.today(), source="fixed",
                             source_id=source_id))
    balances.add(group.id, group.village_id, balance=amount)  # what the accrual adds
    db.session.commit()


@pytest.fixture
def world(app):
    """Two villages of Kecamatan Katapang and one of Soreang under the Camat's officer;
    the Katapang village officer has one of them; another officer's village besides."""
    a1 = factories.village("Katapang", code="32.04.11.2002", kecamatan="Katapang")
    a2 = factories.village("Sangkanhurip", code="32.04.11.2001", kecamatan="Katapang")
    b1 = factories.village("Soreang", code="32.04.12.2001", kecamatan="Soreang")
    x = factories.village("Cilampeni", code="32.04.13.2007", kecamatan="Ketapang Lain")
    factories.officer(a1, a2, b1, username="camat")
    factories.officer(a1, username="kesra")
    factories.officer(x, username="lain")
    ladu = factories.group(a1, "Ladu Ketan", baseline_monthly_turnover=1_000_000)
    rajut = factories.group(a1, "Tas Rajut")
    opak = factories.group(a2, "Opak", baseline_monthly_turnover=2_000_000)
    factories.group(b1, "Dodol")
    asing = factories.group(x, "Kelompok Asing")
    ladu_snack = factories.product(ladu, "Ladu Original", reseller_price=12_000,
                                   retail_price=15_000)
    bag = factories.product(rajut, "Tas Kecil", reseller_price=80_000, retail_price=100_000)
    opak_pack = factories.product(opak, "Opak Bakar", reseller_price=9_000, retail_price=11_000)
    asing_item = factories.product(asing, "Barang Asing", reseller_price=50_000,
                                   retail_price=60_000)
    ka = factories.reseller(a1, username="ka")
    ge = factories.reseller(a2, username="ge")
    zz = factories.reseller(x, username="zz")
    now = utcnow()
    factories.order(ka, [(ladu_snack, 10)], when=now - timedelta(minutes=1))
    factories.order(ka, [(bag, 1)], when=wib(LAST_MONTH.first_day, 10))
    factories.order(ka, [(ladu_snack, 3)], status="cancelled", when=now - timedelta(days=1))
    factories.order(ge, [(opak_pack, 20)], when=now - timedelta(days=40))
    factories.order(zz, [(asing_item, 7)], when=now - timedelta(days=1))
    today = village_today()
    _consignment(ladu, ladu_snack, 4, 13_000, on_shelf=6, pull_back_on=today - timedelta(days=2),
                 visited_on=today)
    _consignment(asing, asing_item, 1, 60_000, on_shelf=9, pull_back_on=today - timedelta(days=1),
                 visited_on=today)
    _booking(opak, now - timedelta(hours=30), 40, 15_000)
    _booking(opak, now - timedelta(hours=20), 10, 15_000, status="requested")  # not counted
    _booking(asing, now - timedelta(hours=20), 99, 20_000)
    _proposal(opak, "submitted")
    _proposal(ladu, "draft")
    _proposal(asing, "submitted")
    _fund(ladu, 75_000, 1)
    _fund(asing, 999_000, 2)
    db.session.add(OtherSale(group_id=ladu.id, village_id=a1.id, month=MONTH.first_day,
                             sold_on=MONTH.first_day, whole_month=True, channel="direct",
                             amount=900_000))
    db.session.commit()
    return {"a1": a1, "a2": a2, "b1": b1, "x": x, "ladu": ladu, "opak": opak}


def _browser(app, login):
    browser = Browser(app.test_client())
    assert browser.login(login).status_code == 302
    return browser


def _by_village(rows) -> dict[str, dict[str, str]]:
    header = rows[0]
    return {row[3]: dict(zip(header, row, strict=True)) for row in rows[1:]}


# Written here, apart from the app's queries: sums over the records themselves (orders
# and their lines, not the monthly summaries).
SQL = {
    "Omzet reseller": """
        SELECT COALESCE(SUM(l.reseller_price * l.quantity), 0) FROM orders o
        JOIN order_lines l ON l.order_id = o.id
        WHERE o.village_id = :v AND o.status IN ('shipped', 'finished')""",
    "Omzet titip jual": """
        SELECT COALESCE(SUM(l.sold * l.unit_price), 0) FROM consignment_visit_lines l
        JOIN consignment_visits v ON v.id = l.visit_id WHERE v.village_id = :v""",
    "Omzet pesanan acara": """
        SELECT COALESCE(SUM(l.quantity * l.unit_price), 0) FROM booking_lines l
        JOIN catering_bookings b ON b.id = l.booking_id
        WHERE b.village_id = :v AND b.status IN ('delivered', 'invoiced', 'paid')""",
    "Nilai barang di warung": """
        SELECT COALESCE(SUM(on_shelf * unit_price), 0) FROM consignment_drops
        WHERE village_id = :v AND status = 'open'""",
    "Barang di warung": """
        SELECT COALESCE(SUM(on_shelf), 0) FROM consignment_drops
        WHERE village_id = :v AND status = 'open'""",
    "Saldo dana sosial": """
        SELECT COALESCE(SUM(amount), 0) FROM fund_entries
        WHERE village_id = :v AND kind = 'contribution'""",
    "Kelompok": "SELECT COUNT(*) FROM producer_groups WHERE village_id = :v",
}


def test_figures_equal_a_direct_sql_sum(app, world):
    rows = csv_rows(_browser(app, "camat").get("/laporan/wilayah.csv"))
    villages = _by_village(rows)
    for key in ("a1", "a2", "b1"):
        village = world[key]
        row = villages[village.name]
        assert row["Kode desa"] == village.code
        assert row["Kode Kecamatan"] == village.code[:8]
        for column, sql in SQL.items():
            expected = db.session.scalar(text(sql), {"v": village.id})
            assert int(row[column]) == int(expected), (village.name, column)
        mrse = sum(int(row[c]) for c in ("Omzet reseller", "Omzet titip jual",
                                         "Omzet pesanan acara"))
        assert int(row["Omzet MRSE"]) == mrse
    # Katapang: 10 × 12.000 + 1 × 80.000 (the cancelled order does not count) …
    assert villages["Katapang"]["Omzet reseller"] == "200000"
    # … one catering booking of Sangkanhurip counted, the requested one not.
    assert villages["Sangkanhurip"]["Pesanan acara"] == "1"
    # Kecamatan and overall totals add up the villages.
    totals = {(row[1], row[3]): row for row in rows[1:] if row[2] == ""}
    katapang = totals[("Katapang", "Total Kecamatan")]
    header = rows[0]
    for column in ("Omzet reseller", "Omzet titip jual", "Omzet pesanan acara",
                   "Saldo dana sosial", "Kelompok"):
        index = header.index(column)
        assert int(katapang[index]) == (int(villages["Katapang"][column])
                                        + int(villages["Sangkanhurip"][column]))
        overall = next(row for row in rows[1:] if row[3] == "Total")
        assert int(overall[index]) == sum(int(villages[n][column])
                                          for n in ("Katapang", "Sangkanhurip", "Soreang"))


def test_turnover_is_compared_only_where_other_sales_were_recorded(app, world):
    rows = csv_rows(_browser(app, "camat").get("/laporan/wilayah.csv"))
    villages = _by_village(rows)
    katapang, sangkanhurip = villages["Katapang"], villages["Sangkanhurip"]
    # Ladu Ketan recorded its other sales this month: its whole turnover of that month
    # (120.000 orders + 52.000 consignment + 900.000 other) against its baseline.
    assert katapang["Kelompok dibandingkan"] == "1"
    assert katapang["Omzet seluruhnya per bulan (kelompok dibandingkan)"] == "1072000"
    assert katapang["Omzet sebelum program per bulan (kelompok dibandingkan)"] == "1000000"
    assert katapang["Perubahan omzet seluruhnya (%)"] == "7"
    assert katapang[f"{MONTH.key} penjualan lain"] == "900000"
    assert katapang[f"{LAST_MONTH.key} penjualan lain"] == ""
    # Opak recorded none: no change is shown, though it has a baseline and sales.
    assert sangkanhurip["Kelompok dibandingkan"] == "0"
    assert sangkanhurip["Perubahan omzet seluruhnya (%)"] == ""
    assert sangkanhurip["Penjualan lain dicatat"] == ""


def test_an_officer_of_one_village_sees_only_that_village(app, world):
    browser = _browser(app, "kesra")
    page = text_of(browser.get("/laporan/wilayah"))
    assert "Katapang" in page
    for other in ("Sangkanhurip", "Soreang", "Cilampeni"):
        assert other not in page
    rows = csv_rows(browser.get("/laporan/wilayah.csv"))
    assert sorted(_by_village(rows)) == ["Katapang", "Total", "Total Kecamatan"]


def test_other_officers_villages_never_appear(app, world):
    browser = _browser(app, "camat")
    response = browser.get("/laporan/wilayah")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    csv_body = browser.get("/laporan/wilayah.csv").get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(browser.get("/laporan/wilayah.xlsx").data), read_only=True)
    cells = " ".join(str(c) for row in sheet.active.iter_rows(values_only=True) for c in row)
    for shown in (body, csv_body, cells):
        assert "Cilampeni" not in shown
        assert "Kelompok Asing" not in shown
        assert "32.04.13" not in shown
    # Its figures are not in the totals either: the other village's fund is 999.000.
    overall = next(r for r in csv_rows(browser.get("/laporan/wilayah.csv")) if r[3] == "Total")
    assert "999000" not in overall
    # Asking for its Kecamatan answers 404.
    assert browser.get("/laporan/wilayah?kecamatan=32.04.13").status_code == 404
    assert browser.get("/laporan/wilayah.csv?kecamatan=32.04.13").status_code == 404
    assert _browser(app, "lain").get("/laporan/wilayah?kecamatan=32.04.11").status_code == 404


def test_a_kecamatan_can_be_chosen(app, world):
    browser = _browser(app, "camat")
    rows = csv_rows(browser.get("/laporan/wilayah.csv?kecamatan=32.04.12"))
    assert sorted(_by_village(rows)) == ["Soreang", "Total", "Total Kecamatan"]
    page = text_of(browser.get("/laporan/wilayah?kecamatan=32.04.12"))
    assert "Soreang" in page and "Sangkanhurip" not in page


def test_links_go_down_to_the_right_village(app, world):
    browser = _browser(app, "camat")
    a1, a2 = world["a1"], world["a2"]
    html = browser.get("/laporan/wilayah").get_data(as_text=True)
    assert f'href="/desa/{a1.id}"' in html
    assert f'href="/laporan/desa?desa={a1.id}"' in html
    assert f'href="/kelompok?desa={a2.id}"' in html
    report = text_of(browser.get(f"/laporan/desa?desa={a1.id}"))
    assert "Ladu Ketan" in report and "Tas Rajut" in report and "Opak" not in report
    groups = text_of(browser.get(f"/kelompok?desa={a2.id}"))
    assert "Opak" in groups and "Ladu Ketan" not in groups
    # Another officer's village in the filter shows nothing of it.
    foreign = text_of(browser.get(f"/laporan/desa?desa={world['x'].id}"))
    assert "Kelompok Asing" not in foreign


def test_the_villages_that_lag(app, world):
    rows = _by_village(csv_rows(_browser(app, "camat").get("/laporan/wilayah.csv")))
    katapang, sangkanhurip, soreang = rows["Katapang"], rows["Sangkanhurip"], rows["Soreang"]
    # Katapang: an order a minute ago, but goods past their pull-back day at a warung.
    assert katapang["Tanpa pesanan 30 hari"] == "tidak"
    assert katapang["Titipan lewat hari tarik"] == "1"
    assert katapang["Desa perlu perhatian"] == "1"
    # Sangkanhurip: its last order 40 days ago, a proposal waiting for the officer.
    assert sangkanhurip["Tanpa pesanan 30 hari"] == "ya"
    assert sangkanhurip["Proposal: Diajukan ke petugas"] == "1"
    assert sangkanhurip["Desa perlu perhatian"] == "1"
    # Soreang: never an order.
    assert soreang["Tanpa pesanan 30 hari"] == "ya"
    assert soreang["Pesanan terakhir"] == ""
    assert rows["Total"]["Desa perlu perhatian"] == "3"


def test_a_village_with_recent_orders_and_nothing_waiting_does_not_lag(app, world):
    kesra = _browser(app, "kesra")
    db.session.execute(text("UPDATE consignment_drops SET pull_back_on = NULL"))
    db.session.commit()
    rows = _by_village(csv_rows(kesra.get("/laporan/wilayah.csv")))
    assert rows["Katapang"]["Desa perlu perhatian"] == "0"
    page = text_of(kesra.get("/laporan/wilayah"))
    assert "Tidak ada desa yang tertinggal." in page


def test_the_xlsx_holds_the_rows_of_the_csv(app, world):
    browser = _browser(app, "camat")
    response = browser.get("/laporan/wilayah.xlsx")
    assert response.status_code == 200
    assert response.content_type.startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert ".xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    cells = [["" if c is None else str(c) for c in row]
             for row in sheet.iter_rows(values_only=True)]
    expected = csv_rows(browser.get("/laporan/wilayah.csv"))
    # A sheet leaves out empty cells at the end of a row.
    width = len(expected[0])
    assert [(row + [""] * width)[:width] for row in cells] == expected
    # Figures are numbers in the sheet, not text.
    header = expected[0]
    numbers = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(numbers[header.index("Omzet reseller")], int)


def test_a_name_that_looks_like_a_formula_stays_text(app, world):
    world["a2"].name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    browser = _browser(app, "camat")
    rows = csv_rows(browser.get("/laporan/wilayah.csv"))
    assert any(row[3] == "'=HYPERLINK(\"http://x\")" for row in rows)
    sheet = load_workbook(io.BytesIO(browser.get("/laporan/wilayah.xlsx").data)).active
    names = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\")" in names
    assert all(row[3].data_type != "f" for row in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("login", ["ladu_producer", "ka"])
def test_only_officers_open_the_view(app, world, login):
    if login == "ladu_producer":
        factories.producer(world["a1"], world["ladu"], username=login)
    browser = _browser(app, login)
    for url in ("/laporan/wilayah", "/laporan/wilayah.csv", "/laporan/wilayah.xlsx"):
        assert browser.get(url).status_code == 403


def test_a_month_that_cannot_be_read_shows_the_last_six_months(app, world):
    browser = _browser(app, "camat")
    for value in ("2026-13", "x" * 300, "\x00"):
        assert browser.get("/laporan/wilayah", query_string={"sampai": value}).status_code == 200
    rows = csv_rows(browser.get("/laporan/wilayah.csv?sampai=2020-01"))
    assert "2020-01 reseller" in rows[0]
    assert _by_village(rows)["Katapang"]["Omzet reseller"] == "0"


def _month_columns(rows) -> list[str]:
    """The header's "<month> reseller" columns."""
    return [c for c in rows[0] if c.endswith(" reseller") and c[:1].isdigit()]


def test_the_length_of_the_period_can_be_chosen(app, world):
    browser = _browser(app, "camat")
    response = browser.get("/laporan/wilayah.csv?bulan=1")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    one = csv_rows(response)
    assert _month_columns(one) == [f"{MONTH.key} reseller"]
    # The order of last month is outside a one-month period.
    assert _by_village(one)["Katapang"]["Omzet reseller"] == "120000"
    for odd in ("7", "-1", "x"):
        rows = csv_rows(browser.get(f"/laporan/wilayah.csv?bulan={odd}"))
        assert len(_month_columns(rows)) == 6


def test_outlets_and_proposals_link_down_to_the_village(app, world):
    browser = _browser(app, "camat")
    a1, a2 = world["a1"], world["a2"]
    html = browser.get("/laporan/wilayah").get_data(as_text=True)
    assert f'href="/titip/?desa={a1.id}"' in html
    waiting = f"/proposal/?desa={a2.id}&amp;status=submitted"
    assert waiting in html
    outlets = text_of(browser.get(f"/titip/?desa={a1.id}"))
    assert "Warung" in outlets and "Tampilkan semua desa" in outlets
    assert text_of(browser.get(f"/titip/?desa={a2.id}")).count(f"Warung {world['ladu'].id}") == 0
    proposals = text_of(browser.get(waiting.replace("&amp;", "&")))
    assert "Modal usaha" in proposals and "Diajukan ke petugas (1)" in proposals
    # Katapang's draft is not among Sangkanhurip's proposals.
    assert "Draf" not in text_of(browser.get(f"/proposal/?desa={a2.id}"))
    assert "Draf (1)" in text_of(browser.get(f"/proposal/?desa={a1.id}"))
    # The other officer's village in the filter shows nothing.
    assert "Modal usaha" not in text_of(browser.get(f"/proposal/?desa={world['x'].id}"))


def test_a_kecamatan_officer_sees_its_villages_also_those_set_up_later(app, world):
    factories.user("officer", username="camat_area", areas=["32.04.11"])
    browser = _browser(app, "camat_area")
    assert sorted(_by_village(csv_rows(browser.get("/laporan/wilayah.csv")))) == [
        "Katapang", "Sangkanhurip", "Total", "Total Kecamatan"]
    factories.village("Gandasari", code="32.04.11.2004", kecamatan="Katapang")
    rows = _by_village(csv_rows(browser.get("/laporan/wilayah.csv")))
    assert "Gandasari" in rows and "Soreang" not in rows and "Cilampeni" not in rows
    assert rows["Gandasari"]["Tanpa pesanan 30 hari"] == "ya"


def test_a_kabupaten_officer_sees_every_kecamatan_and_the_administrator_none(app, world):
    factories.user("officer", username="kabupaten", areas=["32.04"])
    rows = _by_village(csv_rows(_browser(app, "kabupaten").get("/laporan/wilayah.csv")))
    assert {"Katapang", "Sangkanhurip", "Soreang", "Cilampeni"} <= set(rows)
    factories.admin(username="admin")
    assert _browser(app, "admin").get("/laporan/wilayah").status_code == 403


def _chart_bars(html: str) -> dict[str, int]:
    """The comparison chart's bars: each bar's name and its MRSE amount (the first
    amount of its hover text)."""
    bars = {}
    for title in bar_titles(svgs(html)["area-chart"]):
        name = title.split(":")[0].strip()
        bars[name] = first_amount(title)
    return bars


def _mrse_of_month(row: dict[str, str], month) -> int:
    return sum(int(row[f"{month.key} {channel}"])
               for channel in ("reseller", "titip jual", "pesanan acara"))


def test_the_comparison_chart_draws_the_figures_of_the_table(app, world):
    browser = _browser(app, "camat")
    month = current_month()
    rows = _by_village(csv_rows(browser.get("/laporan/wilayah.csv")))
    # Several Kecamatan: one bar per Kecamatan, its total of the last month.
    page = browser.get("/laporan/wilayah").get_data(as_text=True)
    bars = _chart_bars(page)
    assert set(bars) == {"Katapang", "Soreang"}
    katapang = _mrse_of_month(rows["Katapang"], month) + _mrse_of_month(
        rows["Sangkanhurip"], month)
    assert bars["Katapang"] == katapang > 0
    assert bars["Soreang"] == _mrse_of_month(rows["Soreang"], month)
    # One Kecamatan: one bar per village.
    page = browser.get("/laporan/wilayah?kecamatan=32.04.11").get_data(as_text=True)
    bars = _chart_bars(page)
    assert bars == {name: _mrse_of_month(rows[name], month)
                    for name in ("Katapang", "Sangkanhurip")}

"""Who sold what: sales figures for producers and officers, earnings for resellers,
group turnover against the baseline; scoping, WIB months, CSV, constant queries."""

import re
from datetime import UTC, datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import DateTime, bindparam, text

from crm.extensions import db
from crm.text.money import format_rupiah
from tests import factories
from tests.helpers import count_queries, csv_rows, form_token, text_of

WIB = timezone(timedelta(hours=7))


def at(year, month, day, hour=3, minute=0):
    """An aware UTC moment (3:00 UTC is 10:00 WIB)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wib_month_bounds(year, month, count=1):
    """[first moment of the month in WIB, first moment ``count`` months later) as
    naive UTC, computed here independently of the application code."""
    start = datetime(year, month, 1, tzinfo=WIB)
    index = year * 12 + month - 1 + count
    end = datetime(index // 12, index % 12 + 1, 1, tzinfo=WIB)
    return (start.astimezone(UTC).replace(tzinfo=None),
            end.astimezone(UTC).replace(tzinfo=None))


def this_wib_month():
    now = datetime.now(UTC).astimezone(WIB)
    return now.year, now.month


_SUMS = ("SELECT COALESCE(SUM(l.quantity), 0), COALESCE(SUM(l.retail_price * l.quantity), 0),"
         " COALESCE(SUM(l.reseller_price * l.quantity), 0)"
         " FROM order_lines l JOIN orders o ON o.id = l.order_id"
         " WHERE o.status IN ('shipped', 'finished')"
         " AND o.shipped_at >= :start AND o.shipped_at < :end")
SQL_BY = {
    "groups": _SUMS + " AND o.group_id IN :ids",
    "villages": _SUMS + " AND o.village_id IN :ids",
    "resellers": _SUMS + " AND o.reseller_id IN :ids",
}


def sql_figures(start, end, *, group_ids=None, village_ids=None, reseller_id=None):
    """Quantity, omzet and producer revenue summed straight from the tables."""
    if group_ids is not None:
        kind, ids = "groups", group_ids
    elif village_ids is not None:
        kind, ids = "villages", village_ids
    else:
        kind, ids = "resellers", [reseller_id]
    statement = text(SQL_BY[kind]).bindparams(
        bindparam("start", start, type_=DateTime()), bindparam("end", end, type_=DateTime()),
        bindparam("ids", list(ids), expanding=True))
    quantity, omzet, producer = db.session.execute(statement).one()
    return int(quantity), int(omzet), int(producer)


def tiles(response) -> dict:
    """The figure tiles of a page: label → figure text."""
    html = response.get_data(as_text=True)
    found = re.findall(r'<span class="figure">([^<]*)</span>\s*([^<]+?)\s*</li>', html)
    return {unescape(label): unescape(figure) for figure, label in found}


def section(response, heading_id) -> str:
    html = response.get_data(as_text=True)
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def bars(response, heading_id) -> dict:
    """The bar list of a section: name → amount text."""
    rows = re.findall(r'<span class="rp-name">(.*?)</span>\s*<span class="rp-num">(.*?)</span>',
                      section(response, heading_id), re.S)
    return {unescape(n).strip(): unescape(v).strip() for n, v in rows}


def rp(amount):
    return format_rupiah(amount)


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09", baseline_monthly_turnover=100_000)
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    sepi = factories.group(a, "Keripik Sepi")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.officer(a, username="kesra")
    factories.officer(b, username="kesrab")
    factories.partner_contact(a, username="mitra")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    ta = factories.reseller(a, username="ta", full_name="Tasya Rajutan")
    rb = factories.reseller(b, username="rb", full_name="Rudi Budiman")
    snack = factories.product(ladu, "Ladu Ketan Original", reseller_price=12_000,
                              retail_price=15_000)
    box = factories.product(ladu, "Ladu Kotak Hantaran", reseller_price=40_000,
                            retail_price=50_000, unit="kotak")
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            reseller_price=60_000, retail_price=80_000)
    opak_p = factories.product(opak, "Opak Ketan", reseller_price=8_000, retail_price=10_000)
    order = factories.order
    # September 2026
    order(ka, [(snack, 10)], "shipped", "shopee", at(2026, 9, 10))
    order(ge, [(snack, 4), (box, 1)], "finished", "whatsapp", at(2026, 9, 20))
    order(ka, [(snack, 100)], "new", "shopee", at(2026, 9, 15))
    order(ge, [(snack, 50)], "cancelled", "shopee", at(2026, 9, 16))
    order(ka, [(snack, 7)], "confirmed", "facebook", at(2026, 9, 17))
    order(ka, [(snack, 9)], "packed", "facebook", at(2026, 9, 18))
    order(ta, [(bag, 2)], "shipped", "instagram", at(2026, 9, 12))
    order(rb, [(opak_p, 5)], "shipped", "shopee", at(2026, 9, 12))
    # October 31st 23:59 WIB is October; 01:00 WIB on November 1st is November.
    order(ka, [(snack, 3)], "shipped", "website", at(2026, 10, 31, 16, 59))
    order(ka, [(snack, 2)], "shipped", "direct", at(2026, 10, 31, 18, 0))
    # November 2026
    order(ge, [(box, 2)], "finished", "tokopedia", at(2026, 11, 5))
    order(ka, [(snack, 1)], "cancelled", "whatsapp", at(2026, 11, 6))
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "sepi": sepi, "opak": opak,
            "ka": ka, "ge": ge, "ta": ta, "rb": rb, "snack": snack, "box": box}


# --- figures equal the database ---------------------------------------------------------


def test_producer_totals_equal_a_direct_sum(browser, world):
    browser.login("ladu")
    for month in (9, 10, 11):
        page = browser.get(f"/laporan?bulan=2026-{month:02d}")
        assert page.status_code == 200
        quantity, omzet, producer = sql_figures(*wib_month_bounds(2026, month),
                                                group_ids=[world["ladu"].id])
        figures = tiles(page)
        assert figures["barang terjual"] == str(quantity)
        assert figures["omzet (harga konsumen)"] == rp(omzet)
        assert figures["pendapatan kelompok"] == rp(producer)
        assert figures["untung reseller"] == rp(omzet - producer)
    # September by hand: 10 + 4 snacks and a box shipped; new, confirmed, packed and
    # cancelled orders do not count.
    september = tiles(browser.get("/laporan?bulan=2026-09"))
    assert september["barang terjual"] == "15"
    assert september["omzet (harga konsumen)"] == rp(150_000 + 60_000 + 50_000)
    assert september["pendapatan kelompok"] == rp(120_000 + 48_000 + 40_000)
    assert september["pesanan terkirim"] == "2"


def test_officer_totals_and_default_period_equal_a_direct_sum(browser, world):
    # Sales this month and seven months ago: only the first is in the default period.
    year, month = this_wib_month()
    now = datetime.now(UTC)
    factories.order(world["ge"], [(world["snack"], 6)], "shipped", "facebook", now)
    factories.order(world["ge"], [(world["snack"], 8)], "shipped", "facebook",
                    now - timedelta(days=7 * 31))
    browser.login("kesra")
    index = year * 12 + month - 1 - 5
    start, end = wib_month_bounds(index // 12, index % 12 + 1, count=6)
    quantity, omzet, producer = sql_figures(start, end, village_ids=[world["a"].id])
    figures = tiles(browser.get("/laporan"))
    assert figures["barang terjual"] == str(quantity)
    assert figures["omzet (harga konsumen)"] == rp(omzet)
    assert figures["pendapatan kelompok"] == rp(producer)
    # The officer's September covers both groups of the village, not Sangkanhurip.
    quantity, omzet, producer = sql_figures(*wib_month_bounds(2026, 9),
                                            village_ids=[world["a"].id])
    september = tiles(browser.get("/laporan?bulan=2026-09"))
    assert september["barang terjual"] == str(quantity) == "17"
    assert september["omzet (harga konsumen)"] == rp(omzet)
    assert september["pendapatan kelompok"] == rp(producer)


def test_sections_per_reseller_product_channel_and_month(browser, world):
    browser.login("ladu")
    page = browser.get("/laporan?bulan=2026-09")
    assert bars(page, "rp-resellers") == {"Kiki Aulia": rp(150_000),
                                          "Gilang Eka": rp(110_000)}
    assert bars(page, "rp-products") == {"Ladu Ketan Original": rp(210_000),
                                         "Ladu Kotak Hantaran": rp(50_000)}
    channels = bars(page, "rp-channels")
    assert channels["Shopee"] == rp(150_000) and channels["WhatsApp"] == rp(110_000)
    assert channels["Facebook"] == rp(0)  # confirmed and packed orders are not sales
    assert set(channels) == {"Shopee", "Tokopedia", "TikTok Shop", "WhatsApp", "Facebook",
                             "Instagram", "Katalog desa", "Langsung"}
    assert bars(page, "rp-months") == {"September 2026": rp(260_000)}
    # The bars are sized by class (the CSP allows no style attributes).
    html = page.get_data(as_text=True)
    assert 'class="w-100"' in html and "style=" not in html
    # Six months ending in November, by month.
    browser_months = bars(browser.get("/laporan"), "rp-months")
    assert len(browser_months) == 6


# --- scoping --------------------------------------------------------------------------


def test_producer_sees_only_own_group(browser, make_browser, world):
    browser.login("ladu")
    body = text_of(browser.get("/laporan?bulan=2026-09"))
    assert "Kiki Aulia" in body
    for foreign in ("Tas Rajut Mini", "Tasya Rajutan", "Opak Ketan", "Rudi Budiman"):
        assert foreign not in body
    export = browser.get("/laporan.csv?bulan=2026-09").get_data(as_text=True)
    assert "Tasya Rajutan" not in export and "Opak Ketan" not in export
    assert browser.get(f"/laporan?kelompok={world['rajut'].id}").status_code == 404
    assert browser.get(f"/laporan.csv?kelompok={world['rajut'].id}").status_code == 404
    # The producer of the bags sees the bags and nothing of the snacks.
    rajut = make_browser()
    rajut.login("rajut")
    body = text_of(rajut.get("/laporan?bulan=2026-09"))
    assert "Tasya Rajutan" in body and "Kiki Aulia" not in body and "Ladu Ketan" not in body


def test_officer_group_filter_stays_in_own_villages(browser, make_browser, world):
    browser.login("kesra")
    page = browser.get(f"/laporan?bulan=2026-09&kelompok={world['rajut'].id}")
    assert page.status_code == 200
    assert bars(page, "rp-resellers") == {"Tasya Rajutan": rp(160_000)}
    assert "Kiki Aulia" not in text_of(page)
    everything = text_of(browser.get("/laporan?bulan=2026-09"))
    assert "Tasya Rajutan" in everything and "Kiki Aulia" in everything
    assert "Rudi Budiman" not in everything
    assert browser.get(f"/laporan?kelompok={world['opak'].id}").status_code == 404
    assert browser.get("/laporan?kelompok=abc").status_code == 404
    other = make_browser()
    other.login("kesrab")
    assert other.get(f"/laporan?kelompok={world['ladu'].id}").status_code == 404
    assert other.get(f"/laporan.csv?kelompok={world['ladu'].id}").status_code == 404
    body = text_of(other.get("/laporan?bulan=2026-09"))
    assert "Rudi Budiman" in body and "Kiki Aulia" not in body


def test_sales_pages_show_each_reader_their_own_in_turn(make_browser, world):
    # The pages' statements are built once per role and filter and run with each
    # reader's values: readers of one role, one after the other, see their own.
    september = wib_month_bounds(2026, 9)
    a, b = world["a"].id, world["b"].id
    expected = {  # (login, url): figures of a direct sum
        ("ladu", "/laporan?bulan=2026-09"): sql_figures(*september,
                                                        group_ids=[world["ladu"].id]),
        ("rajut", "/laporan?bulan=2026-09"): sql_figures(*september,
                                                         group_ids=[world["rajut"].id]),
        ("kesra", "/laporan?bulan=2026-09"): sql_figures(*september, village_ids=[a]),
        ("kesrab", "/laporan?bulan=2026-09"): sql_figures(*september, village_ids=[b]),
        ("kesra", f"/laporan?bulan=2026-09&kelompok={world['rajut'].id}"): sql_figures(
            *september, group_ids=[world["rajut"].id]),
        ("kesrab", f"/laporan?bulan=2026-09&kelompok={world['opak'].id}"): sql_figures(
            *september, group_ids=[world["opak"].id]),
    }
    # Readers of one role, and one reader with and without the filter, differ.
    month = "/laporan?bulan=2026-09"
    for one, other in ((("ladu", month), ("rajut", month)), (("kesra", month), ("kesrab", month)),
                       (("kesra", month), ("kesra", f"{month}&kelompok={world['rajut'].id}"))):
        assert expected[one] != expected[other]
    readers = {}
    for login, _url in expected:
        if login not in readers:
            readers[login] = make_browser()
            readers[login].login(login)
    for _round in range(2):
        for (login, url), (quantity, omzet, producer) in expected.items():
            figures = tiles(readers[login].get(url))
            assert figures["barang terjual"] == str(quantity), (login, url)
            assert figures["omzet (harga konsumen)"] == rp(omzet), (login, url)
            assert figures["pendapatan kelompok"] == rp(producer), (login, url)

@pytest.mark.parametrize("login, forbidden, allowed", [
    ("ka", ["/laporan", "/laporan.csv", "/laporan/desa"], ["/penghasilan"]),
    ("ladu", ["/laporan/desa", "/penghasilan"], ["/laporan", "/laporan.csv"]),
    ("kesra", ["/penghasilan"], ["/laporan", "/laporan.csv", "/laporan/desa"]),
    ("mitra", ["/laporan", "/laporan.csv", "/laporan/desa", "/penghasilan"], []),
])
def test_roles(browser, world, login, forbidden, allowed):
    assert browser.get("/laporan").status_code == 302  # not signed in: to the login
    browser.login(login)
    for url in forbidden:
        assert browser.get(url).status_code == 403, url
    for url in allowed:
        assert browser.get(url).status_code == 200, url


def test_reseller_sees_only_own_earnings(browser, make_browser, world):
    browser.login("ka")
    page = browser.get("/penghasilan?bulan=2026-09")
    quantity, omzet, producer = sql_figures(*wib_month_bounds(2026, 9),
                                            reseller_id=world["ka"].id)
    figures = tiles(page)
    assert figures["barang terjual"] == str(quantity) == "10"
    assert figures["omzet (dibayar pembeli)"] == rp(omzet) == rp(150_000)
    assert figures["penghasilan Anda (untung)"] == rp(omzet - producer) == rp(30_000)
    assert bars(page, "rp-products") == {"Ladu Ketan Original": rp(30_000)}
    # Orders taken in September by status: shipped, new, confirmed, packed.
    statuses = tiles(page)
    assert (statuses["Baru"], statuses["Dikonfirmasi"], statuses["Dikemas"],
            statuses["Dikirim"], statuses["Selesai"], statuses["Batal"]) == (
        "1", "1", "1", "1", "0", "0")
    body = text_of(page)
    assert "Ladu Kotak Hantaran" not in body and "Gilang Eka" not in body
    # Gilang's earnings are his own: the box and the snacks, and a cancelled order.
    ge = make_browser()
    ge.login("ge")
    page = ge.get("/penghasilan?bulan=2026-09")
    assert tiles(page)["penghasilan Anda (untung)"] == rp(4 * 3_000 + 10_000)
    assert tiles(page)["Batal"] == "1"
    assert bars(page, "rp-products") == {"Ladu Kotak Hantaran": rp(10_000),
                                         "Ladu Ketan Original": rp(12_000)}
    # The six-month view lists every month, with its earnings.
    months = bars(browser.get("/penghasilan"), "rp-months")
    assert len(months) == 6


def test_month_is_the_month_in_wib(browser, make_browser, world):
    # Shipped 2026-10-31 16:59 UTC (23:59 WIB, October) and 18:00 UTC (01:00 WIB on
    # November 1st): the second counts in November although it is October in UTC.
    browser.login("ladu")
    october = tiles(browser.get("/laporan?bulan=2026-10"))
    november = tiles(browser.get("/laporan?bulan=2026-11"))
    assert october["barang terjual"] == "3"
    assert november["barang terjual"] == str(2 + 2)  # the late snacks and two boxes
    assert bars(browser.get("/laporan?bulan=2026-11"), "rp-channels")["Langsung"] == rp(30_000)
    rows = csv_rows(browser.get("/laporan.csv?bulan=2026-11"))
    assert ["2026-11", "Ladu Ketan RW 09", "Kiki Aulia", "Ladu Ketan Original", "pak", "2",
            "1", "30000", "24000", "6000"] in rows
    ka = make_browser()
    ka.login("ka")
    assert tiles(ka.get("/penghasilan?bulan=2026-11"))["barang terjual"] == "2"
    assert tiles(ka.get("/penghasilan?bulan=2026-10"))["barang terjual"] == "3"


# --- officer: groups against their baseline ----------------------------------------------


def test_village_report_pages_through_the_groups_by_name(browser, world, monkeypatch):
    from crm.reports import views

    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 2)
    browser.login("kesra")
    shown = []
    for number in (1, 2, 3):
        html = browser.get(f"/laporan/desa?page={number}").get_data(as_text=True)
        shown.append(re.findall(r'<h2 id="rp-group-\d+">([^<]+)</h2>', html))
    names = [name for page in shown for name in page]
    # The officer's village has three groups: two on the first page, one on the next.
    assert [len(page) for page in shown] == [2, 1, 0]
    assert names == sorted(names) and len(set(names)) == 3
    assert {"Ladu Ketan RW 09", "Tas Rajut RW 09"} <= set(names)
    assert "Opak Sangkanhurip" not in names
    past = browser.get("/laporan/desa?page=99")
    assert past.status_code == 200 and 'id="rp-group-' not in past.get_data(as_text=True)


def test_village_reports_show_each_officer_their_own_in_turn(make_browser, world):
    # Two officers of different villages, one after the other: each sees their own.
    expected = {"kesra": ({"Ladu Ketan RW 09", "Tas Rajut RW 09", "Keripik Sepi"}, "a"),
                "kesrab": ({"Opak Sangkanhurip"}, "b")}
    readers = {login: make_browser() for login in expected}
    for login, reader in readers.items():
        reader.login(login)
    for _round in range(2):
        for login, (groups, village) in expected.items():
            page = readers[login].get("/laporan/desa?sampai=2026-11")
            names = set(re.findall(r'<h2 id="rp-group-\d+">([^<]+)</h2>',
                                   page.get_data(as_text=True)))
            assert names == groups, login
            _q, _o, producer = sql_figures(*wib_month_bounds(2026, 6, count=6),
                                           village_ids=[world[village].id])
            assert tiles(page)["pendapatan kelompok"] == rp(producer), login

def test_village_report_compares_with_the_baseline(browser, make_browser, world):
    # MRSE channels of the ladu group (its share of reseller orders): September
    # 208.000, October 36.000, November 24.000 + 80.000 = 104.000. Only November's
    # other sales are recorded (50.000): 154.000 against 100.000 before MRSE, +54%.
    # The other months have no change: "−64%" or "−100%" would only be missing data.
    producer = make_browser()
    producer.login("ladu")
    html = producer.get("/penjualan-lain").get_data(as_text=True)
    token = form_token(html)
    sent = producer.submit("/penjualan-lain", {
        "amount": "50.000", "channel": "direct", "span": "month", "sold_on": "2026-11-10",
        "form_token": unescape(token)})
    assert sent.status_code == 302
    browser.login("kesra")
    page = browser.get("/laporan/desa?sampai=2026-11")
    assert page.status_code == 200
    ladu = text_of_section(page, f"rp-group-{world['ladu'].id}")
    assert "Ladu Ketan RW 09" in ladu and "Katapang" in ladu
    assert "Omzet sebelum program Rp 100.000 per bulan" in ladu
    assert re.search(r"November 2026 seluruhnya Rp 154\.000 \+54% Omzet MRSE Rp 104\.000 "
                     r"· penjualan lain Rp 50\.000", ladu)
    assert re.search(r"September 2026 MRSE Rp 208\.000 Omzet MRSE Rp 208\.000 · penjualan "
                     r"lain belum dicatat", ladu)
    assert re.search(r"Oktober 2026 MRSE Rp 36\.000 Omzet MRSE", ladu)
    assert re.search(r"Juni 2026 MRSE Rp 0 Omzet MRSE", ladu)
    assert not re.search(r"[−-]\d+%", ladu), ladu
    # MRSE over six months: (208.000 + 36.000 + 104.000) / 6 = 58.000 a month.
    assert "Omzet MRSE (reseller, titip jual, pesanan acara) Rp 58.000 per bulan" in ladu
    assert "Perubahan omzet seluruhnya +54%" in ladu
    assert "2 reseller aktif" in ladu  # Kiki and Gilang
    # No baseline and nothing recorded: no percentage, what MRSE added.
    rajut = text_of_section(page, f"rp-group-{world['rajut'].id}")
    assert "Omzet sebelum program belum diisi" in rajut
    assert "Penjualan lain belum dicatat — perubahan belum bisa dihitung" in rajut
    assert "Tambahan dari saluran MRSE Rp 20.000 per bulan" in rajut  # 120.000 / 6
    assert "%" not in rajut
    assert "1 reseller aktif" in rajut
    # A group without sales is listed with zeros; another village's group is not.
    sepi = text_of_section(page, f"rp-group-{world['sepi'].id}")
    assert "0 reseller aktif" in sepi and re.search(r"November 2026 MRSE Rp 0", sepi)
    assert "Opak Sangkanhurip" not in text_of(page)
    # Totals of the six months equal the database.
    quantity, omzet, producer = sql_figures(*wib_month_bounds(2026, 6, count=6),
                                            village_ids=[world["a"].id])
    assert tiles(page)["pendapatan kelompok"] == rp(producer)
    assert tiles(page)["omzet (harga konsumen)"] == rp(omzet)


def text_of_section(response, heading_id) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", section(response, heading_id))))


# --- CSV --------------------------------------------------------------------------------


def test_csv_rows_and_totals(browser, world):
    factories.order(world["ge"], [(world["snack"], 1)], "shipped", "shopee",
                    at(2026, 9, 25))
    browser.login("kesra")
    response = browser.get("/laporan.csv?bulan=2026-09")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="penjualan-2026-09.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Bulan", "Kelompok", "Reseller", "Produk", "Satuan", "Jumlah",
                       "Pesanan", "Omzet", "Pendapatan produsen", "Margin reseller"]
    body, total = rows[1:-1], rows[-1]
    assert body == [
        ["2026-09", "Ladu Ketan RW 09", "Gilang Eka", "Ladu Ketan Original", "pak", "5",
         "2", "75000", "60000", "15000"],
        ["2026-09", "Ladu Ketan RW 09", "Gilang Eka", "Ladu Kotak Hantaran", "kotak", "1",
         "1", "50000", "40000", "10000"],
        ["2026-09", "Ladu Ketan RW 09", "Kiki Aulia", "Ladu Ketan Original", "pak", "10",
         "1", "150000", "120000", "30000"],
        ["2026-09", "Tas Rajut RW 09", "Tasya Rajutan", "Tas Rajut Mini", "pcs", "2", "1",
         "160000", "120000", "40000"],
    ]
    quantity, omzet, producer = sql_figures(*wib_month_bounds(2026, 9),
                                            village_ids=[world["a"].id])
    assert total[0] == "Total"
    assert total[5] == str(quantity) == str(sum(int(r[5]) for r in body))
    assert total[7] == str(omzet) == str(sum(int(r[7]) for r in body))
    assert total[8] == str(producer) and total[9] == str(omzet - producer)
    # Six months, several months in one file, oldest first.
    rows = csv_rows(browser.get(f"/laporan.csv?kelompok={world['ladu'].id}"))
    months = [r[0] for r in rows[1:-1]]
    assert months == sorted(months)


def test_csv_cells_are_formula_safe(browser, world):
    sly = factories.reseller(world["a"], username="sly", full_name="=HYPERLINK(\"x\")")
    factories.order(sly, [(world["snack"], 1)], "shipped", "shopee", at(2026, 9, 11))
    browser.login("ladu")
    rows = csv_rows(browser.get("/laporan.csv?bulan=2026-09"))
    assert "'=HYPERLINK(\"x\")" in [r[2] for r in rows]


def test_tiktok_shop_orders_count_in_sales_by_channel(browser, world):
    factories.order(world["ka"], [(world["snack"], 6)], "shipped", "tiktok", at(2026, 9, 25))
    factories.order(world["ge"], [(world["snack"], 2)], "new", "tiktok", at(2026, 9, 26))
    browser.login("ladu")
    page = browser.get("/laporan?bulan=2026-09")
    channels = bars(page, "rp-channels")
    assert channels["TikTok Shop"] == rp(90_000)  # the new order is no sale yet
    assert channels["Shopee"] == rp(150_000) and channels["WhatsApp"] == rp(110_000)
    assert list(channels)[:3] == ["Shopee", "WhatsApp", "TikTok Shop"]  # largest first


# --- a fixed number of queries ----------------------------------------------------------



def add_orders(count, world, resellers, products):
    channels = ("shopee", "tokopedia", "whatsapp", "facebook", "instagram", "website",
                "direct")
    statuses = ("shipped", "finished", "new", "cancelled")
    for n in range(count):
        factories.order(resellers[n % len(resellers)],
                        [(products[n % len(products)], 1 + n % 4)],
                        statuses[n % len(statuses)], channels[n % len(channels)],
                        datetime.now(UTC) - timedelta(days=(n * 11) % 170))


@pytest.mark.parametrize("login, urls", [
    ("kesra", ["/laporan", "/laporan?bulan=2026-09", "/laporan.csv", "/laporan/desa"]),
    ("ladu", ["/laporan", "/laporan.csv"]),
    ("ka", ["/penghasilan"]),
])
def test_query_count_does_not_grow_with_the_orders(app, browser, world, login, urls):
    a = world["a"]
    groups = [world["ladu"], world["rajut"], world["sepi"]]
    products = [world["snack"], world["box"]] + [
        factories.product(groups[n % 3], f"Produk Banyak {n}") for n in range(6)]
    resellers = [world["ka"]] + [factories.reseller(a, username=f"banyak{n}")
                                 for n in range(6)]
    if login == "ka":  # the reseller's page: only own orders grow
        resellers = [world["ka"]]
    browser.login(login)
    add_orders(3, world, resellers, products)
    few = {url: count_queries(app, browser, url) for url in urls}
    add_orders(27, world, resellers, products)
    many = {url: count_queries(app, browser, url) for url in urls}
    assert few == many
    assert all(n <= 12 for n in many.values()), many

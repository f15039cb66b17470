"""Consignment at warung and markets: outlets, drops that take stock or capacity,
visits with exact rupiah arithmetic, closing, outstanding figures, pull-back alerts,
the settlement slip, the fund hook, double submits and scoping."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from crm.audit.models import AuditEntry
from crm.catalog.models import CapacityDay, Product, StockMovement
from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.consignment.queries import consignment_sales_by_month, overdue_drops_for
from crm.consignment.services import cut_for, place_drop
from crm.consignment.visits import record_visit
from crm.documents.models import DocumentCounter, IssuedDocument
from crm.extensions import db
from crm.fund.models import FundEntry, FundRule
from crm.text.dates import roman_month
from crm.text.money_words import rupiah_in_words
from crm.text.percent import parse_percent
from tests.consignment.helpers import (
    MARKUP,
    make_outlet,
    make_world,
    post_drop,
    post_visit,
    section,
    stock_of,
    today,
    visit_data,
    words,
)
from tests.helpers import count, pdf_text, reload, text_of, user


@pytest.fixture
def world(app):
    return make_world()


def drops_of(outlet) -> list[ConsignmentDrop]:
    db.session.expire_all()
    return list(db.session.scalars(select(ConsignmentDrop).where(
        ConsignmentDrop.outlet_id == outlet.id).order_by(ConsignmentDrop.id)))


def drop_via_service(outlet, product, quantity, actor="ladu", **values):
    outcome = place_drop(reload(outlet), reload(product), {"quantity": quantity, **values},
                         user(actor))
    db.session.commit()
    return outcome.drop


# --- outlets ------------------------------------------------------------------------


def test_producer_adds_outlet_of_own_group_with_normalised_phone(browser, world):
    browser.login("ladu")
    response = browser.submit("/titip/warung/baru", {
        "name": "Warung Bu Imas", "kind": "warung", "owner_name": "Bu Imas",
        "phone": "0812-9876-5432", "outlet_village": "Sangkanhurip", "address": "Jl. Raya 1",
        # Fields the form does not have: ignored.
        "group_id": str(world["opak"].id), "village_id": str(world["b"].id), "active": "",
    })
    assert response.status_code == 302
    outlet = db.session.scalar(select(Outlet))
    assert outlet.group_id == world["ladu"].id
    assert outlet.village_id == world["a"].id
    assert outlet.phone == "6281298765432"
    assert outlet.outlet_village == "Sangkanhurip" and outlet.active
    page = browser.get(response.headers["Location"])
    assert "Warung Bu Imas" in text_of(page)
    assert "https://wa.me/6281298765432?text=" in page.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "outlet"))


def test_outlet_refusals_keep_what_was_typed(browser, world):
    make_outlet(world["ladu"], "Warung Bu Imas")
    browser.login("ladu")
    response = browser.submit("/titip/warung/baru", {
        "name": "warung bu imas", "kind": "warung", "phone": "12345", "owner_name": "Pak Ujang"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Nomor HP tidak dikenali" in text
    assert 'value="Pak Ujang"' in response.get_data(as_text=True)
    response = browser.submit("/titip/warung/baru", {"name": "warung bu imas", "kind": "warung"})
    assert "sudah punya tempat bernama" in text_of(response)
    response = browser.submit("/titip/warung/baru", {"name": "", "kind": "gudang"})
    assert response.status_code == 200
    assert "Isi nama warung atau lapak." in text_of(response)
    assert count(Outlet) == 1


def test_officer_chooses_a_group_of_own_villages_only(browser, world):
    browser.login("kesra")
    page = text_of(browser.get("/titip/warung/baru"))
    assert "Tas Rajut RW 09" in page and "Opak Sangkanhurip" not in page
    response = browser.submit("/titip/warung/baru", {
        "group_id": str(world["opak"].id), "name": "Lapak Pasar Banjaran", "kind": "pasar"})
    assert response.status_code == 200 and count(Outlet) == 0
    response = browser.submit("/titip/warung/baru", {
        "group_id": str(world["rajut"].id), "name": "Lapak Pasar Banjaran", "kind": "pasar"})
    assert response.status_code == 302
    outlet = db.session.scalar(select(Outlet))
    assert outlet.group_id == world["rajut"].id and outlet.kind == "pasar"


def test_edit_outlet_keeps_group_and_can_deactivate(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    url = f"/titip/warung/{outlet.id}/ubah"
    response = browser.submit(url, {"name": "Warung Bu Imas Baru", "kind": "kios",
                                    "group_id": str(world["rajut"].id), "active": ""})
    assert response.status_code == 302
    outlet = reload(outlet)
    assert outlet.name == "Warung Bu Imas Baru" and outlet.kind == "kios"
    assert outlet.group_id == world["ladu"].id and not outlet.active
    # An inactive outlet takes no new goods.
    response = post_drop(browser, outlet, world["pak"], 5)
    assert "tidak aktif" in text_of(response)
    assert count(ConsignmentDrop) == 0 and stock_of(world["pak"]) == 50


def test_reseller_and_partner_get_403(browser, world, make_browser):
    outlet = make_outlet(world["ladu"])
    for username in ("ka", "pemdes"):
        other = make_browser()
        other.login(username)
        for url in ("/titip/", "/titip/warung/baru", f"/titip/warung/{outlet.id}",
                    f"/titip/warung/{outlet.id}/kunjungan"):
            assert other.get(url).status_code == 403, (username, url)


# --- drops --------------------------------------------------------------------------


def test_drop_takes_stock_with_defaults(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    response = post_drop(browser, outlet, world["pak"], 20, cut_value="12,5")
    assert response.status_code == 302
    [drop] = drops_of(outlet)
    assert (drop.quantity, drop.on_shelf, drop.status) == (20, 20, "open")
    assert drop.unit_price == 10_000  # the retail price
    assert (drop.cut_kind, drop.cut_value) == ("percent", 1250)
    assert drop.placed_on == today()
    assert drop.pull_back_on == today() + timedelta(days=5)  # the shelf life
    assert stock_of(world["pak"]) == 30
    movement = db.session.scalar(select(StockMovement).where(
        StockMovement.kind == "consignment_out"))
    assert movement.quantity == -20 and movement.balance_after == 30
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "consignment_drop", AuditEntry.entity_id == drop.id))
    # No shelf life: no pull-back day unless one is typed.
    post_drop(browser, outlet, world["keripik"], 5, cut_kind="fixed", cut_value="Rp 1.000",
              unit_price="7.000")
    keripik = drops_of(outlet)[1]
    assert keripik.pull_back_on is None
    assert (keripik.unit_price, keripik.cut_kind, keripik.cut_value) == (7_000, "fixed", 1_000)
    # The next drop at this outlet suggests the same cut.
    page = browser.get(f"/titip/warung/{outlet.id}/taruh").get_data(as_text=True)
    assert 'value="1.000"' in page


def test_not_enough_stock_is_refused_and_nothing_stored(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    response = post_drop(browser, outlet, world["tas"], 1)  # another group's product
    assert response.status_code == 200 and "Pilih produk" in text_of(response)
    response = post_drop(browser, outlet, world["pak"], 51)
    assert response.status_code == 200
    assert "Stok Ladu Ketan Pak tidak cukup: tinggal 50, mau dititip 51." in text_of(response)
    assert 'value="51"' in response.get_data(as_text=True)
    assert count(ConsignmentDrop) == 0
    assert stock_of(world["pak"]) == 50
    assert count(StockMovement) == 3  # only the production of the world


@pytest.mark.parametrize("fields, message", [
    ({"cut_value": "150"}, "Tulis persen 0 sampai 100"),
    ({"cut_value": "sepuluh"}, "Tulis persen 0 sampai 100"),
    ({"cut_kind": "fixed", "cut_value": "12,5"}, "Tulis potongan rupiah per barang"),
    ({"cut_kind": "fixed", "cut_value": "20.000"}, "lebih besar dari harganya"),
    ({"unit_price": "Infinity"}, "Tulis jumlah rupiah dengan angka"),
    ({"quantity": "0"}, "Jumlah 1 sampai 10000"),
    ({"quantity": "dua"}, "Tulis jumlah dengan angka"),
    ({"placed_on": "2999-01-01"}, "Tanggal taruh tidak boleh setelah hari ini"),
    ({"placed_on": "2020-01-01"}, "Tanggal terlalu lama"),
    ({"pull_back_on": "2001-01-01"}, "Tanggal tarik tidak boleh sebelum tanggal taruh"),
])
def test_bad_drop_input_gets_a_clear_message(browser, world, fields, message):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    data = {"quantity": fields.pop("quantity", 5), **fields}
    response = post_drop(browser, outlet, world["pak"], **data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(ConsignmentDrop) == 0 and stock_of(world["pak"]) == 50


def test_made_to_order_drop_uses_the_days_capacity(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    assert post_drop(browser, outlet, world["box"], 20).status_code == 302
    used = db.session.scalar(select(CapacityDay.used).where(
        CapacityDay.product_id == world["box"].id, CapacityDay.day == today()))
    assert used == 20
    assert stock_of(world["box"]) == 0
    response = post_drop(browser, outlet, world["box"], 11)
    assert response.status_code == 200
    assert "Kapasitas Ladu Box Pesanan" in text_of(response) and "tinggal 10" in text_of(response)
    assert len(drops_of(outlet)) == 1


def test_resent_drop_form_creates_one_drop(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    from tests.consignment.helpers import drop_data

    url, data = drop_data(browser, outlet, world["pak"], 10)
    assert browser.client.post(url, data=data).status_code == 302
    assert browser.client.post(url, data=data).status_code == 302
    assert len(drops_of(outlet)) == 1
    assert stock_of(world["pak"]) == 40
    assert count(StockMovement) == 4


def test_extra_post_fields_on_a_drop_are_ignored(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    response = post_drop(browser, outlet, world["pak"], 10, group_id=world["opak"].id,
                         village_id=world["b"].id, status="closed", on_shelf=999,
                         outlet_id=999, created_by_id=1)
    assert response.status_code == 302
    [drop] = drops_of(outlet)
    assert (drop.group_id, drop.village_id) == (world["ladu"].id, world["a"].id)
    assert (drop.status, drop.on_shelf, drop.outlet_id) == ("open", 10, outlet.id)
    assert drop.created_by_id == user("ladu").id


# --- visits: the arithmetic ---------------------------------------------------------


def test_percent_parsing_and_cut_rounding():
    assert [parse_percent(t) for t in ("10", "12,5", "12.5 %", "0", "100", "7,25")] \
        == [1000, 1250, 1250, 0, 10000, 725]
    for bad in ("100,01", "1.000", "-5", "abc", "", "١٠"):
        with pytest.raises(ValueError):
            parse_percent(bad)
    # 3 × Rp 9.999 = Rp 29.997; 12,5 % of it is Rp 3.749,625: the cut is rounded down.
    assert cut_for(3, 9_999, "percent", 1250) == 3_749
    assert cut_for(7, 7_500, "fixed", 1_000) == 7_000


def test_visit_worked_example_percent_and_fixed(browser, world):
    """Ladu Ketan: 20 left at Rp 12.500 with a 12,5 % cut; at the visit 5 remain, 2
    are taken back, 1 is spoilt: 12 sold = Rp 150.000, cut Rp 18.750, due Rp 131.250.
    Keripik: 10 at Rp 7.500 less Rp 1.000 each; 3 taken back, none remain: 7 sold =
    Rp 52.500, cut Rp 7.000, due Rp 45.500. Together Rp 176.750; Rp 150.000 paid,
    Rp 26.750 still owed."""
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20, unit_price="Rp 12.500", cut_value="12,5")
    post_drop(browser, outlet, world["keripik"], 10, cut_kind="fixed", cut_value="1.000")
    pak, keripik = drops_of(outlet)
    response = post_visit(browser, outlet, {pak.id: (5, 2, 1), keripik.id: (0, 3, "")},
                          cash="Rp 150.000")
    assert response.status_code == 302, text_of(response)
    visit = db.session.scalar(select(ConsignmentVisit))
    assert (visit.amount_due, visit.cash_collected) == (176_750, 150_000)
    lines = {line.drop_id: line for line in visit.lines}
    one, two = lines[pak.id], lines[keripik.id]
    assert (one.on_shelf_before, one.remaining, one.returned, one.expired, one.sold) \
        == (20, 5, 2, 1, 12)
    assert (one.unit_price, one.cut_amount, one.amount_due) == (12_500, 18_750, 131_250)
    assert (two.sold, two.cut_amount, two.amount_due) == (7, 7_000, 45_500)
    pak, keripik = drops_of(outlet)
    assert (pak.on_shelf, pak.status) == (5, "open")
    assert (keripik.on_shelf, keripik.status) == (0, "closed")
    assert keripik.closed_at is not None
    page = text_of(browser.get(response.headers["Location"]))
    assert "Rp 176.750" in page and "Rp 26.750" in page
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "consignment_visit", AuditEntry.entity_id == visit.id))


def test_stock_ledger_follows_drops_and_visits(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    assert stock_of(world["pak"]) == 30
    post_visit(browser, outlet, {drop.id: (10, 4, 3)})
    # The 4 taken back return to stock; the 3 spoilt do not (they already left).
    assert stock_of(world["pak"]) == 34
    kinds = db.session.execute(select(StockMovement.kind, StockMovement.quantity).where(
        StockMovement.product_id == world["pak"].id).order_by(StockMovement.id)).all()
    assert kinds == [("production", 50), ("consignment_out", -20), ("consignment_back", 4)]
    ledger = db.session.scalar(select(func.sum(StockMovement.quantity)).where(
        StockMovement.product_id == world["pak"].id))
    assert ledger == stock_of(world["pak"])


def test_counting_more_than_on_shelf_is_refused_and_nothing_stored(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    post_drop(browser, outlet, world["keripik"], 10)
    pak, keripik = drops_of(outlet)
    response = post_visit(browser, outlet, {pak.id: (5, 2, 0), keripik.id: (8, 2, 1)},
                          cash="10.000")
    assert response.status_code == 200
    text = text_of(response)
    assert "Jumlah sisa + ditarik + rusak melebihi yang ada di rak (10)" in text
    assert 'value="8"' in response.get_data(as_text=True)
    assert count(ConsignmentVisit) == 0 and count(ConsignmentVisitLine) == 0
    assert [d.on_shelf for d in drops_of(outlet)] == [20, 10]
    assert stock_of(world["pak"]) == 30 and stock_of(world["keripik"]) == 30


@pytest.mark.parametrize("row, cash, message", [
    (("", 2, ""), "", "Isi sisa di rak (0 kalau habis)."),
    (("x", "", ""), "", "Tulis jumlah dengan angka"),
    ((-1, "", ""), "", "Jumlah 0 sampai 10000"),
    (None, "", "Isi hitungan barang di rak, atau uang yang diterima."),
    ((20, "", ""), "5.000", "melebihi tagihan tempat ini (Rp 0)"),
    ((19, "", ""), "1,5", "Tulis jumlah rupiah tanpa sen"),
])
def test_bad_visit_input_gets_a_clear_message(browser, world, row, cash, message):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    counts = {drop.id: row} if row else {}
    response = post_visit(browser, outlet, counts, cash=cash)
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(ConsignmentVisit) == 0 and drops_of(outlet)[0].on_shelf == 20


def test_visit_on_a_future_day_or_before_the_drop_is_refused(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    future = (today() + timedelta(days=1)).isoformat()
    response = post_visit(browser, outlet, {drop.id: (10, "", "")}, visited_on=future)
    assert "Tanggal kunjungan tidak boleh setelah hari ini." in text_of(response)
    earlier = (today() - timedelta(days=1)).isoformat()
    response = post_visit(browser, outlet, {drop.id: (10, "", "")}, visited_on=earlier)
    assert "Tanggal kunjungan sebelum barang ini ditaruh" in text_of(response)
    assert count(ConsignmentVisit) == 0


def test_a_shelf_changed_meanwhile_is_refused(browser, world, make_browser):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    url, data = visit_data(browser, outlet, {drop.id: (10, "", "")})
    other = make_browser()
    other.login("kesra")
    assert post_visit(other, outlet, {drop.id: (15, "", "")}).status_code == 302
    response = browser.client.post(url, data=data)
    assert response.status_code == 200
    assert "baru saja diubah orang lain" in text_of(response)
    assert count(ConsignmentVisit) == 1 and drops_of(outlet)[0].on_shelf == 15


def test_resent_visit_form_creates_one_visit(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    url, data = visit_data(browser, outlet, {drop.id: (10, 2, 0)}, cash="40.000")
    first = browser.client.post(url, data=data)
    second = browser.client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(ConsignmentVisit) == 1 and count(ConsignmentVisitLine) == 1
    assert drops_of(outlet)[0].on_shelf == 10
    assert stock_of(world["pak"]) == 32


def test_drop_closes_when_empty_and_leaves_the_visit_form(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 6)
    post_drop(browser, outlet, world["keripik"], 4)
    pak, keripik = drops_of(outlet)
    post_visit(browser, outlet, {pak.id: (0, 0, 0)})  # keripik not counted: unchanged
    pak, keripik = drops_of(outlet)
    assert (pak.status, pak.on_shelf) == ("closed", 0)
    assert (keripik.status, keripik.on_shelf) == ("open", 4)
    form = browser.get(f"/titip/warung/{outlet.id}/kunjungan").get_data(as_text=True)
    assert f'value="{keripik.id}"' in form and f'value="{pak.id}"' not in form
    visit = db.session.scalar(select(ConsignmentVisit))
    assert [line.drop_id for line in visit.lines] == [pak.id]
    assert visit.amount_due == 6 * 10_000 - 6 * 10_000 * 1000 // 10_000


def test_cash_only_visit_settles_an_old_debt(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 5)
    [drop] = drops_of(outlet)
    post_visit(browser, outlet, {drop.id: (0, 0, 0)})  # 5 sold: Rp 45.000 due, none paid
    form = text_of(browser.get(f"/titip/warung/{outlet.id}/kunjungan"))
    assert "Tidak ada barang di rak" in form and "Rp 45.000" in form
    response = post_visit(browser, outlet, {}, cash="50.000")
    assert "melebihi tagihan tempat ini (Rp 45.000)" in text_of(response)
    response = post_visit(browser, outlet, {}, cash="45.000")
    assert response.status_code == 302
    last = db.session.scalar(select(ConsignmentVisit).order_by(ConsignmentVisit.id.desc()))
    assert (last.amount_due, last.cash_collected, last.lines) == (0, 45_000, [])
    assert "Lunas" in text_of(browser.get(response.headers["Location"]))


# --- outstanding, alerts ------------------------------------------------------------


def test_outstanding_per_outlet_matches_sql_and_queries_do_not_grow(browser, world):
    browser.login("ladu")
    imas = make_outlet(world["ladu"], "Warung Bu Imas")
    pasar = make_outlet(world["ladu"], "Lapak Pasar Katapang", kind="pasar")
    for outlet, sold, cash in ((imas, 3, "10.000"), (pasar, 7, "")):
        post_drop(browser, outlet, world["pak"], 10)
        [drop] = drops_of(outlet)
        post_visit(browser, outlet, {drop.id: (10 - sold, 0, 0)}, cash=cash)
    page = words(browser.get("/titip/"))
    for outlet in (imas, pasar):
        units, value = db.session.execute(select(
            func.sum(ConsignmentDrop.on_shelf),
            func.sum(ConsignmentDrop.on_shelf * ConsignmentDrop.unit_price)).where(
            ConsignmentDrop.outlet_id == outlet.id, ConsignmentDrop.status == "open")).one()
        due, cash = db.session.execute(select(
            func.sum(ConsignmentVisit.amount_due), func.sum(ConsignmentVisit.cash_collected))
            .where(ConsignmentVisit.outlet_id == outlet.id)).one()
        expected = (f"Di rak: {units} barang (Rp {value:,})".replace(",", "."),
                    f"Belum dibayar: Rp {due - cash:,}".replace(",", "."))
        for snippet in expected:
            assert snippet in page, snippet
    # Imas: 3 sold × Rp 9.000 = Rp 27.000 less Rp 10.000 paid; pasar: 7 × Rp 9.000.
    assert "Belum dibayar: Rp 17.000" in page and "Belum dibayar: Rp 63.000" in page
    assert "Di rak: 7 barang (Rp 70.000)" in page and "Di rak: 3 barang (Rp 30.000)" in page

    statements = []

    def counter(*args):
        statements.append(args[2])

    def queries() -> int:
        statements.clear()
        event.listen(Engine, "before_cursor_execute", counter)
        try:
            assert browser.get("/titip/").status_code == 200
        finally:
            event.remove(Engine, "before_cursor_execute", counter)
        return len(statements)

    few = queries()
    for n in range(4):
        outlet = make_outlet(world["ladu"], f"Warung Tambahan {n}")
        drop_via_service(outlet, world["keripik"], 2)
    assert queries() == few


def test_overdue_and_near_pull_backs_are_highlighted(browser, world):
    late = make_outlet(world["ladu"], "Warung Telat")
    near = make_outlet(world["ladu"], "Warung Besok")
    fine = make_outlet(world["ladu"], "Warung Aman")
    browser.login("ladu")
    day = today()
    post_drop(browser, late, world["pak"], 4, placed_on=(day - timedelta(days=6)).isoformat(),
              pull_back_on=(day - timedelta(days=1)).isoformat())
    post_drop(browser, near, world["pak"], 3, pull_back_on=(day + timedelta(days=1)).isoformat())
    post_drop(browser, fine, world["pak"], 2)  # shelf life 5 days
    page = browser.get("/titip/")
    text = words(page)
    assert text.index("Lewat batas tarik — tarik hari ini") < text.index("Warung Telat")
    overdue_part = section(page, "cs-overdue")
    assert "Warung Telat" in overdue_part and "4 Ladu Ketan Pak" in overdue_part
    assert "lewat 1 hari" in overdue_part and "Warung Besok" not in overdue_part
    soon_part = section(page, "cs-soon")
    assert "Warung Besok" in soon_part and "tarik besok" in soon_part
    assert "Warung Telat" not in soon_part
    assert "Warung Aman" not in overdue_part + soon_part
    assert [d.outlet.name for d in overdue_drops_for(user("ladu"), day)] == ["Warung Telat"]
    assert overdue_drops_for(user("rajut"), day) == []
    assert [d.outlet.name for d in overdue_drops_for(user("kesra"), day)] == ["Warung Telat"]
    assert overdue_drops_for(user("kesra_b"), day) == []
    detail = text_of(browser.get(f"/titip/warung/{late.id}"))
    assert "Lewat batas tarik — tarik hari ini" in detail


def test_officer_filters_outlets_by_group(browser, world):
    make_outlet(world["ladu"], "Warung Ladu")
    make_outlet(world["rajut"], "Kios Rajut")
    make_outlet(world["opak"], "Warung Opak")
    browser.login("kesra")
    every = text_of(browser.get("/titip/"))
    assert "Warung Ladu" in every and "Kios Rajut" in every and "Warung Opak" not in every
    only = text_of(browser.get(f"/titip/?kelompok={world['rajut'].id}"))
    assert "Kios Rajut" in only and "Warung Ladu" not in only
    # A group outside the officer's villages filters nothing in.
    other = text_of(browser.get(f"/titip/?kelompok={world['opak'].id}"))
    assert "Warung Opak" not in other


# --- the slip, the fund, sales by month ---------------------------------------------


def test_settlement_slip_pdf(browser, world):
    outlet = make_outlet(world["ladu"], MARKUP, owner_name="Bu <i>Imas</i>")
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20, unit_price="12.500", cut_value="12,5")
    [drop] = drops_of(outlet)
    response = post_visit(browser, outlet, {drop.id: (5, 2, 1)}, cash="100.000")
    visit = db.session.scalar(select(ConsignmentVisit))
    slip_url = f"/titip/kunjungan/{visit.id}/nota.pdf"

    def counted():
        return (count(IssuedDocument),
                db.session.scalar(select(func.coalesce(func.sum(DocumentCounter.last), 0))))

    # Opening it (a GET, which a link on any site can make a browser send) never
    # numbers it; the "Terbitkan" button (a POST with its CSRF token) does.
    opened = browser.get(slip_url)
    assert opened.status_code == 302
    assert "belum bernomor" in text_of(browser.get(opened.headers["Location"]))
    assert counted() == (0, 0)
    issue_url = f"/titip/kunjungan/{visit.id}/nota/terbitkan"
    assert browser.client.post(issue_url).status_code == 400 and counted() == (0, 0)
    issued = browser.submit(issue_url, page=f"/titip/kunjungan/{visit.id}")
    assert issued.status_code == 303 and issued.headers["Location"].endswith(slip_url)
    assert counted() == (1, 1)
    slip = browser.get(slip_url)
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    text = pdf_text(slip)
    day = today()
    number = f"001/TTP/KTP/{roman_month(day.month)}/{day.year}"
    assert "NOTA TITIP JUAL" in text and number in text
    assert MARKUP in text and "Bu <i>Imas</i>" in text
    assert "Ladu Ketan RW 09" in text and "Kp. Katapang RT 02/RW 09" in text
    from babel.dates import format_date
    assert format_date(day, "EEEE, d MMMM y", locale="id") in text
    for figure in ("Rp 12.500", "Rp 18.750", "Rp 131.250", "Rp 100.000", "Rp 31.250",
                   "12,5%"):
        assert figure in text, figure
    assert rupiah_in_words(131_250) in text.lower()
    assert "Pemilik warung" in text and "Ibu Euis" in text
    again = pdf_text(browser.get(slip_url))
    assert number in again and number in text_of(browser.get(f"/titip/kunjungan/{visit.id}"))
    assert browser.submit(issue_url, page=f"/titip/kunjungan/{visit.id}").status_code == 303
    assert counted() == (1, 1)
    assert response.status_code == 302


def test_fund_contribution_written_for_a_percent_rule(browser, world):
    db.session.add(FundRule(group_id=world["ladu"].id, mode="percent", rate_bp=250,
                            starts_on=date(2020, 1, 1)))
    db.session.commit()
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20, unit_price="12.500", cut_value="12,5")
    [drop] = drops_of(outlet)
    post_visit(browser, outlet, {drop.id: (5, 2, 1)})
    visit = db.session.scalar(select(ConsignmentVisit))
    entry = db.session.scalar(select(FundEntry))
    assert (entry.source, entry.source_id, entry.revenue) == ("consignment", visit.id, 131_250)
    assert entry.amount == 131_250 * 250 // 10_000 == 3_281
    assert entry.occurred_on == visit.visited_on


def test_no_fund_rule_writes_nothing(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 5)
    [drop] = drops_of(outlet)
    assert post_visit(browser, outlet, {drop.id: (0, 0, 0)}).status_code == 302
    assert count(FundEntry) == 0


def test_consignment_sales_by_month(world):
    outlet = make_outlet(world["ladu"])
    day = today()
    first = day.replace(day=1)
    last_month = first - timedelta(days=1)
    placed = last_month - timedelta(days=1) if last_month.day > 1 else last_month
    drop = drop_via_service(outlet, world["pak"], 20, placed_on=placed, unit_price=12_500,
                            cut_value=1250)
    record_visit(reload(outlet), {"visited_on": last_month},
                 [{"drop_id": drop.id, "remaining": 15, "returned": 0, "expired": 0}],
                 user("ladu"))
    db.session.commit()
    record_visit(reload(outlet), {"visited_on": day},
                 [{"drop_id": drop.id, "remaining": 10, "returned": 2, "expired": 0}],
                 user("ladu"))
    db.session.commit()
    sales = consignment_sales_by_month(world["ladu"].id, day - timedelta(days=70), day)
    assert sales == {(last_month.year, last_month.month): 5 * 12_500,
                     (day.year, day.month): 3 * 12_500}
    assert consignment_sales_by_month(world["ladu"].id, first, day) == {
        (day.year, day.month): 3 * 12_500}
    assert consignment_sales_by_month(world["rajut"].id, day - timedelta(days=70), day) == {}


# --- scoping ------------------------------------------------------------------------


def test_other_group_and_village_get_404_and_change_nothing(browser, world, make_browser):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20)
    [drop] = drops_of(outlet)
    post_visit(browser, outlet, {drop.id: (15, 0, 0)})
    visit = db.session.scalar(select(ConsignmentVisit))
    urls = [f"/titip/warung/{outlet.id}", f"/titip/warung/{outlet.id}/ubah",
            f"/titip/warung/{outlet.id}/taruh", f"/titip/warung/{outlet.id}/kunjungan",
            f"/titip/taruh/{drop.id}", f"/titip/kunjungan/{visit.id}",
            f"/titip/kunjungan/{visit.id}/nota.pdf"]
    for username in ("rajut", "opak", "kesra_b"):
        other = make_browser()
        other.login(username)
        for url in urls:
            assert other.get(url).status_code == 404, (username, url)
        page = "/titip/warung/baru"
        assert other.submit(f"/titip/warung/{outlet.id}/ubah", {"name": "Diambil alih",
                                                                "kind": "toko"},
                            page=page).status_code == 404
        assert other.submit(f"/titip/warung/{outlet.id}/taruh", {
            "product_id": str(world["pak"].id), "quantity": "5"}, page=page).status_code == 404
        assert other.submit(f"/titip/warung/{outlet.id}/kunjungan", {
            "visited_on": today().isoformat(), "rows-0-drop_id": str(drop.id),
            "rows-0-remaining": "0", "cash_collected": "1.000"}, page=page).status_code == 404
        assert other.submit(f"/titip/kunjungan/{visit.id}/nota/terbitkan",
                            page=page).status_code == 404
        assert "Warung Bu Imas" not in text_of(other.get("/titip/"))
    assert reload(outlet).name == "Warung Bu Imas"
    assert [d.on_shelf for d in drops_of(outlet)] == [15]
    assert count(ConsignmentVisit) == 1 and count(IssuedDocument) == 0
    # The officer of the village sees and works on it.
    officer = make_browser()
    officer.login("kesra")
    issued = officer.submit(f"/titip/kunjungan/{visit.id}/nota/terbitkan",
                            page=f"/titip/kunjungan/{visit.id}")
    assert issued.status_code == 303 and count(IssuedDocument) == 1
    for url in urls:
        assert officer.get(url).status_code == 200, url


def test_another_groups_drop_cannot_be_counted_through_own_outlet(browser, world):
    theirs = make_outlet(world["ladu"], "Warung Ladu")
    drop = drop_via_service(theirs, world["pak"], 10)
    mine = make_outlet(world["rajut"], "Kios Rajut")
    browser.login("rajut")
    response = post_visit(browser, mine, {}, **{
        "rows-0-drop_id": str(drop.id), "rows-0-seen": "10", "rows-0-remaining": "0"})
    assert response.status_code == 200 and "Muat ulang" in text_of(response)
    assert reload(drop).on_shelf == 10 and count(ConsignmentVisit) == 0
    assert stock_of(world["pak"]) == 40
    assert db.session.get(Product, world["pak"].id).stock == 40

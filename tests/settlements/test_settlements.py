"""Returns, reseller payments, balances and statements: credits, stock coming back,
double submits, hand-computed balances, scoping of statements, CSV and PDF."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from crm.catalog.models import StockMovement
from crm.catalog.services import record_stock_movement
from crm.extensions import db
from crm.orders.models import OrderReturn
from crm.settlements.balances import balance, balances_for, month_of
from crm.settlements.models import ResellerPayment
from tests import factories
from tests.helpers import (
    WIB,
    csrf_token,
    csv_rows,
    form_token,
    pdf_lines,
    post_at_once,
    reload,
    statements_sent,
    text_of,
    wib,
)


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.officer(a, username="kesra")
    factories.officer(b, username="kesrab")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    rb = factories.reseller(b, username="rb", full_name="Rudi Budiman")
    keripik = factories.product(ladu, "Keripik Ladu", reseller_price=8_000,
                                retail_price=10_000)
    snack = factories.product(ladu, "Ladu Ketan Original", made_to_order=True,
                              daily_capacity=100, reseller_price=12_000,
                              retail_price=15_000)
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            reseller_price=60_000, retail_price=80_000, cost_price=45_000)
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "opak": opak, "ka": ka, "ge": ge,
            "rb": rb, "keripik": keripik, "snack": snack, "bag": bag}


def post_return(browser, order, line, quantity, reason="defect", borne_by="producer",
                resaleable=False, token=None, **extra):
    """Fill the return form of ``order`` like a producer would."""
    url = f"/pesanan/{order.id}/retur"
    html = browser.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "line_id": line.id, "quantity": quantity,
            "reason": reason, "borne_by": borne_by, "note": "",
            "form_token": token if token is not None else form_token(html, missing=""),
            **extra}
    if resaleable:
        data["resaleable"] = "y"
    return browser.client.post(url, data=data)


def post_payment(browser, group, amount, paid_on=None, reference="", token=None, **extra):
    """Fill the reseller's payment form."""
    html = browser.get("/setoran").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "form_token": token or form_token(html),
            "group_id": group.id, "amount": amount,
            "paid_on": (paid_on or date.today() - timedelta(days=1)).isoformat(),
            "reference": reference, **extra}
    return browser.client.post("/setoran", data=data, content_type="multipart/form-data")


def decide(browser, payment, step, **extra):
    return browser.submit(f"/setoran/{payment.id}/{step}", extra, page="/setoran")


def payments_of(reseller):
    return db.session.scalars(select(ResellerPayment).where(
        ResellerPayment.reseller_id == reseller.id).order_by(ResellerPayment.id)).all()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def statement_url(world, reseller="ka", group="ladu", suffix="", **period):
    query = "&".join(f"{k}={v}" for k, v in period.items())
    url = f"/saldo/{world[group].id}/{world[reseller].id}{suffix}"
    return url + ("?" + query if query else "")


def closing_on_page(response) -> str:
    match = re.search(r'id="saldo-akhir">([^<]+)<', response.get_data(as_text=True))
    assert match, "statement has no closing balance"
    return match.group(1).replace("\xa0", " ")


# --- returns ----------------------------------------------------------------------


def test_return_credit_reaches_the_next_statement(browser, make_browser, world):
    ka, ladu = world["ka"], world["ladu"]
    order = factories.order(ka, [(world["keripik"], 5), (world["snack"], 3)],
                            when=datetime.now(WIB) - timedelta(days=40))
    # 5 × 8.000 + 3 × 12.000 = 76.000 owed, all shipped before this month.
    reader = make_browser()
    reader.login("ka")
    assert closing_on_page(reader.get(statement_url(world))) == "Rp 76.000"

    browser.login("ladu")
    keripik_line, snack_line = order.lines
    response = post_return(browser, order, snack_line, 2, reason="defect",
                           borne_by="producer")
    assert response.status_code == 302
    made = db.session.scalar(select(OrderReturn))
    assert (made.credit, made.group_id, made.reseller_id) == (24_000, ladu.id, ka.id)
    page = reader.get(statement_url(world))
    assert closing_on_page(page) == "Rp 52.000"  # 76.000 − 2 × 12.000
    assert f"Retur pesanan #{order.id}" in text_of(page)

    # The reseller bears the loss: a return is recorded, nothing is credited.
    post_return(browser, order, keripik_line, 1, reason="refused_cod", borne_by="reseller")
    second = db.session.scalars(select(OrderReturn).order_by(OrderReturn.id)).all()[-1]
    assert (second.quantity, second.credit, second.borne_by) == (1, 0, "reseller")
    assert closing_on_page(reader.get(statement_url(world))) == "Rp 52.000"
    assert balance(ka.id, ladu.id) == 52_000


def test_resaleable_return_puts_stock_back_through_the_ledger(browser, world):
    keripik = world["keripik"]
    record_stock_movement(keripik, "production", 10, None)
    db.session.commit()
    order = factories.order(world["ka"], [(keripik, 4), (world["snack"], 2)])
    keripik_line, snack_line = order.lines
    browser.login("ladu")
    assert post_return(browser, order, keripik_line, 2, reason="wrong_item",
                       resaleable=True).status_code == 302
    assert reload(keripik).stock == 12
    movement = db.session.scalar(select(StockMovement).where(StockMovement.kind == "return"))
    assert (movement.product_id, movement.quantity, movement.balance_after) == (
        keripik.id, 2, 12)
    # Not fit for sale: no stock comes back.
    assert post_return(browser, order, keripik_line, 1, reason="damaged").status_code == 302
    assert reload(keripik).stock == 12
    # A made-to-order snack has no stock: a resaleable return moves nothing.
    assert post_return(browser, order, snack_line, 1, resaleable=True).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(StockMovement).where(
        StockMovement.kind == "return")) == 1
    assert db.session.scalar(select(func.count()).select_from(OrderReturn)) == 3


def test_return_beyond_what_was_sold_is_refused(browser, world):
    order = factories.order(world["ka"], [(world["keripik"], 3)], status="finished")
    line = order.lines[0]
    browser.login("ladu")
    refused = post_return(browser, order, line, 4)
    assert refused.status_code == 400
    assert "paling banyak 3 lagi" in text_of(refused)
    assert post_return(browser, order, line, 2).status_code == 302
    again = post_return(browser, order, line, 2)
    assert again.status_code == 400 and "paling banyak 1 lagi" in text_of(again)
    assert post_return(browser, order, line, 0).status_code == 400
    assert db.session.scalar(select(func.sum(OrderReturn.quantity))) == 2


@pytest.mark.parametrize("status", ["new", "confirmed", "packed", "cancelled"])
def test_return_on_an_unshipped_order_is_refused(browser, world, status):
    order = factories.order(world["ka"], [(world["keripik"], 3)], status=status)
    browser.login("ladu")
    assert "Retur hanya untuk pesanan yang sudah dikirim." in text_of(
        browser.get(f"/pesanan/{order.id}/retur"))
    refused = post_return(browser, order, order.lines[0], 1, token="")
    assert refused.status_code == 400
    assert "Retur hanya untuk pesanan yang sudah dikirim." in text_of(refused)
    assert db.session.scalar(select(OrderReturn)) is None


def test_return_form_is_for_the_groups_producers_and_village_officers(make_browser, world):
    order = factories.order(world["ka"], [(world["keripik"], 3)])
    for login in ("ka", "rajut", "opak", "kesrab"):
        other = make_browser()
        other.login(login)
        assert other.get(f"/pesanan/{order.id}/retur").status_code == 404
        assert post_return(other, order, order.lines[0], 1, token="x").status_code == 404
    officer = make_browser()
    officer.login("kesra")
    assert post_return(officer, order, order.lines[0], 1).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OrderReturn)) == 1


def test_a_resent_return_form_records_one_return(browser, world):
    order = factories.order(world["ka"], [(world["keripik"], 5)])
    browser.login("ladu")
    token = form_token(browser.get(f"/pesanan/{order.id}/retur").get_data(as_text=True))
    for _ in range(2):
        assert post_return(browser, order, order.lines[0], 2, token=token).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OrderReturn)) == 1
    assert balance(world["ka"].id, world["ladu"].id) == 3 * 8_000


def test_extra_return_fields_are_ignored(browser, world):
    order = factories.order(world["ka"], [(world["keripik"], 5)])
    browser.login("ladu")
    post_return(browser, order, order.lines[0], 1, credit="999999",
                reseller_id=world["ge"].id, group_id=world["rajut"].id)
    made = db.session.scalar(select(OrderReturn))
    assert (made.credit, made.reseller_id, made.group_id) == (
        8_000, world["ka"].id, world["ladu"].id)


# --- payments ---------------------------------------------------------------------


def test_balance_is_shipped_less_credits_less_confirmed_payments(
        browser, make_browser, world):
    ka, ladu, keripik, snack = world["ka"], world["ladu"], world["keripik"], world["snack"]
    sold = factories.order(ka, [(keripik, 5), (snack, 3)])                   # 76.000
    factories.order(ka, [(keripik, 2)], status="finished")                    # 16.000
    factories.order(ka, [(keripik, 10)], status="new")                        # not sold
    factories.order(ka, [(snack, 4)], status="cancelled")                     # not sold
    factories.order(ka, [(snack, 1)], status="confirmed")                     # not sold
    factories.order(ka, [(world["bag"], 1)])                      # another group
    factories.order(world["ge"], [(keripik, 1)])                  # another reseller
    producer = make_browser()
    producer.login("ladu")
    post_return(producer, sold, sold.lines[1], 1, borne_by="producer")       # −12.000
    post_return(producer, sold, sold.lines[0], 1, borne_by="reseller")       # 0

    browser.login("ka")
    for amount in ("30.000", "Rp 10.000", "5.000"):
        assert post_payment(browser, ladu, amount, reference="BRI").status_code == 302
    confirmed, waiting, rejected = payments_of(ka)
    assert [p.amount for p in (confirmed, waiting, rejected)] == [30_000, 10_000, 5_000]
    decide(producer, confirmed, "konfirmasi")
    decide(producer, rejected, "tolak")
    assert [reload(p).status for p in (confirmed, waiting, rejected)] == [
        "confirmed", "submitted", "rejected"]

    expected = 76_000 + 16_000 - 12_000 - 30_000
    assert expected == 50_000
    assert balance(ka.id, ladu.id) == 50_000
    # The same figure straight from the tables.
    by_sql = db.session.execute(text("""
        SELECT (SELECT COALESCE(SUM(l.reseller_price * l.quantity), 0)
                  FROM orders o JOIN order_lines l ON l.order_id = o.id
                 WHERE o.reseller_id = :r AND o.group_id = :g
                   AND o.status IN ('shipped', 'finished'))
             - (SELECT COALESCE(SUM(credit), 0) FROM order_returns
                 WHERE reseller_id = :r AND group_id = :g)
             - (SELECT COALESCE(SUM(amount), 0) FROM reseller_payments
                 WHERE reseller_id = :r AND group_id = :g AND status = 'confirmed')
    """), {"r": ka.id, "g": ladu.id}).scalar()
    assert int(by_sql) == 50_000
    # The screens agree.
    assert closing_on_page(browser.get(statement_url(world))) == "Rp 50.000"
    mine = text_of(browser.get("/saldo"))
    assert "Rp 50.000" in mine and "Rp 60.000" in mine  # ladu and the bag group
    assert "Rp 10.000 menunggu konfirmasi" in mine
    rows = {(r.reseller_name, r.group_name): r.owed for r in balances_for(reload(ka))}
    assert rows == {("Kiki Aulia", "Ladu Ketan RW 09"): 50_000,
                    ("Kiki Aulia", "Tas Rajut RW 09"): 60_000}
    group_rows = {r.reseller_name: r.owed for r in balances_for(
        db.session.scalar(select(type(ka)).where(type(ka).username == "ladu")))}
    assert group_rows == {"Kiki Aulia": 50_000, "Gilang Eka": 8_000}


def test_balances_list_takes_a_fixed_number_of_queries(world):
    officer = db.session.scalar(select(type(world["ka"])).where(
        type(world["ka"]).username == "kesra"))

    def rows_and_queries() -> tuple[int, int]:
        with statements_sent() as seen:
            rows = balances_for(officer)
        return len(rows), len(seen)

    factories.order(world["ka"], [(world["keripik"], 1)])
    few = rows_and_queries()
    for n in range(4):
        extra = factories.reseller(world["a"], username=f"r{n}")
        factories.order(extra, [(world["keripik"], 1)])
        factories.order(extra, [(world["bag"], 1)])
    many = rows_and_queries()
    assert few[0] == 1 and many[0] == 9
    assert few[1] == many[1]


def test_a_resent_payment_creates_one_payment(browser, world):
    browser.login("ka")
    token = form_token(browser.get("/setoran").get_data(as_text=True))
    for _ in range(3):
        response = post_payment(browser, world["ladu"], "25.000", token=token)
        assert response.status_code == 302
    assert [p.amount for p in payments_of(world["ka"])] == [25_000]


def test_payment_form_sent_ten_times_at_once_makes_one_payment(app, browser, world):
    browser.login("ka")
    token = form_token(browser.get("/setoran").get_data(as_text=True))
    data = {"form_token": token, "group_id": world["ladu"].id, "amount": "25.000",
            "paid_on": (date.today() - timedelta(days=1)).isoformat(), "reference": ""}
    responses = post_at_once(app, browser, "/setoran", data, 10)
    assert [r.status_code for r in responses] == [302] * 10
    assert len({r.headers["Location"] for r in responses}) == 1
    assert [p.amount for p in payments_of(world["ka"])] == [25_000]


def test_payment_form_refuses_bad_input(browser, world):
    browser.login("ka")
    tomorrow = datetime.now(WIB).date() + timedelta(days=1)
    future = post_payment(browser, world["ladu"], "25.000", paid_on=tomorrow)
    assert future.status_code == 400
    assert "Tanggal transfer tidak boleh di masa depan." in text_of(future)
    for amount in ("0", "-5.000", "12,5", "Infinity"):
        assert post_payment(browser, world["ladu"], amount).status_code == 400
    # A group of another village the reseller never dealt with is not on offer.
    assert post_payment(browser, world["opak"], "25.000").status_code == 400
    not_a_photo = post_payment(browser, world["ladu"], "25.000",
                               proof=(io.BytesIO(b"MZ\x90 not a picture"), "bukti.jpg"))
    assert not_a_photo.status_code == 400 and "bukan gambar" in text_of(not_a_photo)
    assert payments_of(world["ka"]) == []


def test_a_second_confirmation_is_refused(browser, make_browser, world):
    browser.login("ka")
    post_payment(browser, world["ladu"], "40.000")
    payment = payments_of(world["ka"])[0]
    producer = make_browser()
    producer.login("ladu")
    page = text_of(producer.get("/setoran"))
    assert "Kiki Aulia" in page and "Konfirmasi" in page
    decide(producer, payment, "konfirmasi")
    decided_at = reload(payment).decided_at
    assert reload(payment).status == "confirmed" and decided_at is not None
    again = decide(producer, payment, "konfirmasi")
    assert "Setoran ini sudah dikonfirmasi." in text_of(producer.get(again.headers["Location"]))
    decide(producer, payment, "tolak")
    assert reload(payment).status == "confirmed" and reload(payment).decided_at == decided_at
    assert balance(world["ka"].id, world["ladu"].id) == -40_000


def test_extra_payment_fields_are_ignored(browser, make_browser, world):
    browser.login("ka")
    post_payment(browser, world["ladu"], "40.000", status="confirmed",
                 reseller_id=world["ge"].id, village_id=world["b"].id)
    payment = payments_of(world["ka"])[0]
    assert (payment.status, payment.reseller_id, payment.village_id) == (
        "submitted", world["ka"].id, world["a"].id)
    assert payments_of(world["ge"]) == []
    # The reseller cannot confirm own payment.
    assert decide(browser, payment, "konfirmasi").status_code == 404
    producer = make_browser()
    producer.login("ladu")
    decide(producer, payment, "konfirmasi", amount="1", status="rejected")
    assert (reload(payment).amount, reload(payment).status) == (40_000, "confirmed")


def test_proof_photo_is_served_only_within_scope(browser, make_browser, world):
    browser.login("ka")
    post_payment(browser, world["ladu"], "40.000",
                 proof=(io.BytesIO(png_bytes()), "bukti.png"))
    payment = payments_of(world["ka"])[0]
    assert payment.proof_filename.endswith(".jpg") and "bukti" not in payment.proof_filename
    url = f"/setoran/{payment.id}/bukti"
    own = browser.get(url)
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert "no-store" in own.headers["Cache-Control"]  # never kept by any cache
    assert Image.open(io.BytesIO(own.data)).format == "JPEG"
    for login, status in (("ladu", 200), ("kesra", 200), ("ge", 404), ("rajut", 404),
                          ("opak", 404), ("kesrab", 404), ("rb", 404)):
        other = make_browser()
        other.login(login)
        assert other.get(url).status_code == status, login


# --- statements -------------------------------------------------------------------


def test_statement_of_a_period_in_date_order_with_running_balance(
        browser, make_browser, world):
    ka, ladu, keripik, snack = world["ka"], world["ladu"], world["keripik"], world["snack"]
    factories.order(ka, [(keripik, 5)], when=wib(date(2025, 2, 10), 9))          # 40.000 before
    march = factories.order(ka, [(snack, 2)], when=wib(date(2025, 3, 5), 10))  # +24.000
    late = factories.order(ka, [(keripik, 1)], when=wib(date(2025, 3, 31), 23, 30))  # +8.000
    factories.order(ka, [(snack, 1)], when=wib(date(2025, 4, 1), 0, 30))           # April
    browser.login("ka")
    post_payment(browser, ladu, "30.000", paid_on=date(2025, 3, 20), reference="BRI 123")
    producer = make_browser()
    producer.login("ladu")
    decide(producer, payments_of(ka)[0], "konfirmasi")

    page = browser.get(statement_url(world, dari="2025-03-01", sampai="2025-03-31"))
    assert page.status_code == 200
    body = text_of(page)
    assert closing_on_page(page) == "Rp 42.000"
    assert re.search(r'id="saldo-awal">Rp\s40\.000<', page.get_data(as_text=True))
    order = [body.index(f"Pesanan #{march.id} dikirim"), body.index("Setoran BRI 123"),
             body.index(f"Pesanan #{late.id} dikirim")]
    assert order == sorted(order)
    assert balance(ka.id, ladu.id, until=date(2025, 3, 31)) == 42_000
    assert balance(ka.id, ladu.id, until=date(2025, 2, 28)) == 40_000

    rows = csv_rows(browser.get(statement_url(world, suffix="/laporan.csv",
                                              dari="2025-03-01", sampai="2025-03-31")))
    header = rows.index(["Tanggal", "Keterangan", "Tagihan", "Pengurang", "Saldo"])
    opening, *entries, closing = rows[header + 1:]
    assert opening[1] == "Saldo awal" and closing[1] == "Saldo akhir"
    charged = sum(int(r[2]) for r in entries if r[2])
    credited = sum(int(r[3]) for r in entries if r[3])
    assert (charged, credited) == (32_000, 30_000)
    assert int(opening[4]) + charged - credited == int(closing[4]) == 42_000
    assert [int(r[4]) for r in entries] == [64_000, 34_000, 42_000]
    assert (int(closing[2]), int(closing[3])) == (charged, credited)


def test_csv_cells_cannot_start_a_formula(browser, make_browser, world):
    factories.order(world["ka"], [(world["keripik"], 1)])
    browser.login("ka")
    post_payment(browser, world["ladu"], "5.000", reference='=HYPERLINK("http://x")',
                 paid_on=datetime.now(WIB).date())
    producer = make_browser()
    producer.login("ladu")
    decide(producer, payments_of(world["ka"])[0], "konfirmasi")
    response = browser.get(statement_url(world, suffix="/laporan.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    cells = [cell for row in csv_rows(response) for cell in row]
    assert "'Setoran =HYPERLINK(\"http://x\")" not in cells  # description starts with text
    assert not any(c.startswith("=") for c in cells)
    assert "Setoran =HYPERLINK(\"http://x\")" in cells


def test_statement_pdf_names_the_reseller_and_the_closing_balance(browser, world):
    factories.order(world["ka"], [(world["keripik"], 5), (world["snack"], 3)])
    browser.login("ka")
    response = browser.get(statement_url(world, suffix="/laporan.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    content = pdf_lines(response.data)
    assert "Rekening Reseller" in content and "Kiki Aulia" in content
    assert "Ladu Ketan RW 09" in content and "Desa Katapang" in content
    assert "Saldo akhir: Rp 76.000" in content
    start, end = month_of(datetime.now(WIB).date())
    assert f"{start.day} " in content and str(end.year) in content


def test_markup_in_a_name_is_printed_literally(browser, world):
    name = '<b>x</b> <img src="http://example.com/a.png">'
    odd = factories.reseller(world["a"], username="odd", full_name=name)
    factories.order(odd, [(world["keripik"], 2)])
    browser.login("odd")
    url = f"/saldo/{world['ladu'].id}/{odd.id}"
    page = browser.get(url)
    assert page.status_code == 200 and "<b>x</b>" not in page.get_data(as_text=True)
    response = browser.get(url + "/laporan.pdf")
    assert response.status_code == 200
    content = pdf_lines(response.data)
    assert name in content and "Rp 16.000" in content


def test_statements_are_only_for_the_pair_in_scope(make_browser, world):
    factories.order(world["ka"], [(world["keripik"], 1)])
    ka = make_browser()
    ka.login("ka")
    post_payment(ka, world["ladu"], "5.000", proof=(io.BytesIO(png_bytes()), "b.png"))
    proof = f"/setoran/{payments_of(world['ka'])[0].id}/bukti"
    urls = [statement_url(world, suffix=s) for s in ("", "/laporan.csv", "/laporan.pdf")]
    for url in urls + [proof]:
        assert ka.get(url).status_code == 200, url
    for login in ("ladu", "kesra"):
        allowed = make_browser()
        allowed.login(login)
        for url in urls:
            assert allowed.get(url).status_code == 200, (login, url)
    for login in ("ge", "rb", "rajut", "opak", "kesrab"):
        other = make_browser()
        other.login(login)
        for url in urls + [proof]:
            assert other.get(url).status_code == 404, (login, url)
    # Walking ids finds nothing either: another village's group, a non-reseller id.
    assert ka.get(f"/saldo/{world['opak'].id}/{world['ka'].id}").status_code == 404
    assert ka.get(f"/saldo/{world['ladu'].id}/999999").status_code == 404
    partner = make_browser()
    factories.partner_contact(world["a"], username="mitra")
    partner.login("mitra")
    assert partner.get(urls[0]).status_code == 403


def test_bad_period_dates_are_ignored_with_a_message(browser, world):
    factories.order(world["ka"], [(world["keripik"], 1)])
    browser.login("ka")
    for query in ({"dari": "2025-13-45"}, {"sampai": "kemarin"}, {"dari": "0001-01-01"},
                  {"dari": "2025-03-31", "sampai": "2025-03-01"}):
        page = browser.get(statement_url(world, **query))
        assert page.status_code == 200, query
        assert "diabaikan" in text_of(page) or "periode bulan ini" in text_of(page)
        assert closing_on_page(page) == "Rp 8.000"
        for suffix in ("/laporan.csv", "/laporan.pdf"):
            assert browser.get(statement_url(world, suffix=suffix, **query)).status_code == 200


def test_producer_sees_waiting_payments_first(browser, make_browser, world):
    browser.login("ka")
    post_payment(browser, world["ladu"], "11.000", paid_on=date(2025, 1, 1))
    post_payment(browser, world["ladu"], "22.000", paid_on=date(2025, 1, 2))
    first, second = payments_of(world["ka"])
    producer = make_browser()
    producer.login("ladu")
    decide(producer, second, "konfirmasi")
    page = text_of(producer.get("/setoran"))
    assert page.index("Rp 11.000") < page.index("Rp 22.000")
    assert "Rp 33.000" not in text_of(make_browser().get("/setoran"))
    # Other groups' producers do not see these payments.
    rajut = make_browser()
    rajut.login("rajut")
    assert "Rp 11.000" not in text_of(rajut.get("/setoran"))
    assert decide(rajut, first, "konfirmasi").status_code == 404
    assert reload(first).status == "submitted"


def test_payment_form_preselects_the_group_the_reseller_owes(browser, world):
    """Ladu Ketan comes first in the list, but KA owes only Tas Rajut."""
    factories.order(world["ka"], [(world["bag"], 2)], status="shipped")
    browser.login("ka")
    html = browser.get("/setoran").get_data(as_text=True)
    selected = re.search(r'<option selected value="(\d+)"', html)
    assert selected and int(selected.group(1)) == world["rajut"].id
    assert html.index(world["ladu"].name) < html.index(world["rajut"].name)


# --- running totals per pair -----------------------------------------------------------


def _stored_and_computed():
    from crm.settlements import pair_totals
    from crm.settlements.models import PairTotal

    columns = ["reseller_id", "group_id", "village_id", *pair_totals.FIGURES]
    stored = {tuple(int(v) for v in row) for row in db.session.execute(
        select(*(PairTotal.__table__.c[name] for name in columns)))}
    computed = {tuple(int(v) for v in row)
                for row in db.session.execute(pair_totals.computed_totals())}
    return stored, computed


def test_running_totals_equal_the_records_after_the_demo(app):
    """The demo is made through the services: orders in every status (one
    cancelled), a return the producer bears, payments confirmed and waiting."""
    assert app.test_cli_runner().invoke(args=["crm", "demo"]).exit_code == 0
    db.session.expire_all()
    stored, computed = _stored_and_computed()
    assert len(stored) >= 2 and stored == computed


def test_running_totals_follow_orders_returns_and_payments_through_the_pages(
        app, world, make_browser):
    ka, ladu_group = world["ka"], world["ladu"]
    shipped = factories.order(ka, [(world["keripik"], 5)], status="shipped")
    factories.order(ka, [(world["keripik"], 2)], status="cancelled")
    factories.order(world["ge"], [(world["bag"], 1)], status="new")
    producer = make_browser()
    producer.login("ladu")
    assert post_return(producer, shipped, shipped.lines[0], 2).status_code == 302
    reseller = make_browser()
    reseller.login("ka")
    for amount in ("10000", "5000"):
        page = reseller.get("/setoran").get_data(as_text=True)
        response = reseller.client.post("/setoran", data={
            "csrf_token": csrf_token(page), "form_token": form_token(page),
            "group_id": ladu_group.id, "amount": amount,
            "paid_on": date.today().isoformat(), "reference": "BRI"})
        assert response.status_code == 302
    first, second = db.session.scalars(
        select(ResellerPayment).order_by(ResellerPayment.id)).all()
    for payment, step in ((first, "konfirmasi"), (second, "tolak")):
        page = producer.get("/setoran").get_data(as_text=True)
        response = producer.client.post(f"/setoran/{payment.id}/{step}",
                                        data={"csrf_token": csrf_token(page), "note": "ok"})
        assert response.status_code == 302, (step, response.status_code)
    db.session.expire_all()
    stored, computed = _stored_and_computed()
    assert stored == computed
    rows = {r.reseller_name: r for r in balances_for(reload(ka))}
    assert rows["Kiki Aulia"].owed == 5 * 8_000 - 2 * 8_000 - 10_000
    assert (rows["Kiki Aulia"].paid, rows["Kiki Aulia"].waiting) == (10_000, 0)


def test_balance_list_is_paginated_with_the_total_of_every_pair(app, world, browser):
    for n in range(30):
        reseller = factories.reseller(world["a"], username=f"r{n:02d}",
                                      full_name=f"Reseller {n:02d}")
        factories.order(reseller, [(world["keripik"], 1)], status="shipped")
    browser.login("ladu")
    first = text_of(browser.get("/saldo"))
    second = text_of(browser.get("/saldo?page=2"))
    assert "Reseller 00" in first and "Reseller 29" not in first
    assert "Reseller 29" in second and "Halaman 2 dari 2" in second
    assert "Jumlah saldo: Rp 240.000" in first and "Jumlah saldo: Rp 240.000" in second
    past = browser.get("/saldo?page=3")  # past the last page: empty, no error
    assert past.status_code == 200 and "Belum ada pesanan atau setoran." in text_of(past)


def test_balance_pages_show_each_reader_their_own_in_turn(world, make_browser):
    # The page's statement is built once per role and run with each reader's values.
    ka, ge, rb = world["ka"], world["ge"], world["rb"]
    factories.order(ka, [(world["keripik"], 1)])            # ka owes ladu 8.000
    factories.order(ka, [(world["bag"], 1)])                # ka owes rajut 60.000
    factories.order(ge, [(world["keripik"], 3)])            # ge owes ladu 24.000
    opak_chips = factories.product(world["opak"], "Opak Ketan", reseller_price=5_000,
                                   retail_price=7_000)
    factories.order(rb, [(opak_chips, 1)])                  # rb owes opak 5.000
    expected = {  # login: (names shown, names not shown, total owed)
        "ka": ({"Ladu Ketan RW 09", "Tas Rajut RW 09"}, {"Gilang Eka", "Opak"}, "68.000"),
        "ge": ({"Ladu Ketan RW 09"}, {"Kiki Aulia", "Tas Rajut", "Opak"}, "24.000"),
        "ladu": ({"Kiki Aulia", "Gilang Eka"}, {"Rudi Budiman", "Tas Rajut"}, "32.000"),
        "rajut": ({"Kiki Aulia"}, {"Gilang Eka", "Rudi Budiman"}, "60.000"),
        "kesra": ({"Kiki Aulia", "Gilang Eka"}, {"Rudi Budiman"}, "92.000"),
        "kesrab": ({"Rudi Budiman"}, {"Kiki Aulia", "Gilang Eka"}, "5.000"),
    }
    readers = {login: make_browser() for login in expected}
    for login, reader in readers.items():
        reader.login(login)
    for _round in range(2):
        for login, (shown, hidden, total) in expected.items():
            page = text_of(readers[login].get("/saldo"))
            assert all(name in page for name in shown), login
            assert not any(name in page for name in hidden), login
            assert f"Jumlah saldo: Rp {total}" in page, login

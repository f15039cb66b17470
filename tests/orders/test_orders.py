"""Customer orders: entry by resellers, the status flow with stock and capacity,
the producer's work queue, scoping and double submits."""

import re
import threading
from datetime import timedelta
from html import unescape
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from crm.auth.models import User
from crm.catalog.models import CapacityDay, StockMovement
from crm.extensions import db
from crm.orders.models import Order, OrderEvent
from crm.orders.services import TRANSITIONS, change_status, create_orders
from crm.text.dates import today_in
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import (
    csrf_token,
    form_token,
    post_at_once,
    reload,
    run_at_once,
    text_of,
)


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone="6281200000201")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.officer(a, username="kesra")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia", phone="081200000301")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    snack = factories.product(ladu, "Ladu Ketan Original", made_to_order=True,
                              daily_capacity=10, reseller_price=12_000, retail_price=15_000)
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            reseller_price=60_000, retail_price=80_000, cost_price=45_000)
    factories.stock(bag, 5)
    for reseller in (ka, ge):
        factories.claim(snack, reseller)
        factories.claim(bag, reseller, channels=("shopee",))
    return {"a": a, "snack": snack, "bag": bag, "ka": ka, "ge": ge, "ladu": ladu,
            "rajut": rajut}


CUSTOMER = {
    "channel": "shopee", "marketplace_ref": "SHP-2611-001", "customer_name": "Bu Sari",
    "customer_phone": "0813-2222-3333", "address": "Jl. Raya Katapang No. 5",
    "kecamatan": "Katapang", "kabupaten": "Kab. Bandung", "postcode": "40921",
    "courier": "JNE", "courier_service": "REG", "shipping_cost": "Rp 12.000",
    "payment": "paid", "dropship": "y",
}


def new_order(world, reseller="ka", lines=None, ship_date=None):
    """An order made through the service, as the form would."""
    user = world[reseller]
    values = {**CUSTOMER, "shipping_cost": 12_000, "ship_date": ship_date}
    made = create_orders(user, values, lines or {world["bag"].id: 1})
    db.session.commit()
    return made[0]


def producer_of(order):
    return db.session.scalar(select(User).where(User.group_id == order.group_id))


def test_reseller_records_an_order_on_one_page(browser, world):
    browser.login("ka")
    data = {**CUSTOMER, f"qty-{world['bag'].id}": "2"}
    response = browser.submit("/pesanan/baru", data)
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    assert order.status == "new" and order.reseller_id == world["ka"].id
    assert order.customer_phone == "6281322223333" and order.shipping_cost == 12_000
    assert [(line.quantity, line.reseller_price, line.retail_price) for line in order.lines] \
        == [(2, 60_000, 80_000)]
    assert reload(world["bag"]).stock == 5  # stock is taken on confirmation
    page = text_of(browser.get(response.headers["Location"]))
    assert "Menunggu produsen mengonfirmasi" in page and "Rp 160.000" in page


def test_wa_link_goes_to_the_group_with_the_order(browser, world):
    order = new_order(world, lines={world["snack"].id: 3})
    browser.login("ka")
    html = browser.get(f"/pesanan/{order.id}").get_data(as_text=True)
    link = "https://wa.me/" + html.split('href="https://wa.me/')[1].split('"')[0]
    assert link.startswith("https://wa.me/6281200000201?text=")
    assert " " not in link
    text = unquote(link.split("text=")[1].replace("&amp;", "&"))
    assert f"pesanan baru #{order.id}" in text and "3 × Ladu Ketan Original" in text


def test_mixed_groups_are_split_into_one_order_per_group(browser, world):
    browser.login("ka")
    data = {**CUSTOMER, f"qty-{world['bag'].id}": "1", f"qty-{world['snack'].id}": "4"}
    response = browser.submit("/pesanan/baru", data, follow_redirects=True)
    assert "dibagi menjadi 2" in text_of(response)
    orders = db.session.scalars(select(Order).order_by(Order.group_id)).all()
    assert [(o.group_id, [line.product_id for line in o.lines]) for o in orders] == [
        (world["ladu"].id, [world["snack"].id]), (world["rajut"].id, [world["bag"].id])]


@pytest.mark.parametrize("data, message", [
    ({"qty-BAG": ""}, "Isi jumlah minimal satu produk."),
    ({"qty-BAG": "dua"}, "Tulis jumlah dengan angka"),
    ({"qty-BAG": "-1"}, "Tulis jumlah dengan angka"),
    ({"qty-BAG": "1", "customer_name": ""}, "Isi nama pembeli."),
    ({"qty-BAG": "1", "address": ""}, "Isi alamat kirim pembeli."),
    ({"qty-BAG": "1", "customer_phone": "123"}, "Nomor HP pembeli tidak dikenali"),
    ({"qty-BAG": "1", "postcode": "4092"}, "Kode pos 5 angka."),
    ({"qty-BAG": "1", "shipping_cost": "NaN"}, "Tulis jumlah rupiah dengan angka"),
    ({"qty-BAG": "1", "channel": "lazada"}, "Not a valid choice"),
    ({"qty-BAG": "1", "ship_date": "2020-01-01"}, "Tanggal kirim dari hari ini"),
])
def test_bad_order_input_is_refused_and_stores_nothing(browser, world, data, message):
    browser.login("ka")
    data = {key.replace("BAG", str(world["bag"].id)): value for key, value in data.items()}
    response = browser.submit("/pesanan/baru", {**CUSTOMER, **data})
    assert response.status_code == 200
    page = text_of(response)
    if message == "Not a valid choice":  # WTForms' own text, translated or not
        assert message in page or "Bukan pilihan yang valid" in page
    else:
        assert message in page
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    # What the user typed is kept.
    assert "Jl. Raya Katapang No. 5" in page or data.get("address") == ""


def test_unclaimed_product_cannot_be_ordered(browser, world):
    other = factories.product(world["rajut"], "Dompet Rajut")
    browser.login("ka")
    response = browser.submit("/pesanan/baru", {**CUSTOMER, f"qty-{other.id}": "1"})
    # The product is not on the form, so the typed quantity is ignored.
    assert "Isi jumlah minimal satu produk." in text_of(response)
    with pytest.raises(RuleError):
        create_orders(world["ka"], {**CUSTOMER, "shipping_cost": 0}, {other.id: 1})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_extra_fields_cannot_set_price_status_or_reseller(browser, world):
    browser.login("ka")
    data = {**CUSTOMER, f"qty-{world['bag'].id}": "1", "status": "finished",
            "reseller_id": str(world["ge"].id), "reseller_price": "1", "retail_price": "1",
            "group_id": str(world["ladu"].id), "village_id": "999"}
    browser.submit("/pesanan/baru", data)
    order = db.session.scalar(select(Order))
    assert (order.status, order.reseller_id, order.group_id) == (
        "new", world["ka"].id, world["rajut"].id)
    assert order.lines[0].reseller_price == 60_000


def test_resent_order_form_creates_nothing_new(browser, world):
    browser.login("ka")
    html = browser.get("/pesanan/baru").get_data(as_text=True)
    token = form_token(html)
    data = {**CUSTOMER, f"qty-{world['bag'].id}": "1", "csrf_token": csrf_token(html),
            "form_token": token}
    first = browser.client.post("/pesanan/baru", data=data)
    second = browser.client.post("/pesanan/baru", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_order_form_sent_ten_times_at_once_makes_one_order(app, browser, world):
    browser.login("ka")
    token = form_token(browser.get("/pesanan/baru").get_data(as_text=True))
    data = {**CUSTOMER, f"qty-{world['bag'].id}": "1", "form_token": token}
    responses = post_at_once(app, browser, "/pesanan/baru", data, 10)
    order_id = db.session.scalar(select(Order.id))
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    # Every copy is answered as the first: the order's page, never the error page.
    assert [(r.status_code, r.headers.get("Location")) for r in responses] \
        == [(302, f"/pesanan/{order_id}")] * 10


def test_one_step_sent_six_times_at_once_is_taken_once(app, make_browser, world):
    order = new_order(world, lines={world["bag"].id: 2})
    producer = make_browser()
    producer.login("rajut")
    responses = post_at_once(app, producer, f"/pesanan/{order.id}/konfirmasi", {}, 6,
                             page=f"/pesanan/{order.id}")
    assert [r.status_code for r in responses] == [302] * 6
    assert reload(order).status == "confirmed"
    assert reload(world["bag"]).stock == 3
    assert db.session.scalar(select(func.count()).select_from(OrderEvent).where(
        OrderEvent.order_id == order.id, OrderEvent.to_status == "confirmed")) == 1
    takes = db.session.scalars(select(StockMovement.quantity).where(
        StockMovement.kind == "order")).all()
    assert takes == [-2]


def test_full_flow_takes_stock_once_and_records_who_and_when(browser, make_browser, world):
    order = new_order(world, lines={world["bag"].id: 2})
    producer = make_browser()
    producer.login("rajut")
    url = f"/pesanan/{order.id}"
    for slug, data in [("konfirmasi", {}), ("kemas", {}),
                       ("kirim", {"tracking_number": "JNE123456"})]:
        response = producer.submit(f"{url}/{slug}", data, page=url)
        assert response.status_code == 302
    order = reload(order)
    assert order.status == "shipped" and order.tracking_number == "JNE123456"
    assert order.confirmed_at and order.packed_at and order.shipped_at
    assert reload(world["bag"]).stock == 3
    movements = db.session.scalars(select(StockMovement).where(
        StockMovement.kind == "order")).all()
    assert [m.quantity for m in movements] == [-2]
    # The reseller marks it received by the customer.
    browser.login("ka")
    browser.submit(f"{url}/selesai", page=url)
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                .order_by(OrderEvent.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "new"), ("new", "confirmed"), ("confirmed", "packed"),
        ("packed", "shipped"), ("shipped", "finished")]
    assert [e.actor.username for e in events] == ["ka", "rajut", "rajut", "rajut", "ka"]


ALL_STEPS = ("confirm", "pack", "ship", "finish", "cancel")
STATUS_PATH = {
    "new": [], "confirmed": ["confirm"], "packed": ["confirm", "pack"],
    "shipped": ["confirm", "pack", "ship"], "finished": ["confirm", "pack", "ship", "finish"],
    "cancelled": ["cancel"],
}


@pytest.mark.parametrize("status", list(STATUS_PATH))
@pytest.mark.parametrize("step", ALL_STEPS)
def test_every_transition_is_allowed_or_refused_by_the_table(world, status, step):
    order = new_order(world)
    producer = producer_of(order)
    for earlier in STATUS_PATH[status]:
        change_status(order, earlier, producer, tracking_number="R1", reason="uji")
    db.session.commit()
    expected = TRANSITIONS.get((status, step))
    if expected is None:
        with pytest.raises(RuleError):
            change_status(order, step, producer, tracking_number="R1", reason="uji")
        db.session.rollback()
        assert reload(order).status == status
    else:
        change_status(order, step, producer, tracking_number="R1", reason="uji")
        db.session.commit()
        assert reload(order).status == expected
    # Stock follows: taken while the order holds goods, given back on cancel.
    holds = reload(order).status in ("confirmed", "packed", "shipped", "finished")
    assert reload(world["bag"]).stock == (4 if holds else 5)


def test_reseller_may_cancel_only_a_new_order(world):
    order = new_order(world)
    ka = reload(world["ka"])
    change_status(order, "confirm", producer_of(order))
    db.session.commit()
    with pytest.raises(RuleError):
        change_status(order, "cancel", ka, reason="pembeli batal")
    db.session.rollback()
    with pytest.raises(RuleError):
        change_status(order, "pack", ka)
    db.session.rollback()
    second = new_order(world)
    change_status(second, "cancel", ka, reason="pembeli batal")
    db.session.commit()
    assert reload(second).status == "cancelled"


def test_cancel_after_confirmation_restores_stock_and_capacity(world):
    bag_order = new_order(world, lines={world["bag"].id: 3})
    snack_order = new_order(world, lines={world["snack"].id: 7})
    for order in (bag_order, snack_order):
        change_status(order, "confirm", producer_of(order))
    db.session.commit()
    assert reload(world["bag"]).stock == 2
    day = db.session.scalar(select(CapacityDay))
    assert day.used == 7
    for order in (bag_order, snack_order):
        change_status(order, "cancel", producer_of(order), reason="bahan habis")
    db.session.commit()
    assert reload(world["bag"]).stock == 5
    assert reload(day).used == 0
    kinds = db.session.scalars(select(StockMovement.kind).order_by(StockMovement.id)).all()
    assert kinds == ["production", "order", "cancel"]


def test_cancel_gives_back_what_confirmation_took_after_the_product_changed(
        browser, world):
    """Confirmed while made to order (the day's capacity taken), then "dibuat saat
    dipesan" unticked, then cancelled: the capacity comes back, stock stays 0."""
    snack = world["snack"]
    order = new_order(world, lines={snack.id: 4})
    browser.login("ladu")
    url = f"/pesanan/{order.id}"
    assert browser.submit(f"{url}/konfirmasi", page=url).status_code == 302
    assert db.session.scalar(select(CapacityDay.used)) == 4
    edited = browser.submit(f"/produk/{snack.id}/ubah", {
        "name": snack.name, "description": "", "category": snack.category,
        "unit": snack.unit, "weight_grams": "200", "cost_price": "5.000",
        "reseller_price": "12.000", "retail_price": "15.000", "dropship_price": "",
        "shelf_life_days": "", "daily_capacity": "", "claim_cap": "", "active": "y"})
    assert edited.status_code == 302
    assert reload(snack).made_to_order is False
    assert browser.submit(f"{url}/batal", {"reason": "bahan habis"},
                          page=url).status_code == 302
    assert reload(order).status == "cancelled"
    assert reload(snack).stock == 0
    assert db.session.scalars(select(StockMovement.kind)).all() == ["production"]
    assert db.session.scalar(select(CapacityDay.used)) == 0


def test_capacity_per_day_is_checked_on_confirmation(world):
    today = today_in()
    first = new_order(world, lines={world["snack"].id: 8}, ship_date=today)
    second = new_order(world, lines={world["snack"].id: 3}, ship_date=today)
    other_day = new_order(world, lines={world["snack"].id: 3},
                          ship_date=today + timedelta(days=1))
    change_status(first, "confirm", producer_of(first))
    db.session.commit()
    with pytest.raises(RuleError, match="tinggal 2"):
        change_status(second, "confirm", producer_of(second))
    db.session.rollback()
    assert reload(second).status == "new"
    change_status(other_day, "confirm", producer_of(other_day))
    db.session.commit()
    assert reload(other_day).status == "confirmed"


def _confirm_all_at_once(app, order_ids, producer_id):
    def confirm(order_id):
        change_status(db.session.get(Order, order_id), "confirm",
                      db.session.get(User, producer_id))

    return run_at_once(app, confirm, order_ids)


def test_concurrent_confirmations_never_oversell_stock(app, world):
    orders = [new_order(world) for _ in range(8)]  # 8 × 1 bag, 5 in stock
    outcomes = _confirm_all_at_once(app, [o.id for o in orders], producer_of(orders[0]).id)
    assert sorted(outcomes) == ["ok"] * 5 + ["refused"] * 3, outcomes
    assert reload(world["bag"]).stock == 0
    total = db.session.scalar(select(func.sum(StockMovement.quantity)).where(
        StockMovement.product_id == world["bag"].id))
    assert total == 0
    assert db.session.scalar(select(func.count()).select_from(Order).where(
        Order.status == "confirmed")) == 5


def test_concurrent_confirmations_never_pass_daily_capacity(app, world):
    orders = [new_order(world, lines={world["snack"].id: 3}) for _ in range(6)]  # cap 10
    outcomes = _confirm_all_at_once(app, [o.id for o in orders], producer_of(orders[0]).id)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 3, outcomes
    assert db.session.scalar(select(CapacityDay.used)) == 9


def test_same_step_twice_at_once_applies_once(app, world):
    order = new_order(world)
    order_id, producer_id = order.id, producer_of(order).id
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm():
        barrier.wait(timeout=60)
        with app.app_context():
            try:
                change_status(db.session.get(Order, order_id),
                              "confirm", db.session.get(User, producer_id))
                db.session.commit()
                outcomes.append("ok")
            except RuleError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["ok", "refused"]
    assert reload(world["bag"]).stock == 4


def test_other_reseller_and_other_group_get_404(browser, make_browser, world):
    order = new_order(world)
    ge = make_browser()
    ge.login("ge")
    assert ge.get(f"/pesanan/{order.id}").status_code == 404
    assert ge.submit(f"/pesanan/{order.id}/batal", {"reason": "x"},
                     page="/pesanan").status_code == 404
    assert "Bu Sari" not in text_of(ge.get("/pesanan"))
    ladu = make_browser()
    ladu.login("ladu")
    assert ladu.get(f"/pesanan/{order.id}").status_code == 404
    assert ladu.submit(f"/pesanan/{order.id}/konfirmasi", page="/pesanan").status_code == 404
    assert "Bu Sari" not in text_of(ladu.get("/antrian"))
    opak = make_browser()
    opak.login("opak")
    assert opak.get(f"/pesanan/{order.id}").status_code == 404
    assert reload(order).status == "new"


def test_work_queue_shows_late_orders_first(browser, world):
    on_time = new_order(world, ship_date=today_in() + timedelta(days=2))
    late = new_order(world)
    late.ship_date = today_in() - timedelta(days=1)
    db.session.commit()
    browser.login("rajut")
    html = browser.get("/antrian").get_data(as_text=True)
    page = unescape(re.sub(r"<[^>]+>", " ", html))
    assert page.index(f"#{late.id}") < page.index(f"#{on_time.id}")
    assert "terlambat" in page
    # Each card links to its order and its button goes to the order's next step.
    for order in (late, on_time):
        assert f'href="/pesanan/{order.id}"' in html
        assert f'action="/pesanan/{order.id}/konfirmasi"' in html
    # Confirm straight from the queue.
    browser.submit(f"/pesanan/{late.id}/konfirmasi", {"back": "antrian"}, page="/antrian")
    assert reload(late).status == "confirmed"
    assert "Perlu dikemas (1)" in text_of(browser.get("/antrian"))



_ORDER_LINK = re.compile(r'href="/pesanan/(\d+)"')


def test_order_lists_and_queue_show_each_reader_their_own_in_turn(make_browser, world):
    # The lists' statements are built once per role and filter and run with each
    # reader's values: readers of one role, one after the other, see their own.
    bag_ka = new_order(world).id
    snack_ka = new_order(world, lines={world["snack"].id: 1}).id
    confirmed = new_order(world, reseller="ge")
    change_status(confirmed, "confirm", producer_of(confirmed))
    db.session.commit()
    bag_ge = confirmed.id
    everyone = {bag_ka, snack_ka, bag_ge}
    expected = {  # login: (/pesanan, /pesanan?status=new, /antrian or None)
        "ka": ({bag_ka, snack_ka}, {bag_ka, snack_ka}, None),
        "ge": ({bag_ge}, set(), None),
        "rajut": ({bag_ka, bag_ge}, {bag_ka}, {bag_ka, bag_ge}),
        "ladu": ({snack_ka}, {snack_ka}, {snack_ka}),
        "kesra": (everyone, {bag_ka, snack_ka}, everyone),
        "opak": (set(), set(), set()),
    }
    readers = {login: make_browser() for login in expected}
    for login, reader in readers.items():
        reader.login(login)

    def shown(reader, url):
        page = reader.get(url)
        assert page.status_code == 200, url
        return {int(n) for n in _ORDER_LINK.findall(page.get_data(as_text=True))}

    for _round in range(2):
        for login, (listed, new, queued) in expected.items():
            reader = readers[login]
            assert shown(reader, "/pesanan") == listed, login
            assert shown(reader, "/pesanan?status=new") == new, login
            if queued is not None:
                assert shown(reader, "/antrian") == queued, login



def test_producer_home_pages_count_each_group_s_queue_in_turn(make_browser, world):
    # Producers of different groups, one after the other: each sees their own counts.
    for _n in range(2):
        new_order(world)                                       # two new bags (rajut)
    confirmed = new_order(world, lines={world["snack"].id: 1})  # one snack (ladu) …
    change_status(confirmed, "confirm", producer_of(confirmed))  # … confirmed
    db.session.commit()
    expected = {"rajut": ("2", "0"), "ladu": ("0", "1"), "opak": ("0", "0")}
    readers = {login: make_browser() for login in expected}
    for login, reader in readers.items():
        reader.login(login)
    for _round in range(2):
        for login, (new, to_pack) in expected.items():
            page = " ".join(text_of(readers[login].get("/beranda")).split())
            assert f"{new} Perlu dikonfirmasi" in page, login
            assert f"{to_pack} Perlu dikemas" in page, login

@pytest.mark.parametrize("login, reseller_shown, group_shown", [
    ("ka", False, False), ("rajut", True, False), ("kesra", True, True)])
def test_order_cards_name_the_reseller_and_group_to_those_who_see_more(
        make_browser, world, login, reseller_shown, group_shown):
    order = new_order(world)
    viewer = make_browser()
    viewer.login(login)
    for url in ("/pesanan", "/antrian"):
        if login == "ka" and url == "/antrian":
            continue  # resellers have no work queue
        html = viewer.get(url).get_data(as_text=True)
        card = unescape(re.sub(r"<[^>]+>", " ", html.split(f"#{order.id} ·", 1)[1]
                               .split("</li>", 1)[0]))
        assert "Bu Sari" in card and "Tas Rajut Mini" in card
        assert ("Kiki Aulia" in card) is reseller_shown
        assert ("Tas Rajut RW 09" in card) is group_shown


def test_shipping_needs_a_tracking_number(browser, world):
    order = new_order(world)
    producer = producer_of(order)
    change_status(order, "confirm", producer)
    change_status(order, "pack", producer)
    db.session.commit()
    browser.login("rajut")
    response = browser.submit(f"/pesanan/{order.id}/kirim", {"tracking_number": ""},
                              page=f"/pesanan/{order.id}", follow_redirects=True)
    assert "Isi nomor resi" in text_of(response)
    assert reload(order).status == "packed"


def test_shipping_through_the_pages_keeps_the_sales_summaries_exact(make_browser, world):
    from crm.reports import summaries
    from crm.reports.models import (
        GroupSalesMonth,
        ProductSalesMonth,
        ResellerProductMonth,
        SalesMonth,
        VillageResellerMonth,
    )

    # Two groups' products on one form: one order per group (ka × ladu, ka × rajut).
    new_order(world, lines={world["bag"].id: 2, world["snack"].id: 3})
    new_order(world, reseller="ge", lines={world["bag"].id: 1})
    cancelled = new_order(world, lines={world["bag"].id: 1})
    orders = db.session.scalars(select(Order).where(Order.id != cancelled.id)).all()
    assert len(orders) == 3
    for order in orders:
        producer = make_browser()
        producer.login("rajut" if order.group_id == world["rajut"].id else "ladu")
        url = f"/pesanan/{order.id}"
        for slug, data in [("konfirmasi", {}), ("kemas", {}),
                           ("kirim", {"tracking_number": "JNE1"})]:
            assert producer.submit(f"{url}/{slug}", data, page=url).status_code == 302
    canceller = make_browser()
    canceller.login("ka")
    assert canceller.submit(f"/pesanan/{cancelled.id}/batal", {"reason": "batal"},
                            page=f"/pesanan/{cancelled.id}").status_code == 302

    def rows(model, computed):
        columns = [c.name for c in model.__table__.columns]
        stored = {tuple(str(v) for v in r) for r in db.session.execute(
            select(*(model.__table__.c[name] for name in columns)))}
        fresh = {tuple(str(v) for v in r) for r in db.session.execute(
            computed.with_only_columns(*(computed.selected_columns[name]
                                         for name in columns)))}
        return stored, fresh

    db.session.expire_all()
    stored, fresh = rows(SalesMonth, summaries.computed_sales_months())
    assert len(stored) == 3 and stored == fresh  # ka × rajut, ge × rajut, ka × ladu
    stored, fresh = rows(ProductSalesMonth, summaries.computed_product_sales_months())
    assert len(stored) == 2 and stored == fresh  # the bag (in 2 orders) and the snack
    bag = next(r for r in stored if r[2] == str(world["bag"].id))
    assert bag[4:] == ("2", "3", str(3 * 80_000), str(3 * 60_000))
    stored, fresh = rows(ResellerProductMonth, summaries.computed_reseller_product_months())
    assert len(stored) == 3 and stored == fresh  # ka × bag, ka × snack, ge × bag
    ka_bag = next(r for r in stored if r[2] == str(world["ka"].id)
                  and r[3] == str(world["bag"].id))
    assert ka_bag[5:] == ("1", "2", str(2 * 80_000), str(2 * 60_000))
    stored, fresh = rows(GroupSalesMonth, summaries.computed_group_sales_months())
    assert len(stored) == 2 and stored == fresh  # rajut (2 orders), ladu
    rajut = next(r for r in stored if r[0] == str(world["rajut"].id))
    assert rajut[3:] == ("2", "3", str(3 * 80_000), str(3 * 60_000))
    stored, fresh = rows(VillageResellerMonth, summaries.computed_village_reseller_months())
    assert len(stored) == 2 and stored == fresh  # ka (2 orders), ge (1)
    ka = next(r for r in stored if r[2] == str(world["ka"].id))
    assert ka[3] == "2"


def test_order_list_pages_count_every_order_and_a_page_past_the_end_is_empty(browser, world):
    browser.client.application.config["PAGE_SIZE"] = 2
    for name in ("Bu Ani", "Bu Budi", "Bu Cici"):
        factories.order(world["ka"], [(world["snack"], 1)], status="new", customer_name=name)
    factories.order(world["ge"], [(world["snack"], 1)], status="new", customer_name="Bu Dedi")
    browser.login("ka")
    first = text_of(browser.get("/pesanan"))
    second = text_of(browser.get("/pesanan?page=2"))
    # Newest first, two per page, only Kiki's three orders counted.
    assert "Bu Cici" in first and "Bu Budi" in first and "Bu Ani" not in first
    assert "Halaman 1 dari 2" in first
    assert "Bu Ani" in second and "Halaman 2 dari 2" in second
    assert "Bu Dedi" not in first + second
    past = browser.get("/pesanan?page=9")
    assert past.status_code == 200 and "Belum ada pesanan." in text_of(past)

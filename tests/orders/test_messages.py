"""The WhatsApp message of an order, its returns and payments is the one the person
looking at the page sends to the other side: it greets the recipient, not the sender,
says what the sender did or asks, with the order number and the amounts that matter."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.orders.services import change_status, create_orders
from crm.settlements.models import ResellerPayment
from tests import factories
from tests.helpers import csrf_token, form_token, user, whatsapp_message, whatsapp_messages

GROUP_PHONE = "6281200000201"
RESELLER_PHONE = "6281200000301"
CUSTOMER = {
    "channel": "shopee", "marketplace_ref": "", "customer_name": "Bu Sari",
    "customer_phone": "", "address": "Jl. Raya Katapang No. 5", "kecamatan": "Katapang",
    "kabupaten": "Kab. Bandung", "postcode": "40921", "courier": "JNE",
    "courier_service": "REG", "shipping_cost": 12_000, "payment": "paid", "dropship": True,
    "ship_date": None,
}


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft", phone=GROUP_PHONE)
    factories.producer(a, rajut, username="rajut", full_name="Bu Entin")
    factories.officer(a, username="kesra", phone="081200000401")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia", phone="081200000301")
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            reseller_price=60_000, retail_price=80_000, cost_price=45_000,
                            made_to_order=True, daily_capacity=10)
    factories.claim(bag, ka, channels=("shopee",))
    return {"rajut": rajut, "ka": ka, "bag": bag}


def order_in(world, status: str, cancelled_by: str = "ka"):
    """An order of 2 bags (Rp 120.000 owed to the group) taken to ``status``."""
    order = create_orders(world["ka"], dict(CUSTOMER), {world["bag"].id: 2})[0]
    producer = user("rajut")
    path = {"confirmed": ["confirm"], "packed": ["confirm", "pack"],
            "shipped": ["confirm", "pack", "ship"],
            "finished": ["confirm", "pack", "ship", "finish"], "cancelled": ["cancel"]}
    for step in path.get(status, []):
        actor = user(cancelled_by) if step == "cancel" else producer
        change_status(order, step, actor, tracking_number="JNE0012345",
                      reason="pembeli minta batal")
    db.session.commit()
    return order


def message_on(browser, login, url):
    browser.login(login)
    phone, text = whatsapp_message(browser.get(url))
    return phone, text.replace("\xa0", " ")


def test_producer_on_a_new_order_writes_to_the_reseller_not_to_its_own_group(
        browser, world):
    order = order_in(world, "new")
    phone, text = message_on(browser, "rajut", f"/pesanan/{order.id}")
    assert phone == RESELLER_PHONE
    assert text.startswith("Halo Kiki Aulia,")
    assert "Halo Tas Rajut" not in text
    assert f"#{order.id}" in text and "2 × Tas Rajut Mini" in text
    assert "sudah kami terima" in text and "Mohon dikonfirmasi" not in text


def test_reseller_on_a_shipped_order_thanks_the_group_and_says_what_she_owes(
        browser, world):
    order = order_in(world, "shipped")
    phone, text = message_on(browser, "ka", f"/pesanan/{order.id}")
    assert phone == GROUP_PHONE
    assert text.startswith("Halo Tas Rajut RW 09,")
    assert "Halo Kiki" not in text
    assert "terima kasih sudah mengirim" in text and "sudah dikirim lewat" not in text
    assert f"#{order.id}" in text and "JNE0012345" in text
    assert "Rp 120.000" in text and "akan saya transfer" in text


def test_reseller_on_a_new_order_asks_the_group_to_confirm_with_what_she_owes(
        browser, world):
    order = order_in(world, "new")
    phone, text = message_on(browser, "ka", f"/pesanan/{order.id}")
    assert phone == GROUP_PHONE
    assert text.startswith("Halo Tas Rajut RW 09, saya Kiki Aulia.")
    assert f"pesanan baru #{order.id}" in text and "2 × Tas Rajut Mini" in text
    assert "Rp 120.000" in text and "Mohon dikonfirmasi" in text


@pytest.mark.parametrize(("status", "says"), [
    ("confirmed", "sudah kami konfirmasi"),
    ("packed", "sudah kami kemas"),
    ("shipped", "sudah kami kirim lewat JNE REG, resi JNE0012345"),
    ("finished", "sudah selesai"),
])
def test_producer_tells_the_reseller_what_the_group_did(browser, world, status, says):
    order = order_in(world, status)
    phone, text = message_on(browser, "rajut", f"/pesanan/{order.id}")
    assert phone == RESELLER_PHONE
    assert text.startswith("Halo Kiki Aulia,") and "Halo Tas Rajut" not in text
    assert says in text and f"#{order.id}" in text
    if status != "packed":
        assert "Setoran ke kelompok: Rp 120.000" in text
    assert text.rstrip().endswith(f"/pesanan/{order.id}")


@pytest.mark.parametrize(("status", "says"), [
    ("confirmed", "terima kasih sudah mengonfirmasi"),
    ("packed", "terima kasih sudah mengemas"),
    ("finished", "sudah diterima pembeli"),
])
def test_reseller_answers_each_step_of_the_group(browser, world, status, says):
    order = order_in(world, status)
    phone, text = message_on(browser, "ka", f"/pesanan/{order.id}")
    assert phone == GROUP_PHONE
    assert text.startswith("Halo Tas Rajut RW 09,") and "Halo Kiki" not in text
    assert says in text and f"#{order.id}" in text and "Salam, Kiki Aulia" in text


def test_cancelled_order_says_who_cancelled_and_why(browser, make_browser, world):
    order = order_in(world, "cancelled", cancelled_by="ka")
    phone, text = message_on(browser, "ka", f"/pesanan/{order.id}")
    assert phone == GROUP_PHONE and text.startswith("Halo Tas Rajut RW 09,")
    assert "dibatalkan oleh Kiki Aulia: pembeli minta batal" in text
    assert "Mohon tidak diproses" in text
    phone, text = message_on(make_browser(), "rajut", f"/pesanan/{order.id}")
    assert phone == RESELLER_PHONE and text.startswith("Halo Kiki Aulia,")
    assert "oleh Kiki Aulia" in text and "pembeli minta batal" in text
    assert "Mohon tidak diproses" not in text


def test_officer_gets_no_message_on_an_order(browser, world):
    """Officers follow orders; they are neither side of one, so they speak for nobody."""
    order = order_in(world, "new")
    browser.login("kesra")
    assert whatsapp_messages(browser.get(f"/pesanan/{order.id}")) == []


def test_return_message_tells_the_reseller_the_credit_and_what_is_still_owed(
        browser, make_browser, world):
    order = order_in(world, "shipped")
    browser.login("rajut")
    url = f"/pesanan/{order.id}/retur"
    html = browser.get(url).get_data(as_text=True)
    response = browser.client.post(url, data={
        "csrf_token": csrf_token(html), "form_token": form_token(html),
        "line_id": order.lines[0].id, "quantity": 1, "reason": "defect",
        "borne_by": "producer", "note": ""}, follow_redirects=True)
    phone, text = whatsapp_message(response)
    text = text.replace("\xa0", " ")
    assert phone == RESELLER_PHONE and text.startswith("Halo Kiki Aulia,")
    assert f"retur pesanan #{order.id}" in text and "1 × Tas Rajut Mini" in text
    assert "Kredit untuk Anda: Rp 60.000" in text and "sekarang Rp 60.000" in text
    # The reseller's own message counts the credit too.
    phone, text = message_on(make_browser(), "ka", f"/pesanan/{order.id}")
    assert phone == GROUP_PHONE and "Setoran saya untuk pesanan ini Rp 60.000" in text


def _pay(browser, world, amount="Rp 50.000"):
    html = browser.get("/setoran").get_data(as_text=True)
    return browser.client.post("/setoran", data={
        "csrf_token": csrf_token(html), "form_token": form_token(html),
        "group_id": world["rajut"].id, "amount": amount,
        "paid_on": (date.today() - timedelta(days=1)).isoformat(),
        "reference": "BRI 7781"}, content_type="multipart/form-data", follow_redirects=True)


def test_payment_messages_go_both_ways_with_the_amounts(browser, make_browser, world):
    order_in(world, "shipped")
    browser.login("ka")
    phone, text = whatsapp_message(_pay(browser, world))
    text = text.replace("\xa0", " ")
    assert phone == GROUP_PHONE and text.startswith("Halo Tas Rajut RW 09, saya Kiki Aulia")
    assert "transfer setoran Rp 50.000" in text and "BRI 7781" in text
    assert "Mohon dicek" in text
    payment = db.session.scalar(select(ResellerPayment))
    assert f"#setoran-{payment.id}" in text

    producer = make_browser()
    producer.login("rajut")
    # Waiting for the group's decision: the producer decides first, then writes.
    assert whatsapp_messages(producer.get("/setoran")) == []
    producer.submit(f"/setoran/{payment.id}/konfirmasi", page="/setoran")
    phone, text = whatsapp_message(producer.get("/setoran"))
    text = text.replace("\xa0", " ")
    assert phone == RESELLER_PHONE and text.startswith("Halo Kiki Aulia,")
    assert "Halo Tas Rajut" not in text
    assert "setoran Rp 50.000" in text and "sudah kami terima" in text
    assert "Sisa setoran Anda ke kelompok: Rp 70.000" in text
    # The reseller has nothing more to ask about a confirmed payment.
    assert whatsapp_messages(browser.get("/setoran")) == []


def test_officer_gets_no_payment_message(browser, world):
    order_in(world, "shipped")
    browser.login("ka")
    _pay(browser, world)
    browser.logout()
    browser.login("kesra")
    assert whatsapp_messages(browser.get("/setoran")) == []

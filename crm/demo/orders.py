"""The demo's last four weeks of reseller orders, moved into the past after their
steps, with a return and the resellers' payments to the groups."""

from datetime import timedelta

from crm.catalog.capacity import release_capacity, reserve_capacity
from crm.catalog.models import ProducerGroup
from crm.db.types import utcnow
from crm.extensions import db
from crm.orders.services import change_status, create_orders
from crm.settlements.services import decide_payment, record_return, submit_payment
from crm.text.dates import today_in

CUSTOMERS = [
    ("Bu Sari", "Jl. Raya Katapang No. 5", "Katapang", "shopee"),
    ("Pak Ujang", "Perum Griya Sangkan Blok C2", "Katapang", "whatsapp"),
    ("Teh Rini", "Jl. Terusan Kopo No. 120", "Margahayu", "instagram"),
    ("Kang Dadan", "Kp. Cilampeni RT 02 RW 05", "Katapang", "website"),
    ("Bu Enok", "Jl. Sukamenak No. 8", "Margahayu", "facebook"),
    ("Mbak Wulan", "Jl. Soreang Raya No. 44", "Soreang", "shopee"),
]


def add_orders(snacks, bags, users) -> None:
    """About four weeks of orders by KA and GE in every status, a return and the
    resellers' payments."""
    ka, ge, ladu, rajut = users["ka"], users["ge"], users["ladu"], users["rajut"]
    now = utcnow()
    plan = [
        # days ago, reseller, product, quantity, final step
        (27, ka, snacks[0], 10, "finish"), (25, ge, snacks[0], 6, "finish"),
        (23, ka, bags[0], 2, "finish"), (20, ka, snacks[1], 8, "finish"),
        (18, ge, snacks[0], 12, "finish"), (15, ka, snacks[0], 5, "finish"),
        (13, ka, bags[0], 1, "finish"), (10, ge, snacks[0], 8, "ship"),
        (8, ka, snacks[1], 4, "ship"), (6, ka, bags[0], 1, "ship"),
        (4, ge, snacks[0], 10, "cancel"), (2, ka, snacks[0], 6, "pack"),
        (1, ge, snacks[0], 4, "confirm"), (0, ka, snacks[1], 3, None),
    ]
    steps = ["confirm", "pack", "ship", "finish"]
    made = []
    for n, (days_ago, reseller, product, quantity, last) in enumerate(plan):
        name, address, kecamatan, channel = CUSTOMERS[n % len(CUSTOMERS)]
        order = create_orders(reseller, {
            "channel": channel, "customer_name": name, "address": address,
            "kecamatan": kecamatan, "kabupaten": "Kabupaten Bandung", "payment": "paid",
            "courier": "JNE", "courier_service": "REG", "shipping_cost": 10_000,
            "dropship": True,
        }, {product.id: quantity})[0]
        producer = ladu if product.group_id == snacks[0].group_id else rajut
        if last == "cancel":
            change_status(order, "cancel", reseller, reason="Pembeli membatalkan")
        elif last:
            for step in steps[: steps.index(last) + 1]:
                actor = reseller if step == "finish" else producer
                change_status(order, step, actor, tracking_number=f"JNE{8800120 + n}")
        _backdate(order, now - timedelta(days=days_ago, hours=3))
        made.append(order)
    # A bag arrived with a broken strap: the group bears it, KA gets a credit.
    bag_order = made[2]
    record_return(bag_order, bag_order.lines[0], 1, "defect", "producer", False, rajut,
                  note="Tali tas putus")
    # KA and GE pay the groups for part of what was shipped; one transfer still waits.
    today = today_in()
    for reseller, producer, group_id, amount, days_ago, ref, decide in [
        (ka, ladu, snacks[0].group_id, 120_000, 14, "BRI 0311", True),
        (ge, ladu, snacks[0].group_id, 72_000, 12, "DANA 5521", True),
        (ka, rajut, bags[0].group_id, 60_000, 9, "BJB 7710", True),
        (ka, ladu, snacks[0].group_id, 96_000, 1, "BRI 0412", False),
    ]:
        group = db.session.get(ProducerGroup, group_id)
        payment = submit_payment(reseller, group, amount, today - timedelta(days=days_ago),
                                 ref, None, reseller, form_token=None)
        if decide:
            decide_payment(payment, "confirm", producer)


def _backdate(order, when) -> None:
    """Move a demo order (its steps and promised capacity) into the past."""
    shift = when - order.created_at
    old_day = order.ship_date
    order.ship_date = (when + timedelta(days=1)).date() if order.status != "new" else old_day
    for name in ("created_at", "confirmed_at", "packed_at", "shipped_at", "finished_at",
                 "cancelled_at"):
        if getattr(order, name) is not None:
            setattr(order, name, getattr(order, name) + shift)
    for event in order.events:
        event.created_at += shift
    if order.status in ("confirmed", "packed", "shipped", "finished"):
        for line in order.lines:
            if line.product.made_to_order and order.ship_date != old_day:
                release_capacity(line.product, old_day, line.quantity)
                reserve_capacity(line.product, order.ship_date, line.quantity)
    db.session.flush()

"""Customer orders and their status flow. Services flush and never commit."""

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.catalog.capacity import release_capacity, reserve_capacity
from crm.catalog.models import Product
from crm.catalog.services import record_stock_movement
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.fund.accrual import accrue_contribution
from crm.orders.models import (
    ORDER_CHANNELS,
    PAYMENT_METHODS,
    SOLD_STATUSES,
    Order,
    OrderEvent,
    OrderLine,
)
from crm.reports import summaries
from crm.resellers.models import Claim
from crm.settlements import pair_totals
from crm.text.dates import today_in
from crm.text.phones import PhoneError, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

MAX_QUANTITY = 10_000
MAX_DAYS_AHEAD = 60

# The status flow: (status, step) → new status.
TRANSITIONS = {
    ("new", "confirm"): "confirmed",
    ("confirmed", "pack"): "packed",
    ("packed", "ship"): "shipped",
    ("shipped", "finish"): "finished",
    ("new", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("packed", "cancel"): "cancelled",
}
# Who takes each step: the producer side (the group's producers, officers of the
# village) or the order's reseller.
STEP_ROLES = {
    "confirm": (Role.PRODUCER, Role.OFFICER),
    "pack": (Role.PRODUCER, Role.OFFICER),
    "ship": (Role.PRODUCER, Role.OFFICER),
    "finish": (Role.PRODUCER, Role.OFFICER, Role.RESELLER),
    "cancel": (Role.PRODUCER, Role.OFFICER, Role.RESELLER),
}
STEP_TIMESTAMPS = {
    "confirm": "confirmed_at", "pack": "packed_at", "ship": "shipped_at",
    "finish": "finished_at", "cancel": "cancelled_at",
}
HOLDS_GOODS = ("confirmed", "packed")


def allowed_steps(order: Order, user) -> list[str]:
    """The steps ``user`` may take on ``order`` now, in flow order."""
    steps = []
    for step in ("confirm", "pack", "ship", "finish", "cancel"):
        if (order.status, step) not in TRANSITIONS or user.role not in STEP_ROLES[step]:
            continue
        if user.role == Role.RESELLER and step == "cancel" and order.status != "new":
            continue  # once the producer holds goods, only the producer side cancels
        steps.append(step)
    return steps


def clean_customer(values: dict) -> dict:
    """The customer and delivery fields of an order, checked and trimmed; RuleError
    naming the field otherwise."""
    name = (values.get("customer_name") or "").strip()
    if not name:
        raise RuleError(_("Isi nama pembeli."), field="customer_name")
    if values.get("channel") not in ORDER_CHANNELS:
        raise RuleError(_("Pilih saluran penjualan."), field="channel")
    if values.get("payment") not in PAYMENT_METHODS:
        raise RuleError(_("Pilih cara bayar."), field="payment")
    phone = (values.get("customer_phone") or "").strip()
    try:
        phone = normalise_phone(phone) if phone else None
    except PhoneError as exc:
        raise RuleError(_("Nomor HP pembeli tidak dikenali. Contoh: 0812-3456-7890."),
                        field="customer_phone") from exc
    address = (values.get("address") or "").strip()
    if not address:
        raise RuleError(_("Isi alamat kirim pembeli."), field="address")
    postcode = (values.get("postcode") or "").strip()
    if postcode and not (len(postcode) == 5 and postcode.isascii() and postcode.isdigit()):
        raise RuleError(_("Kode pos 5 angka."), field="postcode")
    ship_date = values.get("ship_date") or today_in()
    if ship_date < today_in() or ship_date > today_in() + timedelta(days=MAX_DAYS_AHEAD):
        raise RuleError(_("Tanggal kirim dari hari ini sampai %(n)d hari ke depan.",
                          n=MAX_DAYS_AHEAD), field="ship_date")
    shipping = values.get("shipping_cost") or 0
    return {
        "channel": values["channel"], "payment": values["payment"], "customer_name": name,
        "customer_phone": phone, "address": address, "postcode": postcode,
        "kecamatan": (values.get("kecamatan") or "").strip(),
        "kabupaten": (values.get("kabupaten") or "").strip(),
        "marketplace_ref": (values.get("marketplace_ref") or "").strip(),
        "courier": (values.get("courier") or "").strip(),
        "courier_service": (values.get("courier_service") or "").strip(),
        "shipping_cost": shipping, "dropship": bool(values.get("dropship")),
        "notes": (values.get("notes") or "").strip(), "ship_date": ship_date,
    }


def create_orders(reseller, values: dict, quantities: dict[int, int], form_token=None):
    """Record a customer's order for products the reseller has claimed.

    Products of several groups are split into one order per group (each group
    packs and ships its own parcel). A resent form (same ``form_token``) returns
    the orders made the first time.
    """
    if form_token:
        earlier = db.session.scalars(select(Order).where(
            Order.form_token == form_token, Order.reseller_id == reseller.id)).all()
        if earlier:
            return list(earlier)
    wanted = {pid: qty for pid, qty in quantities.items() if qty}
    if not wanted:
        raise RuleError(_("Isi jumlah minimal satu produk."), field="lines")
    if any(qty < 0 or qty > MAX_QUANTITY for qty in wanted.values()):
        raise RuleError(_("Jumlah per produk 1 sampai %(n)d.", n=MAX_QUANTITY), field="lines")
    customer = clean_customer(values)
    products = db.session.scalars(
        select(Product).join(Claim, Claim.product_id == Product.id).where(
            Product.id.in_(wanted), Product.active.is_(True),
            Claim.reseller_id == reseller.id, Claim.status == "active")
    ).all()
    if len(products) != len(wanted):
        raise RuleError(_("Hanya produk yang sudah Anda ambil (klaim aktif) bisa dipesan."),
                        field="lines")
    return add_orders(reseller, customer,
                      [(p, wanted[p.id], p.retail_price) for p in products],
                      form_token=form_token)


def add_orders(reseller, customer: dict, lines: list[tuple[Product, int, int]], *,
               form_token=None, created_at=None) -> list[Order]:
    """Record one new order per producer group for ``lines`` (product, quantity,
    retail price) of products the reseller has claimed, with ``customer``'s fields
    (as :func:`clean_customer` returns them). ``created_at`` defaults to now."""
    return add_many_orders(reseller, [(customer, lines, created_at)],
                           form_token=form_token)[0]


def add_many_orders(reseller, requests: list[tuple[dict, list, object]], *,
                    form_token=None) -> list[list[Order]]:
    """:func:`add_orders` for many customers' orders at once (an imported export):
    ``requests`` are (customer, lines, created_at); returns each request's orders.

    The orders, their lines, status events and audit rows are written in one
    statement per table, and each (reseller, group) pair's running total gets one
    addition, so a file of thousands of orders takes a dozen statements."""
    made: list[list[Order]] = []
    for customer, lines, created_at in requests:
        by_group = defaultdict(list)
        for line in sorted(lines, key=lambda item: item[0].id):
            by_group[line[0].group_id].append(line)
        orders = []
        for group_id, group_lines in sorted(by_group.items()):
            order = Order(
                village_id=group_lines[0][0].village_id, group_id=group_id,
                reseller_id=reseller.id, status="new", form_token=form_token, **customer,
            )
            if created_at is not None:
                order.created_at = created_at
            order.lines = [
                OrderLine(product_id=p.id, quantity=quantity, reseller_price=p.reseller_price,
                          retail_price=retail)
                for p, quantity, retail in group_lines
            ]
            orders.append(order)
        made.append(orders)
    every = [order for orders in made for order in orders]
    db.session.add_all(every)
    db.session.flush()
    per_pair = Counter()
    for order in every:
        db.session.add(OrderEvent(order_id=order.id, from_status=None, to_status="new",
                                  actor_id=reseller.id))
        record_change(reseller, "create", "order", order.id, order.village_id,
                      {"lines": {str(line.product_id): line.quantity
                                 for line in order.lines}}, flush=False)
        per_pair[(order.group_id, order.village_id)] += 1
    for (group_id, village_id), count in sorted(per_pair.items()):
        pair_totals.add(reseller.id, group_id, village_id, orders=count)
    db.session.flush()
    return made


def _take_goods(order: Order, actor) -> None:
    """Take each line's goods, in the form the product has now, and write down on
    the line which form that was."""
    for line in order.lines:
        product = line.product
        if product.made_to_order:
            reserve_capacity(product, order.ship_date, line.quantity)
            line.taken_from = "capacity"
            continue
        try:
            record_stock_movement(product, "order", -line.quantity, actor,
                                  note=_("Pesanan #%(id)d", id=order.id))
        except RuleError as exc:
            raise RuleError(_("Stok %(name)s tidak cukup (sisa %(left)d, diminta %(n)d).",
                              name=product.name, left=product.stock, n=line.quantity)) from exc
        line.taken_from = "stock"


def _return_goods(order: Order, actor) -> None:
    """Give back exactly what :func:`_take_goods` took, in the form it took it, even
    when the product has since changed between stock and made to order."""
    for line in order.lines:
        if line.taken_from == "capacity":
            release_capacity(line.product, order.ship_date, line.quantity)
        elif line.taken_from == "stock":
            record_stock_movement(line.product, "cancel", line.quantity, actor,
                                  note=_("Pesanan #%(id)d batal", id=order.id))
        line.taken_from = None


def change_status(order: Order, step: str, actor, *, tracking_number: str = "",
                  reason: str = "") -> Order:
    """Take ``step`` on ``order`` following ``TRANSITIONS``.

    The status changes with a guarded UPDATE (``WHERE status = <old>``), so two people
    pressing the same button at once cannot both apply it. Confirming takes stock
    (or the day's capacity) atomically; cancelling gives back what was taken.
    """
    old = order.status
    new = TRANSITIONS.get((old, step))
    if new is None or step not in allowed_steps(order, actor):
        raise RuleError(_("Langkah ini tidak bisa dilakukan pada pesanan berstatus sekarang."))
    changes = {"status": [old, new]}
    if step == "ship":
        tracking_number = (tracking_number or "").strip()[:60]
        if not tracking_number:
            raise RuleError(_("Isi nomor resi (atau tulis \"antar sendiri\")."),
                            field="tracking_number")
    if step == "cancel":
        reason = (reason or "").strip()[:300]
        if not reason:
            raise RuleError(_("Tulis alasan pembatalan."), field="reason")
    move_status(order, old, new,
                _("Pesanan ini baru saja diubah orang lain. Muat ulang halaman."))
    if step == "confirm":
        _take_goods(order, actor)
    elif step == "cancel" and old in HOLDS_GOODS:
        _return_goods(order, actor)
    if step == "ship":
        order.tracking_number = tracking_number
        changes["tracking_number"] = tracking_number
    if step == "cancel":
        order.cancel_reason = reason
    setattr(order, STEP_TIMESTAMPS[step], utcnow())
    if new in SOLD_STATUSES and old not in SOLD_STATUSES:
        pair_totals.add(order.reseller_id, order.group_id, order.village_id,
                        shipped=pair_totals.order_owed(order))
        summaries.record_shipment(order)
    elif new == "cancelled":
        pair_totals.add(order.reseller_id, order.group_id, order.village_id, orders=-1)
    if new == "finished":
        # What the group earns on the order goes towards its community fund.
        revenue = sum(line.quantity * line.reseller_price for line in order.lines)
        accrue_contribution(order.group, "order", order.id, revenue, today_in(), actor)
    db.session.add(OrderEvent(order_id=order.id, from_status=old, to_status=new,
                              actor_id=actor.id, note=tracking_number or reason))
    db.session.flush()
    record_change(actor, step, "order", order.id, order.village_id, changes)
    return order

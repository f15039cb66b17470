"""Returns after shipping and reseller payments to producer groups.

Services flush and never commit: the request (or the CLI, or a test) commits once.
"""

from datetime import date

from sqlalchemy import Select, exists, func, or_, select

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.catalog.services import record_stock_movement
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.orders.models import (
    LOSS_BEARERS,
    RETURN_REASONS,
    SOLD_STATUSES,
    Order,
    OrderLine,
    OrderReturn,
)
from crm.settlements import pair_totals
from crm.settlements.models import ResellerPayment
from crm.text.dates import today_in
from crm.text.money import MAX_RUPIAH
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import store_image

# Allowed payment transitions: (status, action) → new status. Anything else is refused.
PAYMENT_TRANSITIONS = {
    ("submitted", "confirm"): "confirmed",
    ("submitted", "reject"): "rejected",
}
PROOF_KIND = "payments"


# --- returns ----------------------------------------------------------------------


def returned_quantities(line_ids) -> dict[int, int]:
    """Units already returned per order line, in one query."""
    ids = list(line_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(OrderReturn.line_id, func.sum(OrderReturn.quantity))
        .where(OrderReturn.line_id.in_(ids))
        .group_by(OrderReturn.line_id)
    ).all())


def record_return(
    order: Order, line: OrderLine, quantity: int, reason: str, borne_by: str,
    resaleable: bool, actor, note: str = "", form_token: str | None = None,
) -> OrderReturn:
    """Record goods sent back after an order was shipped.

    When the producer bears the loss the reseller is credited the reseller price of
    the returned units; goods still fit for sale go back into stock through the
    ledger. A ``form_token`` already used returns the earlier return and changes
    nothing.
    """
    if form_token:
        earlier = db.session.scalar(
            select(OrderReturn).where(OrderReturn.form_token == form_token))
        if earlier is not None:
            return earlier
    if order.status not in SOLD_STATUSES:
        raise RuleError(_("Retur hanya untuk pesanan yang sudah dikirim."))
    if line is None or line.order_id != order.id:
        raise RuleError(_("Barang ini bukan bagian dari pesanan ini."), field="line_id")
    if reason not in RETURN_REASONS:
        raise RuleError(_("Pilih alasan retur."), field="reason")
    if borne_by not in LOSS_BEARERS:
        raise RuleError(_("Pilih siapa yang menanggung kerugian."), field="borne_by")
    if quantity is None or quantity < 1:
        raise RuleError(_("Jumlah retur minimal 1."), field="quantity")
    # Lock the line (PostgreSQL) so two returns at the same moment cannot together
    # send back more than was shipped.
    db.session.execute(
        select(OrderLine.id).where(OrderLine.id == line.id).with_for_update())
    already = returned_quantities([line.id]).get(line.id, 0)
    left = line.quantity - already
    if left <= 0:
        raise RuleError(_("Semua barang di baris ini sudah diretur."), field="quantity")
    if quantity > left:
        raise RuleError(
            _("Jumlah retur melebihi yang dikirim: paling banyak %(n)d lagi.", n=left),
            field="quantity",
        )
    credit = line.reseller_price * quantity if borne_by == "producer" else 0
    item = OrderReturn(
        order_id=order.id, line_id=line.id, group_id=order.group_id,
        reseller_id=order.reseller_id, quantity=quantity, reason=reason, borne_by=borne_by,
        resaleable=bool(resaleable), credit=credit, note=(note or "").strip()[:300],
        actor_id=getattr(actor, "id", None), form_token=form_token or None,
    )
    db.session.add(item)
    # The same form sent twice at the same instant: the token's unique constraint
    # stops the second copy at flush, and crm.web.errors answers it as a resent form.
    db.session.flush()
    pair_totals.add(order.reseller_id, order.group_id, order.village_id, returns=1,
                    credited=credit)
    product = line.product
    if resaleable and line.taken_from == "stock":
        record_stock_movement(product, "return", quantity, actor,
                              note=_("Retur pesanan #%(id)d", id=order.id))
    record_change(actor, "return", "order", order.id, order.village_id, {
        "return": item.id, "line": line.id, "quantity": quantity, "reason": reason,
        "borne_by": borne_by, "resaleable": bool(resaleable), "credit": credit,
    })
    return item


# --- payments ---------------------------------------------------------------------


def payable_groups(reseller) -> Select:
    """Groups ``reseller`` may send money to: those of their village and any group
    they have orders with, by name."""
    has_orders = exists().where(
        Order.group_id == ProducerGroup.id, Order.reseller_id == reseller.id)
    return (
        select(ProducerGroup)
        .where(or_(ProducerGroup.village_id == reseller.village_id, has_orders))
        .order_by(ProducerGroup.name, ProducerGroup.id)
    )


def _payment_by_token(form_token: str) -> ResellerPayment | None:
    return db.session.scalar(
        select(ResellerPayment).where(ResellerPayment.form_token == form_token))


def submit_payment(
    reseller, group: ProducerGroup, amount: int, paid_on: date, reference: str,
    proof_bytes: bytes | None, actor, form_token: str | None,
) -> ResellerPayment:
    """A reseller writes down a transfer to a producer group; it waits for the
    group's confirmation before it lowers what the reseller owes.

    A ``form_token`` already used returns the earlier payment and creates nothing.
    """
    if form_token:
        earlier = _payment_by_token(form_token)
        if earlier is not None:
            if earlier.reseller_id != reseller.id:
                raise RuleError(_("Formulir ini sudah dipakai. Muat ulang halaman."))
            return earlier
    if getattr(reseller, "role", None) != Role.RESELLER:
        raise RuleError(_("Hanya reseller yang bisa mencatat setoran."))
    if group is None or db.session.scalar(
            payable_groups(reseller).where(ProducerGroup.id == group.id)
            .with_only_columns(ProducerGroup.id)) is None:
        raise RuleError(_("Pilih kelompok tempat Anda mengambil barang."), field="group_id")
    if amount is None or amount <= 0:
        raise RuleError(_("Jumlah setoran harus lebih dari 0."), field="amount")
    if amount > MAX_RUPIAH:
        raise RuleError(_("Jumlah terlalu besar."), field="amount")
    tz = group.village.timezone if group.village is not None else None
    if paid_on is None:
        raise RuleError(_("Isi tanggal transfer."), field="paid_on")
    if paid_on > today_in(tz):
        raise RuleError(_("Tanggal transfer tidak boleh di masa depan."), field="paid_on")
    proof = None
    if proof_bytes:
        proof = store_image(proof_bytes, PROOF_KIND, max_side=1600, field="proof", fmt="JPEG")
    payment = ResellerPayment(
        reseller_id=reseller.id, group_id=group.id, village_id=group.village_id,
        amount=amount, paid_on=paid_on, reference=(reference or "").strip()[:80],
        proof_filename=proof, status="submitted", form_token=form_token or None,
    )
    db.session.add(payment)
    # The same form sent twice at the same instant: the token's unique constraint
    # stops the second copy at flush, and crm.web.errors answers it as a resent form.
    db.session.flush()
    pair_totals.add(reseller.id, group.id, group.village_id, payments=1, waiting=amount)
    record_change(actor, "submit", "reseller_payment", payment.id, payment.village_id, {
        "amount": amount, "group": group.id, "paid_on": paid_on.isoformat(),
    })
    return payment


def decide_payment(payment: ResellerPayment, action: str, actor, note: str = "",
                   ) -> ResellerPayment:
    """Confirm or reject a submitted payment, following ``PAYMENT_TRANSITIONS``.

    Only the group's producers or an officer decide. The status is changed with one
    guarded UPDATE, so two confirmations at the same moment cannot both pass.
    """
    role = getattr(actor, "role", None)
    allowed = (
        (role == Role.PRODUCER and actor.group_id == payment.group_id)
        or (role == Role.OFFICER
            and payment.village_id in set(db.session.scalars(visible_village_ids(actor))))
    )
    if not allowed:
        raise RuleError(_("Hanya produsen kelompok ini atau petugas desa yang bisa "
                          "memeriksa setoran."))
    new_status = PAYMENT_TRANSITIONS.get((payment.status, action))
    if new_status is None:
        raise RuleError(_refusal(payment.status, action))
    old_status = payment.status
    move_status(payment, old_status, new_status, lambda now: _refusal(now, action),
                values={"decided_by_id": actor.id, "decided_at": utcnow(),
                        "note": (note or "").strip()[:300]})
    pair_totals.add(payment.reseller_id, payment.group_id, payment.village_id,
                    waiting=-payment.amount,
                    paid=payment.amount if new_status == "confirmed" else 0)
    record_change(actor, action, "reseller_payment", payment.id, payment.village_id,
                  {"status": [old_status, new_status], "amount": payment.amount})
    return payment


def _refusal(status: str, action: str) -> str:
    if status == "confirmed":
        return _("Setoran ini sudah dikonfirmasi.")
    if status == "rejected":
        return _("Setoran ini sudah ditolak.")
    return _("Langkah ini tidak bisa dilakukan pada setoran berstatus sekarang.")

"""Prefilled WhatsApp messages between a reseller and a producer group (wa.me links,
no paid API): for each step of an order, its returns and the reseller's payments.

Each message is the one the person looking at the page sends to the other side:
chosen by the step *and* by who sends it, it greets the recipient by name, says what
the sender did or asks, and carries the order number and the amounts that matter.

Pure builders: objects and plain values in, text out.
"""

from crm.auth.models import Role
from crm.settlements.forms import LOSS_BEARER_LABELS, RETURN_REASON_LABELS
from crm.text.dates import short_date
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _

# Who writes to whom about an order: the reseller to the group, the group's producer
# to the reseller. Officers follow orders but are neither side of one: no message.
ORDER_SENDERS = (Role.RESELLER, Role.PRODUCER)


def _items(order) -> str:
    return ", ".join(f"{line.quantity} × {line.product.name}" for line in order.lines)


def _place(order) -> str:
    return order.kecamatan or order.kabupaten or order.address[:40]


def _courier(order) -> str:
    return " ".join(p for p in (order.courier, order.courier_service) if p) or "-"


def _canceller(order):
    """The user who cancelled ``order`` (None when unknown)."""
    for event in reversed(order.events):
        if event.to_status == "cancelled":
            return event.actor
    return None


def _returned(returns) -> str:
    return ", ".join(
        _("%(n)d × %(product)s (%(reason)s, ditanggung %(who)s)", n=r.quantity,
          product=r.line.product.name, reason=RETURN_REASON_LABELS[r.reason],
          who=LOSS_BEARER_LABELS[r.borne_by])
        for r in returns)


def order_message(order, sender_role: str, url: str, returns=()) -> str | None:
    """The message ``sender_role`` sends the other side of ``order`` at its current
    step; ``returns`` are the order's recorded returns. None for an officer."""
    if sender_role == Role.RESELLER:
        return _reseller_to_group(order, url, returns)
    if sender_role == Role.PRODUCER:
        return _group_to_reseller(order, url, returns)
    return None


def _names(order, url: str, credit: int) -> dict:
    """What every order message names: both sides, the order, the amount owed for it
    after return credits."""
    return {"group": order.group.name, "reseller": order.reseller.full_name,
            "id": order.id, "customer": order.customer_name, "url": url,
            "owed": format_rupiah(order.owed_total - credit)}


def _reseller_to_group(order, url: str, returns) -> str:
    names = _names(order, url, sum(r.credit for r in returns))
    status = order.status
    if status == "new":
        return _(
            "Halo %(group)s, saya %(reseller)s. Ada pesanan baru #%(id)d: %(items)s. "
            "Kirim ke %(customer)s, %(place)s, tanggal %(day)s. Setoran saya ke kelompok: "
            "%(owed)s. Mohon dikonfirmasi: %(url)s",
            items=_items(order), place=_place(order), day=short_date(order.ship_date), **names)
    if status == "confirmed":
        return _(
            "Halo %(group)s, terima kasih sudah mengonfirmasi pesanan #%(id)d "
            "(%(customer)s). Ditunggu kirimnya tanggal %(day)s. Salam, %(reseller)s. "
            "%(url)s", day=short_date(order.ship_date), **names)
    if status == "packed":
        return _(
            "Halo %(group)s, terima kasih sudah mengemas pesanan #%(id)d (%(customer)s). "
            "Mohon kabari nomor resinya setelah dikirim. Salam, %(reseller)s. %(url)s",
            **names)
    if status == "shipped":
        return _(
            "Halo %(group)s, terima kasih sudah mengirim pesanan #%(id)d (%(customer)s) "
            "lewat %(courier)s, resi %(tracking)s. Setoran saya "
            "untuk pesanan ini %(owed)s akan saya transfer dan catat di Setoran. "
            "Salam, %(reseller)s. %(url)s",
            courier=_courier(order), tracking=order.tracking_number or "-", **names)
    if status == "finished":
        return _(
            "Halo %(group)s, pesanan #%(id)d (%(customer)s) sudah diterima pembeli. "
            "Terima kasih! Setoran saya untuk pesanan ini: %(owed)s. Salam, %(reseller)s. "
            "%(url)s", **names)
    return _cancelled(order, names, sender_side=(Role.RESELLER,), greet="group",
                      sign="reseller")


def _group_to_reseller(order, url: str, returns) -> str:
    credit = sum(r.credit for r in returns)
    names = _names(order, url, credit)
    status = order.status
    if returns and status in ("shipped", "finished"):
        return _(
            "Halo %(reseller)s, retur pesanan #%(id)d (%(customer)s) sudah kami catat: "
            "%(returned)s. Kredit untuk Anda: %(credit)s. Setoran untuk pesanan ini "
            "sekarang %(owed)s. Salam, %(group)s. %(url)s",
            returned=_returned(returns), credit=format_rupiah(credit), **names)
    if status == "new":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s: %(items)s) sudah kami "
            "terima. Kami cek stoknya dulu, lalu kami konfirmasi. Salam, %(group)s. %(url)s",
            items=_items(order), **names)
    if status == "confirmed":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s: %(items)s) sudah kami "
            "konfirmasi dan akan dikirim tanggal %(day)s. Setoran ke kelompok: %(owed)s. "
            "Salam, %(group)s. %(url)s",
            items=_items(order), day=short_date(order.ship_date), **names)
    if status == "packed":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah kami kemas dan siap "
            "dikirim tanggal %(day)s. Salam, %(group)s. %(url)s",
            day=short_date(order.ship_date), **names)
    if status == "shipped":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah kami kirim lewat "
            "%(courier)s, resi %(tracking)s. Setoran ke kelompok: %(owed)s. "
            "Salam, %(group)s. %(url)s",
            courier=_courier(order), tracking=order.tracking_number or "-", **names)
    if status == "finished":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah selesai, diterima "
            "pembeli. Terima kasih! Setoran ke kelompok: %(owed)s. Salam, %(group)s. "
            "%(url)s", **names)
    return _cancelled(order, names, sender_side=(Role.PRODUCER, Role.OFFICER),
                      greet="reseller", sign="group")


def _cancelled(order, names: dict, sender_side: tuple, greet: str, sign: str) -> str:
    """Who cancelled and why: the sender's own side tells the other not to go on; the
    other side's cancellation is acknowledged."""
    actor = _canceller(order)
    values = {**names, "to": names[greet], "sender": names[sign],
              "who": actor.full_name if actor else "-", "reason": order.cancel_reason or "-"}
    if actor is not None and actor.role in sender_side:
        return _(
            "Halo %(to)s, pesanan #%(id)d (%(customer)s) dibatalkan oleh %(who)s: "
            "%(reason)s. Mohon tidak diproses lagi. Salam, %(sender)s. %(url)s", **values)
    return _(
        "Halo %(to)s, baik, pembatalan pesanan #%(id)d (%(customer)s) oleh %(who)s "
        "sudah kami terima: %(reason)s. Terima kasih kabarnya. Salam, %(sender)s. %(url)s",
        **values)


def payment_message(payment, sender_role: str, url: str, still_owed: int) -> str | None:
    """The message about a reseller's payment: the reseller asks the group to check a
    transfer; the group's producer says it was received (with what is still owed) or
    not. None when the sender has nothing to say at this step."""
    names = {"group": payment.group.name, "reseller": payment.reseller.full_name,
             "amount": format_rupiah(payment.amount), "day": short_date(payment.paid_on),
             "ref": payment.reference or "-", "owed": format_rupiah(still_owed),
             "note": payment.note or "-", "url": url}
    if sender_role == Role.RESELLER:
        if payment.status == "submitted":
            return _(
                "Halo %(group)s, saya %(reseller)s sudah transfer setoran %(amount)s "
                "tanggal %(day)s (ref. %(ref)s). Mohon dicek dan dikonfirmasi: %(url)s",
                **names)
        if payment.status == "rejected":
            return _(
                "Halo %(group)s, setoran saya %(amount)s tanggal %(day)s ditolak "
                "(%(note)s). Boleh dicek lagi? Saya kirim bukti transfernya. "
                "Salam, %(reseller)s. %(url)s", **names)
        return None
    if sender_role == Role.PRODUCER:
        if payment.status == "confirmed":
            return _(
                "Halo %(reseller)s, setoran %(amount)s tanggal %(day)s sudah kami terima. "
                "Terima kasih! Sisa setoran Anda ke kelompok: %(owed)s. "
                "Salam, %(group)s. %(url)s", **names)
        if payment.status == "rejected":
            return _(
                "Halo %(reseller)s, setoran %(amount)s tanggal %(day)s belum kami terima "
                "(%(note)s), jadi kami tolak. Mohon dicek dan kirim bukti transfernya. "
                "Salam, %(group)s. %(url)s", **names)
    return None

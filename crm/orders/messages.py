"""Prefilled WhatsApp messages for each step of an order (wa.me links, no paid API).

Pure builders: an order and plain values in, text out.
"""

from crm.i18n import gettext as _
from crm.money import format_rupiah


def _items(order) -> str:
    return ", ".join(f"{line.quantity} × {line.product.name}" for line in order.lines)


def message_for(order, url: str) -> str:
    """The message the person who just acted sends to the other side."""
    status = order.status
    if status == "new":
        return _(
            "Halo %(group)s, ada pesanan baru #%(id)d dari reseller %(reseller)s: %(items)s. "
            "Kirim ke %(customer)s, %(place)s, tanggal %(day)s. Mohon dikonfirmasi: %(url)s",
            group=order.group.name, id=order.id, reseller=order.reseller.full_name,
            items=_items(order), customer=order.customer_name,
            place=order.kecamatan or order.kabupaten or order.address[:40],
            day=order.ship_date.strftime("%d-%m-%Y"), url=url,
        )
    if status == "confirmed":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah dikonfirmasi "
            "%(group)s dan akan dikirim %(day)s. %(url)s",
            reseller=order.reseller.full_name, id=order.id, customer=order.customer_name,
            group=order.group.name, day=order.ship_date.strftime("%d-%m-%Y"), url=url,
        )
    if status == "packed":
        return _("Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah dikemas. %(url)s",
                 reseller=order.reseller.full_name, id=order.id,
                 customer=order.customer_name, url=url)
    if status == "shipped":
        return _(
            "Halo %(reseller)s, pesanan #%(id)d (%(customer)s) sudah dikirim lewat "
            "%(courier)s, resi %(tracking)s. Tagihan ke kelompok: %(owed)s. %(url)s",
            reseller=order.reseller.full_name, id=order.id, customer=order.customer_name,
            courier=" ".join(p for p in (order.courier, order.courier_service) if p) or "-",
            tracking=order.tracking_number, owed=format_rupiah(order.owed_total), url=url,
        )
    if status == "finished":
        return _("Pesanan #%(id)d (%(customer)s) sudah diterima pembeli. Terima kasih! %(url)s",
                 id=order.id, customer=order.customer_name, url=url)
    return _("Pesanan #%(id)d (%(customer)s) dibatalkan: %(reason)s. %(url)s",
             id=order.id, customer=order.customer_name, reason=order.cancel_reason, url=url)

"""Prefilled WhatsApp messages from a producer group to the owner of an outlet (warung,
market stall) it leaves goods at: what is on the shelf, what was just left, what a
visit counted and collected. The group speaks (officers record consignment on the
group's behalf); the owner is greeted by name.

Pure builders: objects and plain values in, text out.
"""

from crm.consignment.services import cut_label
from crm.text.dates import short_date
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _


def _owner(outlet) -> str:
    return outlet.owner_name or outlet.name


def outlet_message(outlet, drops, outstanding: int) -> str:
    """About the outlet as a whole: the goods on its shelf (``drops``: the open ones)
    and what it still owes the group."""
    names = {"owner": _owner(outlet), "group": outlet.group.name, "outlet": outlet.name}
    shelf = ", ".join(
        _("%(n)d × %(product)s @ %(price)s", n=d.on_shelf, product=d.product.name,
          price=format_rupiah(d.unit_price)) for d in drops)
    text = _("Halo %(owner)s, kami dari %(group)s. Kami mau cek barang titipan di "
             "%(outlet)s.", **names)
    if shelf:
        text += " " + _("Titipan kami yang masih di rak: %(shelf)s.", shelf=shelf)
    if outstanding > 0:
        text += " " + _("Uang titipan yang belum disetor: %(amount)s.",
                        amount=format_rupiah(outstanding))
    return text + " " + _("Terima kasih!")


def drop_message(drop) -> str:
    """After leaving goods: what, how many, at what price and cut, until when."""
    outlet = drop.outlet
    text = _(
        "Halo %(owner)s, kami dari %(group)s sudah menitipkan %(n)d × %(product)s di "
        "%(outlet)s tanggal %(day)s, harga jual %(price)s per barang, potongan warung "
        "%(cut)s. Nilai titipan: %(value)s.", owner=_owner(outlet),
        group=outlet.group.name, n=drop.quantity, product=drop.product.name,
        outlet=outlet.name, day=short_date(drop.placed_on), price=format_rupiah(drop.unit_price),
        cut=cut_label(drop.cut_kind, drop.cut_value),
        value=format_rupiah(drop.quantity * drop.unit_price))
    if drop.pull_back_on:
        text += " " + _("Barang yang belum laku kami ambil paling lambat %(day)s.",
                        day=short_date(drop.pull_back_on))
    return text + " " + _("Terima kasih!")


def visit_message(visit, lines, outstanding: int) -> str:
    """After a visit: what sold, what the outlet owed for it, the cash received and
    what it still owes."""
    outlet = visit.outlet
    sold = ", ".join(f"{line.sold} × {line.product.name}" for line in lines if line.sold)
    return _(
        "Halo %(owner)s, terima kasih atas kunjungan %(group)s hari %(day)s. Yang laku: "
        "%(sold)s. Tagihan kunjungan ini %(due)s, uang diterima %(cash)s, sisa utang "
        "%(left)s (kunjungan #%(id)d).",
        owner=_owner(outlet), group=outlet.group.name, day=short_date(visit.visited_on),
        sold=sold or "-", due=format_rupiah(visit.amount_due),
        cash=format_rupiah(visit.cash_collected), left=format_rupiah(outstanding),
        id=visit.id)

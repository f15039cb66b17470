"""The shipping label of an order, registered on the orders blueprint by
:func:`register_label_routes`: its reseller attaches the marketplace's PDF or removes
it (order page), the group's producers print it, or the app's own label when none is
attached (order page and work queue: "Cetak label").
"""

from io import BytesIO

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from crm.auth.forms import ConfirmForm
from crm.documents.shipping_label import DEFAULT_SIZE, SIZES, build_label_pdf
from crm.orders import labels
from crm.orders.forms import LabelForm
from crm.orders.queries import get_order_or_404
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.security import accepts_uploads


def print_label(order_id: int):
    """The label to print, for the group's producers only: the attached PDF as it
    was uploaded, or the app's own in ``?ukuran=100x150`` (default) or ``58``."""
    order = get_order_or_404(order_id, current_user, need="group")
    name = f"label-{order.id}.pdf"
    attached = labels.label_file(order)
    if attached is not None:
        return send_file(attached, mimetype="application/pdf", download_name=name,
                         as_attachment=False, max_age=0)
    size = request.args.get("ukuran", DEFAULT_SIZE)
    body = build_label_pdf(labels.label_document(order),
                           size if size in SIZES else DEFAULT_SIZE)
    return send_file(BytesIO(body), mimetype="application/pdf", download_name=name,
                     as_attachment=False, max_age=0)


def attach_label(order_id: int):
    """The order's reseller attaches (or replaces) the marketplace's label."""
    order = get_order_or_404(order_id, current_user, need="reseller")
    back = url_for("orders.detail", order_id=order.id)
    form = LabelForm()
    if not form.validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(back)
    upload = form.label.data
    # One byte past the limit is enough to refuse a file as too large.
    data = upload.read(labels.MAX_LABEL_BYTES + 1) if upload else None
    with saving() as saved:
        replaced = labels.attach_label(order, data, getattr(upload, "filename", ""),
                                       current_user)
    if saved:
        labels.discard_label_file(replaced)
        flash(_("Label pengiriman sudah dilampirkan. Produsen mencetaknya dari pesanan "
                "ini."), "success")
    return redirect(back)


def remove_label(order_id: int):
    """The order's reseller removes the attached label (the app's own is printed)."""
    order = get_order_or_404(order_id, current_user, need="reseller")
    back = url_for("orders.detail", order_id=order.id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(back)
    with saving() as saved:
        removed = labels.remove_label(order, current_user)
    if saved:
        labels.discard_label_file(removed)
        flash(_("Label pengiriman sudah dihapus."), "success")
    return redirect(back)


def register_label_routes(bp: Blueprint) -> None:
    """``orders.label`` (GET), ``orders.attach_label`` and ``orders.remove_label``
    (POST) on ``bp``, the orders blueprint."""
    bp.add_url_rule("/pesanan/<int:order_id>/label", endpoint="label",
                    view_func=login_required(print_label), methods=["GET"])
    bp.add_url_rule("/pesanan/<int:order_id>/label/unggah", endpoint="attach_label",
                    view_func=accepts_uploads(login_required(attach_label)),
                    methods=["POST"])
    bp.add_url_rule("/pesanan/<int:order_id>/label/hapus", endpoint="remove_label",
                    view_func=login_required(remove_label), methods=["POST"])

"""The order inbox: a reseller uploads a marketplace's order export, checks what the
app read from it and saves its orders as ordinary orders."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.inbox import services
from crm.inbox.columns import FIELD_LABELS
from crm.inbox.forms import ColumnsForm, ConfirmForm, LabelsForm, UploadForm
from crm.inbox.label_pages import MAX_PDF_BYTES, attach_batch_labels
from crm.inbox.matching import KEY_LENGTH, claimed_products
from crm.inbox.preview import build_preview, marketplace_label
from crm.inbox.queries import get_batch_or_404, recent_batches
from crm.inbox.records import FIELDS, REQUIRED_FIELDS
from crm.inbox.saving import save_export
from crm.orders.forms import STATUS_LABELS
from crm.orders.labels import discard_label_file
from crm.web.errors import RuleError
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.i18n import translated
from crm.web.security import accepts_uploads

CHANGES_SHOWN = 5

bp = Blueprint("inbox", __name__, url_prefix="/kotak-pesanan")


def _back_to_upload(error: RuleError):
    flash(error.message, "error")
    return redirect(url_for("inbox.upload"))


@bp.route("", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.RESELLER)
def upload():
    """The upload: one file input; the file is checked, kept and read."""
    form = UploadForm()
    if form.validate_on_submit():
        sent = form.file.data
        named = bool(sent and getattr(sent, "filename", ""))
        data = sent.read(services.MAX_FILE_BYTES + 1) if named else b""
        with saving(form) as saved:
            if not named:
                raise RuleError(_("Pilih berkas pesanan dulu."), field="file")
            batch, _new = services.store_export(current_user, sent.filename, data)
        if saved:
            if batch.column_map is None:
                return redirect(url_for("inbox.columns", batch_id=batch.id))
            return redirect(url_for("inbox.preview", batch_id=batch.id))
    return render_template("inbox/upload.html", form=form,
                           batches=recent_batches(current_user))


@bp.route("/<int:batch_id>/kolom", methods=["GET", "POST"])
@roles_required(Role.RESELLER)
def columns(batch_id: int):
    """For a file whose headers match no known layout: which column is what."""
    batch = get_batch_or_404(batch_id, current_user)
    if batch.saved_at is not None:
        return redirect(url_for("inbox.preview", batch_id=batch.id))
    try:
        sheet = services.batch_sheet(batch)
    except RuleError as error:
        return _back_to_upload(error)
    headers = sheet.headers
    form = ColumnsForm()
    choice = {name: "" for name in FIELDS}
    if form.validate_on_submit():
        choice = {name: request.form.get(f"kolom-{name}", "") for name in FIELDS}
        choice = {name: header if header in headers else "" for name, header in choice.items()}
        with saving(form) as saved:
            services.choose_columns(batch, current_user, sheet, choice, form.channel.data)
        if saved:
            flash(_("Pilihan kolom diingat untuk berkas berikutnya dengan kolom yang sama."),
                  "success")
            return redirect(url_for("inbox.preview", batch_id=batch.id))
    return render_template("inbox/columns.html", form=form, batch=batch, headers=headers,
                           fields=FIELDS, required=REQUIRED_FIELDS, choice=choice,
                           labels=translated(FIELD_LABELS))


@bp.get("/<int:batch_id>")
@roles_required(Role.RESELLER)
def preview(batch_id: int):
    """What the file holds, in three tabs: new, already in the app, to be checked."""
    batch = get_batch_or_404(batch_id, current_user)
    if batch.column_map is None:
        return redirect(url_for("inbox.columns", batch_id=batch.id))
    try:
        column_map, orders, headers = services.export_orders(batch)
    except RuleError as error:
        return _back_to_upload(error)
    found = build_preview(current_user, column_map, orders, headers)
    return render_template(
        "inbox/preview.html", batch=batch, preview=found, form=ConfirmForm(),
        market=marketplace_label(column_map.channel), products=claimed_products(current_user),
        unknown=list(found.unknown.items()), status_labels=translated(STATUS_LABELS))


@bp.post("/<int:batch_id>/produk")
@roles_required(Role.RESELLER)
def choose_products(batch_id: int):
    """Remember the products picked for the file's unknown products."""
    batch = get_batch_or_404(batch_id, current_user)
    column_map = services.batch_map(batch)
    form = ConfirmForm()
    if column_map is None or not form.validate_on_submit():
        abort(400)
    choices = {}
    for index, key in enumerate(request.form.getlist("kunci")[:500]):
        picked = request.form.get(f"produk-{index}", "")
        if key and len(key) <= KEY_LENGTH and picked.isascii() and picked.isdigit():
            choices[key] = int(picked)
    with saving() as saved:
        kept = services.choose_products(current_user, column_map.channel, choices)
    if saved and kept:
        flash(_("Pilihan produk diingat untuk berkas berikutnya."), "success")
    return redirect(url_for("inbox.preview", batch_id=batch.id))


@bp.post("/<int:batch_id>/simpan")
@roles_required(Role.RESELLER)
def save(batch_id: int):
    """Save the file's new orders and its changes, once."""
    batch = get_batch_or_404(batch_id, current_user)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        column_map, orders, headers = services.export_orders(batch)
        result = save_export(batch, current_user, column_map, orders, headers)
    if not saved:
        return redirect(url_for("inbox.preview", batch_id=batch.id))
    flash(_("%(n)d pesanan tersimpan.", n=len(result.orders)), "success")
    # A flashed message travels in the session cookie: a few sentences, then a count.
    for sentence in result.changes[:CHANGES_SHOWN]:
        flash(sentence, "success")
    if len(result.changes) > CHANGES_SHOWN:
        flash(_("… dan %(n)d perubahan lain.", n=len(result.changes) - CHANGES_SHOWN), "success")
    if result.skipped:
        flash(_("%(n)d pesanan perlu dicek tidak disimpan.", n=result.skipped), "info")
    if result.orders:
        flash(Markup('<a href="{}">{}</a>').format(
            url_for("inbox.labels", batch_id=batch.id),
            _("Pasang label pengiriman dari marketplace (PDF) untuk pesanan ini")), "info")
    return redirect(url_for("orders.index"))


@bp.route("/<int:batch_id>/label", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.RESELLER)
def labels(batch_id: int):
    """The marketplace's label PDF of a saved export: each page goes to the orders
    whose marketplace order number it shows; the outcome is shown on the page."""
    batch = get_batch_or_404(batch_id, current_user)
    if batch.saved_at is None:
        flash(_("Simpan pesanannya dulu, lalu pasang labelnya."), "info")
        return redirect(url_for("inbox.preview", batch_id=batch.id))
    form = LabelsForm()
    result = None
    if form.validate_on_submit():
        sent = form.file.data
        data = sent.read(MAX_PDF_BYTES + 1) if sent and getattr(sent, "filename", "") else b""
        with saving(form) as saved:
            result = attach_batch_labels(batch, data, sent.filename if data else "",
                                         current_user)
        if saved:
            for name in result.replaced:
                discard_label_file(name)
        else:
            result = None
    return render_template("inbox/labels.html", form=form, batch=batch, result=result)

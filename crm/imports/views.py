"""Imports of a village's existing lists: the officer downloads a template, uploads
the filled file, checks the preview and saves the good rows at once."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select

from crm.auth import first_sign_in
from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.extensions import db
from crm.imports import services
from crm.imports.accounts import NewAccount
from crm.imports.forms import ConfirmForm, UploadForm
from crm.imports.kinds import KINDS
from crm.imports.queries import get_import_or_404, recent_imports
from crm.imports.template_files import template_csv, template_xlsx
from crm.villages.queries import get_village_or_404, villages_visible_to
from crm.web.errors import RuleError
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.security import accepts_uploads
from crm.web.spreadsheets import csv_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows listed per part of the preview; the counts always cover the whole file.
ROWS_SHOWN = 200

bp = Blueprint("imports", __name__, url_prefix="/impor")


@bp.get("")
@roles_required(Role.OFFICER)
def index():
    """The imports of the officer's villages, newest first, and where to start one."""
    page = db.paginate(recent_imports(current_user),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    return render_template("imports/index.html", page=page, villages=villages, kinds=KINDS)


@bp.get("/templat/<any(kelompok, reseller, produk, warung):kind>.<any(xlsx, csv):fmt>")
@roles_required(Role.OFFICER)
def template(kind: str, fmt: str):
    """A blank template of one kind, with its instructions in Indonesian."""
    chosen = KINDS[kind]
    with force_locale("id"):  # the file goes to village people: always Indonesian
        if fmt == "csv":
            return csv_response(template_csv(chosen), f"templat-{kind}.csv")
        body = template_xlsx(chosen)
    return Response(body, content_type=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="templat-{kind}.xlsx"'})


@bp.route("/desa/<int:village_id>", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.OFFICER)
def upload(village_id: int):
    """Upload a filled template for a village: it is checked and kept for its preview."""
    village = get_village_or_404(village_id, current_user, need="edit")
    form = UploadForm()
    if form.validate_on_submit():
        sent = form.file.data
        named = bool(sent and getattr(sent, "filename", ""))
        data = sent.read(services.MAX_BYTES + 1) if named else b""
        with saving(form) as saved:
            if not named:
                raise RuleError(_("Pilih berkas dulu."), field="file")
            batch = services.store_upload(village, current_user, form.kind.data,
                                          sent.filename, data)
        if saved:
            return redirect(url_for("imports.preview", import_id=batch.id))
    recent = db.session.scalars(recent_imports(current_user, village.id).limit(5)).all()
    return render_template("imports/upload.html", form=form, village=village, kinds=KINDS,
                           recent=recent)


def _accounts_of(batch) -> list[User]:
    if not batch.accounts:
        return []
    return list(db.session.scalars(select(User).where(
        User.id.in_(batch.accounts), User.village_id == batch.village_id).order_by(User.id)))


@bp.get("/<int:import_id>")
@roles_required(Role.OFFICER)
def preview(import_id: int):
    """What saving the file would do, row by row; or, once saved, what it did."""
    batch = get_import_or_404(import_id, current_user)
    if batch.saved_at is not None:
        return render_template("imports/saved.html", batch=batch, kind=KINDS[batch.kind],
                               accounts=_accounts_of(batch), new_accounts=None,
                               form=ConfirmForm())
    try:
        found = services.import_preview(batch)
    except RuleError as error:
        flash(error.message, "error")
        return redirect(url_for("imports.upload", village_id=batch.village_id))
    return render_template("imports/preview.html", batch=batch, preview=found,
                           kind=found.kind, form=ConfirmForm(), shown=ROWS_SHOWN)


@bp.post("/<int:import_id>/simpan")
@roles_required(Role.OFFICER)
def save(import_id: int):
    """Save the file's good rows in one transaction; the new accounts' first sign-in
    links are shown on this page, once."""
    batch = get_import_or_404(import_id, current_user)
    get_village_or_404(batch.village_id, current_user, need="edit")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        _preview, result = services.save_import(batch, current_user)
    if not saved:
        return redirect(url_for("imports.preview", import_id=batch.id))
    flash(_("Impor tersimpan: %(new)d baru, %(updated)d diubah.", new=result.new,
            updated=result.updated), "success")
    # 201: the import was made (a 200 answers a refused form); the page is not a
    # redirect because the new accounts' links are shown this once.
    return render_template("imports/saved.html", batch=batch, kind=KINDS[batch.kind],
                           accounts=[], new_accounts=result.accounts, form=form), 201


@bp.post("/<int:import_id>/akun/<int:user_id>/tautan")
@roles_required(Role.OFFICER)
def new_link(import_id: int, user_id: int):
    """A new first sign-in link for an account this import opened whose owner has
    not chosen a password yet (the old link stops working)."""
    batch = get_import_or_404(import_id, current_user)
    get_village_or_404(batch.village_id, current_user, need="edit")
    user = next((u for u in _accounts_of(batch) if u.id == user_id), None)
    if user is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if user.password_changed_at is not None:
        flash(_("%(name)s sudah membuat kata sandi sendiri.", name=user.full_name), "info")
        return redirect(url_for("imports.preview", import_id=batch.id))
    with saving() as saved:
        url = first_sign_in.issue_link(user, current_user)
    if not saved:
        return redirect(url_for("imports.preview", import_id=batch.id))
    account = NewAccount(user=user, url=url, whatsapp=first_sign_in.whatsapp_invite(user, url))
    return render_template("imports/saved.html", batch=batch, kind=KINDS[batch.kind],
                           accounts=[], new_accounts=[account], form=form), 201

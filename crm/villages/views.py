"""Village list, detail and letterhead editing."""

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.extensions import db
from crm.villages import services
from crm.villages.forms import LetterheadForm
from crm.villages.queries import get_village_or_404, villages_visible_to
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.security import accepts_uploads
from crm.web.uploads import store_image, stored_path

bp = Blueprint("villages", __name__, url_prefix="/desa")


@bp.get("/")
@roles_required(Role.OFFICER)
def index():
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    return render_template("villages/index.html", villages=villages)


@bp.get("/<int:village_id>")
@roles_required(Role.OFFICER)
def detail(village_id: int):
    village = get_village_or_404(village_id, current_user)
    return render_template("villages/detail.html", village=village)


@bp.route("/<int:village_id>/kop", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.OFFICER)
def edit_letterhead(village_id: int):
    village = get_village_or_404(village_id, current_user, need="edit")
    form = LetterheadForm(obj=village)
    if form.validate_on_submit():
        values = {name: form[name].data for name in services.LETTERHEAD_FIELDS}
        with saving(form) as saved:
            services.update_letterhead(village, values, actor=current_user)
            upload = form.logo.data
            if upload:
                name = store_image(upload.read(), "logos", max_side=600, field="logo")
                services.set_logo(village, name, actor=current_user)
        if saved:
            flash(_("Kop surat sudah disimpan."), "success")
            return redirect(url_for("villages.detail", village_id=village.id))
    return render_template("villages/letterhead_form.html", form=form, village=village)


@bp.get("/<int:village_id>/logo")
@login_required
def logo(village_id: int):
    village = get_village_or_404(village_id, current_user)
    path = stored_path("logos", village.logo_filename or "")
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)

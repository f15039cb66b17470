"""Setting up from the browser: the first run, the administrator's villages and
officers, and each village's checklist of what is still missing."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user
from wtforms.fields.choices import SelectChoice

from crm.auth.first_sign_in import issue_link, whatsapp_invite
from crm.auth.forms import ConfirmForm
from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.auth.sessions import note_role
from crm.extensions import db
from crm.setup import services
from crm.setup.checklist import ITEMS, checklist, checklists
from crm.setup.forms import TIMEZONE_LABELS, FirstAdminForm, OfficerForm, ScopesForm, VillageForm
from crm.setup.queries import area_names, get_officer_or_404, officers
from crm.villages import services as village_services
from crm.villages.models import Village
from crm.villages.queries import get_village_or_404, villages_visible_to
from crm.villages.services import DETAIL_FIELDS
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.security import accepts_uploads
from crm.web.uploads import store_image

bp = Blueprint("setup", __name__, url_prefix="/pasang")


@bp.route("/mulai", methods=["GET", "POST"])
def first_run():
    """The first administrator of an installation without accounts (404 after)."""
    if services.has_users():
        abort(404)
    form = FirstAdminForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            admin = services.set_up_installation(
                full_name=form.full_name.data, username=form.username.data,
                password=form.password.data, phone=form.phone.data)
        if saved:
            locale = session.get("locale")
            session.clear()  # nothing from before the sign-in carries over
            if locale:  # but the language chosen on this page does
                session["locale"] = admin.locale = locale
                db.session.commit()
            login_user(admin)
            note_role(admin)
            session.permanent = True
            flash(_("Selamat datang. Sekarang tambahkan desa pertama."), "success")
            return redirect(url_for("setup.create_village"))
        if services.has_users():  # another first run got there first
            flash(saved.error.message, "info")
            return redirect(url_for("auth.login"))
    return render_template("setup/first_run.html", form=form)


@bp.get("/")
@roles_required(Role.ADMIN)
def villages():
    """Every village with how far its checklist is (one statement for them all)."""
    rows = checklists(villages_visible_to(current_user))
    return render_template("setup/villages.html", rows=rows, items=ITEMS)


def _village_values(form: VillageForm) -> dict:
    return {name: form[name].data for name in (*DETAIL_FIELDS, "code") if name in form}


def _save_logo(form: VillageForm, village: Village) -> None:
    upload = form.logo.data
    if upload:
        name = store_image(upload.read(), "logos", max_side=600, field="logo")
        village_services.set_logo(village, name, actor=current_user)


@bp.route("/desa/baru", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.ADMIN)
def create_village():
    """A new village, with this year's spending ceilings of its Kabupaten."""
    form = VillageForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            village = services.start_village(_village_values(form), actor=current_user)
            _save_logo(form, village)
        if saved:
            flash(_("%(name)s sudah dibuat. Sekarang tambahkan petugasnya.",
                    name=village.display_name), "success")
            return redirect(url_for("setup.checklist_page", village_id=village.id))
    return render_template("setup/village_form.html", form=form, village=None)


@bp.route("/desa/<int:village_id>/ubah", methods=["GET", "POST"])
@accepts_uploads
@roles_required(Role.ADMIN)
def edit_village(village_id: int):
    """A village's names, time zone and letterhead (its code stays)."""
    village = get_village_or_404(village_id, current_user)
    form = VillageForm(obj=village, new=False)
    if form.validate_on_submit():
        with saving(form) as saved:
            village_services.update_village(village, _village_values(form), actor=current_user)
            _save_logo(form, village)
        if saved:
            flash(_("Data desa sudah disimpan."), "success")
            return redirect(url_for("setup.checklist_page", village_id=village.id))
    return render_template("setup/village_form.html", form=form, village=village)


@bp.get("/desa/<int:village_id>")
@roles_required(Role.ADMIN, Role.OFFICER)
def checklist_page(village_id: int):
    """What the village still lacks; the administrator's and its officers' page."""
    village = get_village_or_404(village_id, current_user)
    return render_template(
        "setup/checklist.html", village=village, check=checklist(village), items=ITEMS,
        links=_checklist_links(village), timezones=TIMEZONE_LABELS,
    )


def _checklist_links(village: Village) -> dict[str, list[tuple[str, str]]]:
    """Where each item is done, for the person looking: the administrator's own
    pages, or the officer's daily pages (and the spreadsheet import, when the app
    has it)."""
    if current_user.role == Role.ADMIN:
        return {
            "officer": [(url_for("setup.create_officer", desa=village.id),
                         _("Tambah petugas"))],
            "letterhead": [(url_for("setup.edit_village", village_id=village.id),
                            _("Lengkapi kop surat"))],
        }
    links = {
        "groups": [(url_for("groups.create"), _("Tambah kelompok"))],
        "products": [(url_for("catalog.products"), _("Buka produk"))],
        "resellers": [(url_for("auth.create_user"), _("Buat akun reseller"))],
        "letterhead": [(url_for("villages.edit_letterhead", village_id=village.id),
                        _("Lengkapi kop surat"))],
        "ceilings": [(url_for("events.ceilings"), _("Isi batas biaya"))],
    }
    if "imports.index" in current_app.view_functions:
        for item in ("groups", "products", "resellers"):
            links[item].append((url_for("imports.index"), _("Impor dari spreadsheet")))
    return links


@bp.get("/petugas")
@roles_required(Role.ADMIN)
def officer_list():
    """Every officer with their villages and areas."""
    rows = db.session.scalars(officers()).all()
    return render_template("setup/officers.html", officers=rows, areas=area_names())


@bp.route("/petugas/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_officer():
    """A new officer of a village, without a password: the page shows their first
    sign-in link to send by WhatsApp."""
    form = OfficerForm()
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    form.village_id.choices = [SelectChoice(v.id, f"{v.display_name} ({v.code})")
                               for v in villages]
    if request.method == "GET":
        form.village_id.data = request.args.get("desa", type=int)
    if form.validate_on_submit():
        village = next((v for v in villages if v.id == form.village_id.data), None)
        with saving(form) as saved:
            officer = services.create_officer(
                full_name=form.full_name.data, username=form.username.data,
                phone=form.phone.data, village=village, actor=current_user)
            link = issue_link(officer, current_user)
        if saved:
            return _show_link(officer, link, created=True)
    return render_template("setup/officer_form.html", form=form, has_villages=bool(villages))


def _show_link(officer, link: str, created: bool):
    """The page with a new first sign-in link: shown once, the link is not stored.
    201: the link was made (a 200 answers a form that was refused)."""
    return render_template("setup/officer_link.html", officer=officer, link=link,
                           whatsapp=whatsapp_invite(officer, link), created=created), 201


@bp.route("/petugas/<int:officer_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def officer(officer_id: int):
    """An officer's villages and areas."""
    officer = get_officer_or_404(officer_id)
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    areas = area_names()
    form = ScopesForm()
    form.village_ids.choices = [SelectChoice(v.id, f"{v.display_name} ({v.code})")
                                for v in villages]
    form.areas.choices = [SelectChoice(code, f"{name} ({code})") for code, name in areas.items()]
    if request.method == "GET":
        form.village_ids.data = [v.id for v in officer.assigned_villages]
        form.areas.data = [area.region_code for area in officer.areas]
    if form.validate_on_submit():
        chosen = set(form.village_ids.data or ())
        with saving(form) as saved:
            services.set_officer_scopes(
                officer, [v for v in villages if v.id in chosen], form.areas.data or [],
                actor=current_user)
        if saved:
            flash(_("Wilayah tugas %(name)s sudah disimpan.", name=officer.full_name),
                  "success")
            return redirect(url_for("setup.officer", officer_id=officer.id))
    return render_template("setup/officer.html", officer=officer, form=form, areas=areas,
                           link_form=ConfirmForm())


@bp.post("/petugas/<int:officer_id>/tautan")
@roles_required(Role.ADMIN)
def new_link(officer_id: int):
    """A fresh first sign-in link for an officer (the one before stops working)."""
    officer = get_officer_or_404(officer_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        link = issue_link(officer, current_user)
    if not saved:
        return redirect(url_for("setup.officer", officer_id=officer.id))
    return _show_link(officer, link, created=False)

"""Consignment pages: outlets, goods left there, visits and their settlement slips."""

from io import BytesIO

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from crm.auth.forms import ConfirmForm
from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.catalog.models import Product
from crm.consignment import services, slips, visits
from crm.consignment.forms import (
    CUT_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    DropForm,
    OutletForm,
    VisitForm,
)
from crm.consignment.messages import drop_message, outlet_message, visit_message
from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.consignment.queries import (
    get_drop_or_404,
    get_outlet_or_404,
    get_visit_or_404,
    groups_for,
    open_drops,
    outlet_figures,
    outlets_visible_to,
    outstanding_after,
    products_for_drop,
    pull_back_drops,
)
from crm.documents.consignment_pdf import build_consignment_slip_pdf
from crm.extensions import db
from crm.text.percent import percent_text
from crm.text.phones import display_phone, whatsapp_link
from crm.web.errors import RuleError
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id

bp = Blueprint("consignment", __name__, url_prefix="/titip")

MANAGERS = (Role.OFFICER, Role.PRODUCER)
HISTORY_LIMIT = 50


def _labels() -> dict:
    return {"kind_labels": KIND_LABELS, "cut_labels": CUT_LABELS,
            "status_labels": STATUS_LABELS, "cut_label": services.cut_label}


def _today(outlet: Outlet):
    """Today where the outlet's group is."""
    return services.today_for(outlet.group.village)


# --- outlets ------------------------------------------------------------------------


@bp.get("/")
@roles_required(*MANAGERS)
def outlets():
    """The outlets in the user's scope with what is on their shelves and what they
    owe; goods past (or near) their pull-back day at the top."""
    groups = groups_for(current_user) if current_user.role == Role.OFFICER else []
    group_id = arg_id("kelompok")
    if group_id not in {g.id for g in groups}:
        group_id = None
    # ?desa=<id>: one village's outlets (the Kecamatan view links here); a village
    # outside the user's scope has none to show.
    village_id = arg_id("desa")
    query = outlets_visible_to(current_user).options(joinedload(Outlet.group))
    if group_id:
        query = query.where(Outlet.group_id == group_id)
    if village_id:
        query = query.where(Outlet.village_id == village_id)
    query = query.order_by(case((Outlet.active.is_(True), 0), else_=1), Outlet.name,
                           Outlet.id)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    today = services.today_for(None)
    alerts = pull_back_drops(current_user, today)
    if group_id:
        alerts = [d for d in alerts if d.group_id == group_id]
    if village_id:
        alerts = [d for d in alerts if d.village_id == village_id]
    return render_template(
        "consignment/outlets.html", page=page, figures=outlet_figures(o.id for o in page.items),
        overdue=[d for d in alerts if d.pull_back_on < today],
        soon=[d for d in alerts if d.pull_back_on >= today], today=today, groups=groups,
        group_id=group_id, village_id=village_id, **_labels())


def _outlet_form_page(form, outlet):
    return render_template("consignment/outlet_form.html", form=form, outlet=outlet,
                           **_labels())


@bp.route("/warung/baru", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_outlet():
    groups = groups_for(current_user)
    form = OutletForm()
    del form.active
    if current_user.role == Role.OFFICER:
        form.group_id.choices = [(g.id, g.name) for g in groups]
        if request.method == "GET" and not form.group_id.data:
            form.group_id.data = arg_id("kelompok")
    else:
        del form.group_id
    if groups and form.validate_on_submit():
        group = (next(g for g in groups if g.id == form.group_id.data)
                 if "group_id" in form else groups[0])
        try:
            with saving(form) as saved:
                outlet = services.create_outlet(group, form.values(), current_user)
        except IntegrityError:  # the same name saved by someone else just now
            form.name.errors = [*form.name.errors, _("Nama ini sudah dipakai. Coba lagi.")]
        if saved:
            flash(_("%(name)s tersimpan. Sekarang taruh barang di sana.", name=outlet.name),
                  "success")
            return redirect(url_for("consignment.outlet_detail", outlet_id=outlet.id))
    if not groups:
        form.form_errors.append(_("Belum ada kelompok di desa Anda."))
    return _outlet_form_page(form, None)


@bp.route("/warung/<int:outlet_id>/ubah", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_outlet(outlet_id: int):
    outlet = get_outlet_or_404(outlet_id, current_user, need="edit")
    form = OutletForm(obj=outlet)
    del form.group_id
    if request.method == "GET":
        form.phone.data = display_phone(outlet.phone) or None
    if form.validate_on_submit():
        try:
            with saving(form) as saved:
                services.update_outlet(outlet, form.values(), current_user)
        except IntegrityError:  # the same name saved by someone else just now
            form.name.errors = [*form.name.errors, _("Nama ini sudah dipakai. Coba lagi.")]
        if saved:
            flash(_("Data tempat tersimpan."), "success")
            return redirect(url_for("consignment.outlet_detail", outlet_id=outlet.id))
    return _outlet_form_page(form, outlet)


def _wa_link(outlet: Outlet, text: str) -> str | None:
    """A chat with the outlet's owner, ``text`` prefilled; None without a phone."""
    return whatsapp_link(outlet.phone, text) if outlet.phone else None


@bp.get("/warung/<int:outlet_id>")
@roles_required(*MANAGERS)
def outlet_detail(outlet_id: int):
    """An outlet: what is on its shelf and until when, its visits and what it owes."""
    outlet = get_outlet_or_404(outlet_id, current_user)
    visits = db.session.scalars(
        select(ConsignmentVisit).where(ConsignmentVisit.outlet_id == outlet.id)
        .options(selectinload(ConsignmentVisit.lines).joinedload(ConsignmentVisitLine.product))
        .order_by(ConsignmentVisit.visited_on.desc(), ConsignmentVisit.id.desc())
        .limit(HISTORY_LIMIT)).all()
    closed = db.session.scalars(
        select(ConsignmentDrop).where(ConsignmentDrop.outlet_id == outlet.id,
                                      ConsignmentDrop.status == "closed")
        .options(joinedload(ConsignmentDrop.product))
        .order_by(ConsignmentDrop.closed_at.desc(), ConsignmentDrop.id.desc())
        .limit(HISTORY_LIMIT)).all()
    drops = open_drops(outlet.id)
    figures = outlet_figures([outlet.id])[outlet.id]
    return render_template(
        "consignment/outlet_detail.html", outlet=outlet, drops=drops,
        closed=closed, visits=visits, figures=figures, today=_today(outlet),
        wa_link=_wa_link(outlet, outlet_message(outlet, drops, figures.outstanding)),
        **_labels())


# --- drops --------------------------------------------------------------------------


def _last_cut(outlet: Outlet) -> tuple[str, int] | None:
    """The cut agreed at the outlet's last drop: the usual one next time."""
    return db.session.execute(
        select(ConsignmentDrop.cut_kind, ConsignmentDrop.cut_value)
        .where(ConsignmentDrop.outlet_id == outlet.id)
        .order_by(ConsignmentDrop.id.desc()).limit(1)).first()


@bp.route("/warung/<int:outlet_id>/taruh", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def place_drop(outlet_id: int):
    """Leave goods at an outlet."""
    outlet = get_outlet_or_404(outlet_id, current_user, need="edit")
    products = products_for_drop(outlet.group_id)
    form = DropForm()
    form.product_id.choices = [(p.id, p.name) for p in products]
    if request.method == "GET":
        form.form_token.data = new_form_token()
        form.placed_on.data = _today(outlet)
        last = _last_cut(outlet)
        if last is not None:
            form.cut_kind.data = last[0]
            form.cut_value.data = (percent_text(last[1])
                                   if last[0] == "percent" else f"{last[1]:,}".replace(",", "."))
    if not outlet.active:
        form.form_errors.append(_("Tempat ini tidak aktif. Aktifkan dulu lewat Ubah data."))
    elif products and form.validate_on_submit():
        product = db.session.get(Product, form.product_id.data)
        with saving(form) as saved:
            outcome = services.place_drop(outlet, product, form.values(), current_user,
                                          form.form_token.data or None)
        if saved:
            drop = outcome.drop
            if outcome.created:
                flash(_("%(n)d %(product)s dititip di %(outlet)s. Datang lagi untuk "
                        "menghitung dan menagih.", n=drop.quantity, product=drop.product.name,
                        outlet=outlet.name), "success")
            return redirect(url_for("consignment.outlet_detail", outlet_id=outlet.id))
    return render_template("consignment/drop_form.html", form=form, outlet=outlet,
                           products=products, **_labels())


@bp.get("/taruh/<int:drop_id>")
@roles_required(*MANAGERS)
def drop_detail(drop_id: int):
    """One drop: the goods left, the agreement, and each visit's count of them."""
    drop = get_drop_or_404(drop_id, current_user)
    lines = db.session.scalars(
        select(ConsignmentVisitLine).where(ConsignmentVisitLine.drop_id == drop.id)
        .options(joinedload(ConsignmentVisitLine.visit))
        .order_by(ConsignmentVisitLine.id)).all()
    return render_template("consignment/drop_detail.html", drop=drop, outlet=drop.outlet,
                           lines=lines, today=_today(drop.outlet),
                           wa_link=_wa_link(drop.outlet, drop_message(drop)), **_labels())


# --- visits -------------------------------------------------------------------------


def _move_row_error(form: VisitForm, error: RuleError) -> dict[int, str]:
    """A refusal about one drop's row goes beside that row rather than at the top of
    the form (where :func:`~crm.web.forms.saving` put it): ``{row index: message}``;
    empty, and the form left as it is, for any other refusal."""
    for index, entry in enumerate(form.rows):
        if error.field and error.field == visits.row_field(
                entry.form.values()["drop_id"] or 0):
            form.form_errors.remove(error.message)
            return {index: error.message}
    return {}


@bp.route("/warung/<int:outlet_id>/kunjungan", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def record_visit(outlet_id: int):
    """Count what is on the outlet's shelf, take back what must go, collect the cash."""
    outlet = get_outlet_or_404(outlet_id, current_user, need="edit")
    drops = open_drops(outlet.id)
    form = VisitForm()
    if request.method == "GET":
        form.form_token.data = new_form_token()
        form.visited_on.data = _today(outlet)
        for drop in drops:
            form.rows.append_entry({"drop_id": drop.id, "seen": drop.on_shelf})
    row_errors: dict[int, str] = {}
    if form.validate_on_submit():
        values = {"visited_on": form.visited_on.data, "notes": form.notes.data,
                  "cash_collected": form.cash_collected.data}
        with saving(form) as saved:
            outcome = visits.record_visit(outlet, values, form.row_values(), current_user,
                                          form.form_token.data or None)
        if saved:
            if outcome.created:
                flash(_("Kunjungan tercatat. Unduh nota untuk ditandatangani pemilik warung."),
                      "success")
            return redirect(url_for("consignment.visit_detail", visit_id=outcome.visit.id))
        row_errors = _move_row_error(form, saved.error)
    figures = outlet_figures([outlet.id])[outlet.id]
    return render_template(
        "consignment/visit_form.html", form=form, outlet=outlet, figures=figures,
        drops_by_id={d.id: d for d in drops}, row_errors=row_errors, today=_today(outlet),
        **_labels())


@bp.get("/kunjungan/<int:visit_id>")
@roles_required(*MANAGERS)
def visit_detail(visit_id: int):
    visit = get_visit_or_404(visit_id, current_user)
    lines = db.session.scalars(
        select(ConsignmentVisitLine).where(ConsignmentVisitLine.visit_id == visit.id)
        .options(joinedload(ConsignmentVisitLine.product),
                 joinedload(ConsignmentVisitLine.drop))
        .order_by(ConsignmentVisitLine.id)).all()
    outstanding = outstanding_after(visit)
    return render_template(
        "consignment/visit_detail.html", visit=visit, outlet=visit.outlet, lines=lines,
        outstanding=outstanding, slip=slips.slip_number(visit),
        issue_form=ConfirmForm(),
        figures=outlet_figures([visit.outlet_id])[visit.outlet_id],
        wa_link=_wa_link(visit.outlet, visit_message(visit, lines, outstanding)),
        **_labels())


@bp.get("/kunjungan/<int:visit_id>/nota.pdf")
@roles_required(*MANAGERS)
def visit_slip(visit_id: int):
    """The settlement slip (Nota Titip Jual) of a visit, once it has its number.
    Opening it (GET) never gives a number: a link on another site could."""
    visit = get_visit_or_404(visit_id, current_user)
    issued = slips.slip_number(visit)
    if issued is None:
        flash(_("Nota ini belum bernomor. Terbitkan nomornya dulu dengan tombol "
                "\u201cTerbitkan nota\u201d."), "error")
        return redirect(url_for("consignment.visit_detail", visit_id=visit.id))
    pdf = build_consignment_slip_pdf(slips.slip_document(visit, issued))
    return send_file(BytesIO(pdf), mimetype="application/pdf",
                     download_name=f"nota-titip-{visit.id}.pdf", as_attachment=False,
                     max_age=0)


@bp.post("/kunjungan/<int:visit_id>/nota/terbitkan")
@roles_required(*MANAGERS)
def issue_slip(visit_id: int):
    """Give the visit's settlement slip its number (a button), then open it."""
    visit = get_visit_or_404(visit_id, current_user)
    if not ConfirmForm().validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(url_for("consignment.visit_detail", visit_id=visit.id))
    try:
        with saving():
            slips.issue_slip_number(visit, current_user)
    except IntegrityError:  # the same slip issued twice at once: the first stays
        pass
    return redirect(url_for("consignment.visit_slip", visit_id=visit_id), code=303)

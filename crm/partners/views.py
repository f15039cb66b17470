"""Partners, partnerships and their letters."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from crm.auth.forms import ConfirmForm
from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.catalog.models import ProducerGroup
from crm.catalog.queries import groups_visible_to
from crm.documents.agreement_letter import build_agreement_pdf
from crm.documents.offer_letter import build_offer_letter_pdf
from crm.extensions import db
from crm.partners import letters, services
from crm.partners.forms import (
    LETTER_LABELS,
    PARTNER_KIND_LABELS,
    PARTNERSHIP_STATUS_LABELS,
    PartnerContactForm,
    PartnerCreateForm,
    PartnerForm,
    PartnershipForm,
    StatusForm,
)
from crm.partners.models import PARTNERSHIP_STATUSES, Partner, Partnership
from crm.partners.queries import (
    get_partner_or_404,
    get_partnership_or_404,
    partners_visible_to,
    partnerships_visible_to,
)
from crm.text.phones import display_phone
from crm.villages.queries import villages_visible_to
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l
from crm.web.request_args import arg_id

bp = Blueprint("partners", __name__)

PARTNER_VIEWERS = (Role.OFFICER, Role.PARTNER)
PARTNERSHIP_VIEWERS = (Role.OFFICER, Role.PARTNER, Role.PRODUCER)
# URL words of the status steps.
STATUS_STEPS = {"aktifkan": "activate", "akhiri": "end"}
STEP_MESSAGES = {
    "activate": _l("Kemitraan sekarang aktif."),
    "end": _l("Kemitraan sudah diakhiri."),
}
# Letters: file name → document kind, builder and content (crm.partners.letters);
# the endpoint of each is in LETTER_ENDPOINTS.
LETTERS = {
    "surat-penawaran": ("offer", build_offer_letter_pdf, letters.offer_letter),
    "perjanjian": ("agreement", build_agreement_pdf, letters.agreement_letter),
}
LETTER_ENDPOINTS = {"offer": "partners.offer_pdf", "agreement": "partners.agreement_pdf"}


def _labels() -> dict:
    return {"kind_labels": PARTNER_KIND_LABELS, "status_labels": PARTNERSHIP_STATUS_LABELS,
            "letter_labels": LETTER_LABELS, "format_npwp": services.format_npwp}


# --- partners -------------------------------------------------------------------------


@bp.get("/mitra")
@roles_required(*PARTNER_VIEWERS)
def index():
    """Institutions of the officer's villages; a partner contact goes to their own."""
    if current_user.role == Role.PARTNER:
        return redirect(url_for("partners.detail", partner_id=current_user.partner_id))
    query = partners_visible_to(current_user).options(selectinload(Partner.village))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    counts = dict(db.session.execute(
        select(Partnership.partner_id, func.count())
        .where(Partnership.partner_id.in_([p.id for p in page.items]))
        .group_by(Partnership.partner_id)
    ).all())
    return render_template("partners/index.html", page=page, counts=counts, **_labels())


@bp.route("/mitra/baru", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create():
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    form = PartnerCreateForm()
    form.village_id.choices = [SelectChoice(str(v.id), v.display_name) for v in villages]
    if request.method == "GET" and villages:
        form.village_id.data = str(villages[0].id)
    if form.validate_on_submit():
        # Only a village from the officer's own list; the service checks again.
        village = next((v for v in villages if str(v.id) == form.village_id.data), None)
        with saving(form) as saved:
            partner = services.create_partner(village, form.values(), actor=current_user)
        if saved:
            flash(_("Mitra %(name)s sudah disimpan.", name=partner.name), "success")
            return redirect(url_for("partners.detail", partner_id=partner.id))
    return render_template("partners/form.html", form=form, partner=None, villages=villages,
                           **_labels())


@bp.get("/mitra/<int:partner_id>")
@roles_required(*PARTNER_VIEWERS)
def detail(partner_id: int):
    partner = get_partner_or_404(partner_id, current_user)
    partnerships = db.session.scalars(
        partnerships_visible_to(current_user).where(Partnership.partner_id == partner.id)
        .options(selectinload(Partnership.groups))
    ).all()
    return render_template("partners/detail.html", partner=partner,
                           partnerships=partnerships, **_labels())


@bp.route("/mitra/<int:partner_id>/ubah", methods=["GET", "POST"])
@roles_required(*PARTNER_VIEWERS)
def edit(partner_id: int):
    """Officers edit everything; the institution's contact only the contact fields."""
    partner = get_partner_or_404(partner_id, current_user, need="contact")
    form_class = PartnerForm if current_user.role == Role.OFFICER else PartnerContactForm
    form = form_class(obj=partner)
    if request.method == "GET":
        # Shown the way people write them; the service normalises them again.
        form.phone.data = display_phone(partner.phone) or None
        if "npwp" in form:
            form.npwp.data = services.format_npwp(partner.npwp) or None
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_partner(partner, form.values(), actor=current_user)
        if saved:
            flash(_("Data mitra sudah disimpan."), "success")
            return redirect(url_for("partners.detail", partner_id=partner.id))
    return render_template("partners/form.html", form=form, partner=partner, villages=None,
                           **_labels())


# --- partnerships ---------------------------------------------------------------------


@bp.get("/kemitraan")
@roles_required(*PARTNERSHIP_VIEWERS)
def partnerships():
    query = partnerships_visible_to(current_user).options(
        selectinload(Partnership.partner), selectinload(Partnership.groups),
        selectinload(Partnership.village))
    status = request.args.get("status")
    if status in PARTNERSHIP_STATUSES:
        query = query.where(Partnership.status == status)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("partners/partnerships.html", page=page, status=status,
                           statuses=PARTNERSHIP_STATUSES, **_labels())


def _partnership_choices(form: PartnershipForm):
    """Partners and groups of the officer's villages, as choices of ``form``."""
    partners = db.session.scalars(
        partners_visible_to(current_user).options(selectinload(Partner.village))).all()
    groups = db.session.scalars(
        groups_visible_to(current_user).options(selectinload(ProducerGroup.village))).all()
    several = len({p.village_id for p in partners} | {g.village_id for g in groups}) > 1

    def label(name, village):
        return f"{name} ({village.name})" if several else name

    form.partner_id.choices = [SelectChoice(str(p.id), label(p.name, p.village))
                               for p in partners]
    form.group_ids.choices = [SelectChoice(str(g.id), label(g.name, g.village))
                              for g in groups]
    return partners, groups


@bp.route("/kemitraan/baru", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create_partnership():
    form = PartnershipForm()
    partners, groups = _partnership_choices(form)
    if request.method == "GET":
        chosen = arg_id("mitra")
        if chosen:
            form.partner_id.data = str(chosen)
    if form.validate_on_submit():
        # Only records from the officer's own lists; the service checks again.
        partner = next((p for p in partners if p.id == form.chosen_partner_id()), None)
        ticked = set(form.chosen_group_ids())
        with saving(form) as saved:
            item = services.create_partnership(
                partner, [g for g in groups if g.id in ticked], form.values(),
                actor=current_user)
        if saved:
            flash(_("Kemitraan sudah disimpan. Unduh surat penawarannya di bawah."), "success")
            return redirect(url_for("partners.partnership", partnership_id=item.id))
    return render_template("partners/partnership_form.html", form=form, partners=partners,
                           groups=groups, **_labels())


@bp.get("/kemitraan/<int:partnership_id>")
@roles_required(*PARTNERSHIP_VIEWERS)
def partnership(partnership_id: int):
    item = get_partnership_or_404(partnership_id, current_user)
    documents = letters.partnership_documents(item)
    steps = [(word, action) for word, action in STATUS_STEPS.items()
             if (item.status, action) in services.PARTNERSHIP_TRANSITIONS]
    letter_links = [(kind, LETTER_ENDPOINTS[kind], name)
                    for name, (kind, _build, _content) in LETTERS.items()]
    return render_template(
        "partners/partnership_detail.html", item=item, documents=documents,
        letters=letter_links,
        steps=steps, status_form=StatusForm(), issue_form=ConfirmForm(),
        can_edit=current_user.role == Role.OFFICER,
        **_labels())


@bp.post("/kemitraan/<int:partnership_id>/status/<word>")
@roles_required(Role.OFFICER)
def change_status(partnership_id: int, word: str):
    if word not in STATUS_STEPS:
        abort(404)
    item = get_partnership_or_404(partnership_id, current_user, need="edit")
    action = STATUS_STEPS[word]
    if StatusForm().validate_on_submit():
        with saving() as saved:
            services.change_partnership_status(item, action, current_user)
        if saved:
            flash(str(STEP_MESSAGES[action]), "success")
    else:
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
    return redirect(url_for("partners.partnership", partnership_id=item.id))


def _letter_pdf(partnership_id: int, name: str):
    """A partnership letter as PDF, once it has its number. Opening it (GET) never
    gives a number: a link on another site could make a browser do that."""
    item = get_partnership_or_404(partnership_id, current_user)
    kind, build, content = LETTERS[name]
    document = letters.partnership_documents(item).get(kind)
    if document is None:
        flash(_("Surat ini belum bernomor. Petugas desa menerbitkan nomornya dulu dengan "
                "tombol \u201cTerbitkan nomor\u201d."), "error")
        return redirect(url_for("partners.partnership", partnership_id=item.id,
                                _anchor=f"surat-{kind}"))
    body = build(content(item, document))
    filename = f"{name}-{document.number.replace('/', '-')}.pdf"
    return send_file(BytesIO(body), mimetype="application/pdf", as_attachment=False,
                     download_name=filename, max_age=0)


@bp.post("/kemitraan/<int:partnership_id>/surat/<name>/terbitkan")
@roles_required(Role.OFFICER)
def issue_letter(partnership_id: int, name: str):
    """Give a partnership letter its number (the officer's button), then open it."""
    if name not in LETTERS:
        abort(404)
    item = get_partnership_or_404(partnership_id, current_user, need="edit")
    kind = LETTERS[name][0]
    if not ConfirmForm().validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(url_for("partners.partnership", partnership_id=item.id))
    with saving() as saved:
        letters.issue_letter_number(item, kind, actor=current_user)
    if not saved:
        return redirect(url_for("partners.partnership", partnership_id=item.id))
    return redirect(url_for(LETTER_ENDPOINTS[kind], partnership_id=partnership_id), code=303)


@bp.get("/kemitraan/<int:partnership_id>/surat-penawaran.pdf")
@roles_required(*PARTNERSHIP_VIEWERS)
def offer_pdf(partnership_id: int):
    """The offer letter (Surat Penawaran Kerja Sama)."""
    return _letter_pdf(partnership_id, "surat-penawaran")


@bp.get("/kemitraan/<int:partnership_id>/perjanjian.pdf")
@roles_required(*PARTNERSHIP_VIEWERS)
def agreement_pdf(partnership_id: int):
    """The cooperation agreement (Perjanjian Kerja Sama)."""
    return _letter_pdf(partnership_id, "perjanjian")

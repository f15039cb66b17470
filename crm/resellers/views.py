"""Reseller profiles, onboarding, claims and listing kits."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role, User, officer_villages
from crm.auth.permissions import VILLAGE_ROLES, roles_required, visible_village_ids
from crm.catalog.forms import CATEGORY_LABELS
from crm.catalog.models import ProducerGroup, Product
from crm.catalog.queries import get_product_or_404, products_visible_to
from crm.extensions import db
from crm.resellers import services
from crm.resellers.forms import (
    CHANNEL_LABELS,
    CLAIM_STATUS_LABELS,
    STAGE_HINTS,
    STAGE_LABELS,
    ClaimForm,
    MentoringForm,
    ProfileForm,
    ReasonForm,
)
from crm.resellers.listing import build_listing_kit, claims_csv
from crm.resellers.models import STAGES, Claim, ResellerProfile, StageChange
from crm.resellers.queries import (
    claims_visible_to,
    get_claim_or_404,
    get_profile_or_404,
    profiles_visible_to,
)
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l
from crm.web.request_args import arg_text
from crm.web.spreadsheets import csv_response

bp = Blueprint("resellers", __name__)

# URL words of the claim steps, and who may take them.
CLAIM_STEPS = {
    "setujui": ("approve", "decide"),
    "tolak": ("reject", "decide"),
    "akhiri": ("end", "decide"),
    "lepas": ("withdraw", "withdraw"),
}
STEP_MESSAGES = {
    "approve": _l("Klaim disetujui. Reseller sekarang bisa menjual produk ini."),
    "reject": _l("Klaim ditolak."),
    "end": _l("Klaim diakhiri. Reseller tidak lagi menjual produk ini."),
    "withdraw": _l("Produk sudah Anda lepas."),
}


def _labels() -> dict:
    return {
        "channel_labels": CHANNEL_LABELS, "status_labels": CLAIM_STATUS_LABELS,
        "stage_labels": STAGE_LABELS, "category_labels": CATEGORY_LABELS,
    }


# --- reseller's own profile -------------------------------------------------------


@bp.route("/reseller/profil", methods=["GET", "POST"])
@roles_required(Role.RESELLER)
def my_profile():
    """The reseller's shop links, WhatsApp number and personal catalogue link."""
    profile = services.profile_for(current_user)
    form = ProfileForm(obj=profile)
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_profile(profile, form.data, actor=current_user)
        if saved:
            flash(_("Profil toko sudah disimpan."), "success")
            return redirect(url_for("resellers.my_profile"))
    else:
        db.session.commit()  # a profile made on first visit is saved
    return render_template(
        "resellers/profile.html", form=form, profile=profile, renew_form=ReasonForm(),
        catalogue_url=url_for("public.catalog", code=profile.public_slug, _external=True),
        stage_hints=STAGE_HINTS, stages=STAGES, **_labels(),
    )


@bp.post("/reseller/profil/link-baru")
@roles_required(Role.RESELLER)
def renew_public_link():
    """A new random link for the reseller's public page; the old one stops working."""
    profile = services.profile_for(current_user)
    if ReasonForm().validate_on_submit():
        with saving() as saved:
            services.renew_public_slug(profile, actor=current_user)
        if saved:
            flash(_("Link baru sudah dibuat. Link lama tidak berlaku lagi."), "success")
    else:
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
    return redirect(url_for("resellers.my_profile"))


# --- officer: resellers and their mentoring ---------------------------------------


@bp.get("/reseller")
@roles_required(Role.OFFICER)
def index():
    """Resellers of the officer's villages, those due a mentoring visit first."""
    today = date.today()
    query = (
        profiles_visible_to(current_user)
        .join(User, User.id == ResellerProfile.user_id)
        .where(User.active.is_(True))
        .options(selectinload(ResellerProfile.user), selectinload(ResellerProfile.mentor),
                 selectinload(ResellerProfile.village))
    )
    stage = request.args.get("tahap")
    if stage in STAGES:
        query = query.where(ResellerProfile.stage == stage)
    due = services.mentoring_due_clause(today)
    only_due = request.args.get("perlu") == "1"
    if only_due:
        query = query.where(due)
    query = query.order_by(case((due, 0), else_=1), User.full_name)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    claim_counts = dict(db.session.execute(
        select(Claim.reseller_id, func.count()).where(
            Claim.reseller_id.in_([p.user_id for p in page.items]), Claim.status == "active")
        .group_by(Claim.reseller_id)
    ).all())
    stage_counts = dict(db.session.execute(
        select(ResellerProfile.stage, func.count())
        .join(User, User.id == ResellerProfile.user_id)
        .where(ResellerProfile.village_id.in_(visible_village_ids(current_user)),
               User.active.is_(True))
        .group_by(ResellerProfile.stage)
    ).all())
    return render_template(
        "resellers/index.html", page=page, claim_counts=claim_counts, only_due=only_due,
        stage=stage, stages=STAGES, stage_counts=stage_counts,
        needs_mentoring=lambda p: services.needs_mentoring(p, today), **_labels(),
    )


def _mentor_choices() -> list:
    officers = db.session.scalars(
        select(User).where(User.role == Role.OFFICER, User.active.is_(True),
                           User.id.in_(_officers_sharing_villages()))
        .order_by(User.full_name)
    ).all()
    return [(o.id, o.full_name) for o in officers]


def _officers_sharing_villages():
    return select(officer_villages.c.user_id).where(
        officer_villages.c.village_id.in_(visible_village_ids(current_user))
    )


def _render_profile_detail(profile, form):
    history = db.session.scalars(
        select(StageChange).where(StageChange.profile_id == profile.id)
        .order_by(StageChange.on_date.desc(), StageChange.id.desc())
        .options(selectinload(StageChange.mentor))
    ).all()
    claims = db.session.scalars(
        select(Claim).where(Claim.reseller_id == profile.user_id)
        .order_by(Claim.id.desc()).limit(50)
        .options(selectinload(Claim.product))
    ).all()
    return render_template(
        "resellers/detail.html", profile=profile, form=form, history=history, claims=claims,
        due=services.needs_mentoring(profile), stage_hints=STAGE_HINTS, stages=STAGES,
        **_labels(),
    )


@bp.get("/reseller/<int:profile_id>")
@roles_required(Role.OFFICER)
def detail(profile_id: int):
    profile = get_profile_or_404(profile_id, current_user)
    form = MentoringForm(stage=profile.stage, on_date=date.today(), mentor_id=current_user.id)
    form.mentor_id.choices = _mentor_choices()
    return _render_profile_detail(profile, form)


@bp.post("/reseller/<int:profile_id>/pendampingan")
@roles_required(Role.OFFICER)
def record_mentoring(profile_id: int):
    profile = get_profile_or_404(profile_id, current_user)
    form = MentoringForm()
    form.mentor_id.choices = _mentor_choices()
    if form.validate_on_submit():
        mentor = db.session.get(User, form.mentor_id.data)
        with saving(form) as saved:
            services.record_mentoring(
                profile, stage=form.stage.data, on_date=form.on_date.data, mentor=mentor,
                note=form.note.data, next_date=form.next_date.data, actor=current_user,
            )
        if saved:
            flash(_("Pendampingan sudah dicatat."), "success")
            return redirect(url_for("resellers.detail", profile_id=profile.id))
    return _render_profile_detail(profile, form), 400


# --- claims -------------------------------------------------------------------------


@bp.get("/klaim/pilih")
@roles_required(Role.RESELLER)
def browse():
    """Products of the reseller's village to choose from, with their claim state."""
    query = products_visible_to(current_user).options(
        selectinload(Product.group), selectinload(Product.photos))
    search = arg_text("q")
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.join(ProducerGroup, ProducerGroup.id == Product.group_id).where(
            Product.name.ilike(pattern, escape="\\") | ProducerGroup.name.ilike(
                pattern, escape="\\"))
    category = request.args.get("kategori")
    if category in CATEGORY_LABELS:
        query = query.where(Product.category == category)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    mine = dict(db.session.execute(
        select(Claim.product_id, Claim.id).where(
            Claim.reseller_id == current_user.id, Claim.status.in_(("pending", "active")),
            Claim.product_id.in_([p.id for p in page.items]))
    ).all())
    return render_template("resellers/browse.html", page=page, mine=mine, search=search,
                           category=category, **_labels())


@bp.route("/produk/<int:product_id>/klaim", methods=["GET", "POST"])
@roles_required(Role.RESELLER)
def claim(product_id: int):
    """Choose where to sell a product, then claim it."""
    product = get_product_or_404(product_id, current_user)
    existing = db.session.scalar(select(Claim.id).where(
        Claim.product_id == product.id, Claim.reseller_id == current_user.id,
        Claim.status.in_(("pending", "active"))))
    if existing:
        return redirect(url_for("resellers.claim_detail", claim_id=existing))
    form = ClaimForm()
    if request.method == "GET":
        form.channels.data = ["whatsapp", "website"]
    if form.validate_on_submit():
        with saving(form) as saved:
            made = services.claim_product(product, current_user, form.channels.data or [])
        if saved:
            if made.status == "pending":
                flash(_("Permintaan terkirim. Produsen akan menyetujui dulu; "
                        "Anda bisa mulai menjual setelah disetujui."), "success")
            else:
                flash(_("Produk sudah Anda ambil. Salin teks dan foto di bawah "
                        "untuk toko Anda."), "success")
            return redirect(url_for("resellers.claim_detail", claim_id=made.id))
    full = product.claim_cap is not None and product.claim_count >= product.claim_cap
    return render_template("resellers/claim_form.html", form=form, product=product, full=full,
                           **_labels())


@bp.get("/klaim")
@roles_required(*VILLAGE_ROLES)
def claims():
    """Resellers: their claims. Producers and officers: claims on their products,
    those waiting for approval first."""
    if current_user.role == Role.PARTNER:
        abort(403)
    query = claims_visible_to(current_user).options(
        selectinload(Claim.product).selectinload(Product.group),
        selectinload(Claim.reseller),
    )
    status = request.args.get("status")
    if status in CLAIM_STATUS_LABELS:
        query = query.where(Claim.status == status)
    query = query.order_by(
        case((Claim.status == "pending", 0), (Claim.status == "active", 1), else_=2),
        Claim.id.desc(),
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    profile = None
    if current_user.role == Role.RESELLER:
        profile = services.profile_for(current_user)
        db.session.commit()  # a profile made on first visit is saved
    return render_template("resellers/claims.html", page=page, status=status,
                           reason_form=ReasonForm(), profile=profile, **_labels())


def _catalogue_url(profile: ResellerProfile, product_id: int) -> str:
    """The product's public link in the reseller's name when their public page is on,
    else the village catalogue's own (a switched-off page's link would not open)."""
    slug = profile.public_slug if profile.public_page else None
    return url_for("public.product", code=slug, product_id=product_id, _external=True)


def _kit(claim: Claim, profile: ResellerProfile):
    product = claim.product
    photos = [url_for("catalog.product_photo", photo_id=p.id, size="lg", _external=True)
              for p in product.photos]
    return build_listing_kit(product, _catalogue_url(profile, product.id), photos)


@bp.get("/klaim/<int:claim_id>")
@login_required
def claim_detail(claim_id: int):
    """A claim and, for its reseller, the listing kit."""
    item = get_claim_or_404(claim_id, current_user)
    profile = services.profile_for(item.reseller)
    db.session.commit()  # a profile made on first visit is saved
    kit = _kit(item, profile)
    return render_template("resellers/claim_detail.html", claim=item, product=item.product,
                           kit=kit, profile=profile, reason_form=ReasonForm(),
                           is_owner=item.reseller_id == current_user.id, **_labels())


@bp.post("/klaim/<int:claim_id>/<step>")
@login_required
def claim_step(claim_id: int, step: str):
    if step not in CLAIM_STEPS:
        abort(404)
    action, need = CLAIM_STEPS[step]
    item = get_claim_or_404(claim_id, current_user, need=need)
    form = ReasonForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.change_claim(item, action, current_user, reason=form.reason.data)
        if saved:
            flash(str(STEP_MESSAGES[action]), "success")
    else:
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
    if current_user.role == Role.RESELLER or request.form.get("back") == "list":
        return redirect(url_for("resellers.claims"))
    return redirect(url_for("resellers.claim_detail", claim_id=item.id))


@bp.get("/klaim/ekspor.csv")
@roles_required(Role.RESELLER)
def export_csv():
    """The reseller's active claims as a CSV for marketplace bulk upload."""
    profile = services.profile_for(current_user)
    db.session.commit()  # a profile made on first visit is saved
    active = db.session.scalars(
        claims_visible_to(current_user).where(Claim.status == "active")
        .order_by(Claim.id)
        .options(selectinload(Claim.product).selectinload(Product.photos),
                 selectinload(Claim.product).selectinload(Product.group)
                 .selectinload(ProducerGroup.village))
    ).all()
    body = claims_csv([(c.product, _kit(c, profile)) for c in active])
    filename = f"produk-{profile.code.lower()}-{date.today().isoformat()}.csv"
    return csv_response(body, filename)

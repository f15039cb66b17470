"""Producer groups, products, photos and the stock ledger."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role
from crm.auth.permissions import VILLAGE_ROLES, roles_required
from crm.catalog import services
from crm.catalog.forms import CATEGORY_LABELS, KIND_LABELS, PhotoForm, ProductForm, StockForm
from crm.catalog.models import Product, ProductPhoto, StockMovement
from crm.catalog.photos import PHOTO_SIZES, add_product_photo, photo_path
from crm.catalog.queries import (
    get_group_or_404,
    get_product_or_404,
    groups_visible_to,
    products_visible_to,
)
from crm.extensions import db
from crm.resellers.forms import CLAIM_STATUS_LABELS
from crm.resellers.models import OPEN_CLAIM_STATUSES, Claim
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id
from crm.web.security import accepts_uploads

bp = Blueprint("catalog", __name__)
# Templates build product photos' ``srcset`` from the sizes stored (templates/_photo.html).
bp.record_once(lambda state: state.app.jinja_env.globals.update(PHOTO_SIZES=PHOTO_SIZES))
EDITORS = (Role.OFFICER, Role.PRODUCER)


@bp.get("/foto/produk/<int:photo_id>/<size>")
def product_photo(photo_id: int, size: str):
    """A product photo: public for active products (the catalogue shows them),
    otherwise only to users who may see the product."""
    if size not in PHOTO_SIZES:
        abort(404)
    photo = db.session.get(ProductPhoto, photo_id)
    if photo is None:
        abort(404)
    product = db.session.get(Product, photo.product_id)
    if not product.active:
        visible = current_user.is_authenticated and db.session.scalar(
            products_visible_to(current_user).where(Product.id == product.id).with_only_columns(
                Product.id
            )
        )
        if not visible:
            abort(404)
    path = photo_path(photo, size)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=7 * 24 * 3600)


@bp.get("/produk")
@roles_required(*VILLAGE_ROLES)
def products():
    query = products_visible_to(current_user)
    group_id = arg_id("kelompok")
    if group_id:
        query = query.where(Product.group_id == group_id)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    groups = db.session.scalars(groups_visible_to(current_user)).all()
    return render_template("catalog/products.html", page=page, groups=groups,
                           group_id=group_id, can_add=current_user.role in EDITORS)


@bp.route("/kelompok/<int:group_id>/produk/baru", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create_product(group_id: int):
    group = get_group_or_404(group_id, current_user, need="edit")
    form = ProductForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            product = services.create_product(group, form.values(), actor=current_user)
        if saved:
            flash(_("Produk %(name)s sudah disimpan. Tambahkan foto dan stok di bawah.",
                    name=product.name), "success")
            return redirect(url_for("catalog.product_detail", product_id=product.id))
    return render_template("catalog/product_form.html", form=form, group=group, product=None)


@bp.get("/produk/<int:product_id>")
@login_required
def product_detail(product_id: int):
    product = get_product_or_404(product_id, current_user)
    can_edit = current_user.role in EDITORS
    movements = db.session.scalars(
        select(StockMovement).where(StockMovement.product_id == product.id)
        .order_by(StockMovement.id.desc()).limit(50)
        .options(selectinload(StockMovement.actor))
    ).all() if can_edit else []
    stock_form = StockForm(form_token=new_form_token())
    # Who lists the product (producers and officers), or the reseller's own claim.
    claim_query = select(Claim).where(
        Claim.product_id == product.id, Claim.status.in_(OPEN_CLAIM_STATUSES))
    if not can_edit:
        claim_query = claim_query.where(Claim.reseller_id == current_user.id)
    claims = db.session.scalars(
        claim_query.order_by(Claim.id).options(selectinload(Claim.reseller))
    ).all()
    return render_template(
        "catalog/product_detail.html", product=product, movements=movements,
        can_edit=can_edit, stock_form=stock_form, photo_form=PhotoForm(),
        kind_labels=KIND_LABELS, category_labels=CATEGORY_LABELS, claims=claims,
        claim_status_labels=CLAIM_STATUS_LABELS,
    )


@bp.route("/produk/<int:product_id>/ubah", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_product(product_id: int):
    product = get_product_or_404(product_id, current_user, need="edit")
    form = ProductForm(obj=product)
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_product(product, form.values(), actor=current_user)
        if saved:
            flash(_("Perubahan produk sudah disimpan."), "success")
            return redirect(url_for("catalog.product_detail", product_id=product.id))
    return render_template("catalog/product_form.html", form=form, group=product.group,
                           product=product)


@bp.get("/produk/<int:product_id>/stok")
@roles_required(*EDITORS)
def ledger(product_id: int):
    """Every stock movement of a product, newest first, with its running balance."""
    product = get_product_or_404(product_id, current_user, need="edit")
    page = db.paginate(
        select(StockMovement).where(StockMovement.product_id == product.id)
        .order_by(StockMovement.id.desc()).options(selectinload(StockMovement.actor)),
        per_page=current_app.config["PAGE_SIZE"], error_out=False,
    )
    totals = db.session.execute(
        select(StockMovement.kind, func.sum(StockMovement.quantity))
        .where(StockMovement.product_id == product.id).group_by(StockMovement.kind)
    ).all()
    return render_template("catalog/ledger.html", product=product, page=page,
                           totals=totals, kind_labels=KIND_LABELS)


@bp.post("/produk/<int:product_id>/stok")
@roles_required(*EDITORS)
def record_stock(product_id: int):
    product = get_product_or_404(product_id, current_user, need="edit")
    form = StockForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.record_manual_movement(
                product, form.kind.data, form.quantity.data, current_user,
                note=form.note.data, form_token=form.form_token.data or None,
            )
        if saved:
            flash(_("Stok sekarang %(n)d.", n=product.stock), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("catalog.product_detail", product_id=product.id))


@bp.post("/produk/<int:product_id>/foto")
@accepts_uploads
@roles_required(*EDITORS)
def upload_photo(product_id: int):
    product = get_product_or_404(product_id, current_user, need="edit")
    form = PhotoForm()
    if form.validate_on_submit() and form.photo.data:
        with saving() as saved:
            add_product_photo(product, form.photo.data.read())
        if saved:
            flash(_("Foto sudah ditambahkan."), "success")
    else:
        flash(_("Pilih foto dulu."), "error")
    return redirect(url_for("catalog.product_detail", product_id=product.id))

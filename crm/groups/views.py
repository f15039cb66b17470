"""Producer groups: list, profile, create and edit."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.catalog.models import ProducerGroup, Product
from crm.catalog.queries import get_group_or_404, groups_visible_to, products_visible_to
from crm.extensions import db
from crm.groups import services as group_services
from crm.groups.forms import GROUP_KIND_LABELS, GroupCreateForm, GroupForm
from crm.text.dates import today_in
from crm.text.phones import display_phone
from crm.villages.queries import villages_visible_to
from crm.web.forms import saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id

bp = Blueprint("groups", __name__)
MEMBERS = (Role.OFFICER, Role.PRODUCER)
# The profile shows this many products; the product list has them all.
PROFILE_PRODUCTS = 50


def _counts(group_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{group id: (products, producer accounts)}`` in one query, whatever the page size."""
    if not group_ids:
        return {}
    products = (
        select(func.count(Product.id)).where(Product.group_id == ProducerGroup.id)
        .correlate(ProducerGroup).scalar_subquery()
    )
    members = (
        select(func.count(User.id))
        .where(User.group_id == ProducerGroup.id, User.role == Role.PRODUCER)
        .correlate(ProducerGroup).scalar_subquery()
    )
    rows = db.session.execute(
        select(ProducerGroup.id, products, members).where(ProducerGroup.id.in_(group_ids))
    )
    return {group_id: (n_products, n_members) for group_id, n_products, n_members in rows}


@bp.get("/kelompok")
@roles_required(*MEMBERS)
def index():
    if current_user.role == Role.PRODUCER:
        return redirect(url_for("groups.detail", group_id=current_user.group_id))
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    village_id = arg_id("desa")
    query = groups_visible_to(current_user).options(joinedload(ProducerGroup.village))
    if village_id:
        query = query.where(ProducerGroup.village_id == village_id)
    query = query.order_by(ProducerGroup.id)  # after the name: a stable page order
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "groups/index.html", page=page, villages=villages, village_id=village_id,
        counts=_counts([g.id for g in page.items]), kind_labels=GROUP_KIND_LABELS,
    )


@bp.route("/kelompok/baru", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create():
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    form = GroupCreateForm()
    form.village_id.choices = [SelectChoice(str(v.id), v.display_name) for v in villages]
    if request.method == "GET" and not form.village_id.data:
        chosen = arg_id("desa")
        form.village_id.data = str(chosen or (villages[0].id if villages else ""))
    if form.validate_on_submit():
        # Only a village from the officer's own list; the service checks again.
        village = next((v for v in villages if str(v.id) == form.village_id.data), None)
        with saving(form) as saved:
            group = group_services.create_group(village, form.values(), actor=current_user)
        if saved:
            flash(_("Kelompok %(name)s sudah disimpan.", name=group.name), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    return render_template("groups/form.html", form=form, group=None, villages=villages)


@bp.get("/kelompok/<int:group_id>")
@roles_required(*MEMBERS)
def detail(group_id: int):
    group = get_group_or_404(group_id, current_user)
    members = db.session.scalars(
        select(User).where(User.group_id == group.id, User.role == Role.PRODUCER)
        .order_by(User.full_name, User.id)
    ).all()
    products = db.session.scalars(
        products_visible_to(current_user).where(Product.group_id == group.id)
        .limit(PROFILE_PRODUCTS + 1)
    ).all()
    today = today_in(group.village.timezone)
    return render_template(
        "groups/detail.html", group=group, members=members,
        products=products[:PROFILE_PRODUCTS], more_products=len(products) > PROFILE_PRODUCTS,
        halal=group_services.halal_status(group.halal_expires_on, today),
        kind_labels=GROUP_KIND_LABELS,
    )


@bp.route("/kelompok/<int:group_id>/ubah", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def edit(group_id: int):
    group = get_group_or_404(group_id, current_user, need="edit")
    form = GroupForm(obj=group)
    if request.method == "GET":
        # Shown the way people write it; the field normalises it again on save.
        form.phone.data = display_phone(group.phone) or None
    if form.validate_on_submit():
        with saving(form) as saved:
            group_services.update_group(group, form.values(), actor=current_user)
        if saved:
            flash(_("Profil kelompok sudah disimpan."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    return render_template("groups/form.html", form=form, group=group, villages=None)

"""The public village catalogue: no login, light pages, order via WhatsApp.

Resellers who switched their public page on share ``/katalog/r/<slug>`` (a random
slug, not their internal code); every order button of that page then calls the
number they chose to show. Without one, a product's button calls the earliest
active claimant with a public page and number, else the producer group. Unknown,
hidden and renewed links all answer the same 404.
"""

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_login import current_user

from crm.catalog.forms import CATEGORY_LABELS, UNIT_LABELS
from crm.extensions import db
from crm.public.queries import (
    catalog_groups,
    catalog_villages,
    get_public_product,
    parse_filters,
    public_products,
    reseller_by_slug,
    whatsapp_targets,
)
from crm.text.money import format_rupiah
from crm.text.phones import whatsapp_link
from crm.web.i18n import gettext as _
from crm.web.request_args import parse_id

bp = Blueprint("public", __name__)

PER_PAGE = 24
MAX_PAGE = 10_000
# Visitors come over slow mobile data: let the phone and any shared cache keep the
# page a few minutes. Signed-in users get no-store from crm.web.security instead.
PUBLIC_CACHE = "public, max-age=300"


@bp.get("/katalog", defaults={"code": None})
@bp.get("/katalog/r/<code>")
def catalog(code: str | None):
    """Active products of every village, filtered and paginated."""
    reseller = _reseller_or_404(code)
    code = reseller.public_slug if reseller else None
    filters = parse_filters(request.args)
    page_number = parse_id(request.args.get("page")) or 1
    page = db.paginate(public_products(filters), page=min(page_number, MAX_PAGE),
                       per_page=PER_PAGE, error_out=False)
    products = list(page.items)
    return _public(render_template(
        "public/catalog.html",
        page=page,
        products=products,
        order_links=_order_links(products, reseller),
        reseller=reseller,
        code=code,
        filters=filters,
        villages=catalog_villages(),
        # A Kabupaten has hundreds of groups: they are offered once a village is
        # chosen (or the one asked for), not all in one list on a phone.
        groups=catalog_groups(filters.village_id, filters.group_id)
        if filters.village_id or filters.group_id else [],
        category_labels=CATEGORY_LABELS,
    ))


@bp.get("/katalog/produk/<int:product_id>", defaults={"code": None})
@bp.get("/katalog/r/<code>/produk/<int:product_id>")
def product(product_id: int, code: str | None):
    """One active product: photos, facts and the WhatsApp button."""
    reseller = _reseller_or_404(code)
    item = get_public_product(product_id)
    if item is None:
        abort(404)
    return _public(render_template(
        "public/product.html",
        product=item,
        order_link=_order_links([item], reseller)[item.id],
        reseller=reseller,
        code=reseller.public_slug if reseller else None,
        category_labels=CATEGORY_LABELS,
        unit_labels=UNIT_LABELS,
    ))


def _reseller_or_404(code: str | None):
    if code is None:
        return None
    reseller = reseller_by_slug(code)
    if reseller is None:
        abort(404)
    return reseller


def _order_links(products, reseller) -> dict:
    """``wa.me`` link per product id, or None when nobody can be reached."""
    code = reseller.public_slug if reseller else None
    targets = whatsapp_targets(products, reseller)
    message = _("Halo, saya mau pesan %(name)s (%(price)s) dari katalog desa: %(url)s")
    links = {}
    for item in products:
        target = targets[item.id]
        if target is None:
            links[item.id] = None
            continue
        text = message % {"name": item.name, "price": format_rupiah(item.retail_price),
                          "url": url_for("public.product", product_id=item.id, code=code,
                                         _external=True)}
        links[item.id] = whatsapp_link(target.phone, text)
    return links


def _public(html: str):
    """The page, cacheable for visitors (signed-in users keep no-store)."""
    response = make_response(html)
    if not current_user.is_authenticated:
        response.headers["Cache-Control"] = PUBLIC_CACHE
    return response

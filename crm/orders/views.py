"""Customer orders: entry by resellers, the status flow, the producer's work queue."""

from datetime import timedelta

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
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role
from crm.auth.permissions import VILLAGE_ROLES, roles_required
from crm.catalog.models import Product
from crm.extensions import db
from crm.orders import services
from crm.orders.forms import (
    CHANNEL_LABELS,
    NEXT_STEP_HINTS,
    PASTE_MISSING_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    STEP_SLUGS,
    LabelForm,
    OrderForm,
    PasteForm,
    StepForm,
)
from crm.orders.label_views import register_label_routes
from crm.orders.labels import OPEN_STATUSES as LABEL_OPEN_STATUSES
from crm.orders.messages import order_message
from crm.orders.models import ORDER_STATUSES, QUEUE_STATUSES, Order
from crm.orders.paste import PastedOrder, read_order_message
from crm.orders.queries import (
    get_order_or_404,
    order_list,
    order_returns,
    queue_orders,
    reseller_phones,
)
from crm.orders.today import today_work
from crm.resellers.models import Claim
from crm.text.dates import today_in, village_today
from crm.text.phones import display_phone, whatsapp_link
from crm.web.errors import RuleError
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l
from crm.web.i18n import translated
from crm.web.request_args import arg_id

bp = Blueprint("orders", __name__)


SLUG_OF_STEP = {step: slug for slug, step in STEP_SLUGS.items()}
# The step a work queue section's button takes; packed orders are shipped from their
# own page, where the tracking number is typed.
QUEUE_BUTTONS = {"new": "confirm", "confirmed": "pack"}


def _labels() -> dict:
    """The words of order pages, translated once per page (a list shows them per row)."""
    return {"status_labels": translated(STATUS_LABELS),
            "channel_labels": translated(CHANNEL_LABELS),
            "step_labels": translated(STEP_LABELS), "hints": NEXT_STEP_HINTS,
            "step_slugs": SLUG_OF_STEP}


# Words on every order card, translated once per list.
CARD_WORDS = {"late": _l("terlambat"), "ship_on": _l("kirim %(day)s")}


def _card_context() -> dict:
    """What order cards show besides the order: the words, and the reseller's and
    group's names only for those who see more than their own (or their group's)
    orders."""
    return {**_labels(), "card_words": translated(CARD_WORDS),
            "show_reseller": current_user.role != Role.RESELLER,
            "show_group": current_user.role == Role.OFFICER}


@bp.get("/pesanan")
@roles_required(*VILLAGE_ROLES)
def index():
    """Orders in the user's scope, newest first, by status."""
    if current_user.role == Role.PARTNER:
        abort(403)
    status = request.args.get("status")
    if status not in ORDER_STATUSES:
        status = None
    page = db.paginate(order_list(current_user, status),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("orders/index.html", page=page, cards=page.items, status=status,
                           statuses=ORDER_STATUSES, **_card_context())


def _claimed_products():
    return db.session.scalars(
        select(Product).join(Claim, Claim.product_id == Product.id)
        .where(Claim.reseller_id == current_user.id, Claim.status == "active",
               Product.active.is_(True))
        .order_by(Product.name).options(selectinload(Product.group))
    ).all()


def _quantities(products) -> tuple[dict[int, int], dict[int, str]]:
    """Quantities typed per product (``qty-<id>``); raw text returned for the form."""
    quantities, raw = {}, {}
    for product in products:
        text = (request.form.get(f"qty-{product.id}") or "").strip()
        raw[product.id] = text[:6]
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise RuleError(_("Tulis jumlah dengan angka, misalnya 2."), field="lines")
        quantities[product.id] = int(text)
    return quantities, raw


@bp.route("/pesanan/baru", methods=["GET", "POST"])
@roles_required(Role.RESELLER)
def create():
    """A reseller writes down a customer's order (one page, a few fields)."""
    products = _claimed_products()
    form = OrderForm()
    raw = {}
    if request.method == "GET":
        form.form_token.data = new_form_token()
        form.ship_date.data = today_in()
        chosen = arg_id("produk")
        raw = {chosen: "1"} if chosen else {}
    line_error = None
    if form.validate_on_submit():
        with saving(form) as saved:
            quantities, raw = _quantities(products)
            made = services.create_orders(current_user, form.values(), quantities,
                                          form_token=form.form_token.data or None)
        if saved:
            if len(made) > 1:
                flash(_("Pesanan dibagi menjadi %(n)d karena produknya dari %(n)d kelompok.",
                        n=len(made)), "success")
            flash(_("Pesanan tercatat. Kirim pesan WhatsApp ke produsen di bawah."),
                  "success")
            return redirect(url_for("orders.detail", order_id=made[0].id))
        if saved.error.field == "lines":
            # The quantities are no field of the form: their refusal shows above the
            # product list, not at the top of the form.
            line_error = saved.error.message
            form.form_errors.remove(line_error)
    elif request.method == "POST":
        raw = {p.id: (request.form.get(f"qty-{p.id}") or "")[:6] for p in products}
    return render_template("orders/form.html", form=form, products=products, raw=raw,
                           line_error=line_error, paste_form=PasteForm(), **_labels())


@bp.post("/pesanan/tempel")
@roles_required(Role.RESELLER)
def paste():
    """A customer's WhatsApp message read into the order form. Nothing is saved: the
    reseller checks the filled form and saves it with "Simpan pesanan" as usual."""
    products = _claimed_products()
    paste_form = PasteForm()
    form = OrderForm(formdata=None)
    form.form_token.data = new_form_token()
    form.ship_date.data = today_in()
    raw, note = {}, None
    if paste_form.validate_on_submit():
        pasted = read_order_message(paste_form.message.data, products)
        _fill_order_form(form, pasted)
        raw = {product_id: str(n) for product_id, n in pasted.quantities.items()}
        note = _paste_note(pasted)
    return render_template("orders/form.html", form=form, products=products, raw=raw,
                           line_error=None, paste_form=paste_form, paste_note=note,
                           **_labels())


def _fill_order_form(form: OrderForm, pasted: PastedOrder) -> None:
    """Put what the message said into the order form's fields."""
    form.channel.data = pasted.channel
    form.customer_name.data = pasted.customer_name
    form.customer_phone.data = display_phone(pasted.customer_phone)
    for name in ("address", "kecamatan", "kabupaten", "postcode"):
        form[name].data = getattr(pasted, name)


def _paste_note(pasted: PastedOrder) -> str:
    """What the reseller must check: parts left empty, words not understood, other
    phone numbers of the message. Empty when the message was read whole."""
    unread = [str(PASTE_MISSING_LABELS[name]) for name in pasted.missing]
    unread += [f"“{words}”" for words in pasted.unread]
    said = []
    if unread:
        said.append(_("Tidak terbaca: %(what)s.", what=", ".join(unread)))
    if pasted.other_phones:
        said.append(_("Nomor HP lain di pesan: %(phones)s.",
                      phones=", ".join(display_phone(p) for p in pasted.other_phones)))
    return " ".join(said)


def _other_side_phone(order: Order) -> str | None:
    """Whom the WhatsApp button of the order page writes to: the group for its
    reseller, the reseller for the group's producers (officers get no button)."""
    if current_user.role == Role.RESELLER:
        return order.group.phone
    if current_user.role == Role.PRODUCER:
        return reseller_phones([order.reseller_id]).get(order.reseller_id)
    return None


@bp.get("/pesanan/<int:order_id>")
@login_required
def detail(order_id: int):
    order = get_order_or_404(order_id, current_user)
    phone = _other_side_phone(order)
    wa_link = None
    if phone:
        url = url_for("orders.detail", order_id=order.id, _external=True)
        text = order_message(order, current_user.role, url, returns=order_returns(order))
        wa_link = whatsapp_link(phone, text) if text else None
    return render_template(
        "orders/detail.html", order=order, steps=services.allowed_steps(order, current_user),
        # A tracking number already known (an imported order) fills the ship step.
        step_form=StepForm(tracking_number=order.tracking_number or None), wa_link=wa_link,
        late=_is_late(order), **_labels(), **_label_context(order),
    )


def _label_context(order: Order) -> dict:
    """The shipping label on the order page: its reseller attaches or removes the
    marketplace's PDF while the goods wait; the group's producers print it."""
    own = current_user.role == Role.RESELLER
    return {"label_form": LabelForm() if own and order.status in LABEL_OPEN_STATUSES
            else None, "can_print": current_user.role == Role.PRODUCER}


def _is_late(order: Order) -> bool:
    return order.status in QUEUE_STATUSES and order.ship_date < today_in()


@bp.post("/pesanan/<int:order_id>/<slug>")
@login_required
def step(order_id: int, slug: str):
    if slug not in STEP_SLUGS:
        abort(404)
    order = get_order_or_404(order_id, current_user)
    form = StepForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.change_status(order, STEP_SLUGS[slug], current_user,
                                   tracking_number=form.tracking_number.data or "",
                                   reason=form.reason.data or "")
        if saved:
            if request.form.get("back") == "antrian":
                # The queue does not show what comes next; the order page does.
                flash(_("Pesanan #%(id)d: %(hint)s", id=order.id,
                        hint=NEXT_STEP_HINTS[order.status]), "success")
            else:
                flash(_("Status pesanan sekarang: %(status)s.",
                        status=STATUS_LABELS[order.status]), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    if request.form.get("back") == "antrian":
        return redirect(url_for("orders.queue"))
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.get("/antrian")
@roles_required(Role.PRODUCER, Role.OFFICER)
def queue():
    """The producer's work: orders to confirm, to pack and to ship, late ones first."""
    today = today_in()
    rows = queue_orders(current_user, today)
    sections = {status: [o for o in rows if o.status == status] for status in QUEUE_STATUSES}
    counts = {status: len(orders) for status, orders in sections.items()}
    return render_template("orders/queue.html", sections=sections, counts=counts,
                           today=today, step_form=StepForm(), buttons=QUEUE_BUTTONS,
                           can_print=current_user.role == Role.PRODUCER, **_card_context())


@bp.get("/hari-ini")
@roles_required(Role.PRODUCER)
def today_page():
    """The producer's day: what to make, pack, send and pull back today and tomorrow."""
    today = village_today(current_user.home_village)
    return render_template("orders/today.html", days=today_work(current_user, today),
                           today=today, tomorrow=today + timedelta(days=1),
                           **_card_context())


register_label_routes(bp)

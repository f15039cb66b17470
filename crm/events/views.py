"""Events and catering bookings split across producer groups, and the officers'
spending ceilings. The routes of each group's documents (invoice, receipt, delivery
note) are in :mod:`crm.events.document_views`, registered on this blueprint."""

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
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from crm.auth.forms import ConfirmForm
from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.db.types import utcnow
from crm.events import booking_documents, booking_steps, catering, services
from crm.events.booking_steps import OPEN_STATUSES
from crm.events.document_views import DOCUMENTS, register_document_routes
from crm.events.forms import (
    EVENT_STATUS_LABELS,
    KIND_LABELS,
    NEXT_STEP_HINTS,
    STATUS_LABELS,
    STEP_LABELS,
    STEP_SLUGS,
    BookingForm,
    CeilingForm,
    EventForm,
    ReasonForm,
)
from crm.events.messages import whatsapp_links
from crm.events.models import BookingLine, CateringBooking, Event
from crm.events.queries import (
    EDITORS,
    booking_coordinator,
    booking_groups,
    booking_history,
    bookings_visible_to,
    ceilings_visible_to,
    events_visible_to,
    get_booking_or_404,
    get_event_or_404,
    partners_for,
    shows_money,
    village_products,
)
from crm.events.spending_ceilings import food_price_per_person, is_food_line, set_spending_ceiling
from crm.extensions import db
from crm.partners.models import Partner
from crm.text.dates import to_local, today_in, village_tz
from crm.villages.queries import villages_visible_to
from crm.web.forms import Saved, new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l

bp = Blueprint("events", __name__)

VIEWERS = (Role.OFFICER, Role.PARTNER, Role.PRODUCER)
HISTORY_LABELS = {
    "create": _l("Dipesan"), "confirm": _l("Konfirmasi"), "deliver": _l("Diantar"),
    "invoice": _l("Ditagih"), "pay": _l("Lunas"), "cancel": _l("Dibatalkan"),
}


def _labels() -> dict:
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
            "event_status_labels": EVENT_STATUS_LABELS, "step_labels": STEP_LABELS,
            "step_slugs": {v: k for k, v in STEP_SLUGS.items()}, "hints": NEXT_STEP_HINTS,
            "documents": DOCUMENTS, "history_labels": HISTORY_LABELS}


def _local(moment, village):
    return to_local(moment, village_tz(village))


# --- events -------------------------------------------------------------------------


@bp.get("/acara")
@roles_required(*VIEWERS)
def index():
    """Events in the user's scope: upcoming ones first (soonest first), then past ones."""
    upcoming = Event.ends_at >= utcnow()
    query = (events_visible_to(current_user)
             .options(selectinload(Event.partner), selectinload(Event.village))
             .order_by(case((upcoming, 0), else_=1), case((upcoming, Event.starts_at)),
                       Event.starts_at.desc(), Event.id))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [e.id for e in page.items]
    visible = bookings_visible_to(current_user).with_only_columns(CateringBooking.id)
    counts = dict(db.session.execute(
        select(CateringBooking.event_id, func.count())
        .where(CateringBooking.event_id.in_(ids), CateringBooking.id.in_(visible))
        .group_by(CateringBooking.event_id)).all()) if ids else {}
    return render_template("events/index.html", page=page, counts=counts, now=utcnow(),
                           **_labels())


def _event_values(form: EventForm, village) -> dict:
    start = services.combine_local(form.start_date.data, form.start_time.data, village)
    end = services.combine_local(form.end_date.data or form.start_date.data,
                                 form.end_time.data, village)
    return {"title": form.title.data, "place": form.place.data, "starts_at": start,
            "ends_at": end, "headcount": form.headcount.data or 0, "notes": form.notes.data}


@bp.route("/acara/baru", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create_event():
    """A new event of a partner institution (an officer's villages', a contact's own)."""
    partners = db.session.scalars(
        partners_for(current_user).options(selectinload(Partner.village))).all()
    form = EventForm()
    form.partner_id.choices = [(p.id, p.name) for p in partners]
    if request.method == "GET":
        if current_user.role == Role.PARTNER:
            form.partner_id.data = current_user.partner_id
        form.start_date.data = today_in() + timedelta(days=7)
    if partners and form.validate_on_submit():
        partner = next(p for p in partners if p.id == form.partner_id.data)
        with saving(form) as saved:
            event = services.create_event(
                partner, _event_values(form, partner.village), current_user)
        if saved:
            flash(_("Acara tercatat. Pesan konsumsinya di bawah."), "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/event_form.html", form=form, event=None,
                           has_partners=bool(partners))


@bp.get("/acara/<int:event_id>")
@login_required
def event_detail(event_id: int):
    event = get_event_or_404(event_id, current_user)
    bookings = db.session.scalars(
        bookings_visible_to(current_user).where(CateringBooking.event_id == event.id)
        .options(selectinload(CateringBooking.lines).selectinload(BookingLine.group))
        .order_by(CateringBooking.deliver_at, CateringBooking.id)).all()
    can_edit = current_user.role in EDITORS and event.status == "planned"
    return render_template(
        "events/event_detail.html", event=event, bookings=bookings, can_edit=can_edit,
        reason_form=ReasonForm(), starts=_local(event.starts_at, event.village),
        ends=_local(event.ends_at, event.village), shows_money=shows_money,
        my_total=_my_total, **_labels())


def _my_total(booking: CateringBooking) -> int:
    """What the user may see of the booking's total: a producer only their lines."""
    return sum(line.quantity * line.unit_price for line in booking.lines
               if shows_money(line, current_user))


@bp.route("/acara/<int:event_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    event = get_event_or_404(event_id, current_user, need="edit")
    if event.status != "planned":
        flash(_("Acara yang dibatalkan tidak bisa diubah."), "error")
        return redirect(url_for("events.event_detail", event_id=event.id))
    form = EventForm()
    del form.partner_id  # an event stays with its institution
    if request.method == "GET":
        starts, ends = _local(event.starts_at, event.village), _local(event.ends_at,
                                                                      event.village)
        form.title.data, form.place.data = event.title, event.place
        form.start_date.data, form.start_time.data = starts.date(), starts.time()
        form.end_date.data, form.end_time.data = ends.date(), ends.time()
        form.headcount.data, form.notes.data = event.headcount, event.notes
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_event(event, _event_values(form, event.village), current_user)
        if saved:
            flash(_("Acara diperbarui."), "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/event_form.html", form=form, event=event,
                           has_partners=True)


@bp.post("/acara/<int:event_id>/batal")
@login_required
def cancel_event(event_id: int):
    event = get_event_or_404(event_id, current_user, need="edit")
    form = ReasonForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.cancel_event(event, form.reason.data or "", current_user)
        if saved:
            flash(_("Acara dibatalkan; pesanan konsumsinya ikut dibatalkan."), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("events.event_detail", event_id=event.id))


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


# --- bookings -----------------------------------------------------------------------


@bp.route("/acara/<int:event_id>/pesan", methods=["GET", "POST"])
@login_required
def book(event_id: int):
    """Book food for an event, split across the village's producer groups."""
    event = get_event_or_404(event_id, current_user, need="edit")
    if event.status != "planned":
        flash(_("Acara ini dibatalkan; tidak bisa memesan konsumsi."), "error")
        return redirect(url_for("events.event_detail", event_id=event.id))
    groups, products = village_products(event)
    form = BookingForm()
    form.set_choices(groups, products)
    if request.method == "GET":
        form.form_token.data = new_form_token()
        deliver = _local(event.starts_at - timedelta(minutes=30), event.village)
        form.deliver_date.data, form.deliver_time.data = deliver.date(), deliver.time()
        form.deliver_place.data = event.place
        if event.headcount:
            form.lines[0].form.quantity.data = event.headcount
    saved = None
    if form.validate_on_submit():
        values = {
            "kind": form.kind.data, "deliver_place": form.deliver_place.data,
            "dietary_notes": form.dietary_notes.data,
            "deliver_at": services.combine_local(form.deliver_date.data,
                                                 form.deliver_time.data, event.village),
        }
        with saving(form) as saved:
            outcome = catering.book_catering(event, values, form.line_values(), current_user,
                                             form.form_token.data or None)
        if saved:
            if outcome.created:
                flash(_("Pesanan konsumsi tercatat. Setiap kelompok mengonfirmasi barisnya."),
                      "success")
            # The booking's page shows its warnings (ceiling, late delivery) itself.
            return redirect(url_for("events.booking_detail", booking_id=outcome.booking.id))
    return render_template("events/booking_form.html", form=form, event=event,
                           products=products, line_error=_lines_refusal(form, saved),
                           starts=_local(event.starts_at, event.village), **_labels())


def _lines_refusal(form: BookingForm, saved: Saved | None) -> str | None:
    """The refusal of a booking shown above its lines: one about the lines, or about
    no field (capacity used up, the event just cancelled). ``saving`` put the latter
    at the top of the form; the lines' box is where it belongs on this page."""
    error = saved.error if saved is not None else None
    if error is None or error.field not in ("lines", None):
        return None
    if error.field is None:
        form.form_errors.remove(error.message)
    return error.message


@bp.get("/pesanan-acara")
@roles_required(*VIEWERS)
def bookings():
    """Catering bookings in the user's scope: open ones first, by delivery time."""
    open_ = CateringBooking.status.in_(OPEN_STATUSES)
    query = (bookings_visible_to(current_user)
             .options(selectinload(CateringBooking.event).selectinload(Event.village),
                      selectinload(CateringBooking.partner),
                      selectinload(CateringBooking.lines).selectinload(BookingLine.group))
             .order_by(case((open_, 0), else_=1), case((open_, CateringBooking.deliver_at)),
                       CateringBooking.deliver_at.desc(), CateringBooking.id))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("events/bookings.html", page=page, my_total=_my_total,
                           local=_local, **_labels())


@bp.get("/pesanan-acara/<int:booking_id>")
@login_required
def booking_detail(booking_id: int):
    booking = get_booking_or_404(booking_id, current_user)
    event = booking.event
    groups = booking_groups(booking)
    if current_user.role == Role.PRODUCER:
        doc_groups = [g for g in groups if g.id == current_user.group_id]
    else:
        doc_groups = groups
    # Money (and so the ceiling) is for the institution's side; a late delivery is
    # for everyone who brings the food.
    sees_money = current_user.role in EDITORS
    per_person = food_price_per_person(booking, event) if sees_money else None
    warnings = catering.booking_warnings(booking, event, money=sees_money)
    history = booking_history(booking)
    deliver = _local(booking.deliver_at, event.village)
    # Only a producer writes to the coordinator, so only a producer's page finds them.
    coordinator = booking_coordinator(booking) if current_user.role == Role.PRODUCER else None
    url = url_for("events.booking_detail", booking_id=booking.id, _external=True)
    return render_template(
        "events/booking_detail.html", booking=booking, event=event, groups=groups,
        doc_groups=doc_groups, steps=booking_steps.allowed_steps(booking, current_user),
        step_form=ReasonForm(), issue_form=ConfirmForm(),
        issued=booking_documents.issued_documents(booking), history=history,
        shows_money=shows_money,
        my_total=_my_total(booking), per_person=per_person, warnings=warnings,
        is_food=is_food_line,
        deliver=deliver, starts=_local(event.starts_at, event.village),
        wa_links=whatsapp_links(booking, event, groups, current_user, deliver, url, history,
                                coordinator),
        **_labels())


@bp.post("/pesanan-acara/<int:booking_id>/<slug>")
@login_required
def booking_step(booking_id: int, slug: str):
    if slug not in STEP_SLUGS:
        abort(404)
    booking = get_booking_or_404(booking_id, current_user)
    form = ReasonForm()
    if form.validate_on_submit():
        step = STEP_SLUGS[slug]
        with saving() as saved:
            booking_steps.change_booking_status(booking, step, current_user,
                                                reason=form.reason.data or "")
        if saved:
            if step == "confirm" and booking.status == "requested":
                flash(_("Baris kelompok Anda dikonfirmasi. Menunggu kelompok lain."),
                      "success")
            else:
                flash(str(NEXT_STEP_HINTS[booking.status]), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("events.booking_detail", booking_id=booking.id))


register_document_routes(bp)


# --- spending ceilings --------------------------------------------------------------


@bp.route("/acara/batas-biaya", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def ceilings():
    """The per-person spending ceilings (SBM) of the officer's villages."""
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    form = CeilingForm()
    form.village_id.choices = [(v.id, v.display_name) for v in villages]
    if request.method == "GET":
        form.year.data = today_in().year
    if villages and form.validate_on_submit():
        village = next(v for v in villages if v.id == form.village_id.data)
        with saving(form) as saved:
            set_spending_ceiling(village, form.year.data, form.kind.data, form.amount.data,
                                 current_user)
        if saved:
            flash(_("Batas biaya disimpan."), "success")
            return redirect(url_for("events.ceilings"))
    rows = db.session.scalars(ceilings_visible_to(current_user)).all()
    names = {v.id: v.display_name for v in villages}
    return render_template("events/ceilings.html", form=form, rows=rows, names=names,
                           has_villages=bool(villages), **_labels())

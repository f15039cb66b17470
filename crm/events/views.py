"""Events and catering bookings split across producer groups, with their documents."""

from datetime import timedelta
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
from flask_login import current_user, login_required
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.auth.forms import ConfirmForm
from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.catalog.models import ProducerGroup, Product
from crm.db.types import utcnow
from crm.documents.catering_pdf import build_catering_pdf
from crm.events import messages as booking_messages
from crm.events import services
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
from crm.events.models import BookingLine, CateringBooking, Event
from crm.events.queries import (
    booking_groups,
    bookings_visible_to,
    ceilings_visible_to,
    events_visible_to,
    get_booking_group_or_404,
    get_booking_or_404,
    get_event_or_404,
    partners_for,
    shows_money,
)
from crm.extensions import db
from crm.partners.models import Partner
from crm.text.dates import to_local, today_in, village_tz
from crm.text.phones import whatsapp_link
from crm.web.errors import RuleError
from crm.web.forms import apply_rule_error, new_form_token
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l

bp = Blueprint("events", __name__)

VIEWERS = (Role.OFFICER, Role.PARTNER, Role.PRODUCER)
EDITORS = (Role.OFFICER, Role.PARTNER)
# The documents each group issues for its part of a booking: kind → (file, endpoint).
DOCUMENTS = {
    "invoice": ("faktur.pdf", "invoice_pdf", _l("Faktur")),
    "receipt": ("kwitansi.pdf", "receipt_pdf", _l("Kuitansi")),
    "delivery": ("surat-jalan.pdf", "delivery_pdf", _l("Surat jalan")),
}
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
        try:
            event = services.create_event(
                partner, _event_values(form, partner.village), current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            db.session.commit()
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
        try:
            services.update_event(event, _event_values(form, event.village), current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            db.session.commit()
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
        try:
            services.cancel_event(event, form.reason.data or "", current_user)
        except RuleError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Acara dibatalkan; pesanan konsumsinya ikut dibatalkan."), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("events.event_detail", event_id=event.id))


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


# --- bookings -----------------------------------------------------------------------


def _village_products(event: Event):
    groups = db.session.scalars(select(ProducerGroup).where(
        ProducerGroup.village_id == event.village_id).order_by(ProducerGroup.name)).all()
    products = db.session.scalars(
        select(Product).join(ProducerGroup, ProducerGroup.id == Product.group_id)
        .where(Product.village_id == event.village_id, Product.active.is_(True))
        .order_by(ProducerGroup.name, Product.name, Product.id)).all()
    return groups, products


@bp.route("/acara/<int:event_id>/pesan", methods=["GET", "POST"])
@login_required
def book(event_id: int):
    """Book food for an event, split across the village's producer groups."""
    event = get_event_or_404(event_id, current_user, need="edit")
    if event.status != "planned":
        flash(_("Acara ini dibatalkan; tidak bisa memesan konsumsi."), "error")
        return redirect(url_for("events.event_detail", event_id=event.id))
    groups, products = _village_products(event)
    form = BookingForm()
    form.set_choices(groups, products)
    if request.method == "GET":
        form.form_token.data = new_form_token()
        deliver = _local(event.starts_at - timedelta(minutes=30), event.village)
        form.deliver_date.data, form.deliver_time.data = deliver.date(), deliver.time()
        form.deliver_place.data = event.place
        if event.headcount:
            form.lines[0].form.quantity.data = event.headcount
    line_error = None
    if form.validate_on_submit():
        values = {
            "kind": form.kind.data, "deliver_place": form.deliver_place.data,
            "dietary_notes": form.dietary_notes.data,
            "deliver_at": services.combine_local(form.deliver_date.data,
                                                 form.deliver_time.data, event.village),
        }
        try:
            outcome = services.book_catering(event, values, form.line_values(), current_user,
                                             form.form_token.data or None)
        except RuleError as error:
            db.session.rollback()
            if error.field == "lines" or error.field is None:
                line_error = error.message
            else:
                apply_rule_error(form, error)
        else:
            db.session.commit()
            if outcome.created:
                flash(_("Pesanan konsumsi tercatat. Setiap kelompok mengonfirmasi barisnya."),
                      "success")
            # The booking's page shows its warnings (ceiling, late delivery) itself.
            return redirect(url_for("events.booking_detail", booking_id=outcome.booking.id))
    return render_template("events/booking_form.html", form=form, event=event,
                           products=products, line_error=line_error,
                           starts=_local(event.starts_at, event.village), **_labels())


@bp.get("/pesanan-acara")
@roles_required(*VIEWERS)
def bookings():
    """Catering bookings in the user's scope: open ones first, by delivery time."""
    open_ = CateringBooking.status.in_(services.OPEN_STATUSES)
    query = (bookings_visible_to(current_user)
             .options(selectinload(CateringBooking.event).selectinload(Event.village),
                      selectinload(CateringBooking.partner),
                      selectinload(CateringBooking.lines).selectinload(BookingLine.group))
             .order_by(case((open_, 0), else_=1), case((open_, CateringBooking.deliver_at)),
                       CateringBooking.deliver_at.desc(), CateringBooking.id))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("events/bookings.html", page=page, my_total=_my_total,
                           local=_local, **_labels())


def _history(booking: CateringBooking) -> list[tuple]:
    rows = db.session.execute(
        select(AuditEntry, User.full_name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity == "booking", AuditEntry.entity_id == booking.id)
        .order_by(AuditEntry.id)).all()
    return [(entry, name) for entry, name in rows]


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
    per_person = services.food_price_per_person(booking, event) if sees_money else None
    warnings = services.booking_warnings(booking, event, money=sees_money)
    history = _history(booking)
    deliver = _local(booking.deliver_at, event.village)
    return render_template(
        "events/booking_detail.html", booking=booking, event=event, groups=groups,
        doc_groups=doc_groups, steps=services.allowed_steps(booking, current_user),
        step_form=ReasonForm(), issue_form=ConfirmForm(),
        issued=services.issued_documents(booking), history=history,
        shows_money=shows_money,
        my_total=_my_total(booking), per_person=per_person, warnings=warnings,
        is_food=services.is_food_line,
        deliver=deliver, starts=_local(event.starts_at, event.village),
        wa_links=_whatsapp_links(booking, event, groups, history, deliver), **_labels())


def _coordinator(booking: CateringBooking) -> tuple[str, str] | None:
    """``(name, phone)`` of whoever coordinates a booking for its producer groups: the
    officer or contact who booked it, else the institution's contact person."""
    booker = db.session.get(User, booking.created_by_id) if booking.created_by_id else None
    if booker is not None and booker.phone:
        return booker.full_name, booker.phone
    partner = booking.partner
    if partner.phone:
        return partner.contact_name or partner.name, partner.phone
    return None


def _whatsapp_links(booking, event, groups, history, deliver) -> list[tuple[str, str]]:
    """``(recipient, wa.me link)`` for each side the viewer writes to: the officer to
    each group and to the institution's contact, the partner contact to each group, a
    producer to the booking's coordinator."""
    url = url_for("events.booking_detail", booking_id=booking.id, _external=True)
    who = next((name for entry, name in reversed(history)
                if entry.action == "cancel" and name), "-")
    sender = current_user.full_name
    links = []
    if current_user.role in EDITORS:
        for group in groups:
            if group.phone:
                text = booking_messages.to_group(booking, event, group, sender, deliver,
                                                 url, who)
                links.append((group.name, whatsapp_link(group.phone, text)))
        partner = booking.partner
        if current_user.role == Role.OFFICER and partner.phone:
            contact = partner.contact_name or partner.name
            text = booking_messages.to_partner(booking, event, contact, sender, deliver,
                                               url, who)
            links.append((contact, whatsapp_link(partner.phone, text)))
    elif current_user.role == Role.PRODUCER:
        group = next((g for g in groups if g.id == current_user.group_id), None)
        coordinator = _coordinator(booking)
        if group is not None and coordinator is not None:
            name, phone = coordinator
            text = booking_messages.to_coordinator(booking, event, group, name, deliver,
                                                   url, who)
            links.append((name, whatsapp_link(phone, text)))
    return links


@bp.post("/pesanan-acara/<int:booking_id>/<slug>")
@login_required
def booking_step(booking_id: int, slug: str):
    if slug not in STEP_SLUGS:
        abort(404)
    booking = get_booking_or_404(booking_id, current_user)
    form = ReasonForm()
    if form.validate_on_submit():
        step = STEP_SLUGS[slug]
        try:
            services.change_booking_status(booking, step, current_user,
                                           reason=form.reason.data or "")
        except RuleError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if step == "confirm" and booking.status == "requested":
                flash(_("Baris kelompok Anda dikonfirmasi. Menunggu kelompok lain."),
                      "success")
            else:
                flash(str(NEXT_STEP_HINTS[booking.status]), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("events.booking_detail", booking_id=booking.id))


def booking_document(booking_id: int, group_id: int, kind: str):
    """One group's invoice, receipt or delivery note for its lines of a booking, once
    it has its number. Opening it (GET) never gives a number: a link on another site
    could make a browser do that."""
    booking = get_booking_or_404(booking_id, current_user)
    group = get_booking_group_or_404(booking, group_id, current_user)
    filename = f"{DOCUMENTS[kind][0][:-4]}-{booking.id}-{group.id}.pdf"
    issued = services.document_number(booking, group, kind)
    if issued is None or booking.status == "cancelled":
        flash(_("Dokumen ini belum bernomor. Terbitkan nomornya dulu dengan tombol "
                "\u201cTerbitkan\u201d.") if booking.status != "cancelled"
              else _("Pesanan ini dibatalkan; dokumennya tidak dibuat."), "error")
        return redirect(url_for("events.booking_detail", booking_id=booking.id))
    document = services.catering_document(booking, group, issued)
    return send_file(BytesIO(build_catering_pdf(kind, document)), mimetype="application/pdf",
                     download_name=filename, as_attachment=False, max_age=0)


def issue_booking_document(booking_id: int, group_id: int, kind: str):
    """Give one group's invoice, receipt or delivery note its number (a button, so a
    POST with its CSRF token), then open it."""
    booking = get_booking_or_404(booking_id, current_user)
    group = get_booking_group_or_404(booking, group_id, current_user)
    back = url_for("events.booking_detail", booking_id=booking.id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
        return redirect(back)
    try:
        services.issue_document(booking, group, kind, current_user)
        db.session.commit()
    except IntegrityError:  # the same document issued twice at once: the first stays
        db.session.rollback()
    except RuleError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    return redirect(url_for(f"events.{DOCUMENTS[kind][1]}", booking_id=booking_id,
                            group_id=group_id), code=303)


for _kind, (_file, _endpoint, _label) in DOCUMENTS.items():
    bp.add_url_rule(
        f"/pesanan-acara/<int:booking_id>/kelompok/<int:group_id>/{_file}",
        endpoint=_endpoint, view_func=login_required(booking_document),
        defaults={"kind": _kind}, methods=["GET"],
    )
    bp.add_url_rule(
        f"/pesanan-acara/<int:booking_id>/kelompok/<int:group_id>/{_file[:-4]}/terbitkan",
        endpoint=f"issue_{_kind}", view_func=login_required(issue_booking_document),
        defaults={"kind": _kind}, methods=["POST"],
    )


# --- spending ceilings --------------------------------------------------------------


@bp.route("/acara/batas-biaya", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def ceilings():
    """The per-person spending ceilings (SBM) of the officer's villages."""
    villages = list(current_user.assigned_villages)
    form = CeilingForm()
    form.village_id.choices = [(v.id, v.display_name) for v in villages]
    if request.method == "GET":
        form.year.data = today_in().year
    if villages and form.validate_on_submit():
        village = next(v for v in villages if v.id == form.village_id.data)
        try:
            services.set_spending_ceiling(village, form.year.data, form.kind.data,
                                          form.amount.data, current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            try:
                db.session.commit()
            except IntegrityError:  # set by someone else at the same moment
                db.session.rollback()
                form.form_errors.append(_("Batas ini baru saja diisi orang lain. Coba lagi."))
            else:
                flash(_("Batas biaya disimpan."), "success")
                return redirect(url_for("events.ceilings"))
    rows = db.session.scalars(ceilings_visible_to(current_user)).all()
    names = {v.id: v.display_name for v in villages}
    return render_template("events/ceilings.html", form=form, rows=rows, names=names,
                           has_villages=bool(villages), **_labels())

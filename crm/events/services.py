"""Events, catering bookings split across producer groups, spending ceilings and the
data printed on each group's documents.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import changed_fields, record_change
from crm.auth.models import Role
from crm.catalog.capacity import release_capacity, reserve_capacity
from crm.catalog.models import FOOD_CATEGORIES, ProducerGroup, Product
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.documents.catering_content import CateringDocument, DocumentLine, Supplier
from crm.documents.numbering import issue_number, issued_for, issued_number
from crm.events.models import BOOKING_KINDS, BookingLine, CateringBooking, Event, SpendingCeiling
from crm.extensions import db
from crm.fund.accrual import accrue_contribution
from crm.text.dates import to_local, village_today, village_tz
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.text.phones import display_phone
from crm.villages.addresses import group_address
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.templating import day_text

MAX_LINES = 5
MAX_QUANTITY = 10_000
MAX_HEADCOUNT = 100_000
MAX_DAYS_AHEAD = 400
OPEN_STATUSES = ("requested", "confirmed")

# The booking's status flow: (status, step) → new status. Anything else is refused.
TRANSITIONS = {
    ("requested", "confirm"): "confirmed",
    ("confirmed", "deliver"): "delivered",
    ("delivered", "invoice"): "invoiced",
    ("invoiced", "pay"): "paid",
    ("requested", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
}
STEPS = ("confirm", "deliver", "invoice", "pay", "cancel")
# Who takes each step. A producer confirms only their own group's lines.
STEP_ROLES = {
    "confirm": (Role.PRODUCER, Role.OFFICER),
    "deliver": (Role.PRODUCER, Role.OFFICER),
    "invoice": (Role.OFFICER,),
    "pay": (Role.OFFICER,),
    "cancel": (Role.OFFICER, Role.PARTNER),
}
STEP_TIMESTAMPS = {
    "deliver": "delivered_at", "invoice": "invoiced_at", "pay": "paid_at",
    "cancel": "cancelled_at",
}
# Documents are always in Indonesian.
DOCUMENT_KIND_LABELS = {"snack": "Snack/kue", "meal": "Makan"}
TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
             "Asia/Jayapura": "WIT"}


def _text(values: dict, name: str, limit: int) -> str:
    return (values.get(name) or "").strip()[:limit]


# --- events -------------------------------------------------------------------------


def _clean_event(values: dict) -> dict:
    title = _text(values, "title", 200)
    if not title:
        raise RuleError(_("Isi nama acara."), field="title")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at is None or starts_at.tzinfo is None:
        raise RuleError(_("Isi tanggal dan jam mulai."), field="start_date")
    if ends_at is None or ends_at.tzinfo is None:
        raise RuleError(_("Isi tanggal dan jam selesai."), field="end_time")
    if ends_at < starts_at:
        raise RuleError(_("Acara tidak bisa selesai sebelum mulai."), field="end_time")
    if ends_at - starts_at > timedelta(days=31):
        raise RuleError(_("Acara paling lama 31 hari."), field="end_date")
    headcount = values.get("headcount") or 0
    if not 0 <= headcount <= MAX_HEADCOUNT:
        raise RuleError(_("Jumlah peserta 0 sampai %(n)d.", n=MAX_HEADCOUNT), field="headcount")
    return {
        "title": title, "place": _text(values, "place", 200), "starts_at": starts_at,
        "ends_at": ends_at, "headcount": headcount, "notes": _text(values, "notes", 2000),
    }


def create_event(partner, values: dict, actor) -> Event:
    """A meeting or event of ``partner`` (in the partner's village)."""
    cleaned = _clean_event(values)
    event = Event(village_id=partner.village_id, partner_id=partner.id, status="planned",
                  sequence=0, created_by_id=getattr(actor, "id", None), **cleaned)
    db.session.add(event)
    db.session.flush()
    record_change(actor, "create", "event", event.id, event.village_id, {
        "title": event.title, "starts_at": event.starts_at.isoformat()})
    return event


def update_event(event: Event, values: dict, actor) -> Event:
    """Change an event; calendars notice through the bumped ``sequence``."""
    if event.status != "planned":
        raise RuleError(_("Acara yang dibatalkan tidak bisa diubah."))
    cleaned = _clean_event(values)
    changes = changed_fields(event, list(cleaned), cleaned)
    if changes:
        event.sequence += 1
        db.session.flush()
        record_change(actor, "update", "event", event.id, event.village_id, {
            name: [str(old), str(new)] for name, (old, new) in changes.items()})
    return event


def cancel_event(event: Event, reason: str, actor) -> Event:
    """Cancel an event and its open bookings (their capacity is given back)."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise RuleError(_("Tulis alasan pembatalan."), field="reason")
    move_status(event, "planned", "cancelled", _("Acara ini sudah dibatalkan."),
                values={"cancel_reason": reason, "sequence": Event.sequence + 1,
                        "updated_at": utcnow()})
    record_change(actor, "cancel", "event", event.id, event.village_id,
                  {"status": ["planned", "cancelled"], "reason": reason})
    note = _("Acara dibatalkan: %(reason)s", reason=reason)[:300]
    for booking in db.session.scalars(select(CateringBooking).where(
            CateringBooking.event_id == event.id,
            CateringBooking.status.in_(OPEN_STATUSES)).order_by(CateringBooking.id)):
        _move(booking, "cancel", actor, reason=note)
    return event


# --- bookings -----------------------------------------------------------------------


@dataclass
class BookingOutcome:
    """What ``book_catering`` did: the booking, warnings to show, and whether it is
    new (``False`` when a resent form returned the earlier booking)."""

    booking: CateringBooking
    warnings: list[str] = field(default_factory=list)
    created: bool = True


def _line_error(n: int, message: str) -> RuleError:
    return RuleError(_("Baris %(n)d: %(message)s", n=n, message=message), field="lines")


def _clean_lines(event: Event, lines: list[dict]) -> list[dict]:
    """The used lines (a group or a product chosen), checked, with their defaults:
    description the product's name, quantity the headcount, price the retail price."""
    used = [(n, line) for n, line in enumerate(lines, start=1)
            if line.get("group_id") or line.get("product_id")]
    if not used:
        raise RuleError(_("Isi minimal satu baris: kelompok, barang dan jumlah."),
                        field="lines")
    if len(used) > MAX_LINES or len(lines) > MAX_LINES:
        raise RuleError(_("Paling banyak %(n)d baris.", n=MAX_LINES), field="lines")
    product_ids = {line["product_id"] for _n, line in used if line.get("product_id")}
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_(product_ids), Product.village_id == event.village_id,
        Product.active.is_(True)))}
    group_ids = {line["group_id"] for _n, line in used if line.get("group_id")}
    group_ids |= {p.group_id for p in products.values()}
    groups = {g.id: g for g in db.session.scalars(select(ProducerGroup).where(
        ProducerGroup.id.in_(group_ids), ProducerGroup.village_id == event.village_id))}
    cleaned = []
    for n, line in used:
        product = None
        if line.get("product_id"):
            product = products.get(line["product_id"])
            if product is None:
                raise _line_error(n, _("produk tidak ada di desa acara ini."))
        # A product chosen without a group brings its own group.
        group = groups.get(line.get("group_id") or product.group_id)
        if group is None:
            raise _line_error(n, _("pilih kelompok dari desa acara ini."))
        if product is not None and product.group_id != group.id:
            raise _line_error(n, _("%(product)s bukan produk %(group)s.",
                                   product=product.name, group=group.name))
        description = (line.get("description") or "").strip()[:200] or (
            product.name if product else "")
        if not description:
            raise _line_error(n, _("tulis nama barang, misalnya Snack box."))
        quantity = line.get("quantity")
        if quantity is None:
            quantity = event.headcount
        if not 1 <= quantity <= MAX_QUANTITY:
            raise _line_error(n, _("jumlah 1 sampai %(max)d.", max=MAX_QUANTITY))
        unit_price = line.get("unit_price")
        if unit_price is None:
            if product is None:
                raise _line_error(n, _("isi harga satuan."))
            unit_price = product.retail_price
        if not 0 <= unit_price <= MAX_RUPIAH or quantity * unit_price > MAX_RUPIAH:
            raise _line_error(n, _("harga terlalu besar."))
        cleaned.append({"group": group, "product": product, "description": description,
                        "quantity": quantity, "unit_price": unit_price})
    return cleaned


def _clean_booking(event: Event, values: dict) -> dict:
    kind = values.get("kind")
    if kind not in BOOKING_KINDS:
        raise RuleError(_("Pilih jenis konsumsi."), field="kind")
    deliver_at = values.get("deliver_at")
    if deliver_at is None or deliver_at.tzinfo is None:
        raise RuleError(_("Isi tanggal dan jam antar."), field="deliver_date")
    now = utcnow()
    if deliver_at < now:
        raise RuleError(_("Waktu antar sudah lewat."), field="deliver_date")
    if deliver_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise RuleError(_("Waktu antar paling jauh %(n)d hari ke depan.", n=MAX_DAYS_AHEAD),
                        field="deliver_date")
    return {"kind": kind, "deliver_at": deliver_at,
            "deliver_place": _text(values, "deliver_place", 200) or event.place,
            "dietary_notes": _text(values, "dietary_notes", 1000)}


def _insert_booking(event: Event, cleaned: dict, actor, form_token) -> int | None:
    """Insert the booking row; ``None`` when ``form_token`` was used already.

    ``ON CONFLICT DO NOTHING`` on the one-time token: a form sent twice at the same
    moment waits for the first and then inserts nothing, without breaking the
    transaction (no savepoint needed, which pysqlite does not handle well).
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    return db.session.scalar(
        insert(CateringBooking).values(
            event_id=event.id, village_id=event.village_id, partner_id=event.partner_id,
            status="requested", sequence=0, form_token=form_token,
            created_by_id=getattr(actor, "id", None), created_at=now, updated_at=now,
            cancel_reason="", **cleaned,
        ).on_conflict_do_nothing(index_elements=["form_token"])
        .returning(CateringBooking.id)
    )


def _by_token(form_token: str) -> CateringBooking | None:
    return db.session.scalar(
        select(CateringBooking).where(CateringBooking.form_token == form_token))


def delivery_day(booking: CateringBooking) -> date:
    """The day (where the village is) whose capacity the booking uses."""
    village = booking.event.village if booking.event else None
    return to_local(booking.deliver_at, village_tz(village)).date()


def _made_to_order_totals(lines, reserved: bool = False) -> list[tuple[Product, int]]:
    """Units per made-to-order product (every product of ``lines`` when they are
    ``reserved`` ones), by product id (a fixed order, so concurrent bookings lock
    capacity rows in the same order and never deadlock)."""
    totals: dict[int, int] = defaultdict(int)
    products = {}
    for line in lines:
        product = line["product"] if isinstance(line, dict) else line.product
        quantity = line["quantity"] if isinstance(line, dict) else line.quantity
        if product is not None and (reserved or product.made_to_order):
            totals[product.id] += quantity
            products[product.id] = product
    return [(products[pid], totals[pid]) for pid in sorted(totals)]


def book_catering(event: Event, values: dict, lines: list[dict], actor,
                  form_token: str | None = None) -> BookingOutcome:
    """Book food for ``event``, split across producer groups of its village.

    ``values``: kind ("snack"/"meal"), deliver_at (aware), deliver_place,
    dietary_notes. ``lines``: up to five dicts with group_id, product_id,
    description, quantity, unit_price (``None`` takes the default). Made-to-order
    products reserve the group's capacity of the delivery day (shared with customer
    orders) and are refused when not enough is left. Food and drink per person above
    the village's spending ceiling, or a delivery after the event has started, is a
    warning; the booking is still saved. A resent
    form (same ``form_token``) returns the booking made the first time.
    """
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _by_token(form_token)
        if earlier is not None:
            return BookingOutcome(earlier, [], created=False)
    if event.status != "planned":
        raise RuleError(_("Acara ini dibatalkan; tidak bisa memesan konsumsi."))
    cleaned = _clean_booking(event, values)
    cleaned_lines = _clean_lines(event, lines)
    booking_id = _insert_booking(event, cleaned, actor, form_token)
    if booking_id is None:  # the same form, sent twice at once: the first one won
        return BookingOutcome(_by_token(form_token), [], created=False)
    booking = db.session.get(CateringBooking, booking_id)
    day = to_local(cleaned["deliver_at"], village_tz(event.village)).date()
    for product, quantity in _made_to_order_totals(cleaned_lines):
        reserve_capacity(product, day, quantity)
    for line in cleaned_lines:
        db.session.add(BookingLine(
            booking_id=booking.id, group_id=line["group"].id,
            product_id=line["product"].id if line["product"] else None,
            description=line["description"], quantity=line["quantity"],
            unit_price=line["unit_price"],
            taken_from="capacity" if line["product"] and line["product"].made_to_order
            else None))
    db.session.flush()
    db.session.refresh(booking, ["lines"])
    record_change(actor, "create", "booking", booking.id, booking.village_id, {
        "event": event.id, "kind": booking.kind, "total": booking.total,
        "lines": [[line.group_id, line.product_id, line.quantity, line.unit_price]
                  for line in booking.lines],
    })
    return BookingOutcome(booking, booking_warnings(booking, event), created=True)


def ceiling_for(village_id: int, year: int, kind: str) -> SpendingCeiling | None:
    """The village's spending ceiling (SBM) per person for ``kind`` in ``year``."""
    return db.session.scalar(select(SpendingCeiling).where(
        SpendingCeiling.village_id == village_id, SpendingCeiling.year == year,
        SpendingCeiling.kind == kind))


def is_food_line(line: BookingLine) -> bool:
    """Food or drink, which the spending ceiling is about (souvenirs are not): a
    catalogue product by its category, a line typed without one by its group's kind."""
    if line.product is not None:
        return line.product.category in FOOD_CATEGORIES
    return line.group.kind == "food"


def food_price_per_person(booking: CateringBooking, event: Event) -> int | None:
    """The food and drink lines' total divided by the headcount, rounded up: the
    figure compared with the ceiling. ``None`` without a headcount or food lines."""
    food = [line for line in booking.lines if is_food_line(line)]
    if not event.headcount or not food:
        return None
    total = sum(line.quantity * line.unit_price for line in food)
    return -(-total // event.headcount)


def ceiling_warning(booking: CateringBooking, event: Event) -> str | None:
    """A warning when the food and drink per person is above the ceiling for the
    event's year and the booking's kind; both amounts are named."""
    per_person = food_price_per_person(booking, event)
    if per_person is None:
        return None
    year = to_local(event.starts_at, village_tz(event.village)).year
    ceiling = ceiling_for(event.village_id, year, booking.kind)
    if ceiling is None or per_person <= ceiling.amount:
        return None
    kind = _("snack/kue") if booking.kind == "snack" else _("makan")
    return _("Perhatian: makanan dan minuman per orang %(price)s melebihi batas biaya (SBM) "
             "%(kind)s tahun %(year)d sebesar %(ceiling)s. Pesanan tetap disimpan.",
             price=format_rupiah(per_person), kind=kind, year=year,
             ceiling=format_rupiah(ceiling.amount))


def _moment_text(moment: datetime, tz: str, day_too: bool) -> str:
    local = to_local(moment, tz)
    clock = local.strftime("%H.%M")
    return f"{day_text(local.date(), 'd MMMM y')} {clock}" if day_too else clock


def late_delivery_warning(booking: CateringBooking, event: Event) -> str | None:
    """A warning when the food comes after the event has started (or even ended):
    often a typing slip, sometimes meant (lunch in a day-long meeting)."""
    if booking.deliver_at <= event.starts_at:
        return None
    tz = village_tz(event.village)
    ended = booking.deliver_at > event.ends_at
    edge = event.ends_at if ended else event.starts_at
    day_too = to_local(booking.deliver_at, tz).date() != to_local(edge, tz).date()
    values = {"deliver": _moment_text(booking.deliver_at, tz, day_too),
              "edge": _moment_text(edge, tz, day_too)}
    if ended:
        return _("Perhatian: waktu antar %(deliver)s sesudah acara selesai (%(edge)s). "
                 "Periksa lagi tanggal dan jamnya. Pesanan tetap disimpan.", **values)
    return _("Perhatian: waktu antar %(deliver)s sesudah acara mulai (%(edge)s). Periksa "
             "lagi jamnya bila konsumsi harus siap sebelum acara. Pesanan tetap disimpan.",
             **values)


def booking_warnings(booking: CateringBooking, event: Event, money: bool = True) -> list[str]:
    """What to warn about a booking: food delivered late and, for those who see its
    money (``money``), food and drink per person above the ceiling."""
    warnings = [late_delivery_warning(booking, event)]
    if money:
        warnings.append(ceiling_warning(booking, event))
    return [w for w in warnings if w]


def _has_open_lines(booking: CateringBooking, user) -> bool:
    return any(line.confirmed_at is None and (
        user.role == Role.OFFICER or line.group_id == user.group_id)
        for line in booking.lines)


def allowed_steps(booking: CateringBooking, user) -> list[str]:
    """The steps ``user`` may take on ``booking`` now, in flow order."""
    steps = []
    for step in STEPS:
        if (booking.status, step) not in TRANSITIONS or user.role not in STEP_ROLES[step]:
            continue
        if step == "confirm" and not _has_open_lines(booking, user):
            continue
        steps.append(step)
    return steps


def _refused() -> RuleError:
    return RuleError(_("Langkah ini tidak bisa dilakukan pada pesanan berstatus sekarang."))


def confirm_lines(booking: CateringBooking, actor) -> CateringBooking:
    """A producer confirms their group's lines (an officer all open lines); the booking
    becomes confirmed when every group has confirmed.

    The booking row is locked first (a guarded UPDATE), so two groups confirming at
    the same moment take turns and the second sees the first's lines confirmed.
    """
    if "confirm" not in allowed_steps(booking, actor):
        raise _refused()
    move_status(booking, "requested", None,
                _("Pesanan ini baru saja diubah orang lain. Muat ulang halaman."),
                values={"sequence": CateringBooking.sequence + 1, "updated_at": utcnow()})
    mine = [BookingLine.booking_id == booking.id, BookingLine.confirmed_at.is_(None)]
    if actor.role != Role.OFFICER:
        mine.append(BookingLine.group_id == actor.group_id)
    confirmed = db.session.execute(
        update(BookingLine).where(*mine)
        .values(confirmed_at=utcnow(), confirmed_by_id=actor.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not confirmed:
        raise RuleError(_("Baris kelompok Anda sudah dikonfirmasi."))
    waiting = db.session.scalar(select(func.count()).select_from(BookingLine).where(
        BookingLine.booking_id == booking.id, BookingLine.confirmed_at.is_(None)))
    changes = {"lines": confirmed, "group": actor.group_id if actor.role == Role.PRODUCER
               else None}
    if not waiting:
        move_status(booking, "requested", "confirmed",
                    _("Pesanan ini baru saja diubah orang lain. Muat ulang halaman."))
        changes["status"] = ["requested", "confirmed"]
    for line in booking.lines:
        db.session.refresh(line)
    record_change(actor, "confirm", "booking", booking.id, booking.village_id, changes)
    return booking


def _release(booking: CateringBooking) -> None:
    """Give back the capacity the booking reserved: the lines marked when it was
    made, whatever their products have become since."""
    day = delivery_day(booking)
    reserved = [line for line in booking.lines if line.taken_from == "capacity"]
    for product, quantity in _made_to_order_totals(reserved, reserved=True):
        release_capacity(product, day, quantity)
    for line in reserved:
        line.taken_from = None


def _accrue_fund(booking: CateringBooking, actor) -> None:
    """Each group's share of a paid booking goes towards its community fund."""
    revenue: dict[int, int] = defaultdict(int)
    groups = {}
    for line in booking.lines:
        revenue[line.group_id] += line.quantity * line.unit_price
        groups[line.group_id] = line.group
    day = village_today(booking.event.village)
    for group_id, amount in revenue.items():
        accrue_contribution(groups[group_id], "booking", booking.id, amount, day, actor)


def _move(booking: CateringBooking, step: str, actor, reason: str = "") -> CateringBooking:
    """Apply ``step`` with a guarded UPDATE (two clicks at once apply it once)."""
    old = booking.status
    new = TRANSITIONS.get((old, step))
    if new is None:
        raise _refused()
    now = utcnow()
    values = {"status": new, "sequence": CateringBooking.sequence + 1, "updated_at": now}
    if step in STEP_TIMESTAMPS:
        values[STEP_TIMESTAMPS[step]] = now
    if step == "cancel":
        values["cancel_reason"] = reason
    move_status(booking, old, values.pop("status"),
                _("Pesanan ini baru saja diubah orang lain. Muat ulang halaman."), values=values)
    if step == "cancel":
        _release(booking)
    if new == "paid":
        _accrue_fund(booking, actor)
    changes = {"status": [old, new]}
    if reason:
        changes["reason"] = reason
    record_change(actor, step, "booking", booking.id, booking.village_id, changes)
    return booking


def change_booking_status(booking: CateringBooking, step: str, actor,
                          reason: str = "") -> CateringBooking:
    """Take ``step`` ("confirm", "deliver", "invoice", "pay", "cancel") on
    ``booking`` following ``TRANSITIONS`` and ``STEP_ROLES``; anything else is
    refused. Cancelling needs a reason and gives the capacity back."""
    if step not in STEPS or step not in allowed_steps(booking, actor):
        raise _refused()
    if step == "confirm":
        return confirm_lines(booking, actor)
    reason = (reason or "").strip()[:300]
    if step == "cancel" and not reason:
        raise RuleError(_("Tulis alasan pembatalan."), field="reason")
    return _move(booking, step, actor, reason=reason if step == "cancel" else "")


# --- spending ceilings --------------------------------------------------------------


def set_spending_ceiling(village, year: int, kind: str, amount: int, actor) -> SpendingCeiling:
    """Set the per-person ceiling of ``kind`` for ``village`` and ``year`` (new or
    changed)."""
    if year is None or not 2000 <= year <= 2100:
        raise RuleError(_("Tahun 2000 sampai 2100."), field="year")
    if kind not in BOOKING_KINDS:
        raise RuleError(_("Pilih jenis konsumsi."), field="kind")
    if amount is None or not 0 < amount <= MAX_RUPIAH:
        raise RuleError(_("Isi batas biaya lebih dari nol."), field="amount")
    ceiling = ceiling_for(village.id, year, kind)
    old = ceiling.amount if ceiling else None
    if ceiling is None:
        ceiling = SpendingCeiling(village_id=village.id, year=year, kind=kind, amount=amount)
        db.session.add(ceiling)
    else:
        ceiling.amount = amount
    db.session.flush()
    record_change(actor, "set", "spending_ceiling", ceiling.id, village.id,
                  {"year": year, "kind": kind, "amount": [old, amount]})
    return ceiling


# --- documents ----------------------------------------------------------------------


def issued_documents(booking: CateringBooking) -> dict[tuple[str, int], object]:
    """The numbers already given to the booking's documents, by (kind, group id)."""
    return issued_for("booking", booking.id)


def document_number(booking: CateringBooking, group: ProducerGroup, kind: str):
    """The number of ``group``'s ``kind`` document for ``booking`` if it has one."""
    return issued_number(kind, "booking", booking.id, group_id=group.id)


def issue_document(booking: CateringBooking, group: ProducerGroup, kind: str, actor):
    """Give ``group``'s ``kind`` document for ``booking`` its number (asked for with
    a POST); the same one when it has one already."""
    if booking.status == "cancelled":
        raise RuleError(_("Pesanan ini dibatalkan; dokumennya tidak dibuat."))
    village = booking.event.village
    return issue_number(village, kind, "booking", booking.id, day=village_today(village),
                        group_id=group.id, actor=actor)


def catering_document(booking: CateringBooking, group: ProducerGroup,
                      issued) -> CateringDocument:
    """Plain data for ``group``'s document about its lines of ``booking``."""
    event = booking.event
    village = event.village
    tz = village_tz(village)
    partner = booking.partner
    contact = ", ".join(p for p in (partner.contact_name, partner.contact_position) if p)
    if partner.phone:
        contact = f"{contact} ({display_phone(partner.phone)})" if contact \
            else display_phone(partner.phone)
    supplier = Supplier(
        name=group.name, village_name=village.display_name, chair_name=group.chair_name,
        address=group_address(group, places=False), phone=display_phone(group.phone),
        npwp=group.npwp,
        nib=group.nib, pirt_number=group.pirt_number, bank_name=group.bank_name,
        bank_account_number=group.bank_account_number,
        bank_account_name=group.bank_account_name,
    )
    return CateringDocument(
        number=issued.number, issued_on=to_local(issued.issued_at, tz).date(),
        place=village.name, supplier=supplier, customer_name=partner.name,
        customer_unit=partner.unit, customer_address=partner.address,
        customer_contact=contact, event_title=event.title,
        event_day=to_local(event.starts_at, tz).date(), event_place=event.place,
        deliver_at=to_local(booking.deliver_at, tz), tz_label=TZ_LABELS.get(tz, tz),
        kind_label=DOCUMENT_KIND_LABELS[booking.kind], deliver_place=booking.deliver_place,
        dietary_notes=booking.dietary_notes, booking_ref=f"Pesanan acara #{booking.id}",
        lines=[DocumentLine(line.description, line.quantity, line.unit_price)
               for line in booking.lines if line.group_id == group.id],
    )


def combine_local(day: date | None, moment, village) -> datetime | None:
    """A date and a time typed in the village's zone, as an aware datetime in UTC."""
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(village_tz(village))).astimezone(UTC)

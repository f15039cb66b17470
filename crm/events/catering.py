"""Making a catering booking for an event, split across the producer groups of its
village, and what to warn about it (food delivered late, food and drink per person
above the spending ceiling).

Services take domain objects, check the rules, flush and never commit.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import record_change
from crm.catalog.capacity import reserve_capacity
from crm.catalog.models import ProducerGroup, Product
from crm.db.types import utcnow
from crm.events.models import BOOKING_KINDS, BookingLine, CateringBooking, Event
from crm.events.spending_ceilings import ceiling_warning
from crm.extensions import db
from crm.text.dates import to_local, village_tz
from crm.text.money import MAX_RUPIAH
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.templating import day_text

MAX_LINES = 5
MAX_QUANTITY = 10_000
MAX_DAYS_AHEAD = 400


def _text(values: dict, name: str, limit: int) -> str:
    return (values.get(name) or "").strip()[:limit]


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


def made_to_order_totals(lines, reserved: bool = False) -> list[tuple[Product, int]]:
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
    for product, quantity in made_to_order_totals(cleaned_lines):
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



"""Spending ceilings (SBM): what a village's institutions may spend on food and
drink per person and year, for snacks and for meals, and the warning when a
booking goes above it (the booking is saved all the same).

Services take domain objects, check the rules, flush and never commit.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.audit.services import record_change
from crm.catalog.models import FOOD_CATEGORIES
from crm.events.models import BOOKING_KINDS, BookingLine, CateringBooking, Event, SpendingCeiling
from crm.extensions import db
from crm.text.dates import to_local, village_tz
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _


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


def set_spending_ceiling(village, year: int, kind: str, amount: int, actor) -> SpendingCeiling:
    """Set the per-person ceiling of ``kind`` for ``village`` and ``year`` (new or
    changed). When someone else sets the same one at the same moment, the unique
    index refuses the second and it is asked to try again."""
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
    try:
        db.session.flush()
    except IntegrityError as exc:  # set by someone else at the same moment
        raise RuleError(_("Batas ini baru saja diisi orang lain. Coba lagi.")) from exc
    record_change(actor, "set", "spending_ceiling", ceiling.id, village.id,
                  {"year": year, "kind": kind, "amount": [old, amount]})
    return ceiling

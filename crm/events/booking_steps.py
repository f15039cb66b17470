"""The status flow of a catering booking: each producer group confirms its lines,
then delivered, invoiced, paid; or cancelled (by the officer or the institution, or
with its event), which gives the reserved capacity back. A paid booking adds each
group's share to its community fund.

Each step is one guarded UPDATE, so two clicks at once apply it once. Services
flush and never commit.
"""

from collections import defaultdict

from sqlalchemy import func, select, update

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.catalog.capacity import release_capacity
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.events.catering import delivery_day, made_to_order_totals
from crm.events.models import BookingLine, CateringBooking, Event
from crm.extensions import db
from crm.fund.accrual import accrue_contribution
from crm.text.dates import village_today
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

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
    for product, quantity in made_to_order_totals(reserved, reserved=True):
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


def cancel_open_bookings(event: Event, reason: str, actor) -> None:
    """Cancel the open bookings of ``event`` (being cancelled) with ``reason``,
    whoever ``actor`` is: their capacity is given back."""
    for booking in db.session.scalars(select(CateringBooking).where(
            CateringBooking.event_id == event.id,
            CateringBooking.status.in_(OPEN_STATUSES)).order_by(CateringBooking.id)):
        _move(booking, "cancel", actor, reason=reason)

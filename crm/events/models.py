"""Events with catering bookings split across groups, and spending ceilings."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db

EVENT_STATUSES = ("planned", "cancelled")


class Event(db.Model):
    """A meeting or event of a partner (e.g. the monthly village meeting)."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'cancelled')", name="status"),
        CheckConstraint("ends_at >= starts_at", name="period"),
        CheckConstraint("headcount >= 0", name="headcount"),
        Index("ix_events_village_starts", "village_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    headcount: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # iCalendar SEQUENCE: bumped on every change a calendar should notice.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partner = relationship("Partner")
    village = relationship("Village")
    bookings = relationship("CateringBooking", back_populates="event",
                            order_by="CateringBooking.id")

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


BOOKING_STATUSES = ("requested", "confirmed", "delivered", "invoiced", "paid", "cancelled")
BOOKING_KINDS = ("snack", "meal")


class CateringBooking(db.Model):
    """Food ordered for an event, delivered at a time and place, split across groups."""

    __tablename__ = "catering_bookings"
    __table_args__ = (
        CheckConstraint(
            "status IN ('requested', 'confirmed', 'delivered', 'invoiced', 'paid', "
            "'cancelled')",
            name="status",
        ),
        CheckConstraint("kind IN ('snack', 'meal')", name="kind"),
        UniqueConstraint("form_token"),
        Index("ix_catering_bookings_village_deliver", "village_id", "deliver_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(6), default="snack")
    status: Mapped[str] = mapped_column(String(10), default="requested")
    deliver_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deliver_place: Mapped[str] = mapped_column(String(200), default="")
    dietary_notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invoiced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("Event", back_populates="bookings")
    partner = relationship("Partner")
    lines = relationship("BookingLine", order_by="BookingLine.id", back_populates="booking",
                         cascade="all, delete-orphan")

    @property
    def total(self) -> int:
        return sum(line.quantity * line.unit_price for line in self.lines)

    def __repr__(self) -> str:
        return f"<CateringBooking {self.id} {self.status}>"


class BookingLine(db.Model):
    """A line of a booking (e.g. 40 snack boxes), assigned to one producer group.

    Each group confirms its own lines; ``product_id`` is set for catalogue products
    (made-to-order ones then use the group's daily capacity).
    """

    __tablename__ = "booking_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("taken_from IN ('capacity')", name="taken_from"),
        Index("ix_booking_lines_group_booking", "group_id", "booking_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("catering_bookings.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price: Mapped[int] = mapped_column(BigInteger)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "capacity" when the booking reserved units of its delivery day for this line
    # (a made-to-order product at booking time): a cancellation gives back exactly
    # that, whatever the product has become since.
    taken_from: Mapped[str | None] = mapped_column(String(8))

    booking = relationship("CateringBooking", back_populates="lines")
    group = relationship("ProducerGroup")
    product = relationship("Product")

    def __repr__(self) -> str:
        return f"<BookingLine {self.id} group={self.group_id} x{self.quantity}>"


class SpendingCeiling(db.Model):
    """The per-person spending ceiling (SBM) for snacks or meals in a village and year."""

    __tablename__ = "spending_ceilings"
    __table_args__ = (
        UniqueConstraint("village_id", "year", "kind"),
        CheckConstraint("kind IN ('snack', 'meal')", name="kind"),
        CheckConstraint("amount > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(6))
    amount: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<SpendingCeiling {self.village_id} {self.year} {self.kind} {self.amount}>"

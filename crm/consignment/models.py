"""Outlets, the goods a group leaves there (drops) and the visits that count them."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import PhoneNumber, UTCDateTime, utcnow
from crm.extensions import db

# Drops still at an outlet: the condition of the partial indexes on pull-back days.
OPEN_SQL = text("status = 'open'")

OUTLET_KINDS = ("warung", "pasar", "kios", "toko", "other")
CUT_KINDS = ("percent", "fixed")
DROP_STATUSES = ("open", "closed")


class Outlet(db.Model):
    """A warung, market stall or kiosk where one producer group leaves goods to sell."""

    __tablename__ = "outlets"
    __table_args__ = (
        UniqueConstraint("group_id", "name"),
        CheckConstraint("kind IN ('warung', 'pasar', 'kios', 'toko', 'other')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), index=True)
    # The outlet's own village (it may lie outside the group's); scoping uses the
    # group's village, copied here so officer lists filter one table.
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8), default="warung")
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    outlet_village: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group = relationship("ProducerGroup")
    drops = relationship("ConsignmentDrop", back_populates="outlet",
                         order_by="ConsignmentDrop.id")

    def __repr__(self) -> str:
        return f"<Outlet {self.id} {self.name}>"


class ConsignmentDrop(db.Model):
    """Units of one product left at an outlet at an agreed price.

    ``on_shelf`` is what should still be at the outlet; each visit lowers it by what
    was sold, taken back or thrown away. The outlet keeps a cut of each unit sold,
    a percentage (``cut_value`` in basis points, 1500 = 15 %) or a fixed rupiah
    amount per unit.
    """

    __tablename__ = "consignment_drops"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("on_shelf >= 0 AND on_shelf <= quantity", name="on_shelf"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("cut_kind IN ('percent', 'fixed')", name="cut_kind"),
        CheckConstraint(
            "cut_value >= 0 AND (cut_kind = 'fixed' OR cut_value <= 10000)", name="cut_value"
        ),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("taken_from IN ('stock', 'capacity')", name="taken_from"),
        CheckConstraint("pull_back_on IS NULL OR pull_back_on >= placed_on", name="pull_back"),
        UniqueConstraint("form_token"),
        Index("ix_consignment_drops_group_status", "group_id", "status"),
        # Open drops by pull-back day (the overdue warnings of the dashboards).
        Index("ix_consignment_drops_group_pull_back", "group_id", "pull_back_on",
              postgresql_where=OPEN_SQL, sqlite_where=OPEN_SQL),
        Index("ix_consignment_drops_village_pull_back", "village_id", "pull_back_on",
              postgresql_where=OPEN_SQL, sqlite_where=OPEN_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int]
    on_shelf: Mapped[int]
    unit_price: Mapped[int] = mapped_column(BigInteger)
    cut_kind: Mapped[str] = mapped_column(String(8), default="percent")
    cut_value: Mapped[int] = mapped_column(BigInteger, default=0)
    placed_on: Mapped[date] = mapped_column(Date)
    # When the goods must leave the shelf (placed_on + the product's shelf life).
    pull_back_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(6), default="open")
    # What placing the drop took: "stock" (goods taken back return to it) or
    # "capacity" of placed_on (made-to-order goods; nothing returns to stock).
    taken_from: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str] = mapped_column(Text, default="")
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    outlet = relationship("Outlet", back_populates="drops")
    product = relationship("Product")

    def __repr__(self) -> str:
        return f"<ConsignmentDrop {self.id} outlet={self.outlet_id} x{self.quantity}>"


class ConsignmentVisit(db.Model):
    """A visit to an outlet: goods counted, taken back, thrown away, and cash collected.

    ``amount_due`` is what the group is owed for the units sold (after the outlet's
    cut); the difference from ``cash_collected`` stays outstanding at the outlet.
    """

    __tablename__ = "consignment_visits"
    __table_args__ = (
        CheckConstraint("cash_collected >= 0", name="cash_collected"),
        CheckConstraint("amount_due >= 0", name="amount_due"),
        UniqueConstraint("form_token"),
        Index("ix_consignment_visits_group_visited", "group_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    amount_due: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_collected: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    outlet = relationship("Outlet")
    lines = relationship("ConsignmentVisitLine", back_populates="visit",
                         order_by="ConsignmentVisitLine.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<ConsignmentVisit {self.id} outlet={self.outlet_id} {self.visited_on}>"


class ConsignmentVisitLine(db.Model):
    """What a visit found for one drop: sold = on shelf before − remaining − returned −
    expired (held exact by a CHECK), and the money due for the units sold."""

    __tablename__ = "consignment_visit_lines"
    __table_args__ = (
        CheckConstraint(
            "remaining >= 0 AND returned >= 0 AND expired >= 0 AND sold >= 0", name="counts"
        ),
        CheckConstraint(
            "sold = on_shelf_before - remaining - returned - expired", name="sold_arithmetic"
        ),
        CheckConstraint("unit_price >= 0 AND cut_amount >= 0 AND amount_due >= 0",
                        name="money"),
        CheckConstraint("amount_due = sold * unit_price - cut_amount", name="due_arithmetic"),
        UniqueConstraint("visit_id", "drop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("consignment_visits.id"), index=True)
    drop_id: Mapped[int] = mapped_column(ForeignKey("consignment_drops.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    on_shelf_before: Mapped[int]
    remaining: Mapped[int]
    # Taken back in sellable condition (back into stock through the ledger).
    returned: Mapped[int] = mapped_column(default=0)
    # Expired or damaged: written off.
    expired: Mapped[int] = mapped_column(default=0)
    sold: Mapped[int]
    unit_price: Mapped[int] = mapped_column(BigInteger)
    cut_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_due: Mapped[int] = mapped_column(BigInteger, default=0)

    visit = relationship("ConsignmentVisit", back_populates="lines")
    drop = relationship("ConsignmentDrop")
    product = relationship("Product")

    def __repr__(self) -> str:
        return f"<ConsignmentVisitLine {self.id} drop={self.drop_id} sold={self.sold}>"


class ConsignmentMonth(db.Model):
    """Consignment sales of one group in a month (by visit day): units sold × the
    agreed price, summed. Added to by :func:`crm.consignment.visits.record_visit`
    through :mod:`crm.consignment.months`, so reports read a row per group and month
    instead of every visit line."""

    __tablename__ = "consignment_months"
    __table_args__ = (
        CheckConstraint("visits >= 0 AND sold_value >= 0", name="figures"),
        Index("ix_consignment_months_village_month", "village_id", "month"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    visits: Mapped[int] = mapped_column(default=0)
    sold_value: Mapped[int] = mapped_column(BigInteger, default=0)

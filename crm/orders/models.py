"""Dropship customer orders, their lines and history, returns and reseller payments."""

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

ORDER_CHANNELS = (
    "shopee", "tokopedia", "tiktok", "whatsapp", "facebook", "instagram", "website", "direct",
)
ORDER_STATUSES = ("new", "confirmed", "packed", "shipped", "finished", "cancelled")
# Orders waiting for the producer: to confirm, to pack, to ship (the work queue).
QUEUE_STATUSES = ("new", "confirmed", "packed")
# Orders whose goods have left (or are leaving) the producer: they count as sales.
SOLD_STATUSES = ("shipped", "finished")
# The same, as SQL: the condition of the partial indexes on sold orders.
SOLD_SQL = text("status IN ('shipped', 'finished')")
# Orders holding stock or capacity.
HOLDING_STATUSES = ("confirmed", "packed", "shipped", "finished")
PAYMENT_METHODS = ("paid", "cod")
RETURN_REASONS = ("defect", "expired", "damaged", "wrong_item", "refused_cod")
LOSS_BEARERS = ("producer", "reseller")


class Order(db.Model):
    """A customer's order taken by a reseller, for products of one producer group."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('new', 'confirmed', 'packed', 'shipped', 'finished', 'cancelled')",
            name="status",
        ),
        CheckConstraint("shipping_cost >= 0", name="shipping_cost"),
        CheckConstraint("payment IN ('paid', 'cod')", name="payment"),
        # A resent order form makes nothing new (one order per group per form).
        UniqueConstraint("form_token", "group_id"),
        Index("ix_orders_group_status", "group_id", "status"),
        Index("ix_orders_reseller_created", "reseller_id", "created_at"),
        Index("ix_orders_village_created", "village_id", "created_at"),
        # Sales (reports, balances): sold orders by group, village or reseller and
        # shipping time; partial, so they hold only what the sales pages read.
        Index("ix_orders_group_sold", "group_id", "shipped_at",
              postgresql_where=SOLD_SQL, sqlite_where=SOLD_SQL),
        Index("ix_orders_village_sold", "village_id", "shipped_at",
              postgresql_where=SOLD_SQL, sqlite_where=SOLD_SQL),
        Index("ix_orders_reseller_sold", "reseller_id", "group_id", "shipped_at",
              postgresql_where=SOLD_SQL, sqlite_where=SOLD_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="new")
    channel: Mapped[str] = mapped_column(String(12))
    marketplace_ref: Mapped[str] = mapped_column(String(60), default="")
    customer_name: Mapped[str] = mapped_column(String(120))
    customer_phone: Mapped[str | None] = mapped_column(PhoneNumber)
    address: Mapped[str] = mapped_column(Text, default="")
    kecamatan: Mapped[str] = mapped_column(String(60), default="")
    kabupaten: Mapped[str] = mapped_column(String(60), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    courier: Mapped[str] = mapped_column(String(40), default="")
    courier_service: Mapped[str] = mapped_column(String(40), default="")
    shipping_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    payment: Mapped[str] = mapped_column(String(4), default="paid")
    dropship: Mapped[bool] = mapped_column(Boolean, default=True)
    ship_date: Mapped[date] = mapped_column(Date)
    tracking_number: Mapped[str] = mapped_column(String(60), default="")
    # The marketplace's shipping label attached by the reseller: a PDF stored under a
    # generated name (crm.orders.labels), and the file's own name as shown to them.
    label_filename: Mapped[str | None] = mapped_column(String(40))
    label_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    packed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines = relationship("OrderLine", order_by="OrderLine.id", back_populates="order",
                         cascade="all, delete-orphan")
    events = relationship("OrderEvent", order_by="OrderEvent.id")
    group = relationship("ProducerGroup")
    reseller = relationship("User", foreign_keys=[reseller_id])
    village = relationship("Village")

    @property
    def goods_total(self) -> int:
        """What the customer pays for the goods (retail prices at order time)."""
        return sum(line.retail_price * line.quantity for line in self.lines)

    @property
    def owed_total(self) -> int:
        """What the reseller owes the producer (reseller prices at order time)."""
        return sum(line.reseller_price * line.quantity for line in self.lines)

    @property
    def margin_total(self) -> int:
        """The reseller's earnings on this order."""
        return self.goods_total - self.owed_total

    def __repr__(self) -> str:
        return f"<Order {self.id} {self.status}>"


class OrderLine(db.Model):
    """A product and quantity of an order, with both prices as they were that day."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("reseller_price >= 0 AND retail_price >= 0", name="prices"),
        CheckConstraint("taken_from IN ('stock', 'capacity')", name="taken_from"),
        Index("ix_order_lines_product", "product_id"),
        # Covers the sums of the sales pages: no visit to the table itself.
        Index("ix_order_lines_order_figures", "order_id", "product_id", "quantity",
              "retail_price", "reseller_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    reseller_price: Mapped[int] = mapped_column(BigInteger)
    retail_price: Mapped[int] = mapped_column(BigInteger)
    # What the confirmation took for this line, so that a cancellation gives back
    # exactly that: "stock" (units from the ledger) or "capacity" (units of the
    # order's ship date); empty while nothing is taken.
    taken_from: Mapped[str | None] = mapped_column(String(8))

    order = relationship("Order", back_populates="lines")
    product = relationship("Product")

    def __repr__(self) -> str:
        return f"<OrderLine {self.id} product={self.product_id} x{self.quantity}>"


class OrderEvent(db.Model):
    """One step of an order: from which status to which, when and by whom."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<OrderEvent {self.id} {self.from_status}->{self.to_status}>"


class OrderReturn(db.Model):
    """Goods sent back after shipping, and who bears the loss.

    ``credit`` is what the reseller no longer owes the producer (the reseller price of
    the returned units) when the producer bears the loss; zero otherwise.
    """

    __tablename__ = "order_returns"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("credit >= 0", name="credit"),
        CheckConstraint(
            "reason IN ('defect', 'expired', 'damaged', 'wrong_item', 'refused_cod')",
            name="reason",
        ),
        CheckConstraint("borne_by IN ('producer', 'reseller')", name="borne_by"),
        UniqueConstraint("form_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    # Copied from the order so balances and statements filter one table.
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    quantity: Mapped[int]
    reason: Mapped[str] = mapped_column(String(12))
    borne_by: Mapped[str] = mapped_column(String(10))
    resaleable: Mapped[bool] = mapped_column(Boolean, default=False)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    line = relationship("OrderLine")

    def __repr__(self) -> str:
        return f"<OrderReturn {self.id} order={self.order_id} x{self.quantity}>"

"""Producer groups, their products, product photos and the stock ledger."""

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

GROUP_KINDS = ("food", "craft", "other")
UNITS = ("pcs", "pak", "kotak", "lusin", "kg", "gram", "paket")
CATEGORIES = ("makanan", "minuman", "kue", "kerajinan", "fashion", "lainnya")
# Food and drink: what a spending ceiling (SBM) per person for snacks and meals is about.
FOOD_CATEGORIES = ("makanan", "minuman", "kue")
# Kinds of stock movement; orders and consignment add their own later.
MOVEMENT_KINDS = (
    "production", "adjustment", "defect", "order", "cancel", "consignment_out",
    "consignment_back", "return",
)


class ProducerGroup(db.Model):
    """A home-business group whose members make the products."""

    __tablename__ = "producer_groups"
    __table_args__ = (
        UniqueConstraint("village_id", "name"),
        CheckConstraint("kind IN ('food', 'craft', 'other')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="food")
    description: Mapped[str] = mapped_column(Text, default="")
    dusun: Mapped[str] = mapped_column(String(60), default="")
    rw: Mapped[str] = mapped_column(String(3), default="")
    rt: Mapped[str] = mapped_column(String(3), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    since_year: Mapped[int | None]
    bank_name: Mapped[str] = mapped_column(String(60), default="")
    bank_account_number: Mapped[str] = mapped_column(String(30), default="")
    bank_account_name: Mapped[str] = mapped_column(String(120), default="")
    nib: Mapped[str] = mapped_column(String(20), default="")
    npwp: Mapped[str] = mapped_column(String(25), default="", server_default="")
    pirt_number: Mapped[str] = mapped_column(String(30), default="")
    halal_number: Mapped[str] = mapped_column(String(40), default="")
    halal_expires_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Turnover per month before joining MRSE: success is measured against it.
    baseline_monthly_turnover: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    village = relationship("Village")

    def __repr__(self) -> str:
        return f"<ProducerGroup {self.id} {self.name}>"


class Product(db.Model):
    """A product of a group, with its price ladder and either stock or daily capacity.

    ``stock`` is a cache of the ledger (:class:`StockMovement`), changed only by the
    stock services with a guarded UPDATE; the CHECK keeps it from going below zero.
    """

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("group_id", "name"),
        UniqueConstraint("sku"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint(
            "cost_price >= 0 AND reseller_price >= 0 AND retail_price >= 0", name="prices"
        ),
        CheckConstraint("reseller_price <= retail_price", name="reseller_below_retail"),
        CheckConstraint(
            "made_to_order = false OR daily_capacity > 0", name="capacity_for_made_to_order"
        ),
        CheckConstraint("weight_grams >= 0", name="weight"),
        CheckConstraint("claim_count >= 0", name="claim_count_not_negative"),
        Index("ix_products_village_active", "village_id", "active"),
        # The public catalogue: active products by name.
        Index("ix_products_active_name", "name", "id",
              postgresql_where=text("active IS true"), sqlite_where=text("active = 1")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), index=True)
    # Copied from the group so scoped lists and the public catalogue filter one table.
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="makanan")
    unit: Mapped[str] = mapped_column(String(10), default="pcs")
    weight_grams: Mapped[int] = mapped_column(default=0)
    cost_price: Mapped[int] = mapped_column(BigInteger, default=0)
    reseller_price: Mapped[int] = mapped_column(BigInteger)
    retail_price: Mapped[int] = mapped_column(BigInteger)
    dropship_price: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    shelf_life_days: Mapped[int | None]
    made_to_order: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_capacity: Mapped[int | None]
    stock: Mapped[int] = mapped_column(default=0)
    # Claims by resellers: how many may list it at once (None: no limit), and
    # whether the producer approves each claim first.
    claim_cap: Mapped[int | None]
    claim_needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # Open claims (pending or active), changed with a guarded UPDATE like stock so
    # concurrent claims never pass the cap.
    claim_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group = relationship("ProducerGroup")
    photos = relationship(
        "ProductPhoto", order_by="ProductPhoto.position", cascade="all, delete-orphan"
    )

    @property
    def margin(self) -> int:
        """What a reseller earns per unit: retail − reseller price."""
        return self.retail_price - self.reseller_price

    @property
    def margin_percent(self) -> int:
        """Reseller margin as a whole percentage of the retail price."""
        return round(100 * self.margin / self.retail_price) if self.retail_price else 0

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.sku}>"


class ProductPhoto(db.Model):
    """A product picture, stored under a generated name in three sizes (400, 800 and 1,200 px)."""

    __tablename__ = "product_photos"
    # At most six photos, each in its own place: concurrent uploads race for a
    # position and the database lets one win (crm.catalog.photos.MAX_PHOTOS).
    __table_args__ = (
        UniqueConstraint("product_id", "position"),
        CheckConstraint("position >= 0 AND position < 6", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ProductPhoto {self.id} {self.filename}>"


class StockMovement(db.Model):
    """One line of the stock ledger: a signed quantity and the balance after it."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint("balance_after >= 0", name="balance_not_negative"),
        # A resent form carries the same token and creates nothing new.
        UniqueConstraint("form_token"),
        Index("ix_stock_movements_product_at", "product_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]
    balance_after: Mapped[int]
    note: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<StockMovement {self.id} {self.kind} {self.quantity:+d}>"


class CapacityDay(db.Model):
    """Units of a made-to-order product promised for one day (orders and bookings).

    Changed only with a guarded UPDATE (``used + n <= capacity``), so concurrent
    confirmations never promise more than the group can make that day.
    """

    __tablename__ = "capacity_days"
    __table_args__ = (
        UniqueConstraint("product_id", "day"),
        CheckConstraint("used >= 0", name="used_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    day: Mapped[date] = mapped_column(Date)
    used: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<CapacityDay product={self.product_id} {self.day} used={self.used}>"

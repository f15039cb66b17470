"""The order inbox's tables: uploaded exports, the column maps and product choices a
reseller made once and the app remembers, and the marketplace orders already imported."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db


class ImportBatch(db.Model):
    """One uploaded export file: kept under a generated name, read again for its
    preview and its saving. ``saved_at`` is set once its orders are saved; a file
    with the same bytes (``sha256``) is then refused."""

    __tablename__ = "inbox_batches"
    __table_args__ = (Index("ix_inbox_batches_reseller_sha256", "reseller_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    # The column map used (crm.inbox.records.ColumnMap as a dict); empty until known.
    column_map: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reseller = relationship("User")

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.filename!r}>"


class RememberedColumns(db.Model):
    """Which column is what, as a reseller chose it for a file whose headers matched
    no known layout; used again for their next file with the same headers
    (``signature``: a hash of the normalised headers)."""

    __tablename__ = "inbox_column_choices"
    __table_args__ = (UniqueConstraint("reseller_id", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signature: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(12))
    # field → header text
    choice: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RememberedProduct(db.Model):
    """The product a reseller picked for a marketplace product the app could not match
    (by its name and SKU in that marketplace's files)."""

    __tablename__ = "inbox_product_choices"
    __table_args__ = (UniqueConstraint("reseller_id", "marketplace", "product_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marketplace: Mapped[str] = mapped_column(String(12))
    product_key: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportedOrder(db.Model):
    """A marketplace order imported for a reseller. Inserted in the saving's
    transaction before its orders: the unique constraint stops a second save of the
    same order, even one running at the same moment."""

    __tablename__ = "inbox_imported_orders"
    __table_args__ = (UniqueConstraint("reseller_id", "channel", "order_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(12))
    order_ref: Mapped[str] = mapped_column(String(60))
    batch_id: Mapped[int] = mapped_column(ForeignKey("inbox_batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

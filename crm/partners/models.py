"""Institutional partners and their partnerships with producer groups."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import PhoneNumber, UTCDateTime, utcnow
from crm.extensions import db

PARTNER_KINDS = ("pemdes", "kecamatan", "kabupaten", "provinsi", "swasta", "bumdes", "other")


class Partner(db.Model):
    """An institution (Pemerintah Desa, Kecamatan, a firm …) that partners with groups."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("village_id", "name"),
        CheckConstraint(
            "kind IN ('pemdes', 'kecamatan', 'kabupaten', 'provinsi', 'swasta', 'bumdes', "
            "'other')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(12), default="pemdes")
    unit: Mapped[str] = mapped_column(String(160), default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contact_position: Mapped[str] = mapped_column(String(120), default="", server_default="")
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    email: Mapped[str | None] = mapped_column(String(120))
    npwp: Mapped[str] = mapped_column(String(25), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    village = relationship("Village")

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name}>"


PARTNERSHIP_STATUSES = ("proposed", "active", "ended")

partnership_groups = Table(
    "partnership_groups",
    db.metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"),
           primary_key=True),
    Column("group_id", ForeignKey("producer_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Partnership(db.Model):
    """An agreement between a partner and one or more producer groups."""

    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'active', 'ended')", name="status"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    price_terms: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partner = relationship("Partner")
    village = relationship("Village")
    groups = relationship("ProducerGroup", secondary=partnership_groups,
                          order_by="ProducerGroup.name")

    def __repr__(self) -> str:
        return f"<Partnership {self.id} {self.status}>"

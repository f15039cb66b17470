"""Monthly sales summaries, brought up to date as orders ship (see
:mod:`crm.reports.summaries`), so that sales pages and the export read a few hundred
or thousand rows instead of every order line of the period.

A month is the month of ``Order.shipped_at`` in WIB, as everywhere in the reports.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db

_FIGURES_CHECK = "orders >= 0 AND quantity >= 0 AND omzet >= 0 AND producer >= 0"


class _Figures:
    """What every summary row holds besides its key: the village (for the officers'
    scope) and figures that add up: orders, units, what customers paid (omzet) and
    the group's share."""

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    orders: Mapped[int] = mapped_column(default=0)
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    omzet: Mapped[int] = mapped_column(BigInteger, default=0)
    producer: Mapped[int] = mapped_column(BigInteger, default=0)


class SalesMonth(_Figures, db.Model):
    """Shipped orders of one reseller for one group through one channel in a month:
    how many orders, units, what customers paid (omzet) and the group's share."""

    __tablename__ = "sales_months"
    __table_args__ = (
        CheckConstraint(_FIGURES_CHECK, name="figures"),
        Index("ix_sales_months_village_month", "village_id", "month"),
        Index("ix_sales_months_reseller_month", "reseller_id", "month"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)


class ProductSalesMonth(_Figures, db.Model):
    """Shipped units of one product in a month: orders holding it, units and money."""

    __tablename__ = "product_sales_months"
    __table_args__ = (
        CheckConstraint(_FIGURES_CHECK, name="figures"),
        Index("ix_product_sales_months_village_month", "village_id", "month"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)


class ResellerProductMonth(_Figures, db.Model):
    """Shipped units of one product sold by one reseller in a month (the export's
    month × reseller × product rows, a reseller's sales per product)."""

    __tablename__ = "reseller_product_months"
    __table_args__ = (
        CheckConstraint(_FIGURES_CHECK, name="figures"),
        Index("ix_reseller_product_months_village_month", "village_id", "month"),
        Index("ix_reseller_product_months_reseller_month", "reseller_id", "month"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)


class GroupSalesMonth(_Figures, db.Model):
    """Shipped orders of one group in a month, every reseller, channel and product
    together (the Kecamatan and Kabupaten view reads a row per group and month)."""

    __tablename__ = "group_sales_months"
    __table_args__ = (
        CheckConstraint(_FIGURES_CHECK, name="figures"),
        Index("ix_group_sales_months_village_month", "village_id", "month"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)


class VillageResellerMonth(db.Model):
    """Shipped orders of one reseller in one village in a month, every group and
    channel together: who sold in a village over a period without reading a row per
    group and channel."""

    __tablename__ = "village_reseller_months"
    __table_args__ = (CheckConstraint("orders >= 0", name="orders"),)

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    orders: Mapped[int] = mapped_column(default=0)


# Where a group sells outside the MRSE channels: at home or directly, at the market,
# elsewhere.
OTHER_SALE_CHANNELS = ("direct", "market", "other")


class OtherSale(db.Model):
    """Sales the group recorded itself outside the MRSE channels (at home, at the
    market …): a day's or a whole month's total. With the MRSE channels they make the
    group's whole turnover, the figure the study compares with the turnover before
    MRSE. A ledger: entries are added, never changed."""

    __tablename__ = "other_sales"
    __table_args__ = (
        CheckConstraint("amount > 0 AND amount <= 1000000000000", name="amount"),
        CheckConstraint("channel IN ('direct', 'market', 'other')", name="channel"),
        UniqueConstraint("form_token"),
        Index("ix_other_sales_group_month", "group_id", "month"),
        Index("ix_other_sales_village_month", "village_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    # The first day of the month the sales count in (WIB, like every report month).
    month: Mapped[date] = mapped_column(Date)
    # The day sold; for a month's total (``whole_month``) the month's first day.
    sold_on: Mapped[date] = mapped_column(Date)
    whole_month: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group = relationship("ProducerGroup")

    def __repr__(self) -> str:
        return f"<OtherSale {self.id} {self.group_id} {self.sold_on} {self.amount}>"

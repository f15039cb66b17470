"""Monthly sales summaries, kept up to date as orders ship (see
:mod:`crm.reports.summaries`), so that sales pages and the export read a few hundred
or thousand rows instead of every order line of the period.

A month is the month of ``Order.shipped_at`` in WIB, as everywhere in the reports.
"""

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

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

"""Reseller payments to producer groups, and the running totals of each pair."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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

PAYMENT_STATUSES = ("submitted", "confirmed", "rejected")


class ResellerPayment(db.Model):
    """Money a reseller sent a producer group for shipped goods, confirmed by the group."""

    __tablename__ = "reseller_payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("status IN ('submitted', 'confirmed', 'rejected')", name="status"),
        UniqueConstraint("form_token"),
        Index("ix_reseller_payments_pair", "reseller_id", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(80), default="")
    proof_filename: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    note: Mapped[str] = mapped_column(String(300), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reseller = relationship("User", foreign_keys=[reseller_id])
    group = relationship("ProducerGroup")

    def __repr__(self) -> str:
        return f"<ResellerPayment {self.id} {self.amount} {self.status}>"


class PairTotal(db.Model):
    """Running totals of one (reseller, group) pair, brought up to date by every step that
    moves money between them (see :mod:`crm.settlements.pair_totals`), so that balance
    lists never sum the whole history.

    ``orders`` counts the pair's orders that are not cancelled, ``returns`` and
    ``payments`` every return and payment: a pair is listed while any is above zero.
    """

    __tablename__ = "pair_totals"
    __table_args__ = (
        CheckConstraint("orders >= 0 AND returns >= 0 AND payments >= 0", name="counts"),
        CheckConstraint("shipped >= 0 AND credited >= 0 AND paid >= 0 AND waiting >= 0",
                        name="amounts"),
        Index("ix_pair_totals_group", "group_id"),
        Index("ix_pair_totals_village", "village_id"),
    )

    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    orders: Mapped[int] = mapped_column(default=0)
    returns: Mapped[int] = mapped_column(default=0)
    payments: Mapped[int] = mapped_column(default=0)
    shipped: Mapped[int] = mapped_column(BigInteger, default=0)
    credited: Mapped[int] = mapped_column(BigInteger, default=0)
    paid: Mapped[int] = mapped_column(BigInteger, default=0)
    waiting: Mapped[int] = mapped_column(BigInteger, default=0)

    reseller = relationship("User", foreign_keys=[reseller_id])
    group = relationship("ProducerGroup")

    def __repr__(self) -> str:
        return f"<PairTotal reseller={self.reseller_id} group={self.group_id}>"

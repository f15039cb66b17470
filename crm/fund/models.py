"""A group's fund rule and the fund ledger (contributions and disbursements)."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db

# Disbursement requests waiting for an officer (the partial index of the counts).
WAITING_SQL = text("kind = 'disbursement' AND status = 'requested'")

FUND_MODES = ("percent", "fixed")
# Where a contribution comes from: a finished order, a paid catering booking, a
# consignment visit's sales, or the fixed amount of a month.
CONTRIBUTION_SOURCES = ("order", "booking", "consignment", "fixed")
DISBURSEMENT_PURPOSES = ("poor_families", "orphans", "public_facility", "emergency_member",
                         "other")
ENTRY_KINDS = ("contribution", "disbursement")
DISBURSEMENT_STATUSES = ("requested", "approved", "rejected")


class FundRule(db.Model):
    """How much of its revenue a group sets aside: a percentage (basis points, 250 =
    2,5 %) of each sale, or a fixed amount per month."""

    __tablename__ = "fund_rules"
    __table_args__ = (
        UniqueConstraint("group_id"),
        CheckConstraint("mode IN ('percent', 'fixed')", name="mode"),
        CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_bp"),
        CheckConstraint("fixed_amount >= 0", name="fixed_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    mode: Mapped[str] = mapped_column(String(8), default="percent")
    rate_bp: Mapped[int] = mapped_column(default=0)
    fixed_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Contributions accrue from this day on.
    starts_on: Mapped[date] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group = relationship("ProducerGroup")

    def __repr__(self) -> str:
        return f"<FundRule group={self.group_id} {self.mode}>"


class FundEntry(db.Model):
    """A line of a group's fund ledger.

    Contributions are written by the system when revenue comes in, once per source
    record (the unique key); disbursements are requested by the group and count only
    once the officer approves them. Balance = contributions − approved disbursements.
    """

    __tablename__ = "fund_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('contribution', 'disbursement')", name="kind"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint(
            "kind = 'disbursement' OR (source IN ('order', 'booking', 'consignment', "
            "'fixed') AND source_id IS NOT NULL)",
            name="contribution_source",
        ),
        CheckConstraint(
            "kind = 'contribution' OR (status IN ('requested', 'approved', 'rejected') "
            "AND purpose IN ('poor_families', 'orphans', 'public_facility', "
            "'emergency_member', 'other'))",
            name="disbursement_fields",
        ),
        # One contribution per source record (a finished order, a paid booking, a
        # visit, a month of the fixed amount), however often the hook runs.
        UniqueConstraint("group_id", "source", "source_id"),
        UniqueConstraint("form_token"),
        # The ledger by date; balances and running balances read this index alone.
        Index("ix_fund_entries_group_ledger", "group_id", "occurred_on", "id", "kind",
              "status", "amount"),
        # Waiting requests are counted from a small index.
        Index("ix_fund_entries_village_waiting", "village_id",
              postgresql_where=WAITING_SQL, sqlite_where=WAITING_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(BigInteger)
    occurred_on: Mapped[date] = mapped_column(Date)
    # Contributions: the source record, the revenue and the rate it was taken from.
    source: Mapped[str | None] = mapped_column(String(12))
    source_id: Mapped[int | None]
    revenue: Mapped[int | None] = mapped_column(BigInteger)
    rate_bp: Mapped[int | None]
    # Disbursements: purpose, recipient, and the officer's decision.
    purpose: Mapped[str | None] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(160), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(10))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group = relationship("ProducerGroup")
    created_by = relationship("User", foreign_keys=[created_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<FundEntry {self.id} {self.kind} {self.amount}>"


class FundBalance(db.Model):
    """A group's fund balance (contributions − approved disbursements) and its
    disbursement requests waiting for an officer, kept by the steps that write the
    ledger (:mod:`crm.fund.balances`) so that pages over many villages need not sum
    every ledger line of all time."""

    __tablename__ = "fund_balances"
    __table_args__ = (CheckConstraint("waiting >= 0", name="waiting"),)

    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    waiting: Mapped[int] = mapped_column(default=0)

"""Capital proposals, their budget lines (RAB), attachment checklist and history."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
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

FUNDER_KINDS = (
    "dana_desa", "kecamatan", "dinas_koperasi", "provinsi", "csr", "bumdes", "kur",
)
KUR_SCHEMES = ("super_mikro", "mikro", "kecil")
PROPOSAL_STATUSES = (
    "draft", "submitted", "revision", "endorsed", "sent", "approved", "rejected",
    "disbursed", "reported",
)
# Attachments and permits a funder asks for.
CHECKLIST_KEYS = (
    "nib_or_sku", "pirt", "halal", "ktp_officers", "village_decree", "officer_structure",
    "photos", "npwp",
)


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Proposal(db.Model):
    """A group's request for capital to a funder, drafted by the group (helped by the
    officer), endorsed by the officer with a letter from the village, then sent."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(_in("status", PROPOSAL_STATUSES), name="status"),
        CheckConstraint(_in("funder_kind", FUNDER_KINDS), name="funder_kind"),
        CheckConstraint(f"kur_scheme IS NULL OR {_in('kur_scheme', KUR_SCHEMES)}",
                        name="kur_scheme"),
        CheckConstraint("requested_amount >= 0", name="requested_amount"),
        CheckConstraint("approved_amount IS NULL OR approved_amount >= 0",
                        name="approved_amount"),
        CheckConstraint("disbursed_amount IS NULL OR disbursed_amount >= 0",
                        name="disbursed_amount"),
        CheckConstraint("evidence_months BETWEEN 6 AND 12", name="evidence_months"),
        UniqueConstraint("form_token"),
        Index("ix_proposals_village_status", "village_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("producer_groups.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    funder_kind: Mapped[str] = mapped_column(String(16), default="dinas_koperasi")
    funder_name: Mapped[str] = mapped_column(String(200), default="")
    funder_address: Mapped[str] = mapped_column(Text, default="")
    kur_scheme: Mapped[str | None] = mapped_column(String(12))
    background: Mapped[str] = mapped_column(Text, default="")
    aims: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    requested_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # The group's officers as they sign the proposal.
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    secretary_name: Mapped[str] = mapped_column(String(120), default="")
    treasurer_name: Mapped[str] = mapped_column(String(120), default="")
    # How many months of sales the evidence section shows.
    evidence_months: Mapped[int] = mapped_column(default=12)
    # The officer's last comment (when returning for revision or endorsing).
    officer_comment: Mapped[str] = mapped_column(Text, default="")
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger)
    # Accountability report (laporan pertanggungjawaban) after disbursement.
    report: Mapped[str] = mapped_column(Text, default="")
    form_token: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endorsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disbursed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group = relationship("ProducerGroup")
    village = relationship("Village")
    budget_lines = relationship("BudgetLine", back_populates="proposal",
                                order_by="BudgetLine.position, BudgetLine.id",
                                cascade="all, delete-orphan")
    checklist = relationship("ChecklistItem", back_populates="proposal",
                             order_by="ChecklistItem.id", cascade="all, delete-orphan")
    steps = relationship("ProposalStep", back_populates="proposal",
                         order_by="ProposalStep.id", cascade="all, delete-orphan")

    @property
    def budget_total(self) -> int:
        """Sum of the RAB lines in whole rupiah."""
        return sum(line.total for line in self.budget_lines)

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"


class BudgetLine(db.Model):
    """A line of the budget (RAB): item, volume and unit, unit price; total = volume ×
    unit price, exact in whole rupiah."""

    __tablename__ = "proposal_budget_lines"
    __table_args__ = (
        CheckConstraint("volume > 0", name="volume"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    item: Mapped[str] = mapped_column(String(200))
    volume: Mapped[int]
    unit: Mapped[str] = mapped_column(String(30), default="")
    unit_price: Mapped[int] = mapped_column(BigInteger)

    proposal = relationship("Proposal", back_populates="budget_lines")

    @property
    def total(self) -> int:
        return self.volume * self.unit_price

    def __repr__(self) -> str:
        return f"<BudgetLine {self.id} {self.item!r}>"


class ChecklistItem(db.Model):
    """One attachment or permit of a proposal and whether the group has it."""

    __tablename__ = "proposal_checklist_items"
    __table_args__ = (
        UniqueConstraint("proposal_id", "key"),
        CheckConstraint(_in("key", CHECKLIST_KEYS), name="key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    # Not asked for by this funder (e.g. halal for a craft group, NPWP below 50 juta).
    not_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(200), default="")

    proposal = relationship("Proposal", back_populates="checklist")

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.key} {self.present}>"


class ProposalStep(db.Model):
    """A step of the workflow: who moved the proposal from which status to which,
    with the comment (e.g. what to revise)."""

    __tablename__ = "proposal_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal = relationship("Proposal", back_populates="steps")
    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<ProposalStep {self.from_status}->{self.to_status}>"

"""Reseller profiles, their onboarding and their claims on products."""

import base64
import secrets
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db.types import PhoneNumber, UTCDateTime, utcnow
from crm.extensions import db

# The MRSE reseller path, in order (from the Katapang study).
STAGES = ("socialisation", "tools", "operation", "segmentation", "independent")
# Where a reseller lists products; the shop link columns follow these codes.
CHANNELS = (
    "shopee", "tokopedia", "tiktok", "facebook", "instagram", "whatsapp", "website", "other",
)
CLAIM_STATUSES = ("pending", "active", "rejected", "withdrawn", "ended")
# Claims that hold one of the product's places (see Product.claim_count).
OPEN_CLAIM_STATUSES = ("pending", "active")
# Random bytes of a public link (/katalog/r/<slug>): 80 bits, far past counting.
PUBLIC_SLUG_BYTES = 10
PUBLIC_SLUG_MAX = 32


def new_public_slug() -> str:
    """A fresh public link slug: 16 lowercase letters and digits (base32 of 80 random
    bits), unrelated to the reseller's name or code."""
    return base64.b32encode(secrets.token_bytes(PUBLIC_SLUG_BYTES)).decode().lower()


class ResellerProfile(db.Model):
    """A youth reseller's shop details, personal code and onboarding stage."""

    __tablename__ = "reseller_profiles"
    __table_args__ = (
        CheckConstraint(
            "stage IN ('socialisation', 'tools', 'operation', 'segmentation', 'independent')",
            name="stage",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    # Short internal code from the initials (officers' lists, file names). Not public:
    # it can be guessed by counting.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # The reseller's contact for the group and officers (never shown publicly).
    whatsapp: Mapped[str | None] = mapped_column(PhoneNumber)
    # The public page /katalog/r/<public_slug>: off until the reseller switches it on;
    # the slug is random and can be renewed (the old link then stops working).
    public_page: Mapped[bool] = mapped_column(Boolean, default=False,
                                              server_default=false())
    public_slug: Mapped[str] = mapped_column(String(PUBLIC_SLUG_MAX), unique=True,
                                             default=new_public_slug)
    # The number buyers of the public page call: only one the reseller typed there.
    public_whatsapp: Mapped[str | None] = mapped_column(PhoneNumber)
    karang_taruna: Mapped[bool] = mapped_column(Boolean, default=False)
    shopee_url: Mapped[str] = mapped_column(String(300), default="")
    tokopedia_url: Mapped[str] = mapped_column(String(300), default="")
    facebook_url: Mapped[str] = mapped_column(String(300), default="")
    instagram_url: Mapped[str] = mapped_column(String(300), default="")
    whatsapp_business: Mapped[str] = mapped_column(String(300), default="")
    other_url: Mapped[str] = mapped_column(String(300), default="")
    stage: Mapped[str] = mapped_column(String(20), default="socialisation")
    stage_since: Mapped[date] = mapped_column(Date, default=date.today)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_mentored_on: Mapped[date | None] = mapped_column(Date)
    next_mentoring_on: Mapped[date | None] = mapped_column(Date)
    mentoring_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    mentor = relationship("User", foreign_keys=[mentor_id])
    village = relationship("Village")

    def __repr__(self) -> str:
        return f"<ResellerProfile {self.id} {self.code}>"


class StageChange(db.Model):
    """One step on a reseller's onboarding path: when, which stage, with whom."""

    __tablename__ = "reseller_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("reseller_profiles.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor = relationship("User", foreign_keys=[mentor_id])

    def __repr__(self) -> str:
        return f"<StageChange {self.id} {self.stage} {self.on_date}>"


class Claim(db.Model):
    """A reseller's claim to list a product on their channels."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'active', 'rejected', 'withdrawn', 'ended')", name="status"
        ),
        # One open claim per reseller and product, even under concurrent requests.
        Index(
            "uq_claims_open_per_reseller", "product_id", "reseller_id", unique=True,
            sqlite_where=text("status IN ('pending', 'active')"),
            postgresql_where=text("status IN ('pending', 'active')"),
        ),
        Index("ix_claims_reseller_status", "reseller_id", "status"),
        Index("ix_claims_product_status", "product_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    reseller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    # Channel codes separated by commas, e.g. "shopee,whatsapp".
    channels: Mapped[str] = mapped_column(String(120), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product = relationship("Product")
    reseller = relationship("User", foreign_keys=[reseller_id])

    @property
    def channel_list(self) -> list[str]:
        """The claim's channels as a list of codes."""
        return [c for c in self.channels.split(",") if c]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLAIM_STATUSES

    def __repr__(self) -> str:
        return f"<Claim {self.id} product={self.product_id} {self.status}>"

"""User accounts and the villages assigned to officers."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from crm.db.types import PhoneNumber, UTCDateTime, utcnow
from crm.extensions import db
from crm.villages.models import Village
from crm.web.i18n import lazy_gettext as _l


class Role(StrEnum):
    """What a user is in the MRSE model."""

    OFFICER = "officer"
    PRODUCER = "producer"
    RESELLER = "reseller"
    PARTNER = "partner"
    # The installation's administrator: sets up villages and officers, and has no
    # village records of their own (crm.setup).
    ADMIN = "admin"


ROLE_LABELS = {
    Role.OFFICER: _l("Petugas desa"),
    Role.PRODUCER: _l("Produsen"),
    Role.RESELLER: _l("Reseller"),
    Role.PARTNER: _l("Mitra lembaga"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role: str) -> str:
    """The role's name in the page's language."""
    return str(ROLE_LABELS[Role(role)])


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the user."""
    return secrets.token_urlsafe(24)


officer_villages = Table(
    "officer_villages",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("village_id", ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True),
)


class OfficerArea(db.Model):
    """A Kecamatan or Kabupaten in an officer's scope, by the leading part of the
    Kemendagri village code: "32.04" is a Kabupaten, "32.04.11" a Kecamatan. The
    officer sees every village whose code starts with it, including villages set up
    later (crm.auth.permissions.visible_village_ids)."""

    __tablename__ = "officer_areas"
    __table_args__ = (
        CheckConstraint("length(region_code) IN (5, 8)", name="region_code_length"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(String(8), primary_key=True)

    @property
    def is_kabupaten(self) -> bool:
        return len(self.region_code) == 5

    def __repr__(self) -> str:
        return f"<OfficerArea {self.user_id} {self.region_code}>"


class User(UserMixin, db.Model):
    """A person who signs in: officer, producer, reseller or partner contact."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('officer', 'producer', 'reseller', 'partner', 'admin')", name="role"
        ),
        # Producers belong to a group, partner contacts to an institution, everyone
        # but officers and administrators to a home village (officers are assigned
        # villages and areas instead).
        CheckConstraint(
            "(role <> 'producer' OR group_id IS NOT NULL) "
            "AND (role <> 'partner' OR partner_id IS NOT NULL) "
            "AND (role IN ('officer', 'admin') OR village_id IS NOT NULL)",
            name="role_links",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    phone: Mapped[str | None] = mapped_column(PhoneNumber, unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("producer_groups.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A one-time first sign-in link (crm.auth.first_sign_in): the SHA-256 of its
    # token, and when it stops working.
    first_sign_in_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    first_sign_in_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    home_village = relationship("Village", foreign_keys=[village_id])
    # The home village's time zone (times on the user's pages are shown in it): read
    # with the signed-in user, without loading the village (crm.auth.sessions).
    village_timezone: Mapped[str | None] = column_property(
        select(Village.timezone).where(Village.id == village_id).scalar_subquery(),
        deferred=True,
    )
    assigned_villages = relationship(
        "Village", secondary=officer_villages, order_by="Village.name"
    )
    areas = relationship(
        "OfficerArea", order_by="OfficerArea.region_code", cascade="all, delete-orphan"
    )
    group = relationship("ProducerGroup")
    partner = relationship("Partner")

    def get_id(self) -> str:
        """Session id: the user id and the current session token, so that a token
        change (logout, password change) makes every copied cookie worthless."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username} {self.role}>"


class SignInThrottle(db.Model):
    """Failed password checks counted under one key (a login from one address, an
    address, a login from anywhere, a known device, a password change) in a window
    of time that starts at the first failure (crm.auth.throttle).

    The key is a SHA-256 of what it counts, so the table holds no login names,
    phone numbers or addresses."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"<SignInThrottle {self.key[:8]} {self.failures}>"

"""The village: every record of the CRM belongs to one."""

import re
from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db.types import PhoneNumber, UTCDateTime, utcnow
from crm.extensions import db
from crm.villages.addresses import village_name

# Kemendagri region code PP.KK.CC.DDDD; the village part starts with 1 (kelurahan)
# or 2 (desa).
REGION_CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$")
LETTER_CODE_RE = re.compile(r"^[A-Z]{2,8}$")


class Village(db.Model):
    """A desa or kelurahan, with the letterhead used on its documents."""

    __tablename__ = "villages"
    __table_args__ = (CheckConstraint("length(code) = 13", name="code_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kecamatan: Mapped[str] = mapped_column(String(100))
    kabupaten: Mapped[str] = mapped_column(String(100))
    provinsi: Mapped[str] = mapped_column(String(100))
    # Short code used in letter numbers, e.g. 007/PKS/KTP/XI/2026.
    letter_code: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    # Letterhead (kop surat).
    institution_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    email: Mapped[str | None] = mapped_column(String(120))
    logo_filename: Mapped[str | None] = mapped_column(String(80))
    head_name: Mapped[str] = mapped_column(String(120), default="")
    head_title: Mapped[str] = mapped_column(String(60), default="Kepala Desa")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    @property
    def is_kelurahan(self) -> bool:
        """Kelurahan codes have 1 as the first digit of the village part."""
        return self.code[9] == "1"

    @property
    def display_name(self) -> str:
        return village_name(self.name, self.is_kelurahan)

    def __repr__(self) -> str:
        return f"<Village {self.code} {self.name}>"

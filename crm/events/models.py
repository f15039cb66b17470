"""Institutional partners (government offices, firms) that order for their events."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.dbtypes import UTCDateTime, utcnow
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    village = relationship("Village")

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name}>"

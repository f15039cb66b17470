"""Uploaded import files: kept in the database from the upload to the saving, so the
preview and the saving read the same file on any app server."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db


class SheetImport(db.Model):
    """One uploaded file of one kind for one village. ``data`` is the file itself,
    read again for the preview and at the saving (and dropped once saved);
    ``saved_at`` is set once, by a guarded UPDATE. The counts are what the saving
    did; ``accounts`` the ids of the accounts it opened."""

    __tablename__ = "sheet_imports"
    __table_args__ = (
        CheckConstraint("kind IN ('kelompok', 'reseller', 'produk', 'warung')", name="kind"),
        Index("ix_sheet_imports_village_id", "village_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(12))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    accounts: Mapped[list] = mapped_column(JSON, default=list)

    village = relationship("Village")
    officer = relationship("User")

    def __repr__(self) -> str:
        return f"<SheetImport {self.id} {self.kind} {self.filename!r}>"

"""Letter numbers: a counter per village, document kind and year, and the numbers
given out, so that a document keeps its number when it is printed again."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db


class DocumentCounter(db.Model):
    """The last sequence number used for a kind of document in a village and year."""

    __tablename__ = "document_counters"
    __table_args__ = (
        UniqueConstraint("village_id", "kind", "year"),
        CheckConstraint("last >= 0", name="last"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<DocumentCounter {self.village_id} {self.kind} {self.year} {self.last}>"


class IssuedDocument(db.Model):
    """A number given to one document about one record (e.g. the PKS of a partnership)."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        # Numbers are unique within a village: two villages may share a letter code.
        UniqueConstraint("village_id", "number"),
        UniqueConstraint("kind", "subject", "subject_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int]
    year: Mapped[int]
    # What the document is about: "partnership" or "booking", and its id; group_id
    # for documents each producer group issues for its own part of a booking.
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("producer_groups.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<IssuedDocument {self.number}>"

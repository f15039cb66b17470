"""The installation: one row, written when the first administrator is made."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm.db.types import UTCDateTime, utcnow
from crm.extensions import db

# The installation row's fixed key: a second first-run insert of it is refused by the
# primary key, whichever request comes second.
INSTALLATION_ID = 1


class Installation(db.Model):
    """That the first-run page was used, when and by whom (one row at most)."""

    __tablename__ = "installation"
    __table_args__ = (CheckConstraint(f"id = {INSTALLATION_ID}", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    first_admin_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    set_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Installation {self.set_up_at:%Y-%m-%d} admin {self.first_admin_id}>"

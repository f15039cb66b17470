"""phone numbers already stored are normalised to 62… digits

Every phone column now normalises what is written (crm.db.types.PhoneNumber); rows
written before, by the demo, services or the CLI, may hold a number as it was typed
("081200000501"), which wa.me cannot open. Each is rewritten in its stored form; a
value that is not a phone number, or (users.phone is unique) the same number as
another account's, is set to NULL and logged with its table and row id.

Revision ID: fab08c3edc73
Revises: 3b7d2e91c4af
Create Date: 2026-12-06 09:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op

from crm.text.phones import PhoneError, stored_phone

# revision identifiers, used by Alembic.
revision = 'fab08c3edc73'
down_revision = '3b7d2e91c4af'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# (table, column, unique): every phone column of the models.
PHONE_COLUMNS = (
    ("users", "phone", True),
    ("villages", "phone", False),
    ("producer_groups", "phone", False),
    ("outlets", "phone", False),
    ("partners", "phone", False),
    ("orders", "customer_phone", False),
    ("reseller_profiles", "whatsapp", False),
)


def _stored(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        return stored_phone(value)
    except PhoneError:
        return None


def _normalise(table: str, column: str, unique: bool) -> None:
    conn = op.get_bind()
    rows_table = sa.table(table, sa.column("id"), sa.column(column, sa.String(20)))
    phone = rows_table.c[column]
    rows = conn.execute(sa.select(rows_table.c.id, phone).where(phone.is_not(None))
                        .order_by(rows_table.c.id)).all()
    wanted = {row_id: _stored(value) for row_id, value in rows}
    changes = {row_id: new for row_id, value in rows
               if (new := wanted[row_id]) != value}
    if unique:
        # Numbers already in their stored form keep their row; a second row with the
        # same number (typed differently) loses it.
        taken = {value for row_id, value in rows if row_id not in changes}
        for row_id, new in sorted(changes.items()):
            if new is not None and new in taken:
                log.warning("%s.%s of row %s: %s is another row's number; set to NULL",
                            table, column, row_id, new)
                changes[row_id] = None
            elif new is not None:
                taken.add(new)
    for row_id in changes:
        if wanted[row_id] is None:
            log.warning("%s.%s of row %s is not a phone number; set to NULL",
                        table, column, row_id)
    # NULLs first, so that no number is briefly held by two rows of a unique column.
    for row_id, new in sorted(changes.items(), key=lambda item: item[1] is not None):
        conn.execute(rows_table.update().where(rows_table.c.id == row_id)
                     .values({column: new}))


def upgrade():
    for table, column, unique in PHONE_COLUMNS:
        _normalise(table, column, unique)


def downgrade():
    # The stored form is what every release reads; the typed forms are not kept.
    pass

"""users: drop failed_logins and locked_until (sign-in throttling counts failures in
sign_in_throttles)

SQLite alters a table by copying it into a new one and dropping the old. With foreign
keys on, dropping ``users`` would first delete its rows, and with them every
``officer_villages`` row (ON DELETE CASCADE), or fail on the other references. So on
SQLite foreign keys are off while ``users`` is copied, and checked afterwards. The
pragma takes effect only outside a transaction: it is set in an autocommit block,
which commits what came before.

Revision ID: 82e08afc2571
Revises: 12ae0f37a654
Create Date: 2026-12-06 10:10:00

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '82e08afc2571'
down_revision = '12ae0f37a654'
branch_labels = None
depends_on = None


@contextmanager
def _users_copied_safely():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    _sqlite_foreign_keys("OFF")
    try:
        yield
    finally:
        _sqlite_foreign_keys("ON")
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the copy of users: {broken[:5]}")


def _sqlite_foreign_keys(state: str) -> None:
    with op.get_context().autocommit_block():
        op.execute(f"PRAGMA foreign_keys={state}")


def upgrade():
    with _users_copied_safely(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_failed_logins'), type_='check')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade():
    with _users_copied_safely():
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                          server_default='0'))
            batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
            batch_op.create_check_constraint(batch_op.f('ck_users_failed_logins'),
                                             'failed_logins >= 0')
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.alter_column('failed_logins', server_default=None)

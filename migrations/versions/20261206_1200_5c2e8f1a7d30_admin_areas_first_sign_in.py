"""users: an administrator role, officers' Kecamatan/Kabupaten areas, and first
sign-in links

SQLite alters ``users`` by copying it into a new table and dropping the old. With
foreign keys on, dropping ``users`` would first delete the rows that reference it
(ON DELETE CASCADE), so foreign keys are off while the table is copied and checked
afterwards. The pragma works only outside a transaction: it is set in an autocommit
block.

Revision ID: 5c2e8f1a7d30
Revises: 3b7d5e1c9a24
Create Date: 2026-12-06 12:00:00

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c2e8f1a7d30'
down_revision = '3b7d5e1c9a24'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('officer', 'producer', 'reseller', 'partner')"
ROLES_AFTER = "role IN ('officer', 'producer', 'reseller', 'partner', 'admin')"
LINKS_BEFORE = ("(role <> 'producer' OR group_id IS NOT NULL) "
                "AND (role <> 'partner' OR partner_id IS NOT NULL) "
                "AND (role = 'officer' OR village_id IS NOT NULL)")
LINKS_AFTER = ("(role <> 'producer' OR group_id IS NOT NULL) "
               "AND (role <> 'partner' OR partner_id IS NOT NULL) "
               "AND (role IN ('officer', 'admin') OR village_id IS NOT NULL)")


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


def _user_constraints(roles: str, links: str) -> None:
    with _users_copied_safely(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_users_role_links'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role'), roles)
        batch_op.create_check_constraint(batch_op.f('ck_users_role_links'), links)
        if roles == ROLES_AFTER:
            batch_op.add_column(sa.Column('first_sign_in_hash', sa.String(length=64),
                                          nullable=True))
            batch_op.add_column(sa.Column('first_sign_in_expires_at', sa.DateTime(),
                                          nullable=True))
            batch_op.create_unique_constraint(batch_op.f('uq_users_first_sign_in_hash'),
                                              ['first_sign_in_hash'])
        else:
            batch_op.drop_constraint(batch_op.f('uq_users_first_sign_in_hash'), type_='unique')
            batch_op.drop_column('first_sign_in_expires_at')
            batch_op.drop_column('first_sign_in_hash')


def upgrade():
    op.create_table(
        'officer_areas',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=8), nullable=False),
        sa.CheckConstraint('length(region_code) IN (5, 8)',
                           name=op.f('ck_officer_areas_region_code_length')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_officer_areas_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'region_code', name=op.f('pk_officer_areas')),
    )
    _user_constraints(ROLES_AFTER, LINKS_AFTER)


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'admin'")
    _user_constraints(ROLES_BEFORE, LINKS_BEFORE)
    op.drop_table('officer_areas')

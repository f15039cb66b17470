"""the installation: one row written by the first-run page with the first administrator

Revision ID: 5e7a1c3d9b60
Revises: 5c2e8f1a7d30
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a1c3d9b60'
down_revision = '5c2e8f1a7d30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'installation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('first_admin_id', sa.Integer(), nullable=True),
        sa.Column('set_up_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_installation_one_row')),
        sa.ForeignKeyConstraint(['first_admin_id'], ['users.id'],
                                name=op.f('fk_installation_first_admin_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_installation')),
    )


def downgrade():
    op.drop_table('installation')

"""sheet imports: uploaded lists of groups and members, resellers, products and
warung, kept from the upload to the saving

Revision ID: 9e4c2a7b5d13
Revises: 5e7a1c3d9b60
Create Date: 2026-12-06 12:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4c2a7b5d13'
down_revision = '5e7a1c3d9b60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sheet_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=True),
    sa.Column('new_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('accounts', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('kelompok', 'reseller', 'produk', 'warung')", name=op.f('ck_sheet_imports_kind')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_sheet_imports_officer_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_sheet_imports_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_imports'))
    )
    with op.batch_alter_table('sheet_imports', schema=None) as batch_op:
        batch_op.create_index('ix_sheet_imports_village_id', ['village_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('sheet_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_sheet_imports_village_id')

    op.drop_table('sheet_imports')

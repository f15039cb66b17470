"""order inbox: uploaded marketplace exports, remembered column and product choices,
imported marketplace orders (unique per reseller, channel and order number)

Revision ID: 3b7d5e1c9a24
Revises: 7d41c0e9a5b3
Create Date: 2026-12-06 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7d5e1c9a24'
down_revision = '7d41c0e9a5b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbox_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('column_map', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_inbox_batches_reseller_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_batches'))
    )
    with op.batch_alter_table('inbox_batches', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_batches_reseller_sha256', ['reseller_id', 'sha256'], unique=False)

    op.create_table('inbox_column_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('choice', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_inbox_column_choices_reseller_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_column_choices')),
    sa.UniqueConstraint('reseller_id', 'signature', name=op.f('uq_inbox_column_choices_reseller_id_signature'))
    )
    op.create_table('inbox_product_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('marketplace', sa.String(length=12), nullable=False),
    sa.Column('product_key', sa.String(length=200), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_inbox_product_choices_product_id_products')),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_inbox_product_choices_reseller_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_product_choices')),
    sa.UniqueConstraint('reseller_id', 'marketplace', 'product_key', name=op.f('uq_inbox_product_choices_reseller_id_marketplace_product_key'))
    )
    op.create_table('inbox_imported_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('order_ref', sa.String(length=60), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['inbox_batches.id'], name=op.f('fk_inbox_imported_orders_batch_id_inbox_batches')),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_inbox_imported_orders_reseller_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_imported_orders')),
    sa.UniqueConstraint('reseller_id', 'channel', 'order_ref', name=op.f('uq_inbox_imported_orders_reseller_id_channel_order_ref'))
    )
    with op.batch_alter_table('inbox_imported_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_imported_orders_batch_id'), ['batch_id'], unique=False)


def downgrade():
    with op.batch_alter_table('inbox_imported_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_imported_orders_batch_id'))

    op.drop_table('inbox_imported_orders')
    op.drop_table('inbox_product_choices')
    op.drop_table('inbox_column_choices')
    with op.batch_alter_table('inbox_batches', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_batches_reseller_sha256')

    op.drop_table('inbox_batches')

"""orders: the shipping label attached by the reseller (stored file name, shown name)

Both directions alter ``orders`` in place (ADD/DROP COLUMN, SQLite 3.35 and later
included): the table is never copied, so the rows of other tables that refer to
orders are not touched.

Revision ID: 7d41c0e9a5b3
Revises: 82e08afc2571
Create Date: 2026-12-06 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d41c0e9a5b3'
down_revision = '82e08afc2571'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_filename', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('label_name', sa.String(length=120), nullable=False,
                                      server_default=''))


def downgrade():
    op.drop_column('orders', 'label_name')
    op.drop_column('orders', 'label_filename')

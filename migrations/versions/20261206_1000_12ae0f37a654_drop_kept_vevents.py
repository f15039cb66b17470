"""drop the kept VEVENTs: calendar feeds are built from their query each time

Revision ID: 12ae0f37a654
Revises: 916ff612fd97
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '12ae0f37a654'
down_revision = '916ff612fd97'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kept_vevents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_vevents_made_on'))

    op.drop_table('kept_vevents')


def downgrade():
    op.create_table('kept_vevents',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('tzid', sa.String(length=64), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_kept_vevents'))
    )
    with op.batch_alter_table('kept_vevents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_vevents_made_on'), ['made_on'], unique=False)

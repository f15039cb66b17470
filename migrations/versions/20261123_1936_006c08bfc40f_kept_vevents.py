"""kept VEVENTs of the calendar feeds, by the key of their data

Revision ID: 006c08bfc40f
Revises: f903e52b33e8
Create Date: 2026-11-23 19:36:46.472228

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '006c08bfc40f'
down_revision = 'f903e52b33e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_vevents',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('tzid', sa.String(length=64), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_kept_vevents'))
    )
    with op.batch_alter_table('kept_vevents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_vevents_made_on'), ['made_on'], unique=False)



def downgrade():
    with op.batch_alter_table('kept_vevents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_vevents_made_on'))

    op.drop_table('kept_vevents')

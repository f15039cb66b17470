"""reseller public page: off by default, a random link slug, a chosen public number

Revision ID: 3f1c9a7d2b64
Revises: 3c7e1a9d5b24
Create Date: 2026-12-06 09:00:00

"""
import base64
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c9a7d2b64'
down_revision = '3c7e1a9d5b24'
branch_labels = None
depends_on = None


def _new_slug() -> str:
    # As crm.resellers.models.new_public_slug: 80 random bits in base32.
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()


def upgrade():
    with op.batch_alter_table('reseller_profiles', schema=None) as batch_op:
        # Every existing page is off until its reseller switches it on.
        batch_op.add_column(sa.Column('public_page', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('public_slug', sa.String(length=32), nullable=True))
        # Empty: never copied from the account's login phone.
        batch_op.add_column(sa.Column('public_whatsapp', sa.String(length=20),
                                      nullable=True))
    profiles = sa.table('reseller_profiles', sa.column('id', sa.Integer),
                        sa.column('public_slug', sa.String))
    bind = op.get_bind()
    for (profile_id,) in bind.execute(sa.select(profiles.c.id)).all():
        bind.execute(profiles.update().where(profiles.c.id == profile_id)
                     .values(public_slug=_new_slug()))
    with op.batch_alter_table('reseller_profiles', schema=None) as batch_op:
        batch_op.alter_column('public_slug', existing_type=sa.String(length=32),
                              nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_reseller_profiles_public_slug'), ['public_slug'])


def downgrade():
    with op.batch_alter_table('reseller_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reseller_profiles_public_slug'),
                                 type_='unique')
        batch_op.drop_column('public_whatsapp')
        batch_op.drop_column('public_slug')
        batch_op.drop_column('public_page')

"""product photos: one photo per position, positions 0 to 5

Concurrent uploads could leave a product with more than six photos sharing
positions. Existing photos are numbered again 0, 1, 2 … per product in their
current order (position, then upload), photos beyond the sixth are removed, and
then the database enforces both rules.

Revision ID: 5c1e9a7d3b42
Revises: 3f1c9a7d2b64
Create Date: 2026-12-06 09:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1e9a7d3b42'
down_revision = '3f1c9a7d2b64'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
UPDATE product_photos SET position = (
    SELECT ranked.place FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY position, id) - 1
               AS place
        FROM product_photos) ranked
    WHERE ranked.id = product_photos.id)""")
    op.execute("DELETE FROM product_photos WHERE position > 5")
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_product_photos_product_id_position'), ['product_id', 'position'])
        batch_op.create_check_constraint(
            batch_op.f('ck_product_photos_position_range'), 'position >= 0 AND position < 6')


def downgrade():
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_product_photos_position_range'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('uq_product_photos_product_id_position'), type_='unique')

"""what a confirmation, booking or consignment took (stock or capacity), and claim
counts recounted from the open claims

Revision ID: 3c7e1a9d5b24
Revises: fab08c3edc73
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7e1a9d5b24'
down_revision = 'fab08c3edc73'
branch_labels = None
depends_on = None

MADE_TO_ORDER = "(SELECT p.made_to_order FROM products p WHERE p.id = {table}.product_id)"


def _backfill() -> None:
    """Records made before this revision took goods in the form their product has
    now (the best evidence kept): capacity for made-to-order products, else stock."""
    order_lines = MADE_TO_ORDER.format(table="order_lines")
    op.execute(f"""
UPDATE order_lines SET taken_from = CASE WHEN {order_lines} THEN 'capacity' ELSE 'stock' END
WHERE order_id IN (SELECT id FROM orders
                   WHERE status IN ('confirmed', 'packed', 'shipped', 'finished'))""")
    booking_lines = MADE_TO_ORDER.format(table="booking_lines")
    op.execute(f"""
UPDATE booking_lines SET taken_from = 'capacity'
WHERE product_id IS NOT NULL AND {booking_lines}
  AND booking_id IN (SELECT id FROM catering_bookings WHERE status <> 'cancelled')""")
    drops = MADE_TO_ORDER.format(table="consignment_drops")
    op.execute(f"""
UPDATE consignment_drops SET taken_from = CASE WHEN {drops} THEN 'capacity' ELSE 'stock' END""")
    # Counts broken by releases applied twice at the same moment: the open claims.
    op.execute("""
UPDATE products SET claim_count = (
    SELECT COUNT(*) FROM claims c
    WHERE c.product_id = products.id AND c.status IN ('pending', 'active'))""")


def upgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_from', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_order_lines_taken_from'), "taken_from IN ('stock', 'capacity')")
    with op.batch_alter_table('booking_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_from', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_booking_lines_taken_from'), "taken_from IN ('capacity')")
    with op.batch_alter_table('consignment_drops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_from', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_consignment_drops_taken_from'), "taken_from IN ('stock', 'capacity')")
    _backfill()


def downgrade():
    with op.batch_alter_table('consignment_drops', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consignment_drops_taken_from'), type_='check')
        batch_op.drop_column('taken_from')
    with op.batch_alter_table('booking_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_booking_lines_taken_from'), type_='check')
        batch_op.drop_column('taken_from')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_order_lines_taken_from'), type_='check')
        batch_op.drop_column('taken_from')

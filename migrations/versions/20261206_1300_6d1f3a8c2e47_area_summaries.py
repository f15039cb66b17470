"""sales per group and month, resellers per village and month, consignment sales per
group and month and fund balances per group, filled from the records

Revision ID: 6d1f3a8c2e47
Revises: 9e4c2a7b5d13
Create Date: 2026-12-06 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d1f3a8c2e47'
down_revision = '9e4c2a7b5d13'
branch_labels = None
depends_on = None


# What crm.consignment.months.rebuild and crm.fund.balances.rebuild do.
CONSIGNMENT_BACKFILL = """
INSERT INTO consignment_months (group_id, month, village_id, visits, sold_value)
SELECT v.group_id, {month}, v.village_id, COUNT(DISTINCT v.id), SUM(l.sold * l.unit_price)
FROM consignment_visit_lines l JOIN consignment_visits v ON v.id = l.visit_id
GROUP BY v.group_id, {month}, v.village_id
"""
MONTH = {"postgresql": "CAST(date_trunc('month', v.visited_on) AS DATE)",
         "sqlite": "date(v.visited_on, 'start of month')"}
# The orders' summaries per group and month and per village, month and reseller add
# up the rows per (group, month, reseller, channel): every order is in one of them.
SALES_BACKFILL = (
    """INSERT INTO group_sales_months (group_id, month, village_id, orders, quantity, omzet,
                                    producer)
SELECT group_id, month, MAX(village_id), SUM(orders), SUM(quantity), SUM(omzet),
       SUM(producer)
FROM sales_months GROUP BY group_id, month""",
    """INSERT INTO village_reseller_months (village_id, month, reseller_id, orders)
SELECT village_id, month, reseller_id, SUM(orders)
FROM sales_months GROUP BY village_id, month, reseller_id""",
)
FUND_BACKFILL = """
INSERT INTO fund_balances (group_id, village_id, balance, waiting)
SELECT group_id, village_id,
       SUM(CASE WHEN kind = 'contribution' THEN amount
                WHEN status = 'approved' THEN -amount ELSE 0 END),
       SUM(CASE WHEN kind = 'disbursement' AND status = 'requested' THEN 1 ELSE 0 END)
FROM fund_entries
GROUP BY group_id, village_id
"""


def upgrade():
    op.create_table('group_sales_months',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('omzet', sa.BigInteger(), nullable=False),
    sa.Column('producer', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('orders >= 0 AND quantity >= 0 AND omzet >= 0 AND producer >= 0', name=op.f('ck_group_sales_months_figures')),
    sa.ForeignKeyConstraint(['group_id'], ['producer_groups.id'], name=op.f('fk_group_sales_months_group_id_producer_groups')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_group_sales_months_village_id_villages')),
    sa.PrimaryKeyConstraint('group_id', 'month', name=op.f('pk_group_sales_months'))
    )
    with op.batch_alter_table('group_sales_months', schema=None) as batch_op:
        batch_op.create_index('ix_group_sales_months_village_month', ['village_id', 'month'], unique=False)

    op.create_table('village_reseller_months',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.CheckConstraint('orders >= 0', name=op.f('ck_village_reseller_months_orders')),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_village_reseller_months_reseller_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_village_reseller_months_village_id_villages')),
    sa.PrimaryKeyConstraint('village_id', 'month', 'reseller_id', name=op.f('pk_village_reseller_months'))
    )

    op.create_table('consignment_months',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('sold_value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('visits >= 0 AND sold_value >= 0', name=op.f('ck_consignment_months_figures')),
    sa.ForeignKeyConstraint(['group_id'], ['producer_groups.id'], name=op.f('fk_consignment_months_group_id_producer_groups')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_consignment_months_village_id_villages')),
    sa.PrimaryKeyConstraint('group_id', 'month', name=op.f('pk_consignment_months'))
    )
    with op.batch_alter_table('consignment_months', schema=None) as batch_op:
        batch_op.create_index('ix_consignment_months_village_month', ['village_id', 'month'], unique=False)

    op.create_table('fund_balances',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.CheckConstraint('waiting >= 0', name=op.f('ck_fund_balances_waiting')),
    sa.ForeignKeyConstraint(['group_id'], ['producer_groups.id'], name=op.f('fk_fund_balances_group_id_producer_groups')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_fund_balances_village_id_villages')),
    sa.PrimaryKeyConstraint('group_id', name=op.f('pk_fund_balances'))
    )
    with op.batch_alter_table('fund_balances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_balances_village_id'), ['village_id'], unique=False)

    dialect = op.get_bind().dialect.name
    op.execute(CONSIGNMENT_BACKFILL.format(month=MONTH[dialect]))
    op.execute(FUND_BACKFILL)
    for statement in SALES_BACKFILL:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('fund_balances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_balances_village_id'))
    op.drop_table('fund_balances')
    with op.batch_alter_table('consignment_months', schema=None) as batch_op:
        batch_op.drop_index('ix_consignment_months_village_month')
    op.drop_table('consignment_months')
    op.drop_table('village_reseller_months')
    with op.batch_alter_table('group_sales_months', schema=None) as batch_op:
        batch_op.drop_index('ix_group_sales_months_village_month')
    op.drop_table('group_sales_months')

"""print-safe dates: quote.date_precision ("day" or "month"; NULL = day when dated)

Revision ID: 0006_print_safe
Revises: 0008_ingest
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006_print_safe'
down_revision = '0008_ingest'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_precision', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_column('date_precision')

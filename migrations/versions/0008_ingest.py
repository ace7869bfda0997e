"""ingest: why an article is not `ok` (article.status_reason), e.g. the reason for failed-extraction

Revision ID: 0008_ingest
Revises: 0004_login_throttle
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_ingest'
down_revision = '0004_login_throttle'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('status_reason')

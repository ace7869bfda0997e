"""quote successors: old quote uid -> the quote that replaced it after re-extraction

Revision ID: 0002_quote_successors
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002_quote_successors'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quotesuccessor',
    sa.Column('old_uid', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('new_uid', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ),
    sa.PrimaryKeyConstraint('old_uid')
    )
    with op.batch_alter_table('quotesuccessor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotesuccessor_new_uid'), ['new_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotesuccessor_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quotesuccessor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotesuccessor_article_id'))
        batch_op.drop_index(batch_op.f('ix_quotesuccessor_new_uid'))
    op.drop_table('quotesuccessor')

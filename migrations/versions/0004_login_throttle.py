"""login throttle: failed sign-ins in the database (per user name and per client address, across workers)

Revision ID: 0004_login_throttle
Revises: 0003_listing_scale
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004_login_throttle'
down_revision = '0003_listing_scale'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loginfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginfailure_username'), ['username'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_client'), ['client'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginfailure_at'))
        batch_op.drop_index(batch_op.f('ix_loginfailure_client'))
        batch_op.drop_index(batch_op.f('ix_loginfailure_username'))
    op.drop_table('loginfailure')

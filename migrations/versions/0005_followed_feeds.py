"""followed feeds and the job queue: followedfeed, joberror, and procrastinate's schema on PostgreSQL

- followedfeed: the feeds `whosaid watch` polls (URL, interval, validators for conditional GET,
  next poll, last success / error, failures in a row for the back-off).
- joberror: the latest error of a queued job (procrastinate keeps no error text).
- On PostgreSQL only: procrastinate's schema (its tables, types and functions, from the pinned
  procrastinate release's schema.sql), so `whosaid migrate` on a fresh clone is all a queue needs.
  A later procrastinate release that changes its schema gets its own revision applying its
  migration files (procrastinate/sql/migrations) between the two releases.

Revision ID: 0005_followed_feeds
Revises: 0006_print_safe
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005_followed_feeds'
down_revision = '0006_print_safe'
branch_labels = None
depends_on = None

_DROP_PROCRASTINATE = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.sig);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'c') AND t.typname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname);
  END LOOP;
END $$;
"""


def upgrade() -> None:
    op.create_table('followedfeed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('every', sa.Integer(), nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('next_poll', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_poll', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_success', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_status', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('url')
    )
    with op.batch_alter_table('followedfeed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followedfeed_next_poll'), ['next_poll'], unique=False)
    op.create_table('joberror',
    sa.Column('job_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('task', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('job_id')
    )
    if op.get_bind().dialect.name == 'postgresql':
        from procrastinate.schema import SchemaManager

        op.execute(sa.text(SchemaManager.get_schema().replace(':', '\\:')))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(sa.text(_DROP_PROCRASTINATE))
    op.drop_table('joberror')
    with op.batch_alter_table('followedfeed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followedfeed_next_poll'))
    op.drop_table('followedfeed')

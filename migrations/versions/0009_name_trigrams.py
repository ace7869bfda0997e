"""name search at scale on PostgreSQL: trigram indexes for the substring searches on people

A search for "isne" matches names whose words start with it ('% isne%' on personname.key) and /people?q=
matches names, roles and organisations anywhere (ILIKE '%…%'). On PostgreSQL with hundreds of thousands
of names both read every row; pg_trgm's GIN indexes serve LIKE and ILIKE with a leading wildcard.
pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may create it). Where it
cannot be created the migration says so and goes on: the searches stay correct, only slower.
SQLite needs nothing: its people tables are scanned in milliseconds at the sizes it serves.

Revision ID: 0009_name_trigrams
Revises: 0005_followed_feeds
Create Date: 2026-12-02
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '0009_name_trigrams'
down_revision = '0005_followed_feeds'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

INDEXES = [
    ("ix_personname_key_trgm", "personname", "key"),
    ("ix_person_name_trgm", "person", "name"),
    ("ix_person_role_trgm", "person", "role"),
    ("ix_person_organisation_trgm", "person", "organisation"),
]


def _trigram_schema(bind) -> str | None:
    """The schema pg_trgm lives in, creating the extension when it is missing; None when it can't be."""
    found = bind.execute(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")).scalar()
    if found:
        return found
    error = None
    # in public, where a schema of the app's own (dropped with its data) does not take it along; else here
    for statement in ("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public", "CREATE EXTENSION IF NOT EXISTS pg_trgm"):
        savepoint = bind.begin_nested()
        try:
            bind.execute(sa.text(statement))
        except sa.exc.DBAPIError as exc:
            savepoint.rollback()
            error = str(exc.orig).splitlines()[0]
            continue
        savepoint.commit()
        error = None
        break
    if error:
        log.warning("pg_trgm could not be created (%s): name searches will scan the people tables", error)
        return None
    return bind.execute(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")).scalar()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _trigram_schema(bind)
    if schema is None:
        return
    for name, table, column in INDEXES:
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin ({column} {schema}.gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

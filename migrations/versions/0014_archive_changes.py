"""caches that follow re-extraction: one row each time an article's quotes are stored

Each worker keeps counts, profiles and same-words matches keyed on the archive's version (app.web.cache):
the newest quote id and correction. Extracting an article again keeps its quotes' rows where their spans
are unchanged, so it can change speakers and drop quotes without a new id, and the caches kept showing
the old figures until they expired (and SQLite hands a deleted quote's id out again). app.ingest.store
now adds an archive_change row each time it stores an article's quotes, and the version includes its
newest id.

Revision ID: 0014_archive_changes
Revises: 0013_search_terms
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_archive_changes'
down_revision = '0013_search_terms'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("archive_change")

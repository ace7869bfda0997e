"""listing at scale: a stored listing key per quote, full-text search, indexes that serve filter and order

- quote.listing_key orders every listing (date, then article, then position; see app.models.listing_key)
  and turns date filters into key ranges; (listing_key, id) and (person_id, listing_key, id) serve the
  listings with and without a speaker, newest first, with keyset pagination.
- Full-text search: SQLite FTS5 over quote.text (external content, kept in step by triggers, diacritics
  folded); PostgreSQL a stored tsvector column with a GIN index.
- ix_quote_hidden (true for almost no row), ix_quote_date and ix_quote_person_id give way to the above;
  hidden leads both new indexes so visible-only counts read the index alone.
- person.merged_into_id and person.name get indexes (merge chains, the people listing).

Revision ID: 0003_listing_scale
Revises: 0002_quote_successors
Create Date: 2026-12-02
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0003_listing_scale'
down_revision = '0002_quote_successors'
branch_labels = None
depends_on = None

# The same arithmetic as app.models.listing_key, in SQL (kept here so the migration never changes).
_KEY_SQLITE = """
UPDATE quote SET listing_key =
  ((CASE WHEN d.day IS NULL THEN 0 ELSE max(1, min(1048575, d.day)) END) << 42)
  | ((min(quote.article_id, 67108863)) << 16)
  | (65535 - min(max(quote.position, 0), 65535))
FROM (
  SELECT q.id AS id,
         CAST(julianday(coalesce(q.date, a.published)) - julianday('1900-01-01') AS INTEGER) + 1 AS day
  FROM quote q JOIN article a ON a.id = q.article_id
) AS d
WHERE d.id = quote.id
"""
_KEY_POSTGRES = """
UPDATE quote SET listing_key =
  ((CASE WHEN coalesce(quote.date, a.published) IS NULL THEN 0
         ELSE greatest(1, least(1048575, (coalesce(quote.date, a.published) - DATE '1900-01-01') + 1)) END)::bigint << 42)
  | (least(quote.article_id, 67108863)::bigint << 16)
  | (65535 - least(greatest(quote.position, 0), 65535))::bigint
FROM article a
WHERE a.id = quote.article_id
"""

def _accent_map() -> tuple[str, str]:
    """Latin letters with diacritics (U+00C0–U+024F) and their base letters, for translate() on PostgreSQL."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha() and base != ch:
            accented.append(ch)
            plain.append(base)
    return "".join(accented), "".join(plain)


# Frozen here, computed once: the search column folds diacritics like SQLite's remove_diacritics.
_ACCENTED, _PLAIN = _accent_map()

# The index's rowid is quote.listing_key (unique: day, article, position), so a search reads its matches
# newest first straight from the index and stops after one page.
_FTS_SQLITE = [
    """CREATE VIRTUAL TABLE quote_fts USING fts5(
         text, content='quote', content_rowid='listing_key', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER quote_fts_ai AFTER INSERT ON quote BEGIN
         INSERT INTO quote_fts(rowid, text) VALUES (new.listing_key, new.text);
       END""",
    """CREATE TRIGGER quote_fts_ad AFTER DELETE ON quote BEGIN
         INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.listing_key, old.text);
       END""",
    """CREATE TRIGGER quote_fts_au AFTER UPDATE OF text, listing_key ON quote BEGIN
         INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.listing_key, old.text);
         INSERT INTO quote_fts(rowid, text) VALUES (new.listing_key, new.text);
       END""",
    "INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column('quote', sa.Column('listing_key', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(_KEY_SQLITE if sqlite else _KEY_POSTGRES)
    op.drop_index('ix_quote_hidden', table_name='quote')
    op.drop_index('ix_quote_date', table_name='quote')
    op.drop_index('ix_quote_person_id', table_name='quote')
    op.create_index('ix_quote_listing', 'quote', ['hidden', 'listing_key', 'id'])
    op.create_index('ix_quote_person_listing', 'quote', ['person_id', 'hidden', 'listing_key', 'id'])
    op.create_index('ix_person_merged_into_id', 'person', ['merged_into_id'])
    op.create_index('ix_person_name', 'person', ['name'])
    op.create_index('ix_person_country_merged', 'person', ['country', 'merged_into_id'])
    if sqlite:
        for statement in _FTS_SQLITE:
            op.execute(statement)
    else:
        op.execute("ALTER TABLE quote ADD COLUMN search tsvector "
                   f"GENERATED ALWAYS AS (to_tsvector('simple', translate(text, '{_ACCENTED}', '{_PLAIN}'))) STORED")
        op.execute("CREATE INDEX ix_quote_search ON quote USING gin (search)")
    op.execute("ANALYZE")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("quote_fts_au", "quote_fts_ad", "quote_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS quote_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_quote_search")
        op.execute("ALTER TABLE quote DROP COLUMN IF EXISTS search")
    op.drop_index('ix_person_country_merged', table_name='person')
    op.drop_index('ix_person_name', table_name='person')
    op.drop_index('ix_person_merged_into_id', table_name='person')
    op.drop_index('ix_quote_person_listing', table_name='quote')
    op.drop_index('ix_quote_listing', table_name='quote')
    op.create_index('ix_quote_person_id', 'quote', ['person_id'])
    op.create_index('ix_quote_date', 'quote', ['date'])
    op.create_index('ix_quote_hidden', 'quote', ['hidden'])
    with op.batch_alter_table('quote') as batch_op:
        batch_op.drop_column('listing_key')

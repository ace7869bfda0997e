"""typing a search at scale on SQLite: the words of the full-text index, for prefix look-ups

The last word of a search also matches as a prefix, so typing finds as you go ("defen" finds
"defence"). FTS5 answers a prefix query ("the" *) by merging the whole index entry of every word
with that prefix before it can hand out the newest match: 180 ms for "the" at 1M quotes. With the
words themselves in a table, the prefix becomes those words ("the" OR "them" OR …), which FTS5 reads
newest first and stops early. quote_term holds every word the index holds; new quotes' words
arrive in quote_term_new (a contentless FTS5 table with the same tokenizer, filled by triggers) and
are folded into quote_term after each ingest (app.db.refresh_statistics). PostgreSQL's tsquery
prefix reads its GIN index and needs none of this.

Revision ID: 0013_search_terms
Revises: 0012_people_substrings
Create Date: 2026-12-03
"""
from alembic import op

revision = '0013_search_terms'
down_revision = '0012_people_substrings'
branch_labels = None
depends_on = None

_STATEMENTS = [
    "CREATE TABLE quote_term (term TEXT PRIMARY KEY) WITHOUT ROWID",
    """CREATE VIRTUAL TABLE quote_term_new USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE quote_term_new_vocab USING fts5vocab(quote_term_new, row)",
    """CREATE TRIGGER quote_term_ai AFTER INSERT ON quote BEGIN
         INSERT INTO quote_term_new(text) VALUES (new.text);
       END""",
    """CREATE TRIGGER quote_term_au AFTER UPDATE OF text ON quote BEGIN
         INSERT INTO quote_term_new(text) VALUES (new.text);
       END""",
    "CREATE VIRTUAL TABLE temp.quote_fts_words USING fts5vocab(main, quote_fts, row)",
    "INSERT INTO quote_term (term) SELECT term FROM temp.quote_fts_words",
    "DROP TABLE temp.quote_fts_words",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("quote_term_ai", "quote_term_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in ("quote_term_new_vocab", "quote_term_new", "quote_term"):
        op.execute(f"DROP TABLE IF EXISTS {name}")

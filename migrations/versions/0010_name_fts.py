"""name search at scale on SQLite: an FTS5 index over the folded names

Every ?q= search also looks for speakers whose name has a word starting with the search ("isne" finds
"Don Isne"), and the typeahead does the same. Without an index that reads every stored name; with
personname_fts (external content over personname.key, kept in step by triggers) a word prefix is an
index look-up. PostgreSQL has its trigram index for this (migration 0009).

Revision ID: 0010_name_fts
Revises: 0009_name_trigrams
Create Date: 2026-12-02
"""
from alembic import op

revision = '0010_name_fts'
down_revision = '0009_name_trigrams'
branch_labels = None
depends_on = None

_FTS = [
    """CREATE VIRTUAL TABLE personname_fts USING fts5(key, content='personname', content_rowid='id')""",
    """CREATE TRIGGER personname_fts_ai AFTER INSERT ON personname BEGIN
         INSERT INTO personname_fts(rowid, key) VALUES (new.id, new.key);
       END""",
    """CREATE TRIGGER personname_fts_ad AFTER DELETE ON personname BEGIN
         INSERT INTO personname_fts(personname_fts, rowid, key) VALUES ('delete', old.id, old.key);
       END""",
    """CREATE TRIGGER personname_fts_au AFTER UPDATE OF key ON personname BEGIN
         INSERT INTO personname_fts(personname_fts, rowid, key) VALUES ('delete', old.id, old.key);
         INSERT INTO personname_fts(rowid, key) VALUES (new.id, new.key);
       END""",
    "INSERT INTO personname_fts(personname_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("personname_fts_ai", "personname_fts_ad", "personname_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS personname_fts")

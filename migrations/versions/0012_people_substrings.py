"""/people?q= at scale on SQLite: trigram FTS5 indexes over people's names, roles and organisations

/people?q= finds people whose name (any variant), role or organisation contains the search anywhere
("bergis" finds "Landsbergis"). Without an index that reads every person and every stored name; with
person_trgm (over person.name, role, organisation) and personname_trgm (over personname.key), FTS5
tables with the trigram tokenizer kept in step by triggers, a search of three characters or more is an
index look-up (its LIKE conditions then check only the rows found). PostgreSQL has its pg_trgm
indexes for this (migration 0009).

Revision ID: 0012_people_substrings
Revises: 0011_quote_country
Create Date: 2026-12-03
"""
from alembic import op

revision = '0012_people_substrings'
down_revision = '0011_quote_country'
branch_labels = None
depends_on = None

_FTS = [
    """CREATE VIRTUAL TABLE person_trgm USING fts5(name, role, organisation, content='person', content_rowid='id',
         tokenize='trigram')""",
    """CREATE TRIGGER person_trgm_ai AFTER INSERT ON person BEGIN
         INSERT INTO person_trgm(rowid, name, role, organisation) VALUES (new.id, new.name, new.role, new.organisation);
       END""",
    """CREATE TRIGGER person_trgm_ad AFTER DELETE ON person BEGIN
         INSERT INTO person_trgm(person_trgm, rowid, name, role, organisation)
           VALUES ('delete', old.id, old.name, old.role, old.organisation);
       END""",
    """CREATE TRIGGER person_trgm_au AFTER UPDATE OF name, role, organisation ON person BEGIN
         INSERT INTO person_trgm(person_trgm, rowid, name, role, organisation)
           VALUES ('delete', old.id, old.name, old.role, old.organisation);
         INSERT INTO person_trgm(rowid, name, role, organisation) VALUES (new.id, new.name, new.role, new.organisation);
       END""",
    "INSERT INTO person_trgm(person_trgm) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE personname_trgm USING fts5(key, content='personname', content_rowid='id',
         tokenize='trigram')""",
    """CREATE TRIGGER personname_trgm_ai AFTER INSERT ON personname BEGIN
         INSERT INTO personname_trgm(rowid, key) VALUES (new.id, new.key);
       END""",
    """CREATE TRIGGER personname_trgm_ad AFTER DELETE ON personname BEGIN
         INSERT INTO personname_trgm(personname_trgm, rowid, key) VALUES ('delete', old.id, old.key);
       END""",
    """CREATE TRIGGER personname_trgm_au AFTER UPDATE OF key ON personname BEGIN
         INSERT INTO personname_trgm(personname_trgm, rowid, key) VALUES ('delete', old.id, old.key);
         INSERT INTO personname_trgm(rowid, key) VALUES (new.id, new.key);
       END""",
    "INSERT INTO personname_trgm(personname_trgm) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("person_trgm_ai", "person_trgm_ad", "person_trgm_au",
                 "personname_trgm_ai", "personname_trgm_ad", "personname_trgm_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS person_trgm")
    op.execute("DROP TABLE IF EXISTS personname_trgm")

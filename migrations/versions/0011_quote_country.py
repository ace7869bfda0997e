"""country listings at scale: the speaker's country stored on each quote, kept in step by the database

A country filter used to find the country's people (thousands for a large country) and then either
test every listed quote's speaker row by row or collect the people's quotes through the person index;
with a date range or a word on top, neither was fast on 10M quotes. quote.country holds the country
the quote counts under (the country of the person its speaker was merged into, else the speaker's own;
see app.web.queries), and ix_quote_country_listing (country, hidden, listing_key, id) serves every
country listing as one index range in listing order, like ix_quote_listing does without a country.

Triggers keep it right whatever writes: a quote inserted or given another speaker takes its speaker's
country; a person whose country or merge target changes passes the change on to their quotes and to
the quotes of everyone merged into them.

Revision ID: 0011_quote_country
Revises: 0010_name_fts
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_quote_country'
down_revision = '0010_name_fts'
branch_labels = None
depends_on = None

# The country a quote by person id X counts under (X's merge target's country, else X's own).
_OF_PERSON = ("(SELECT coalesce(t.country, p.country) FROM person p LEFT JOIN person t ON t.id = p.merged_into_id "
              "WHERE p.id = {person})")

_SQLITE = [
    f"""CREATE TRIGGER quote_country_ai AFTER INSERT ON quote WHEN new.person_id IS NOT NULL BEGIN
         UPDATE quote SET country = {_OF_PERSON.format(person='new.person_id')} WHERE id = new.id;
       END""",
    f"""CREATE TRIGGER quote_country_au AFTER UPDATE OF person_id ON quote BEGIN
         UPDATE quote SET country = {_OF_PERSON.format(person='new.person_id')} WHERE id = new.id;
       END""",
    f"""CREATE TRIGGER person_quote_country_au AFTER UPDATE OF country, merged_into_id ON person
       WHEN old.country IS NOT new.country OR old.merged_into_id IS NOT new.merged_into_id BEGIN
         UPDATE quote SET country = {_OF_PERSON.format(person='quote.person_id')} WHERE person_id = new.id;
         UPDATE quote SET country = {_OF_PERSON.format(person='quote.person_id')}
           WHERE person_id IN (SELECT id FROM person WHERE merged_into_id = new.id);
       END""",
]

# PostgreSQL: look-ups by primary key only, one step at a time, so no plan can go wrong while a table
# has no statistics yet (a bulk load); a join here was once planned as a walk of every person per row.
_POSTGRES = [
    """CREATE FUNCTION quote_country() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         own varchar(2);
         target integer;
       BEGIN
         IF NEW.person_id IS NULL THEN
           NEW.country := NULL;
           RETURN NEW;
         END IF;
         SELECT country, merged_into_id INTO own, target FROM person WHERE id = NEW.person_id;
         IF target IS NOT NULL THEN
           own := coalesce((SELECT country FROM person WHERE id = target), own);
         END IF;
         NEW.country := own;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER quote_country_biu BEFORE INSERT OR UPDATE OF person_id ON quote
       FOR EACH ROW EXECUTE FUNCTION quote_country()""",
    """CREATE FUNCTION person_quote_country() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         mine varchar(2) := coalesce((SELECT country FROM person WHERE id = NEW.merged_into_id), NEW.country);
       BEGIN
         UPDATE quote SET country = mine WHERE person_id = NEW.id AND country IS DISTINCT FROM mine;
         UPDATE quote q SET country = coalesce(NEW.country, p.country) FROM person p
           WHERE p.merged_into_id = NEW.id AND q.person_id = p.id
             AND q.country IS DISTINCT FROM coalesce(NEW.country, p.country);
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER person_quote_country_au AFTER UPDATE OF country, merged_into_id ON person
       FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country
                          OR OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id)
       EXECUTE FUNCTION person_quote_country()""",
]

_FILL_SQLITE = f"UPDATE quote SET country = {_OF_PERSON.format(person='quote.person_id')} WHERE person_id IS NOT NULL"
_FILL_POSTGRES = """
UPDATE quote q SET country = c.country
FROM (SELECT p.id, coalesce(t.country, p.country) AS country
      FROM person p LEFT JOIN person t ON t.id = p.merged_into_id) c
WHERE q.person_id = c.id AND c.country IS NOT NULL
"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column('quote', sa.Column('country', sa.String(length=2), nullable=True))
    op.execute(_FILL_SQLITE if sqlite else _FILL_POSTGRES)  # before the index: one pass, no index upkeep
    op.create_index('ix_quote_country_listing', 'quote', ['country', 'hidden', 'listing_key', 'id'])
    for statement in _SQLITE if sqlite else _POSTGRES:
        op.execute(statement)
    op.execute("ANALYZE quote")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("quote_country_ai", "quote_country_au", "person_quote_country_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS person_quote_country_au ON person")
        op.execute("DROP TRIGGER IF EXISTS quote_country_biu ON quote")
        op.execute("DROP FUNCTION IF EXISTS person_quote_country()")
        op.execute("DROP FUNCTION IF EXISTS quote_country()")
    op.drop_index('ix_quote_country_listing', table_name='quote')
    op.execute("ALTER TABLE quote DROP COLUMN country")  # SQLite ≥ 3.35 in place: a rebuild would drop quote_fts's triggers

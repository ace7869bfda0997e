"""Database engine, sessions and schema migration (Alembic)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.config import get_settings
from app.corrections.successors import track_removed_quotes

ROOT = Path(__file__).resolve().parent.parent


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, pool_size: int | None = None) -> Engine:
    """An engine for url; SQLite gets WAL, foreign keys and a busy timeout.

    pool_size (default: WHOSAID_DB_POOL_SIZE) connections are kept; the web app runs at most that many
    requests at once per process (app.web.main), so a burst waits for a connection instead of failing.
    Its sessions note the quotes a flush deletes (app.corrections.successors), for re-extraction.
    """
    track_removed_quotes()
    url = normalise_url(url)
    size = pool_size or get_settings().db_pool_size
    if url.startswith("sqlite"):
        pooled = (
            {}
            if ":memory:" in url or url in ("sqlite://", "sqlite:///")
            else {"pool_size": size, "max_overflow": 0, "pool_timeout": 60}
        )
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pooled)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=size, max_overflow=0, pool_timeout=60)

    @event.listens_for(engine, "connect")
    def _postgresql_settings(dbapi_conn, _record):  # pragma: no cover - trivial
        # Whosaid's queries read a page's worth of rows through an index. When the planner overestimates one,
        # starting parallel workers and JIT-compiling it cost more than the query (40 ms against 6 ms for a
        # name search at 10M quotes), and on a busy server the workers take the cores other requests need.
        for setting in PG_SESSION_SETTINGS:
            dbapi_conn.execute(setting)
        dbapi_conn.commit()

    return engine


PG_SESSION_SETTINGS = ("SET jit = off", "SET max_parallel_workers_per_gather = 0")


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return make_engine(get_settings().database_url)


def refresh_statistics(engine: Engine | None = None) -> None:
    """Let the query planner see the data as it is now (after an ingest): PRAGMA optimize / VACUUM (ANALYZE)."""
    engine = engine or get_engine()
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            fold_search_words(conn)
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")  # sampled: milliseconds even on a large file
            conn.exec_driver_sql("PRAGMA optimize")
        return
    # VACUUM too: it marks the new rows' pages all-visible, so counts and a person's timeline read their
    # indexes alone (an index-only scan) instead of the table: 0.12 s against 2.3 s for a 688,000-quote
    # speaker at 10M quotes. It reads only pages changed since the last one (0.25 s on a settled 10M table).
    # One table at a time, outside any transaction (VACUUM must be): holding one table's lock while
    # waiting for the next can deadlock with autovacuum.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("quote", "person", "personname", "article"):
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")


def fold_search_words(conn) -> None:
    """SQLite: move the words of quotes stored since the last fold into quote_term (migration 0013)."""
    if (
        conn.dialect.name != "sqlite"
        or conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'quote_term_new'").first() is None
    ):
        return  # an archive not yet at that migration
    conn.exec_driver_sql("INSERT OR IGNORE INTO quote_term (term) SELECT term FROM quote_term_new_vocab")
    conn.exec_driver_sql("INSERT INTO quote_term_new (quote_term_new) VALUES ('delete-all')")


def get_session() -> Iterator[Session]:
    """A session per request (FastAPI dependency)."""
    with Session(get_engine()) as session:
        yield session


def alembic_config(url: str):
    """An Alembic Config pointing at migrations/ for url."""
    from alembic.config import Config  # noqa: PLC0415 - lazy: alembic (0.08 s) loads only to migrate

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema at url (default: configured) up to revision (default: the newest migration)."""
    from alembic import command  # noqa: PLC0415 - lazy: alembic (0.08 s) loads only to migrate

    command.upgrade(alembic_config(url or get_settings().database_url), revision)

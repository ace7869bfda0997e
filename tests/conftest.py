"""Shared fixtures: databases (SQLite and PostgreSQL), sessions, the web client, the spaCy pipeline.

The PostgreSQL leg uses a throw-away schema in the `test` database at 127.0.0.1:5432
(override with WHOSAID_TEST_PG_URL). When no server answers, those tests are skipped with a
loud warning in the summary instead of failing.
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PG_URL = os.environ.get("WHOSAID_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_PG_SKIPPED: list[str] = []


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        return f"{type(exc).__name__}: {exc}".strip()


def _migrated_engine(backend: str, tmp_path_factory) -> tuple[Engine, str, object]:
    from app.db import make_engine, upgrade

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'whosaid.db'}"
        upgrade(url)
        return make_engine(url), url, None
    reason = _pg_available()
    if reason:
        _PG_SKIPPED.append(reason)
        warnings.warn(f"PostgreSQL at {PG_URL} did not answer ({reason}): PostgreSQL leg SKIPPED", stacklevel=2)
        pytest.skip(f"PostgreSQL leg SKIPPED: no server at {PG_URL} ({reason})")
    schema = f"whosaid_test_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    upgrade(url)

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return make_engine(url), url, drop


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request, tmp_path_factory):
    """(engine, url) for a migrated database, once per backend per test session."""
    engine, url, drop = _migrated_engine(request.param, tmp_path_factory)
    yield engine, url
    engine.dispose()
    if drop:
        drop()


def _clear(engine: Engine) -> None:
    from app.web import cache

    cache.clear()  # emptied tables hand out the same ids again: an archive version may repeat
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def engine(db_backend) -> Iterator[Engine]:
    """A migrated, empty database engine; runs each test on SQLite and on PostgreSQL."""
    eng, _url = db_backend
    _clear(eng)
    yield eng


@pytest.fixture
def db_url(db_backend, engine) -> str:
    """The URL of the empty database behind `engine` (for CLI runs in a subprocess)."""
    return db_backend[1]


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A migrated, empty SQLite database only (for tests that need no PostgreSQL leg)."""
    from app.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'whosaid.db'}"
    upgrade(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session on the empty test database."""
    with Session(engine) as s:
        yield s


@pytest.fixture
def client(engine, monkeypatch):
    """FastAPI TestClient whose requests use the test database (Host `testserver`, which it sends, is allowed)."""
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.db import get_session
    from app.web.main import app

    monkeypatch.setenv("WHOSAID_ALLOWED_HOSTS", "testserver")
    get_settings.cache_clear()

    def _session():
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as c:
        yield c
    app.dependency_overrides.clear()
    get_settings.cache_clear()  # monkeypatch restores the environment after this


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline, loaded once."""
    from app.quotes.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The sample articles, by file name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def pytest_terminal_summary(terminalreporter):
    """Say loudly when the PostgreSQL leg did not run."""
    if _PG_SKIPPED:
        terminalreporter.write_sep("!", "PostgreSQL leg SKIPPED: " + _PG_SKIPPED[0], red=True, bold=True)

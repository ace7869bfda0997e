"""Queued articles travel several to a job (ingest_articles): a job run again after its worker died does not
extract again what it stored, and an article that fails becomes a job of its own (retried, kept as failed)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.config import get_settings
from app.db import get_engine
from app.ingest import store, work
from app.jobs.queue import article_payload, get_app, ingest_articles
from app.sources import ArticleInput
from tests.conftest import _migrated_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(tmp_path_factory, monkeypatch):
    """A migrated throw-away PostgreSQL schema, configured as the database of this process (as in a worker)."""
    engine, url, drop = _migrated_engine("postgres", tmp_path_factory)
    monkeypatch.setenv("WHOSAID_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield engine, url
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()
    engine.dispose()
    drop()


def _items(*titles: str) -> list[dict]:
    return [
        {
            "label": f"{title}.txt",
            "article": article_payload(
                ArticleInput(
                    text=f"{title}\n\n\u201cThe ferry to {title} will run again in May,\u201d Minister Karin Sund said on Monday.\n",
                    title=title,
                )
            ),
        }
        for title in titles
    ]


def _run(items: list[dict]) -> None:
    ingest_articles.func.__wrapped__(items)  # the task's body, as a worker runs it (without the job context)


def _scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_a_batch_run_again_extracts_only_the_articles_it_had_not_stored(pg, monkeypatch):
    engine, url = pg
    items = _items("Alda", "Birk", "Cove")
    with get_app(url).open():
        _run(items[:1])  # the first run of the job stored one article, then its worker was killed
        extracted = []
        real = work.extract_text
        monkeypatch.setattr(work, "extract_text", lambda t: extracted.append(t.split("\n")[0]) or real(t))
        _run(items)
    assert extracted == ["Birk", "Cove"]
    assert _scalar(engine, "SELECT count(*) FROM article") == 3
    assert _scalar(engine, "SELECT count(DISTINCT article_id) FROM quote") == 3


def test_an_article_that_fails_in_a_batch_becomes_a_job_of_its_own(pg, monkeypatch):
    engine, url = pg
    real = store.store_article

    def store_article(session, inp, extraction, status="ok"):
        if inp.title == "Birk":
            raise RuntimeError("disk full")
        return real(session, inp, extraction, status=status)

    monkeypatch.setattr(store, "store_article", store_article)
    with get_app(url).open():
        _run(_items("Alda", "Birk", "Cove"))
    assert _scalar(engine, "SELECT string_agg(title, ',' ORDER BY title) FROM article") == "Alda,Cove"
    assert (
        _scalar(
            engine,
            "SELECT string_agg(task_name || ' ' || (args->>'label'), ',') FROM procrastinate_jobs "
            "WHERE status = 'todo'",
        )
        == "whosaid:ingest_article Birk.txt"
    )

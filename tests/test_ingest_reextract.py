"""`whosaid reextract`: outdated articles get fresh quotes, editors' corrections survive; parallel ingest matches serial."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from app.ingest.pipeline import run_ingest, run_reextract
from app.models import Article, Person, Quote, User
from app.quotes.pipeline import EXTRACTOR_VERSION

STORY = (
    "Mayor backs new bridge\n\n"
    '"The bridge will be finished by next summer," Mayor Anna Berg said on Monday.\n\n'
    '"We have waited long enough for this," said Peter Holm, a local shop owner.\n'
)


def test_reextract_refreshes_quotes_and_keeps_corrections(engine, db_url, tmp_path):
    from app.corrections.service import hide_quote, reassign_quote

    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    run_ingest([str(tmp_path)], jobs=1, database_url=db_url, quiet=True)
    with Session(engine) as s:
        quotes = s.exec(select(Quote).order_by(Quote.position)).all()
        assert len(quotes) >= 2
        first, second = quotes[0], quotes[1]
        editor = User(username="ed", password_hash="x")
        other = Person(slug="jane-editor-choice", name="Jane Choice")
        s.add(editor)
        s.add(other)
        s.commit()
        reassign_quote(s, first, other, editor)
        hide_quote(s, second, "not a quote", editor)
        s.commit()
        first_uid, second_uid, other_id = first.uid, second.uid, other.id
        article = s.exec(select(Article)).one()
        article.extractor_version = "older"
        s.add(article)
        for q in s.exec(select(Quote)).all():  # the old rows are gone: only the corrections remember
            s.delete(q)
        s.commit()

    summary = run_reextract(mode="outdated", jobs=1, database_url=db_url, quiet=True)
    assert (summary.updated, summary.errors) == (1, [])
    with Session(engine) as s:
        article = s.exec(select(Article)).one()
        by_uid = {q.uid: q for q in s.exec(select(Quote)).all()}
    assert article.extractor_version == EXTRACTOR_VERSION
    assert by_uid[first_uid].person_id == other_id  # reassigned by the editor: still so
    assert by_uid[second_uid].hidden and by_uid[second_uid].hidden_reason == "not a quote"
    assert "bridge will be finished" in by_uid[first_uid].text

    assert run_reextract(mode="outdated", jobs=1, database_url=db_url, quiet=True).updated == 0
    assert run_reextract(mode="all", jobs=1, database_url=db_url, quiet=True).updated == 1
    with Session(engine) as s:
        assert s.exec(select(Quote).where(Quote.uid == second_uid)).one().hidden


def test_parallel_ingest_stores_what_serial_ingest_stores(tmp_path):
    from app.db import make_engine

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"s{i}.txt").write_text(
            f'Story {i}\n\n"We will open {i + 2} new schools this year," Minister Karl Lind said on Tuesday.\n',
            encoding="utf-8",
        )
    (folder / "bad.txt").write_bytes(b"")
    results = []
    for jobs in (1, 2):
        url = f"sqlite:///{tmp_path / f'j{jobs}.db'}"
        summary = run_ingest([str(folder)], jobs=jobs, database_url=url, quiet=True)
        assert summary.new == 6 and len(summary.errors) == 1
        engine = make_engine(url)
        with Session(engine) as s:
            arts = sorted((a.uid, a.title, Path(a.source_path).name) for a in s.exec(select(Article)).all())
            quotes = sorted((q.uid, q.text, q.person_id is not None) for q in s.exec(select(Quote)).all())
            people = sorted(p.name for p in s.exec(select(Person)).all())
        engine.dispose()
        results.append((arts, quotes, people))
    assert results[0] == results[1]
    assert len(results[0][0]) == 6 and len(results[0][1]) >= 6


def test_extractor_failure_keeps_the_article_for_reextract(sqlite_engine, tmp_path, monkeypatch):
    import app.ingest.work as work

    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    url = str(sqlite_engine.url)
    real = work.extract_text

    def broken(text):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(work, "extract_text", broken)
    summary = run_ingest([str(tmp_path)], jobs=1, database_url=url, quiet=True)
    assert summary.new == 1 and len(summary.errors) == 1
    assert "story.txt: stored without quotes, extraction failed (RuntimeError: extractor bug)" in summary.errors[0]
    monkeypatch.setattr(work, "extract_text", real)
    with Session(sqlite_engine) as s:
        assert s.exec(select(Article)).one().extractor_version is None
    assert run_reextract(jobs=1, database_url=url, quiet=True).updated == 1
    with Session(sqlite_engine) as s:
        assert any("bridge will be finished" in q.text for q in s.exec(select(Quote)).all())


def test_counts_shown_follow_a_reextraction_that_adds_no_quote(engine, db_url, tmp_path, client):
    """Extracting again may give a kept quote its speaker without any new row: pages count it at once."""
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    run_ingest([str(tmp_path)], jobs=1, database_url=db_url, quiet=True)
    with Session(engine) as s:  # as an older extractor had left it: the mayor's quote without a speaker
        berg = s.exec(select(Person).where(Person.name == "Anna Berg")).one()
        slug = berg.slug
        quote = s.exec(select(Quote).where(Quote.person_id == berg.id)).one()
        quote.person_id = None
        article = s.exec(select(Article)).one()
        article.extractor_version = "older"
        s.add_all([quote, article])
        s.commit()
    assert client.get(f"/quotes.json?person={slug}").json()["total"] == 0  # now kept by the worker's caches

    assert run_reextract(mode="outdated", jobs=1, database_url=db_url, quiet=True).updated == 1
    assert client.get(f"/quotes.json?person={slug}").json()["total"] == 1

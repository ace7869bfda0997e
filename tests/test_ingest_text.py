"""Ingesting plain-text files and folders: the samples, metadata lines, idempotency, bad files, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from app.ingest.pipeline import run_ingest
from app.models import Article, Quote
from app.sources.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _articles(engine) -> dict[str, Article]:
    with Session(engine) as s:
        return {Path(a.source_path).name: a for a in s.exec(select(Article)).all()}


def test_seeds_get_titles_authors_dates_publishers_and_exact_text(engine, db_url, seed_texts):
    summary = run_ingest([str(SEEDS)], jobs=1, database_url=db_url, quiet=True)
    assert (summary.new, summary.errors) == (3, [])
    arts = _articles(engine)
    a000, a003, a004 = (arts[n] for n in sorted(arts))
    assert a000.title == "Lithuania Supports Macron's Idea To Send NATO Troops To Ukraine"
    assert a000.author == "Sededin Dedovic"
    assert a003.published.isoformat() == "2024-05-12" and a003.publisher == "MENAFN"
    assert a003.title.startswith("In a recent interview with The Guardian")
    assert a004.title.startswith("There is an option to send Lithuanian military to Ukraine.")
    assert a004.title.endswith("…") and len(a004.title) <= 100
    assert not a004.title[:-1].endswith(" ")
    for name, article in arts.items():
        assert article.text == seed_texts[name]  # offsets point into the file's text as read
        assert article.status == "ok" and article.language == "en"
    with Session(engine) as s:
        quotes = s.exec(select(Quote)).all()
    assert quotes, "the samples contain quotations"
    by_id = {a.id: a for a in arts.values()}
    for q in quotes:
        text = by_id[q.article_id].text
        assert q.text == " … ".join(text[a:b].strip() for a, b in q.spans)
        if q.date_precision == "month":  # dated by its attribution ("said in May 2024"): see test_quotes_dating.py
            assert "said in May 2024" in text and q.date.isoformat() == "2024-05-01"
        else:
            assert q.date == by_id[q.article_id].published


def test_ingesting_twice_stores_everything_once(engine, db_url):
    first = run_ingest([str(SEEDS)], jobs=1, database_url=db_url, quiet=True)
    with Session(engine) as s:
        before = sorted((q.uid, q.article_id) for q in s.exec(select(Quote)).all())
    second = run_ingest([str(SEEDS), str(SEEDS / "000_a7d27f95122dddb3.txt")], jobs=1, database_url=db_url, quiet=True)
    assert first.new == 3 and (second.new, second.unchanged, second.quotes) == (0, 4, 0)
    with Session(engine) as s:
        assert len(s.exec(select(Article)).all()) == 3
        after = sorted((q.uid, q.article_id) for q in s.exec(select(Quote)).all())
    assert after == before  # same public quote ids, no duplicates


def test_metadata_lines_and_byline():
    inp = parse_text("Title: Real headline\n\nby Jane Roe\n date 2023-01-02 (Reuters) Body text here.\n")
    assert (inp.title, inp.author, inp.publisher, inp.published.isoformat()) == (
        "Real headline",
        "Jane Roe",
        "Reuters",
        "2023-01-02",
    )
    plain = parse_text("\n\nFirst line is the title\nBy the way, this is not a byline.\n")
    assert plain.title == "First line is the title" and plain.author is None


def _words(quote_text: str) -> str:
    return quote_text.strip('"“”,. ')


def test_changed_article_with_same_url_replaces_its_quotes(engine, db_url, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        'URL: https://news.example/story\n\n"First words here," she said. "Second words here," he said.\n',
        encoding="utf-8",
    )
    run_ingest([str(path)], jobs=1, database_url=db_url, quiet=True)
    with Session(engine) as s:
        old = {q.uid: _words(q.text) for q in s.exec(select(Quote)).all()}
    assert sorted(old.values()) == ["First words here", "Second words here"]
    path.write_text(
        'URL: https://news.example/story\n\n"First words here," she said. "Something else now," he said.\n',
        encoding="utf-8",
    )
    summary = run_ingest([str(path)], jobs=1, database_url=db_url, quiet=True)
    assert (summary.new, summary.updated) == (0, 1)
    with Session(engine) as s:
        arts = s.exec(select(Article)).all()
        new = {q.uid: _words(q.text) for q in s.exec(select(Quote)).all()}
    assert len(arts) == 1 and "Something else now" in arts[0].text
    assert sorted(new.values()) == ["First words here", "Something else now"]
    kept = [uid for uid, t in new.items() if t == "First words here"]
    assert kept and kept[0] in old  # an unmoved quote keeps its public id


def test_bad_files_are_reported_and_the_batch_goes_on(sqlite_engine, tmp_path):
    url = str(sqlite_engine.url)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_junk.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "c_good.txt").write_text('Good story\n\n"We are ready," the mayor said.\n', encoding="utf-8")
    (folder / "d_latin1.txt").write_bytes('Café story\n\n"Très bien," said the chef in a café.\n'.encode("cp1252"))
    errors = tmp_path / "errors.txt"
    summary = run_ingest(
        [str(folder), str(tmp_path / "missing.txt")], jobs=1, database_url=url, errors_path=str(errors), quiet=True
    )
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert any("a_empty.txt" in line and "empty" in line for line in lines)
    assert any("b_junk.txt" in line and "binary" in line for line in lines)
    assert any("missing.txt" in line and "no such file" in line for line in lines)
    assert summary.new == 2
    with Session(sqlite_engine) as s:
        titles = sorted(a.title for a in s.exec(select(Article)).all())
    assert titles == ["Café story", "Good story"]


def _cli(args, db_url, cwd=ROOT):
    env = {**os.environ, "WHOSAID_DATABASE_URL": db_url}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_cli_ingest_prints_a_summary_and_exit_status(sqlite_engine, tmp_path):
    db_url = str(sqlite_engine.url)
    done = _cli(["ingest", "seeds/", "--jobs", "1"], db_url)
    assert done.returncode == 0, done.stderr
    assert "3 new" in done.stdout and "errors: 0" in done.stdout
    assert "seeds/000_a7d27f95122dddb3.txt" in done.stderr  # a plain log line per article when not on a terminal
    again = _cli(["ingest", "seeds/", "--jobs", "2"], db_url)
    assert again.returncode == 0 and "0 new" in again.stdout and "3 unchanged" in again.stdout
    (tmp_path / "empty.txt").write_text("")
    failed = _cli(["ingest", str(tmp_path / "empty.txt"), "--errors", str(tmp_path / "err.txt")], db_url)
    assert failed.returncode == 1
    assert "empty.txt: empty file" in failed.stderr
    assert (tmp_path / "err.txt").read_text().strip().endswith("empty.txt: empty file")


def test_readers_are_not_blocked_while_ingest_writes(sqlite_engine):
    """The web app keeps serving during an ingest: SQLite runs in WAL mode, a reader's open snapshot does not block writes."""
    import sqlite3

    db_file = sqlite_engine.url.database
    reader = sqlite3.connect(db_file, timeout=1)
    try:
        reader.execute("BEGIN")
        assert reader.execute("select count(*) from article").fetchone()[0] == 0
        summary = run_ingest([str(SEEDS)], jobs=1, database_url=str(sqlite_engine.url), quiet=True)
        assert (summary.new, summary.errors) == (3, [])
        assert reader.execute("select count(*) from article").fetchone()[0] == 0  # still its own snapshot
        reader.commit()
        assert reader.execute("select count(*) from article").fetchone()[0] == 3
        assert reader.execute("pragma journal_mode").fetchone()[0] == "wal"
    finally:
        reader.close()


def test_a_second_copy_fills_missing_metadata(engine, db_url, tmp_path):
    body = '"We will build it," the mayor said.\n'
    (tmp_path / "a.txt").write_text("Bridge plan\n\n" + body, encoding="utf-8")
    run_ingest([str(tmp_path / "a.txt")], jobs=1, database_url=db_url, quiet=True)
    archive = tmp_path / "export.jsonl"
    archive.write_text(
        '{"url": "https://paper.example/bridge", "published": "2024-06-01", "publisher": "Paper", '
        '"text": ' + __import__("json").dumps("Bridge plan\n\n" + body) + "}\n",
        encoding="utf-8",
    )
    summary = run_ingest([str(archive)], jobs=1, database_url=db_url, quiet=True)
    assert (summary.new, summary.unchanged) == (0, 1)
    with Session(engine) as s:
        [a] = s.exec(select(Article)).all()
        dates = {q.date for q in s.exec(select(Quote)).all()}
    assert (a.title, a.publisher, str(a.published), a.canonical_url) == (
        "Bridge plan",
        "Paper",
        "2024-06-01",
        "https://paper.example/bridge",
    )
    assert dates == {a.published}


def test_a_quote_of_an_unnamed_person_keeps_their_description(engine, db_url, tmp_path):
    (tmp_path / "story.txt").write_text(
        'Tom Baker runs the firm. "We will grow," Baker said. A company spokesman said the plan was sound. '
        '"It is ready," he said.\n',
        encoding="utf-8",
    )
    run_ingest([str(tmp_path)], jobs=1, database_url=db_url, quiet=True)
    with Session(engine) as s:
        q = next(q for q in s.exec(select(Quote)).all() if "It is ready" in q.text)
    assert q.person_id is None and q.speaker_text == "A company spokesman"

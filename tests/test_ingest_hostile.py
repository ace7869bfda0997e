"""Hostile or odd input: each one costs one error line at most, never the batch, and never leaks SQL.

Control characters, a bad archive row, an oversized local file, an article over its time budget,
a storage error, feed entries that fail, and folders holding feeds and lists of URLs.
"""

from __future__ import annotations

import csv
import json
import threading
import time

import pytest
from sqlalchemy.exc import DataError
from sqlmodel import Session, select

from app.ingest import store, work
from app.ingest.pipeline import run_ingest
from app.models import Article
from app.sources import SourceError, read_capped
from app.sources.inputs import expand

STORY = (
    '"We will keep the harbour open," Mayor Ilze Ozola said on Tuesday, after the council met about '
    "the repairs to the northern pier."
)


def _articles(engine):
    with Session(engine) as s:
        return s.exec(select(Article).order_by(Article.id)).all()


def test_control_characters_are_stripped_counted_and_the_other_rows_stored(engine, db_url, tmp_path):
    jsonl = tmp_path / "export.jsonl"
    rows = [
        {
            "url": "https://coast.example/a",
            "title": "Harbour\u0000 open",
            "text": "Harbour open\n\n" + STORY.replace("Mayor", "Mayor\u0000"),
        },
        {"url": "https://coast.example/b", "text": "Pier repairs\n\n" + STORY.replace("open", "open\u0007\u001b")},
    ]
    lines = [json.dumps(r) for r in rows]
    lines.insert(1, '{"url": "https://coast.example/broken", "text": "no closing brace"')
    lines.append('{"url": "https://coast.example/raw", "text": "Raw NUL\\n\\n' + STORY.replace('"', '\\"') + '\x00"}')
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path_csv = tmp_path / "export.csv"
    with path_csv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["url", "text"])
        w.writerow(["https://coast.example/c", "Ferry news\n\n" + STORY.replace("Tuesday", "Tues\x00day")])
        w.writerow(["https://coast.example/d", ""])  # a row without text: one error
        w.writerow(["https://coast.example/e", "Dredging news\n\n" + STORY.replace("pier", "channel")])
    summary = run_ingest([str(jsonl), str(path_csv)], jobs=1, database_url=db_url, quiet=True)
    assert summary.new == 5 and len(summary.errors) == 2, summary.errors
    assert any(f"{jsonl}:2" in e and "not valid JSON" in e for e in summary.errors)
    assert any(f"{path_csv}:5" in e for e in summary.errors)  # the line the row starts on
    assert summary.controls == 6 and "control characters stripped: 6" in summary.line()
    arts = {a.url: a for a in _articles(engine)}
    assert arts["https://coast.example/a"].title == "Harbour open"
    assert all("\x00" not in a.text and "\x07" not in a.text for a in arts.values())
    assert (
        "Mayor Ilze Ozola" in arts["https://coast.example/a"].text and "Tuesday" in arts["https://coast.example/c"].text
    )


def test_storage_errors_never_show_the_sql_or_its_parameters():
    exc = DataError(
        "INSERT INTO article (text, title) VALUES (%(text)s, %(title)s)",
        {"text": "the whole secret article", "title": "t"},
        ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes\nmore detail"),
    )
    message = store.describe_error(exc)
    assert message == "ValueError: PostgreSQL text fields cannot contain NUL (0x00) bytes"
    assert "INSERT" not in message and "secret" not in message


def test_a_storage_failure_is_one_error_without_sql(engine, db_url, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise DataError("INSERT INTO article VALUES (%(text)s)", {"text": "secret words"}, ValueError("value too long"))

    (tmp_path / "a.txt").write_text("Harbour\n\n" + STORY, encoding="utf-8")
    monkeypatch.setattr(store, "store_article", broken)
    summary = run_ingest([str(tmp_path / "a.txt")], jobs=1, database_url=db_url, quiet=True)
    [error] = summary.errors
    assert "could not store" in error and "value too long" in error
    assert "INSERT" not in error and "secret" not in error


def test_local_files_have_a_size_limit_with_a_clear_message(sqlite_engine, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Harbour\n\n" + (STORY + "\n") * 2000, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Harbour\n\n" + STORY, encoding="utf-8")
    summary = run_ingest(
        [str(big), str(small)], jobs=1, database_url=str(sqlite_engine.url), quiet=True, max_bytes=10_000
    )
    assert summary.new == 1
    [error] = summary.errors
    assert error.startswith(f"{big}: file too large (") and "limit 10,000" in error and "--max-bytes" in error
    with pytest.raises(SourceError, match="file too large"):
        read_capped(big, 10_000)
    assert read_capped(small, 10_000) == small.read_bytes()


def test_an_article_over_its_time_budget_is_named_and_the_batch_goes_on(sqlite_engine, tmp_path, monkeypatch):
    real = work.extract_text
    real("Warm-up: the model loads once, outside the articles' budgets.")

    def slow_on_purpose(text):
        if "SLOW" in text:
            time.sleep(30)
        return real(text)

    monkeypatch.setattr(work, "extract_text", slow_on_purpose)
    (tmp_path / "a_slow.txt").write_text("SLOW story\n\n" + STORY, encoding="utf-8")
    (tmp_path / "b_fine.txt").write_text("Fine story\n\n" + STORY, encoding="utf-8")
    summary = run_ingest([str(tmp_path)], jobs=1, database_url=str(sqlite_engine.url), quiet=True, article_seconds=0.5)
    assert summary.new == 1
    [error] = summary.errors
    assert error.startswith(str(tmp_path / "a_slow.txt")) and "time budget of 0.5 s" in error
    assert [a.title for a in _articles(sqlite_engine)] == ["Fine story"]


def test_folders_skip_feeds_and_report_lists_of_urls(tmp_path):
    (tmp_path / "story.txt").write_text("Harbour\n\n" + STORY, encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss><channel><title>Coast</title></channel></rss>", encoding="utf-8")
    (tmp_path / "saved.rss").write_text("<rss><channel><title>Coast</title></channel></rss>", encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("# to read later\nhttps://coast.example/a\n\nhttps://coast.example/b\n", encoding="utf-8")
    units = expand([str(tmp_path)])
    assert [u for u in units if isinstance(u, str)] == [str(tmp_path / "story.txt")]
    [note] = [u for u in units if isinstance(u, SourceError)]
    assert str(note).startswith(str(urls)) and "list of 2 URL(s), not an article" in str(note)
    # named on the command line, a feed is read as a feed and a list of URLs gives its URLs
    assert expand([str(tmp_path / "feed.xml"), str(urls)]) == [
        str(tmp_path / "feed.xml"),
        "https://coast.example/a",
        "https://coast.example/b",
    ]


def test_a_list_of_urls_is_never_stored_as_an_article(sqlite_engine, tmp_path):
    (tmp_path / "urls.txt").write_text("https://coast.example/a\nhttps://coast.example/b\n", encoding="utf-8")
    summary = run_ingest([str(tmp_path)], jobs=1, database_url=str(sqlite_engine.url), quiet=True)
    assert summary.new == 0 and _articles(sqlite_engine) == []
    assert len(summary.errors) == 1 and "not an article" in summary.errors[0]


def test_a_worker_thread_keeps_the_article_time_budget_too():
    """A queue worker runs articles in a thread, where no SIGALRM arrives: extraction checks the budget
    itself, so an article over it is given up there as well (and one within it is extracted)."""
    outcome: dict[float, str] = {}

    def run(seconds: float) -> None:
        try:
            with work.time_budget(seconds):
                extraction = work.extract_text("Harbour\n\n" + STORY)
            outcome[seconds] = f"{len(extraction.quotes)} quotes"
        except work.ArticleTimeout:
            outcome[seconds] = "over budget"

    for seconds in (0.000001, 120.0):
        worker = threading.Thread(target=run, args=(seconds,))
        worker.start()
        worker.join(180)
    assert outcome[0.000001] == "over budget"
    assert outcome[120.0] != "over budget" and outcome[120.0] != "0 quotes"

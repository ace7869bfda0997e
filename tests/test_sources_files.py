"""Saved HTML pages and archive exports (JSON Lines, CSV): what gets stored, and the error lines for bad input."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from sqlmodel import Session, select

from app.ingest.pipeline import run_ingest
from app.models import Article, Quote

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
PAGE = (FIX / "article.html").read_text(encoding="utf-8")
BODY = (
    '"We will keep the border open for as long as it takes," the governor said on Monday, speaking after a '
    "meeting with customs officials in the regional capital about queues of lorries."
)


def _run(targets, engine, tmp_path):
    errors = tmp_path / "errors.txt"
    summary = run_ingest(
        [str(t) for t in targets], jobs=1, database_url=str(engine.url), errors_path=str(errors), quiet=True
    )
    return summary, errors.read_text(encoding="utf-8").splitlines()


def _articles(engine):
    with Session(engine) as s:
        return s.exec(select(Article).order_by(Article.id)).all()


def test_folder_of_saved_pages_with_broken_ones(sqlite_engine, tmp_path):
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    shutil.copy(FIX / "article.html", pages / "sub" / "a.html")
    (pages / "broken.html").write_text(
        "<html><head><title>Governor keeps border open</title><body><div><p>"
        + BODY
        + "<p>Queues were 20 km long.<div></span></table>",
        encoding="utf-8",
    )
    (pages / "empty.html").write_bytes(b"")
    (pages / "junk.html").write_bytes(bytes(range(256)) * 40)
    (pages / "notes.md").write_text("not an article format, ignored in folders")
    summary, errors = _run([pages], sqlite_engine, tmp_path)
    assert summary.new == 2 and len(errors) == 2
    assert any(line.startswith(str(pages / "empty.html")) and "empty file" in line for line in errors)
    assert any(line.startswith(str(pages / "junk.html")) and "binary" in line for line in errors)
    arts = {Path(a.source_path).name: a for a in _articles(sqlite_engine)}
    assert set(arts) == {"a.html", "broken.html"}
    assert arts["broken.html"].title == "Governor keeps border open"
    assert "We will keep the border open" in arts["broken.html"].text
    saved = arts["a.html"]
    assert (saved.publisher, saved.author, str(saved.published)) == (
        "The Baltic Ledger",
        "Rasa Petraitis",
        "2024-05-14",
    )
    assert saved.canonical_url == "https://ledger.example/world/minister-backs-training-mission"
    assert "\n\n" in saved.text and "Photo: Jonas Doe" not in saved.text and "Read more" not in saved.text
    with Session(sqlite_engine) as s:
        quotes = s.exec(select(Quote).where(Quote.article_id == arts["broken.html"].id)).all()
    assert any("keep the border open" in q.text for q in quotes)


def test_jsonl_archive_rows_and_their_errors(engine, db_url, tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [
        {
            "url": "https://paper.example/border",
            "title": "Border stays open",
            "published": "2024-03-04",
            "publisher": "Paper",
            "author": "A. Writer",
            "text": BODY,
        },
        {
            "url": "https://paper.example/minister",
            "title": "Archive title wins",
            "html": PAGE,
            "published": "2024-05-01",
        },
        {"url": "https://paper.example/nothing", "title": "No body"},
        {"title": "Bad date", "published": "next tuesday", "text": BODY + " Again."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n", encoding="utf-8")
    errors_file = tmp_path / "errors.txt"
    summary = run_ingest([str(path)], jobs=1, database_url=db_url, errors_path=str(errors_file), quiet=True)
    errors = errors_file.read_text(encoding="utf-8").splitlines()
    assert summary.new == 2
    assert errors == [
        f"{path}:3: row has neither 'text' nor 'html'",
        f"{path}:4: column 'published' is not a date: 'next tuesday'",
        f"{path}:5: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    first, second = _articles(engine)
    assert (first.title, first.publisher, first.author, str(first.published)) == (
        "Border stays open",
        "Paper",
        "A. Writer",
        "2024-03-04",
    )
    assert first.text == BODY and first.url == first.canonical_url == "https://paper.example/border"
    assert (second.title, str(second.published), second.author) == (
        "Archive title wins",
        "2024-05-01",
        "Rasa Petraitis",
    )
    assert second.url == "https://paper.example/minister" and "Our instructors could do this work" in second.text
    again = run_ingest([str(path)], jobs=1, database_url=db_url, quiet=True)
    assert (again.new, again.unchanged) == (0, 2) and len(_articles(engine)) == 2


def test_csv_archive_and_a_csv_missing_its_text_column(sqlite_engine, tmp_path):
    good = tmp_path / "good.csv"
    with good.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "title", "published", "publisher", "author", "text"])
        w.writerow(["https://paper.example/c1", "Border, again", "2024-02-03", "Paper", "", BODY + "\nSecond line."])
        w.writerow(["https://paper.example/c2", "Empty", "", "", "", ""])
    bad = tmp_path / "bad.csv"
    bad.write_text("url,title,published,body\nhttps://x.example/1,T,2024-01-01,words\n", encoding="utf-8")
    summary, errors = _run([good, bad], sqlite_engine, tmp_path)
    assert summary.new == 1  # the first row's text spans two lines: the empty row starts on line 4
    assert errors == [
        f"{good}:4: row has neither 'text' nor 'html'",
        f"{bad}: line 1: missing column 'text' or 'html' (columns found: url, title, published, body)",
    ]
    [a] = _articles(sqlite_engine)
    assert (a.title, str(a.published), a.publisher, a.author) == ("Border, again", "2024-02-03", "Paper", None)
    assert a.text == BODY + "\nSecond line."


def test_nothing_ingested_means_failure_status(sqlite_engine, tmp_path, monkeypatch):
    import argparse

    from app.config import get_settings
    from app.ingest.cli import _ingest

    monkeypatch.setenv("WHOSAID_DATABASE_URL", str(sqlite_engine.url))
    get_settings.cache_clear()
    (tmp_path / "junk.html").write_bytes(b"\x00\x01\x02" * 100)
    args = argparse.Namespace(
        targets=[str(tmp_path / "junk.html")],
        jobs=1,
        errors=None,
        quiet=True,
        timeout=None,
        max_bytes=None,
        article_timeout=None,
    )
    try:
        assert _ingest(args) == 1
        (tmp_path / "ok.txt").write_text("Fine\n\nA short note.\n")
        args.targets.append(str(tmp_path / "ok.txt"))
        assert _ingest(args) == 0  # one good input is enough
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

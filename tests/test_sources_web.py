"""URLs, redirects, limits, the private-address guard, RSS/Atom feeds and language, against a local server."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from sqlmodel import Session, select

from app.config import get_settings
from app.ingest.pipeline import run_ingest
from app.models import Article, Quote
from app.sources import SourceError
from app.sources import fetch as fetch_mod

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes: ClassVar[dict] = {}
    hits: ClassVar[Counter] = Counter()

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        self.hits[path] += 1
        route = self.routes.get(path)
        if route is None:
            body = b"<html><body><h1>Not found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        route(self)


def _send(handler, body: bytes, ctype="text/html; charset=utf-8", status=200, length=True):
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    else:
        handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(to: str):
    def route(h):
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return route


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client hanging up (size limit) is expected
        pass


@pytest.fixture
def server(monkeypatch):
    """A local news site on 127.0.0.1; private URLs allowed (WHOSAID_ALLOW_PRIVATE_URLS=1)."""
    monkeypatch.setenv("WHOSAID_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    httpd = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"

    def file(name, ctype="text/html; charset=utf-8"):
        data = (FIX / name).read_bytes().replace(b"http://HOST", base.encode())
        return lambda h: _send(h, data, ctype)

    def slow(h):
        time.sleep(3)
        _send(h, (FIX / "article.html").read_bytes())

    def big(h):
        _send(h, b"<html><body><p>" + b"word " * 400_000 + b"</p></body></html>", length=False)

    _Handler.hits = Counter()
    _Handler.routes = {
        "/article": file("article.html"),
        "/moved": _redirect("/article"),
        "/loop": _redirect("/loop"),
        "/to-private": _redirect("http://10.11.12.13/secret"),
        "/slow": slow,
        "/big": big,
        "/news/premier-instructors": file("feed_page1.html"),
        "/news/alliance-chief": file("feed_page2.html"),
        "/atom/parliament": file("atom_page.html"),
        "/feed.rss": file("feed.rss", "application/rss+xml"),
        "/feed.atom": file("feed.atom", "application/xml"),
        "/fr": file("french.html"),
        "/plain": lambda h: _send(
            h, b'Plain headline\n\n"We are ready," the mayor said.\n', "text/plain; charset=utf-8"
        ),
        "/photo.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()
    get_settings.cache_clear()


def _ingest(targets, db_url, tmp_path, **kw):
    errors = tmp_path / "errors.txt"
    summary = run_ingest(targets, jobs=1, database_url=db_url, errors_path=str(errors), quiet=True, **kw)
    return summary, errors.read_text(encoding="utf-8").splitlines()


def _articles(engine):
    with Session(engine) as s:
        return s.exec(select(Article).order_by(Article.id)).all()


def test_url_page_is_stored_with_metadata_and_quotes(engine, db_url, server, tmp_path):
    summary, errors = _ingest([f"{server}/moved"], db_url, tmp_path)
    assert errors == [] and summary.new == 1
    [a] = _articles(engine)
    assert a.title == "Minister backs training mission"
    assert (a.publisher, a.author, a.published.isoformat()) == ("The Baltic Ledger", "Rasa Petraitis", "2024-05-14")
    assert a.url == f"{server}/moved"
    assert a.canonical_url == f"{server}/article"  # the page's canonical URL is on another host: ignored
    assert "Our instructors could do this work" in a.text
    for boiler in ("Photo: Jonas Doe", "Allies split over troops", "reader123", "All rights reserved", "Subscribe"):
        assert boiler not in a.text
    with Session(engine) as s:
        quotes = s.exec(select(Quote)).all()
    assert any("Our instructors could do this work inside Ukraine" in q.text for q in quotes)
    again, _ = _ingest([f"{server}/article"], db_url, tmp_path)
    assert (again.new, again.unchanged) == (0, 1) and len(_articles(engine)) == 1


def test_fetch_failures_are_clear_and_do_not_stop_the_batch(sqlite_engine, server, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch_mod, "MAX_BYTES", 100_000)
    monkeypatch.setattr(fetch_mod, "TIMEOUT", 1.0)
    targets = [f"{server}/{p}" for p in ("missing", "slow", "big", "loop", "article")]
    summary, errors = _ingest(targets, str(sqlite_engine.url), tmp_path)
    assert summary.new == 1 and len(errors) == 4
    by_url = {line.split(": ", 1)[0]: line for line in errors}
    assert "HTTP 404" in by_url[f"{server}/missing"]
    assert "timed out" in by_url[f"{server}/slow"]
    assert "too large" in by_url[f"{server}/big"]
    assert "too many redirects" in by_url[f"{server}/loop"]


def test_private_addresses_are_refused_by_default(server, monkeypatch):
    monkeypatch.delenv("WHOSAID_ALLOW_PRIVATE_URLS")
    get_settings.cache_clear()
    with pytest.raises(
        SourceError,
        match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback address.*WHOSAID_ALLOW_PRIVATE_URLS",
    ):
        fetch_mod.fetch(f"{server}/article")
    with pytest.raises(SourceError, match="refused: localhost"):
        fetch_mod.fetch("http://localhost/")
    with pytest.raises(SourceError, match="only http and https"):
        fetch_mod.fetch("file:///etc/passwd")
    assert _Handler.hits["/article"] == 0


def test_redirect_to_a_private_address_is_refused(server, monkeypatch):
    """The check holds after every redirect: the local test server stands in for a public site."""
    monkeypatch.delenv("WHOSAID_ALLOW_PRIVATE_URLS")
    get_settings.cache_clear()
    real_kind = fetch_mod._kind
    monkeypatch.setattr(fetch_mod, "_kind", lambda ip: None if str(ip) == "127.0.0.1" else real_kind(ip))
    assert fetch_mod.fetch(f"{server}/article").content.startswith(b"<!DOCTYPE html>")
    with pytest.raises(SourceError, match=r"refused: 10\.11\.12\.13 resolves to 10\.11\.12\.13, a private address"):
        fetch_mod.fetch(f"{server}/to-private")
    assert _Handler.hits["/to-private"] == 1


def test_rss_feed_entries_are_fetched_and_known_ones_skipped(engine, db_url, server, tmp_path):
    summary, errors = _ingest([f"{server}/feed.rss"], db_url, tmp_path)
    assert errors == [] and summary.new == 2
    first, second = _articles(engine)
    assert first.title == "Premier weighs sending instructors"
    assert first.published.isoformat() == "2024-05-15"  # from the feed: the page has no date
    assert first.publisher == "Baltic Wire"  # the feed's title fills the gap
    assert first.author == "Ona Kazlauskaite"  # from the feed's "desk@wire.example (Ona Kazlauskaite)"
    assert first.url == f"{server}/news/premier-instructors"
    assert (second.author, second.published.isoformat()) == ("Tomas Vaitkus", "2024-05-16")  # the page's own
    hits = _Handler.hits["/news/premier-instructors"]
    again, errors = _ingest([f"{server}/feed.rss"], db_url, tmp_path)
    assert errors == [] and (again.new, again.unchanged) == (0, 2)
    assert _Handler.hits["/news/premier-instructors"] == hits  # not fetched again
    assert len(_articles(engine)) == 2


def test_atom_feed(engine, db_url, server, tmp_path):
    summary, errors = _ingest([f"{server}/feed.atom"], db_url, tmp_path)
    assert errors == [] and summary.new == 1
    [a] = _articles(engine)
    assert (a.title, a.publisher, a.author) == (
        "Parliament approves training concept",
        "Vilnius Morning",
        "Laura Jankauskiene",
    )
    assert a.published.isoformat() == "2024-05-17"
    assert a.canonical_url == f"{server}/atom/parliament"  # the page names another host: its own address instead
    with Session(engine) as s:
        assert any("clear signal" in q.text for q in s.exec(select(Quote)).all())


def test_other_language_is_recorded_and_skipped(engine, db_url, server, tmp_path, capsys):
    summary = run_ingest([f"{server}/fr"], jobs=1, database_url=db_url)
    assert (summary.skipped, summary.new, summary.errors) == (1, 0, [])
    assert "language 'fr', not English" in capsys.readouterr().err
    [a] = _articles(engine)
    assert (a.status, a.language, a.extractor_version) == ("skipped-language", "fr", None)
    with Session(engine) as s:
        assert s.exec(select(Quote)).all() == []


def test_feed_file_on_disk_and_a_site_wide_canonical_url(engine, db_url, server, tmp_path):
    """A saved feed file works like a feed URL; a page whose canonical URL is the home page keeps its own URL."""
    feed = tmp_path / "saved.rss"
    feed.write_bytes((FIX / "feed.rss").read_bytes().replace(b"http://HOST", server.encode()))
    site_wide = (
        (FIX / "feed_page2.html")
        .read_bytes()
        .replace(b"</title>", b'</title><link rel="canonical" href="https://wire.example/">')
    )
    _Handler.routes["/news/alliance-chief"] = lambda h: _send(h, site_wide)
    summary, errors = _ingest([str(feed)], db_url, tmp_path)
    assert errors == [] and summary.new == 2
    urls = sorted(a.canonical_url for a in _articles(engine))
    assert urls == [f"{server}/news/alliance-chief", f"{server}/news/premier-instructors"]


def test_plain_text_url_and_a_non_page(engine, db_url, server, tmp_path):
    summary, errors = _ingest([f"{server}/plain", f"{server}/photo.png"], db_url, tmp_path)
    assert summary.new == 1
    assert errors == [f"{server}/photo.png: not a web page or feed (content type image/png)"]
    [a] = _articles(engine)
    assert (a.title, a.url, a.canonical_url) == ("Plain headline", f"{server}/plain", f"{server}/plain")
    assert a.text == 'Plain headline\n\n"We are ready," the mayor said.\n'


def test_a_failed_feed_entry_names_the_feed_and_the_entry(engine, db_url, server, tmp_path):
    del _Handler.routes["/news/alliance-chief"]
    summary, errors = _ingest([f"{server}/feed.rss"], db_url, tmp_path)
    assert summary.new == 1
    [error] = errors
    assert error.startswith(
        f"{server}/news/alliance-chief (feed {server}/feed.rss, entry 2 'Alliance chief rules out deployment'): "
    )
    assert error.endswith("HTTP 404 Not Found")

"""Followed feeds: new entries ingested, known ones not fetched, 304s honoured, broken feeds back off,
a slow feed holds no other, two watchers never poll one feed at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlmodel import Session, select

from app.config import get_settings
from app.feeds.poll import claim, poll_feed
from app.feeds.registry import FeedError, add_feed, find_feed, list_feeds, remove_feed
from app.feeds.schedule import backoff, format_every, parse_every
from app.feeds.watch import watch
from app.models import Article, FollowedFeed, Quote, utcnow
from tests.news_site import NewsSite


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("WHOSAID_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    s = NewsSite()
    yield s
    s.close()
    get_settings.cache_clear()


def _feed(engine, url: str) -> FollowedFeed:
    with Session(engine) as s:
        return s.exec(select(FollowedFeed).where(FollowedFeed.url == url)).one()


def _make_due(engine, feed_id: int) -> None:
    with Session(engine) as s:
        feed = s.get(FollowedFeed, feed_id)
        feed.next_poll = utcnow() - dt.timedelta(seconds=1)
        s.add(feed)
        s.commit()


def _titles(engine) -> list[str]:
    with Session(engine) as s:
        return sorted(a.title for a in s.exec(select(Article)).all())


def test_durations_and_backoff():
    assert parse_every("15m") == 900 and parse_every("1h30m") == 5400 and parse_every("90s") == 90
    assert format_every(5400) == "1h30m"
    for bad in ("soon", "15x", "5s", ""):
        with pytest.raises(ValueError, match="--every"):
            parse_every(bad)
    assert [backoff(600, n) for n in range(4)] == [600, 1200, 2400, 4800]
    assert backoff(3600, 30) == 86400  # capped at a day


def test_follow_list_remove(session):
    feed = add_feed(session, " https://news.example/rss ", "1h")
    assert feed.every == 3600 and feed.url == "https://news.example/rss"
    with pytest.raises(FeedError, match="followed already"):
        add_feed(session, "https://news.example/rss")
    with pytest.raises(FeedError, match="url: 'ftp://x' is not an http"):
        add_feed(session, "ftp://x")
    with pytest.raises(FeedError, match="every"):
        add_feed(session, "https://other.example/rss", "often")
    assert [f.url for f in list_feeds(session)] == ["https://news.example/rss"]
    assert find_feed(session, str(feed.id)).url == feed.url
    remove_feed(session, "https://news.example/rss")
    assert list_feeds(session) == []


def test_new_entries_ingested_known_not_fetched_304_honoured(engine, site):
    site.add("alpha", "beta")
    with Session(engine) as s:
        feed_id = add_feed(s, site.feed_url, "1m").id

    assert watch(engine, once=True) == 1
    assert _titles(engine) == ["Bridge alpha to open", "Bridge beta to open"]
    with Session(engine) as s:
        assert s.exec(select(Quote)).first() is not None, "quotes extracted from the feed's articles"
    feed = _feed(engine, site.feed_url)
    assert feed.last_success is not None and feed.failures == 0 and feed.last_error is None
    assert feed.etag and feed.next_poll > utcnow() + dt.timedelta(seconds=30)
    assert watch(engine, once=True) == 0, "not due again before its interval"

    # unchanged feed: one conditional GET answered 304, nothing else fetched
    _make_due(engine, feed_id)
    before = sum(site.hits.values())
    watch(engine, once=True)
    assert site.not_modified == 1 and sum(site.hits.values()) == before + 1
    assert "304" in _feed(engine, site.feed_url).last_status

    # the feed changes: only the new entry's page is fetched
    site.add("gamma")
    _make_due(engine, feed_id)
    watch(engine, once=True)
    assert _titles(engine) == ["Bridge alpha to open", "Bridge beta to open", "Bridge gamma to open"]
    assert site.hits["/news/alpha.html"] == 1 and site.hits["/news/beta.html"] == 1
    assert site.hits["/news/gamma.html"] == 1
    assert _feed(engine, site.feed_url).last_status.startswith("1 new of 3 entries")


def test_broken_feed_backs_off_and_shows_error(engine, site):
    site.add("delta")
    site.broken = True
    with Session(engine) as s:
        feed_id = add_feed(s, site.feed_url, "1m").id
    for failures in (1, 2, 3):
        _make_due(engine, feed_id)
        watch(engine, once=True)
        feed = _feed(engine, site.feed_url)
        assert feed.failures == failures and "HTTP 500" in feed.last_error and feed.last_success is None
        wait = (feed.next_poll - feed.last_poll).total_seconds()
        assert 60 * 2**failures <= wait < 60 * 2**failures + 30
    site.broken = False
    _make_due(engine, feed_id)
    watch(engine, once=True)
    feed = _feed(engine, site.feed_url)
    assert feed.failures == 0 and feed.last_error is None and feed.last_success is not None
    assert _titles(engine) == ["Bridge delta to open"]


def test_slow_feed_holds_no_other(engine, monkeypatch):
    monkeypatch.setenv("WHOSAID_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    slow, fast = NewsSite("slow"), NewsSite("fast")
    try:
        slow.add("slowpoke")
        fast.add("quick")
        release = slow.hold("/slow.xml")
        with Session(engine) as s:
            add_feed(s, slow.feed_url, "1m")
            add_feed(s, fast.feed_url, "1m")
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(engine,), kwargs={"stop": stop, "tick": 0.2})
        watcher.start()
        deadline = time.monotonic() + 120
        while "Bridge quick to open" not in _titles(engine) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _titles(engine) == ["Bridge quick to open"], "the fast feed was ingested while the slow one hung"
        release.set()
        while len(_titles(engine)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        watcher.join(60)
        assert _titles(engine) == ["Bridge quick to open", "Bridge slowpoke to open"]
    finally:
        slow.close()
        fast.close()
        get_settings.cache_clear()


def test_two_watchers_never_poll_one_feed_at_once(engine, site):
    site.add("epsilon")
    with Session(engine) as s:
        feed_id = add_feed(s, site.feed_url, "1m").id
    assert claim(engine, feed_id) is True
    assert claim(engine, feed_id) is False, "a claimed feed is not due for anyone else"
    release = site.hold(f"/{site.name}.xml")
    results = []
    watchers = [threading.Thread(target=lambda: results.append(watch(engine, once=True))) for _ in range(3)]
    _make_due(engine, feed_id)
    for t in watchers:
        t.start()
    time.sleep(1)
    release.set()
    for t in watchers:
        t.join(60)
    assert sorted(results) == [0, 0, 1] and site.hits[f"/{site.name}.xml"] == 1
    assert poll_feed(engine, 999_999) is None  # a removed feed is skipped


def test_new_quotes_appear_on_the_site_without_restart(engine, site, client):
    assert "Olof Dahl" not in client.get("/quotes").text
    site.add("zeta")
    with Session(engine) as s:
        add_feed(s, site.feed_url, "1m")
    watch(engine, once=True)
    assert "We have waited" in client.get("/quotes").text
    atom = client.get("/quotes.atom")
    assert atom.status_code == 200 and "We have waited" in atom.text


def test_feeds_command_line(tmp_path, monkeypatch, capsys):
    from app.cli import main
    from app.db import get_engine

    monkeypatch.setenv("WHOSAID_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert main(["feeds", "add", "https://news.example/rss", "--every", "30m"]) == 0
        assert "following feed 1: https://news.example/rss every 30m" in capsys.readouterr().out
        assert main(["feeds", "add", "https://news.example/rss"]) == 2
        assert "followed already" in capsys.readouterr().err
        assert main(["feeds", "add", "https://other.example/rss", "--every", "soon"]) == 2
        assert "every: 'soon' is not a duration" in capsys.readouterr().err
        assert main(["feeds", "list"]) == 0
        listing = capsys.readouterr().out
        assert "https://news.example/rss\tevery 30m\tlast success: never" in listing
        assert main(["feeds", "remove", "1"]) == 0 and main(["feeds", "list"]) == 0
        assert "no followed feeds" in capsys.readouterr().out
        assert main(["feeds", "remove", "7"]) == 2
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()


def test_serve_watch_shows_new_quotes_without_restart(tmp_path, site):
    import os
    import signal
    import socket
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "WHOSAID_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "WHOSAID_ALLOW_PRIVATE_URLS": "1",
    }
    env.pop("DATABASE_URL", None)
    assert (
        subprocess.run(
            [sys.executable, "-m", "app.cli", "feeds", "add", site.feed_url, "--every", "1m"],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=120,
        ).returncode
        == 0
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--watch", "--port", str(port), "--workers", "1"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        site.add("theta")
        deadline = time.monotonic() + 180
        page = ""
        while "We have waited" not in page and time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/quotes", timeout=10).text
            except httpx.HTTPError:
                continue
        assert "We have waited" in page, "the watcher beside the server ingested the feed's article"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)

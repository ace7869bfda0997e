"""Polling one followed feed: conditional GET, new entries only, back-off on failure.

A watcher first claims a due feed (claim: one conditional UPDATE moving next_poll past a lease, so
no other watcher takes it), then poll_feed fetches it with the stored ETag / Last-Modified (an
unchanged feed costs one 304), reads or enqueues only the entries whose URL is not stored yet, and
records the outcome: next poll after `every`, or after an exponential back-off with the error.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.feeds.schedule import backoff
from app.ingest import store
from app.ingest.pipeline import ingest_items
from app.models import FollowedFeed, utcnow
from app.sources import SourceError
from app.sources.feeds import feed_entries
from app.sources.fetch import fetch
from app.sources.inputs import entry_jobs

LEASE = 600  # seconds a claimed feed stays with its watcher (a watcher that dies mid-poll frees it then)
_EXTRACT = threading.Lock()  # one extraction at a time per process; fetches run side by side

Enqueue = Callable[[str, dict], None]


@dataclass
class PollOutcome:
    """What one poll did."""

    feed_id: int
    url: str
    status: str  # the line shown on /admin/feeds and in `whosaid feeds list`
    ok: bool
    new: int = 0
    entries: int = 0


def due_feeds(engine: Engine, now: dt.datetime | None = None) -> list[int]:
    """Ids of the feeds whose next poll is due, most overdue first."""
    now = now or utcnow()
    with Session(engine) as session:
        stmt = (
            select(col(FollowedFeed.id)).where(col(FollowedFeed.next_poll) <= now).order_by(col(FollowedFeed.next_poll))
        )
        return [feed_id for feed_id in session.exec(stmt).all() if feed_id is not None]


def claim(engine: Engine, feed_id: int, now: dt.datetime | None = None, lease: int = LEASE) -> bool:
    """Take a due feed for one poll; False when it is not due or another watcher took it first."""
    now = now or utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(FollowedFeed)
            .where(col(FollowedFeed.id) == feed_id, col(FollowedFeed.next_poll) <= now)
            .values(next_poll=now + dt.timedelta(seconds=lease))
        )
        return result.rowcount == 1


def _meta(entry) -> dict:
    return {"title": entry.title, "published": entry.published, "author": entry.author, "publisher": entry.publisher}


def poll_feed(
    engine: Engine, feed_id: int, fetcher: Callable | None = None, enqueue: Enqueue | None = None, quiet: bool = True
) -> PollOutcome | None:
    """Poll one (claimed) feed now; its new entries are ingested here, or handed to enqueue(link, meta)."""
    fetcher = fetcher or fetch
    with Session(engine) as session:
        feed = session.get(FollowedFeed, feed_id)
        if feed is None:  # removed meanwhile
            return None
        url, etag, last_modified, every, failures = feed.url, feed.etag, feed.last_modified, feed.every, feed.failures
    started = utcnow()

    def known(link: str) -> bool:
        with Session(engine) as s:
            return store.known_url(s, link)

    try:
        fetched = fetcher(url, etag=etag, last_modified=last_modified)
        if fetched.status == 304:
            outcome = PollOutcome(feed_id, url, "not modified (304)", ok=True)
        else:
            entries = feed_entries(fetched.content, url)
            fresh = [e for e in entries if e.link and not known(e.link)]
            if enqueue is not None:
                for entry in fresh:
                    enqueue(entry.link, _meta(entry))
                status = f"{len(fresh)} new of {len(entries)} entries, queued"
            else:
                with _EXTRACT:
                    summary = ingest_items(engine, entry_jobs(url, fresh, known, fetcher), quiet=quiet)
                status = f"{len(fresh)} new of {len(entries)} entries: {summary.new} stored"
                if summary.errors:
                    status += f", {len(summary.errors)} failed ({summary.errors[0][:200]})"
            outcome = PollOutcome(feed_id, url, status, ok=True, new=len(fresh), entries=len(entries))
            etag, last_modified = fetched.etag, fetched.last_modified
    except SourceError as exc:
        outcome = PollOutcome(feed_id, url, str(exc), ok=False)
    except Exception as exc:  # noqa: BLE001 - one broken feed never stops the watcher
        outcome = PollOutcome(feed_id, url, f"{url}: unexpected error ({type(exc).__name__}: {exc})", ok=False)
    _record(engine, feed_id, outcome, started, etag, last_modified, every, failures)
    if not quiet or not outcome.ok:
        print(f"{'polled' if outcome.ok else 'failed'} {url}: {outcome.status}", file=sys.stderr, flush=True)
    return outcome


def _record(
    engine: Engine,
    feed_id: int,
    outcome: PollOutcome,
    started: dt.datetime,
    etag,
    last_modified,
    every: int,
    failures: int,
) -> None:
    """Store the poll's outcome and schedule the next one (back-off after a failure)."""
    now = utcnow()
    failures = 0 if outcome.ok else failures + 1
    values = {
        "last_poll": started,
        "failures": failures,
        "next_poll": now + dt.timedelta(seconds=backoff(every, failures)),
    }
    if outcome.ok:
        values.update(
            last_success=now, last_error=None, last_status=outcome.status[:100], etag=etag, last_modified=last_modified
        )
    else:
        values.update(last_error=outcome.status[:2000], last_status=f"failed {failures} time(s) in a row")
    with engine.begin() as conn:
        conn.execute(update(FollowedFeed).where(col(FollowedFeed.id) == feed_id).values(**values))

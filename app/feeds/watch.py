"""`whosaid watch`: poll every followed feed on its schedule, side by side, until stopped.

Polls run in a small thread pool, so a slow or hanging feed (bounded by the fetch timeout) holds
one thread and never the others. With a queue (PostgreSQL), each due feed becomes a poll job and
the workers do the fetching and extraction.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.feeds.poll import claim, due_feeds, poll_feed

TICK = 1.0  # seconds between looks for due feeds


def watch(
    engine: Engine,
    *,
    threads: int = 4,
    once: bool = False,
    stop: threading.Event | None = None,
    fetcher: Callable | None = None,
    defer_poll: Callable[[int], None] | None = None,
    quiet: bool = True,
    tick: float = TICK,
) -> int:
    """Poll due feeds until stop is set (or, with once, until every feed due now is done); returns polls started.

    defer_poll(feed_id), when given, queues the poll instead of running it here.
    """
    stop = stop or threading.Event()
    running: dict[int, Future] = {}
    started = 0
    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="whosaid-watch") as pool:
        while not stop.is_set():
            for feed_id, fut in list(running.items()):
                if fut.done():
                    del running[feed_id]
                    if fut.exception() is not None:
                        print(f"feed {feed_id}: poll crashed ({fut.exception()!r})", file=sys.stderr, flush=True)
            try:
                started += _start_due(engine, pool, running, fetcher, defer_poll, quiet)
            except SQLAlchemyError as exc:  # the database is away for a moment: look again next tick
                print(f"cannot read the followed feeds ({type(exc).__name__}: {exc})", file=sys.stderr, flush=True)
            if once:
                for fut in running.values():
                    fut.result()
                break
            stop.wait(tick)
    return started


def _start_due(engine: Engine, pool: ThreadPoolExecutor, running: dict[int, Future], fetcher, defer_poll, quiet) -> int:
    """Claim every due feed not being polled here, and poll it in the pool (or queue its poll)."""
    started = 0
    for feed_id in due_feeds(engine):
        if feed_id in running or not claim(engine, feed_id):
            continue
        started += 1
        if defer_poll is not None:
            try:
                defer_poll(feed_id)
            except Exception as exc:  # noqa: BLE001 - the queue is away: the claim lapses and the feed comes due again
                print(f"feed {feed_id}: could not queue its poll ({exc!r})", file=sys.stderr, flush=True)
        else:
            running[feed_id] = pool.submit(poll_feed, engine, feed_id, fetcher=fetcher, quiet=quiet)
    return started

"""Subcommands of app.feeds: `whosaid feeds add|list|remove` and `whosaid watch`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.commands import fail, migrated_session
from app.config import get_settings
from app.db import get_engine, upgrade
from app.feeds.registry import FeedError, add_feed, list_feeds, remove_feed
from app.feeds.schedule import format_every


def register(sub) -> None:
    """Add this package's subcommands."""
    p = sub.add_parser("feeds", help="follow RSS/Atom feeds that `whosaid watch` polls")
    feeds = p.add_subparsers(dest="feeds_command", required=True)
    a = feeds.add_parser("add", help="follow a feed")
    a.add_argument("url")
    a.add_argument("--every", default="15m", help="time between polls, e.g. 15m, 1h, 90s (default 15m)")
    a.set_defaults(func=_add)
    ls = feeds.add_parser("list", help="followed feeds with their last success, last error and next poll")
    ls.set_defaults(func=_list)
    r = feeds.add_parser("remove", help="stop following a feed (its articles stay)")
    r.add_argument("feed", metavar="ID_OR_URL")
    r.set_defaults(func=_remove)

    w = sub.add_parser("watch", help="poll followed feeds on their schedule and ingest new entries, until stopped")
    w.add_argument("--once", action="store_true", help="poll the feeds that are due now, then exit")
    w.add_argument("--threads", type=int, default=4, help="feeds polled at the same time (default 4)")
    w.add_argument(
        "--in-process",
        action="store_true",
        help="ingest here even on PostgreSQL (default there: queue the polls for `whosaid worker`)",
    )
    w.set_defaults(func=_watch)


def _add(args: argparse.Namespace) -> int:
    with migrated_session() as session:
        try:
            feed = add_feed(session, args.url, args.every)
        except FeedError as exc:
            return fail(str(exc))
        print(f"following feed {feed.id}: {feed.url} every {format_every(feed.every)}")
    return 0


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "never"


def _list(args: argparse.Namespace) -> int:
    with migrated_session() as session:
        feeds = list_feeds(session)
        if not feeds:
            print("no followed feeds (add one with `whosaid feeds add URL`)")
        for f in feeds:
            print(
                f"{f.id}\t{f.url}\tevery {format_every(f.every)}\tlast success: {_when(f.last_success)}"
                f"\tnext poll: {_when(f.next_poll)}\t{f.last_status or ''}"
            )
            if f.last_error:
                print(f"\tlast error ({f.failures} failure(s) in a row): {f.last_error}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    with migrated_session() as session:
        try:
            feed = remove_feed(session, args.feed)
        except FeedError as exc:
            return fail(str(exc))
        print(f"no longer following {feed.url}")
    return 0


def _watch(args: argparse.Namespace) -> int:
    from app.feeds.watch import watch  # noqa: PLC0415 - lazy: ingest and trafilatura (1 s), for `watch` only
    from app.jobs.queue import queue_enabled  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    upgrade()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    defer_poll = None
    url = get_settings().database_url
    if queue_enabled(url) and not args.in_process:
        from app.jobs.queue import defer_poll as defer_poll_job  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

        defer_poll = defer_poll_job
        print("watching followed feeds; polls go to the job queue (`whosaid worker` runs them)", file=sys.stderr)
    else:
        print("watching followed feeds; ingesting in this process", file=sys.stderr)
    polls = watch(get_engine(), threads=args.threads, once=args.once, stop=stop, defer_poll=defer_poll, quiet=False)
    if args.once:
        print(f"{polls} feed(s) polled" + (" (queued)" if defer_poll else ""))
    return 0

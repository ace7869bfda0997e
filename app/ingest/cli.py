"""Subcommands of app.ingest: `whosaid ingest` and `whosaid reextract`."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from app.config import get_settings
from app.db import refresh_statistics, upgrade
from app.sources.fetch import fetch


def positive(value: str) -> int:
    """argparse type: an integer of at least 1 (shared by the ingest and queue commands)."""
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def register(sub) -> None:
    """Add this package's subcommands."""
    p = sub.add_parser(
        "ingest",
        help="read articles (text/HTML files, folders, URLs, RSS/Atom feeds, JSONL/CSV archives) and extract their quotes",
        description="Ingest articles: .txt and .html files or folders of them, http(s) URLs, RSS/Atom feeds "
        "(URL or file), and .jsonl/.csv archives (columns url, title, published, publisher, author, text or html).",
    )
    p.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    p.add_argument(
        "--jobs", "-j", type=positive, default=None, help="extraction worker processes (default: number of cores)"
    )
    p.add_argument("--errors", metavar="FILE", help="write one line per failed input, with its reason, to FILE")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output, only errors and the summary")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed for fetching one URL (default 20)")
    p.add_argument(
        "--max-bytes",
        type=positive,
        default=None,
        help="largest page fetched, local file read or archive row (default 5 MB; WHOSAID_MAX_BYTES)",
    )
    p.add_argument(
        "--article-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time budget of one article; over it the article is reported and skipped "
        "(default 60; 0 = none; WHOSAID_ARTICLE_SECONDS)",
    )
    p.add_argument(
        "--queue", action="store_true", help="queue the work for `whosaid worker` (PostgreSQL) instead of doing it here"
    )
    p.set_defaults(func=_ingest)

    r = sub.add_parser("reextract", help="re-run quote extraction on stored articles, keeping editors' corrections")
    group = r.add_mutually_exclusive_group()
    group.add_argument("--all", dest="mode", action="store_const", const="all", help="every stored article")
    group.add_argument(
        "--outdated",
        dest="mode",
        action="store_const",
        const="outdated",
        help="articles extracted by another extractor version (default)",
    )
    r.add_argument(
        "--jobs", "-j", type=positive, default=None, help="extraction worker processes (default: number of cores)"
    )
    r.add_argument("--quiet", "-q", action="store_true", help="no progress output, only errors and the summary")
    r.add_argument("--queue", action="store_true", help="queue one job per article for `whosaid worker` (PostgreSQL)")
    r.set_defaults(func=_reextract, mode="outdated")


def _queue_or_complain() -> bool:
    from app.jobs.queue import queue_enabled  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if queue_enabled():
        return True
    print(
        "error: --queue needs PostgreSQL (set DATABASE_URL=postgresql://…); without it, leave --queue out "
        "and the work is done in this process",
        file=sys.stderr,
    )
    return False


def _ingest(args: argparse.Namespace) -> int:
    if getattr(args, "queue", False):
        return _ingest_queued(args)

    from app.ingest.pipeline import run_ingest  # noqa: PLC0415 - lazy: trafilatura (0.7 s), for these commands only

    max_bytes = args.max_bytes or get_settings().max_bytes
    fetcher = partial(fetch, timeout=args.timeout, max_bytes=max_bytes)
    summary = run_ingest(
        args.targets,
        jobs=args.jobs,
        errors_path=args.errors,
        fetcher=fetcher,
        quiet=args.quiet,
        max_bytes=max_bytes,
        article_seconds=args.article_timeout,
    )
    print(summary.line(), flush=True)
    if summary.new or summary.updated:
        refresh_statistics()  # the planner's statistics follow the archive as it grows
    if args.errors and summary.errors:
        print(f"{len(summary.errors)} failed input(s) listed in {args.errors}", flush=True)
    if summary.interrupted:
        return 128 + summary.interrupted  # 130 after Ctrl-C (SIGINT), 143 after SIGTERM, as a shell reports them
    return 1 if summary.ok == 0 and summary.errors else 0


def _ingest_queued(args: argparse.Namespace) -> int:
    from app.jobs.queue import enqueue_targets  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if not _queue_or_complain():
        return 2
    upgrade()
    queued = enqueue_targets(args.targets)
    errors = queued.errors
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            out.writelines(line.replace("\n", " ") + "\n" for line in errors)
    print(
        f"queued {queued.inputs} input(s) in {queued.jobs} job(s); errors: {len(errors)}; "
        "`whosaid worker` runs them, `whosaid jobs failed` lists failures"
    )
    return 1 if queued.jobs == 0 and errors else 0


def _reextract(args: argparse.Namespace) -> int:
    from app.ingest.pipeline import run_reextract  # noqa: PLC0415 - lazy: trafilatura (0.7 s), for these commands only

    if getattr(args, "queue", False):
        from app.ingest.pipeline import reextract_ids  # noqa: PLC0415 - lazy: trafilatura (0.7 s), for these commands only
        from app.jobs.queue import enqueue_reextract  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

        if not _queue_or_complain():
            return 2
        upgrade()
        print(f"queued {enqueue_reextract(reextract_ids(args.mode))} re-extraction job(s)")
        return 0

    summary = run_reextract(mode=args.mode, jobs=args.jobs, quiet=args.quiet)
    if summary.updated:
        refresh_statistics()
    print(
        f"re-extracted {summary.updated} article(s); quotes stored: {summary.quotes}; "
        f"people: {summary.people_after} ({summary.people_after - summary.people_before} new); errors: {len(summary.errors)}"
    )
    return 1 if summary.updated == 0 and summary.errors else 0

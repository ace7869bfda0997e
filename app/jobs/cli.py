"""Subcommands of app.jobs: `whosaid worker` and `whosaid jobs failed|retry` (PostgreSQL job queue)."""

from __future__ import annotations

import argparse
import os
import sys

from app.db import upgrade
from app.ingest.cli import positive


def register(sub) -> None:
    """Add this package's subcommands."""
    w = sub.add_parser("worker", help="run queued ingest jobs (PostgreSQL); start one per machine, or more")
    w.add_argument(
        "--concurrency",
        "-c",
        type=positive,
        default=None,
        help="worker processes, one job each at a time (default: number of cores)",
    )
    w.add_argument("--name", default="worker", help=argparse.SUPPRESS)
    w.set_defaults(func=_worker)

    j = sub.add_parser("jobs", help="the job queue: failed jobs and retrying them")
    jobs = j.add_subparsers(dest="jobs_command", required=True)
    f = jobs.add_parser("failed", help="jobs that failed for good, with their error")
    f.set_defaults(func=_failed)
    r = jobs.add_parser("retry", help="queue a failed job again")
    r.add_argument("job_id", type=int, metavar="ID")
    r.set_defaults(func=_retry)


def _need_queue() -> bool:
    from app.jobs.queue import queue_enabled  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if not queue_enabled():
        print(
            "error: the job queue needs PostgreSQL (set DATABASE_URL=postgresql://…); "
            "with SQLite, ingest and watch work in-process",
            file=sys.stderr,
        )
        return False
    return True


def _worker(args: argparse.Namespace) -> int:
    from app.jobs.worker import run_worker, supervise  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if not _need_queue():
        return 2
    concurrency = args.concurrency or os.cpu_count() or 1
    if concurrency == 1:
        upgrade()
        run_worker(args.name)
        return 0
    upgrade()
    return supervise(concurrency)


def _failed(args: argparse.Namespace) -> int:
    from app.jobs.admin import failed_jobs  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if not _need_queue():
        return 2
    upgrade()
    rows = failed_jobs()
    if not rows:
        print("no failed jobs")
    for row in rows:
        print(f"{row.id}\t{row.task}\t{row.args}\tattempts: {row.attempts}\tat: {row.at or '?'}")
        print(f"\terror: {(row.error or '(no error recorded)').strip()}")
    return 0


def _retry(args: argparse.Namespace) -> int:
    from app.jobs.admin import JobNotFound, retry_job  # noqa: PLC0415 - lazy: procrastinate (0.5 s), queue only

    if not _need_queue():
        return 2
    upgrade()
    try:
        retry_job(args.job_id)
    except JobNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"job {args.job_id} queued again")
    return 0

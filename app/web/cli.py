"""`whosaid serve` (optionally with the feed watcher beside it: `--watch`)."""

import argparse
import os
import subprocess
import sys

import uvicorn

from app.config import get_settings
from app.db import upgrade
from app.web.security import ANY_ADDRESS


def register(sub) -> None:
    """Add the serve subcommand."""
    p = sub.add_parser("serve", help="serve the web app (migrates first)")
    p.add_argument("--host", default=None, help="interface (default WHOSAID_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default WHOSAID_PORT or 8000)")
    p.add_argument(
        "--workers", type=int, default=None, help="server processes (default WHOSAID_WORKERS, else one per core)"
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="also poll followed feeds and ingest their new entries (`whosaid watch --in-process` beside the server)",
    )
    p.set_defaults(func=serve)


def worker_count(requested: int | None) -> int:
    """--workers, else WHOSAID_WORKERS, else the number of cores (at least 1)."""
    return max(1, requested or get_settings().workers or os.cpu_count() or 1)


def serve(args: argparse.Namespace) -> int:
    """Migrate, then run uvicorn with N worker processes."""
    settings = get_settings()
    host = args.host or settings.host
    if args.host:  # worker processes read the served address from the environment (allowed Host names)
        os.environ["WHOSAID_HOST"] = args.host
    if host.strip() in ANY_ADDRESS and not (settings.allowed_hosts or settings.base_url):
        print(
            f"whosaid serve: listening on {host}, but only localhost is answered: set WHOSAID_BASE_URL "
            "or WHOSAID_ALLOWED_HOSTS to the names clients use",
            file=sys.stderr,
        )
    upgrade()
    # one machine: the watcher ingests itself, even on PostgreSQL (no worker needed)
    watch = [sys.executable, "-m", "app.cli", "watch", "--in-process"]
    watcher = subprocess.Popen(watch) if getattr(args, "watch", False) else None
    try:
        uvicorn.run("app.web.main:app", host=host, port=args.port or settings.port, workers=worker_count(args.workers))
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(timeout=60)
    return 0

"""The `whosaid` command: serve, ingest, extract, reextract, migrate, user, feeds, watch, worker, jobs."""

from __future__ import annotations

import argparse
import sys

from app.corrections import cli as corrections_cli
from app.db import upgrade
from app.feeds import cli as feeds_cli
from app.ingest import cli as ingest_cli
from app.jobs import cli as jobs_cli
from app.quotes import cli as quotes_cli
from app.web import cli as web_cli


def _migrate(args: argparse.Namespace) -> int:
    upgrade()
    print("schema up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each package registers its own subcommands."""
    parser = argparse.ArgumentParser(prog="whosaid", description="Who said what: quotes and speakers from the news.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.set_defaults(func=_migrate)
    for module in (web_cli, ingest_cli, quotes_cli, corrections_cli, feeds_cli, jobs_cli):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

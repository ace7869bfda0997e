"""What the packages' command modules (app/*/cli.py) share: a session on the migrated database, and errors.

Each package registers its own subcommands (app.cli builds the parser); a command that reads or writes
the archive first brings the schema up to date, and a command that fails says why on stderr and returns
the exit status.
"""

from __future__ import annotations

import sys

from sqlmodel import Session

from app.db import get_engine, upgrade


def migrated_session() -> Session:
    """A session on the configured database, its schema brought up to date first."""
    upgrade()
    return Session(get_engine())


def fail(message: str, status: int = 2, prefix: str = "error") -> int:
    """Print "prefix: message" on stderr; the exit status for the command to return (2: usage or input)."""
    print(f"{prefix}: {message}", file=sys.stderr)
    return status

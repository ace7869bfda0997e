"""`whosaid user add NAME` and `whosaid user list`: editor accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlmodel import select

from app.commands import fail, migrated_session
from app.models import User


def register(sub) -> None:
    """Add the user subcommands."""
    p = sub.add_parser("user", help="editor accounts (needed only to correct data)")
    usub = p.add_subparsers(dest="user_command", required=True)
    a = usub.add_parser("add", help="create an editor; asks for the password twice")
    a.add_argument("name", help="user name (no spaces)")
    a.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    a.set_defaults(func=add)
    ls = usub.add_parser("list", help="list editors")
    ls.set_defaults(func=list_users)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.name}: ")
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        raise ValueError("the two passwords differ")
    return first


def add(args: argparse.Namespace) -> int:
    """Create an editor account."""
    from app.corrections.auth import AuthError, add_user  # noqa: PLC0415 - lazy: argon2 (0.6 s), for this command only

    try:
        password = _read_password(args)
    except (ValueError, EOFError, KeyboardInterrupt) as exc:
        return fail(str(exc) or "no password given", prefix="whosaid user add")
    with migrated_session() as session:
        try:
            user = add_user(session, args.name, password)
            session.commit()
        except AuthError as exc:
            return fail(str(exc), status=1, prefix="whosaid user add")
        print(f"created editor {user.username!r}; sign in at /login")
    return 0


def list_users(args: argparse.Namespace) -> int:
    """Print every editor with the date the account was made."""
    with migrated_session() as session:
        users = session.exec(select(User).order_by(User.username)).all()
        if not users:
            print("no editors yet: whosaid user add NAME")
        for u in users:
            print(f"{u.username}\t{u.created_at:%Y-%m-%d}")
    return 0

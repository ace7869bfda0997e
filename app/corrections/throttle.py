"""Login throttling in the database: failed sign-ins counted per user name and per client address.

Every worker process reads and writes the same `loginfailure` table, so the limits hold however
many processes serve the site. Within WINDOW seconds, a sign-in is refused (429) while
- the user name and client address together have MAX_FAILURES failures (guessing one password), or
- the client address has MAX_ADDRESS_FAILURES failures over any user names (spraying names), or
- the user name has MAX_USER_FAILURES failures from any addresses (many machines, one account).
The last limit is higher than the others, so one client alone cannot lock an editor out.
A successful sign-in clears the failures of that user name from that address. Two workers can
both pass the check at the same instant, so a limit may be overshot by the number of workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.models import LoginFailure, utcnow

WINDOW = 15 * 60  # seconds
MAX_FAILURES = 5  # per (user name, client address)
MAX_ADDRESS_FAILURES = 20  # per client address, any user names
MAX_USER_FAILURES = 50  # per user name, any client addresses
USERNAME_MAX = 100
CLIENT_MAX = 64


def _key(username: str, client: str) -> tuple[str, str]:
    return (username or "").strip().lower()[:USERNAME_MAX], (client or "unknown")[:CLIENT_MAX]


class LoginThrottle:
    """Failed sign-ins in a sliding window, in the database; `now` is a seam for tests."""

    def __init__(self, now: Callable[[], dt.datetime] = utcnow):
        self.now = now

    def retry_after(self, session: Session, username: str, client: str) -> int:
        """Seconds until this user name may try again from this address (0: now)."""
        name, client = _key(username, client)
        now = self.now()
        since = now - dt.timedelta(seconds=WINDOW)
        recent = LoginFailure.at > since
        limits = (
            ((LoginFailure.username == name) & (LoginFailure.client == client), MAX_FAILURES),
            (LoginFailure.client == client, MAX_ADDRESS_FAILURES),
            (LoginFailure.username == name, MAX_USER_FAILURES),
        )
        wait = 0
        for where, limit in limits:
            count, oldest = session.exec(select(func.count(), func.min(LoginFailure.at)).where(recent, where)).one()
            if count >= limit:
                oldest_at = _aware(oldest)
                wait = max(wait, int((oldest_at + dt.timedelta(seconds=WINDOW) - now).total_seconds()) + 1)
        return wait

    def failed(self, session: Session, username: str, client: str) -> None:
        """Record a failed sign-in (and forget failures older than the window); commits."""
        name, client = _key(username, client)
        now = self.now()
        session.exec(delete(LoginFailure).where(col(LoginFailure.at) <= now - dt.timedelta(seconds=WINDOW)))
        session.add(LoginFailure(username=name, client=client, at=now))
        session.commit()

    def succeeded(self, session: Session, username: str, client: str) -> None:
        """Forget this user name's failures from this address; commits."""
        name, client = _key(username, client)
        session.exec(delete(LoginFailure).where(col(LoginFailure.username) == name, col(LoginFailure.client) == client))
        session.commit()


def _aware(value: dt.datetime) -> dt.datetime:
    """min() over the column comes back without its zone on SQLite: it is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


throttle = LoginThrottle()

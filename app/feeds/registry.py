"""Followed feeds: add, list, remove (the CLI and /admin/feeds both call these)."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from app.feeds.schedule import parse_every
from app.models import FollowedFeed, utcnow

DEFAULT_EVERY = "15m"


class FeedError(ValueError):
    """A request about followed feeds that cannot be done; str() says why."""


def check_url(url: str, field: str = "url") -> str:
    """The feed URL, trimmed; FeedError naming field unless it is an absolute http(s) URL."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(f"{field}: {url!r} is not an http(s) URL")
    if len(url) > 2000:
        raise FeedError(f"{field}: URL longer than 2,000 characters")
    return url


def add_feed(session: Session, url: str, every: str | int = DEFAULT_EVERY) -> FollowedFeed:
    """Follow url, polled every `every` ("15m" or seconds), first poll due now; FeedError when followed already."""
    url = check_url(url)
    try:
        seconds = every if isinstance(every, int) else parse_every(every, "every")
    except ValueError as exc:
        raise FeedError(str(exc)) from None
    if session.exec(select(FollowedFeed).where(FollowedFeed.url == url)).first() is not None:
        raise FeedError(f"{url} is followed already")
    feed = FollowedFeed(url=url, every=seconds, next_poll=utcnow())
    session.add(feed)
    session.commit()
    session.refresh(feed)
    return feed


def list_feeds(session: Session) -> list[FollowedFeed]:
    """Every followed feed, in the order they were added."""
    return list(session.exec(select(FollowedFeed).order_by(col(FollowedFeed.id))).all())


def find_feed(session: Session, key: str | int) -> FollowedFeed:
    """A followed feed by id or URL; FeedError when there is none."""
    feed = None
    if isinstance(key, int) or str(key).isdigit():
        feed = session.get(FollowedFeed, int(key))
    if feed is None:
        feed = session.exec(select(FollowedFeed).where(FollowedFeed.url == str(key).strip())).first()
    if feed is None:
        raise FeedError(f"no followed feed {key!r} (give its id or URL; `whosaid feeds list` shows them)")
    return feed


def remove_feed(session: Session, key: str | int) -> FollowedFeed:
    """Stop following a feed (its articles and quotes stay)."""
    feed = find_feed(session, key)
    session.delete(feed)
    session.commit()
    return feed

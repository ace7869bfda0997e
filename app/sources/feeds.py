"""RSS and Atom feeds (feedparser): recognise a feed and list its entries."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from app.sources import SourceError
from app.sources.dates import parse_date
from app.sources.meta import people

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


@dataclass
class FeedEntry:
    """What a feed says about one article."""

    link: str
    title: str | None = None
    published: object = None
    author: str | None = None
    publisher: str | None = None  # the feed's own title


def is_feed(content_type: str, content: bytes) -> bool:
    """Whether a document is an RSS/Atom feed, by content type or by its first bytes."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in _FEED_TYPES:
        return True
    if ctype in ("text/html", "application/xhtml+xml"):
        return False
    head = content[:2048].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and any(
        t in head for t in (b"<rss", b"<feed", b"<rdf:rdf")
    )


def feed_entries(content: bytes, name: str) -> list[FeedEntry]:
    """The entries of a feed, in feed order; SourceError naming the feed when it cannot be read."""
    import feedparser  # noqa: PLC0415 - lazy: feedparser loads only when a feed is read

    parsed = feedparser.parse(io.BytesIO(content))
    if parsed.bozo and not parsed.entries:
        raise SourceError(f"{name}: not a readable RSS/Atom feed ({parsed.get('bozo_exception', 'parse error')})")
    publisher = (parsed.feed.get("title") or "").strip() or None
    entries = []
    for e in parsed.entries:
        link = e.get("link") or ""
        published = None
        for key in ("published_parsed", "updated_parsed", "published", "updated"):
            try:
                published = parse_date(e.get(key))
            except (ValueError, TypeError):
                published = None
            if published:
                break
        entries.append(
            FeedEntry(
                link=link, title=(e.get("title") or None), published=published, author=_author(e), publisher=publisher
            )
        )
    return entries


def _author(entry) -> str | None:
    """The entry's authors who are people; RSS "desk@paper.example (Jane Roe)" gives "Jane Roe", a bare e-mail
    address or a desk ("Staff Reports") nothing."""
    detail = entry.get("author_detail") or {}
    name = (entry.get("author") or detail.get("name") or "").strip()
    match = re.fullmatch(r"\S+@\S+\s*\((.+)\)", name)
    if match:
        name = match.group(1).strip()
    return None if not name or "@" in name else people(name)

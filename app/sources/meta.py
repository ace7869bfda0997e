"""Metadata of an HTML page that ingest can trust: title, publisher, authors, date, canonical URL.

trafilatura reads the page's metadata (JSON-LD, Open Graph, meta tags); then:
- the title loses its site-name suffix ("Floods in Riga | DW | 19.01.2020" → "Floods in Riga");
- a publisher that is a host name, a copyright line or a word from data/not_publishers.txt is dropped;
- the author list keeps people only ("Jane Roe; Staff Reports; Breaking News Desk" → "Jane Roe");
- a canonical URL that is a site's home page, or on another host than the page's address, is
  ignored (the field is unique and deduplicates articles: a wrong one would swallow others).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura.metadata

from app.datafiles import read_lines
from app.people.mentions import looks_like_person_name
from app.sources.dates import parse_date

NOT_PUBLISHERS = Path(__file__).with_name("data") / "not_publishers.txt"
SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
SHORT_SEGMENT_WORDS = 4  # a "|"-separated tail of at most this many words is site furniture ("DW", "World News")
_DATEISH = re.compile(r"^[\d./\s-]+$|^\d{1,2}\s+\w+\s+\d{4}$|^\w+\s+\d{1,2},?\s+\d{4}$")
_COPYRIGHT = re.compile(r"^(?:copyright|\(c\)|©)|\b(?:19|20)\d\d\b", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&|\|)\s*")


@dataclass
class PageMeta:
    """What a page says about itself, checked."""

    title: str = ""
    titles: list[str] = field(default_factory=list)  # every form of the title, to drop it from the body's top
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = None
    canonical: str | None = None


@lru_cache(maxsize=1)
def not_publishers() -> frozenset[str]:
    """Lower-case names that are never a publisher (data/not_publishers.txt)."""
    return frozenset(line.lower() for line in read_lines(NOT_PUBLISHERS))


def _key(s: str) -> str:
    return re.sub(r"\W+", "", s.lower().removeprefix("www."))


def _host(u: str | None) -> str:
    return (urlsplit(u).hostname or "").lower().removeprefix("www.") if u else ""


def trim_title(title: str, site: str | None = None, url: str | None = None) -> str:
    """title without its site-name suffix: the site's or host's name, a date, or short "|" segments."""
    title = " ".join((title or "").split())
    names = {_key(n) for n in (site, _host(url), _host(url).split(".")[0] if _host(url) else "") if n}
    names.discard("")
    while True:
        found = list(SEPARATORS.finditer(title))
        if not found:
            return title
        last = found[-1]
        tail = title[last.end() :].strip()
        head = title[: last.start()].strip()
        if not head:
            return title
        site_like = _key(tail) in names or any(n and n in _key(tail) for n in names) or _DATEISH.match(tail)
        furniture = last.group().strip() == "|" and len(tail.split()) <= SHORT_SEGMENT_WORDS
        if not (site_like or furniture):
            return title
        title = head


def same_title(paragraph: str, title: str) -> bool:
    """Whether a body paragraph is the page's title (case and punctuation aside)."""
    a, b = _key(paragraph), _key(title)
    return bool(a) and a == b


def good_publisher(name: str | None, *urls: str | None) -> str | None:
    """name, or None when it is a host name, a copyright line or a non-publisher word."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        return None
    if name.lower() in not_publishers() or _COPYRIGHT.search(name):
        return None
    if any(_key(name) in (_key(_host(u)), _key(urlsplit(u).netloc)) for u in urls if u):
        return None  # trafilatura's fallback to the host name, not the site's own name
    return name


def people(authors: str | None) -> str | None:
    """The people of an author list, joined by "; " (phrases, desks and e-mail addresses dropped)."""
    if not authors:
        return None
    kept: list[str] = []
    for part in _AUTHOR_SPLIT.split(authors):
        part = re.sub(r"^(?:by|von|par|por)\s+", "", part.strip(), flags=re.I).strip(" .")
        if not part or "@" in part or "/" in part or len(part) > 60:
            continue
        if looks_like_person_name(part) and 2 <= len(part.split()) <= 5 and part not in kept:
            kept.append(part)
    return "; ".join(kept) or None


def good_canonical(canonical: str | None, url: str | None) -> str | None:
    """canonical, unless it is a site root or (when the page's address is known) on another host."""
    if not canonical:
        return None
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path in ("", "/") and not parts.query:
        return None
    if url and _host(url) and _host(canonical) != _host(url):
        return None
    return canonical


def _h1(tree) -> list[str]:
    return [" ".join(h.text_content().split()) for h in tree.iter("h1")][:2]


def _og_title(tree) -> str:
    for m in tree.iter("meta"):
        if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title"):
            return " ".join((m.get("content") or "").split())
    return ""


def page_metadata(tree, url: str | None = None) -> PageMeta:
    """A page's checked metadata; url is the address it came from (None for a saved file)."""
    doc = trafilatura.metadata.extract_metadata(
        tree,
        default_url=url,
        # no guessing from copyright lines or free text: a wrong date is worse than none
        date_config={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    raw_title = " ".join((doc.title or "").split())
    canonical = good_canonical(doc.url if doc.url != url else None, url) if doc.url else None
    publisher = good_publisher(doc.sitename, canonical, url)
    title = trim_title(raw_title, publisher or doc.sitename, canonical or url)
    try:
        published = parse_date(doc.date)
    except ValueError:
        published = None
    titles = [
        t
        for t in dict.fromkeys(
            [raw_title, title, _og_title(tree), trim_title(_og_title(tree), publisher, url), *_h1(tree)]
        )
        if t
    ]
    return PageMeta(
        title=title,
        titles=titles,
        publisher=publisher,
        author=people(doc.author),
        published=published,
        canonical=canonical,
    )

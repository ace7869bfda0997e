"""The one URL builder: every link the web app prints is made here (templates get it as `urls`).

Fixed pages are constants (QUOTES, PEOPLE, ADMIN, …); a path with a part in it is a function that
percent-encodes the part. tests/test_web_urls.py checks each against the route that serves it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit

from anyascii import anyascii

from app.config import get_settings
from app.db import ROOT

LISTING_FORMATS = ("json", "csv", "atom")
QUOTES = "/quotes"
PEOPLE = "/people"
PEOPLE_SUGGEST = "/suggest/people"
API = "/api"
OPENAPI = "/openapi.json"
LOGIN = "/login"
LOGOUT = "/logout"
ADMIN = "/admin"
ADMIN_CORRECTIONS = "/admin/corrections"
ADMIN_FEEDS = "/admin/feeds"
STATIC_DIR = ROOT / "static"


def slugify(text: str, max_len: int = 80) -> str:
    """ASCII, lower-case, hyphenated; empty input gives an empty slug."""
    ascii_text = anyascii(text or "").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug


def quote_slug(speaker_name: str | None, text: str, words: int = 6) -> str:
    """Speaker plus the first words of the quote: readable and stable for a permalink."""
    first = " ".join(re.findall(r"\w+", text or "")[:words])
    return slugify(f"{speaker_name or 'unknown speaker'} {first}") or "quote"


def quote_path(uid: str, slug: str | None = None) -> str:
    """Canonical permalink path of a quote: /q/{uid}/{slug}."""
    return f"/q/{quote(uid)}/{quote(slug)}" if slug else f"/q/{quote(uid)}"


def quote_json(uid: str) -> str:
    """Machine-readable form of one quote."""
    return f"/q/{quote(uid)}.json"


def quote_image(uid: str) -> str:
    """Share image (served by app.web.routes.share)."""
    return f"/q/{quote(uid)}.png"


def admin_quote(uid: str, action: str | None = None) -> str:
    """The editor's form for one quote ("Correct this"), or where one of its forms posts (reassign, hide)."""
    return f"/admin/quotes/{quote(uid)}" + (f"/{action}" if action else "")


def admin_person(slug: str, action: str | None = None) -> str:
    """The editor's page for one person, or where one of its forms posts (rename, fields, merge, split)."""
    return f"/admin/people/{quote(slug)}" + (f"/{action}" if action else "")


def admin_undo(correction_id: int) -> str:
    """Where the form that reverts one correction posts."""
    return f"{ADMIN_CORRECTIONS}/{int(correction_id)}/undo"


def admin_feed(feed_id: int, action: str) -> str:
    """Where a followed feed's forms post (poll, remove)."""
    return f"{ADMIN_FEEDS}/{int(feed_id)}/{action}"


def done(path: str) -> str:
    """path after a saved change: the page then says so (and how to undo it)."""
    return path + ("&" if "?" in path else "?") + "done=1"


def login(next_path: str | None = None) -> str:
    """The sign-in form, coming back to next_path afterwards."""
    return LOGIN + (f"?next={quote(next_path, safe='')}" if next_path else "")


def article_path(uid: str) -> str:
    """The stored article text with its quotes highlighted."""
    return f"/articles/{quote(uid)}"


def passage(article_uid: str, quote_uid: str) -> str:
    """The quote's passage in context: the article page scrolled to its mark."""
    return f"{article_path(article_uid)}#q-{quote(quote_uid)}"


def person_path(slug: str, fmt: str | None = None) -> str:
    """A person's page (or its .json/.csv/.atom listing)."""
    return f"/people/{quote(slug)}" + (f".{fmt}" if fmt else "")


def country_path(code: str, fmt: str | None = None) -> str:
    """A country's page (ISO 3166-1 alpha-2, upper-case)."""
    return f"/countries/{quote(code.upper())}" + (f".{fmt}" if fmt else "")


def listing(path: str, params: Mapping[str, object] | None = None, fmt: str | None = None, **overrides) -> str:
    """A listing URL with its filters; empty values are left out; fmt picks .json/.csv/.atom."""
    merged = dict(params or {})
    merged.update(overrides)
    clean = {k: str(v) for k, v in merged.items() if v not in (None, "", False)}
    base = path + (f".{fmt}" if fmt else "")
    return base + ("?" + urlencode(clean) if clean else "")


def external(url: str | None) -> str | None:
    """A stored source URL fit for an href: http(s) only (article URLs are untrusted: no javascript:, data:)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def absolute(path: str, request=None) -> str:
    """An absolute URL: settings.base_url when set, else the request's own origin."""
    base = get_settings().base_url.rstrip("/")
    if not base and request is not None:
        base = str(request.base_url).rstrip("/")
    return base + path


@lru_cache(maxsize=64)
def static_version(name: str) -> str:
    """The first 12 hex digits of the SHA-256 of static/name (read once per process)."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static(name: str) -> str:
    """/static/name?v=<content hash>: a new file gets a new URL, so browsers may cache each URL forever."""
    return f"/static/{quote(name)}?v={static_version(name)}"

"""Stable public ids: articles from canonical URL or content hash, quotes from article + spans."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence


def content_hash(text: str) -> str:
    """sha256 (hex) of an article's stored text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_id(data: str, length: int = 12) -> str:
    """A short, URL-safe id: lower-case base32 of sha256(data), cut to length."""
    digest = hashlib.sha256(data.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def article_uid(canonical_url: str | None, text_hash: str) -> str:
    """An article's public id: from its canonical URL when known, else from its content hash."""
    return short_id("url:" + canonical_url) if canonical_url else short_id("hash:" + text_hash)


def quote_uid(article_uid_: str, spans: Iterable[Sequence[int]]) -> str:
    """A quote's public id: from its article's id and its content spans (stable across re-runs)."""
    key = ";".join(f"{int(s)}-{int(e)}" for s, e in spans)
    return short_id(f"{article_uid_}|{key}")

"""Reading articles: plain text, HTML, URLs, RSS/Atom feeds and archives (JSON Lines, CSV).

Every source produces `ArticleInput`s; a broken input raises `SourceError` naming it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


class SourceError(Exception):
    """An input that could not be read; str() is the user-facing reason (it names the input)."""


@dataclass
class ArticleInput:
    """One article as read from its source, before extraction; `text` is what gets stored."""

    text: str
    title: str = ""
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None  # the address it was fetched from
    canonical_url: str | None = None
    source_path: str | None = None  # the file it came from
    language: str | None = None
    problem: str | None = None  # why the text is doubtful (an implausibly short HTML body): stored as failed-extraction

    def fill(self, **fields) -> ArticleInput:
        """A copy whose empty fields take the given values (feed/archive metadata fills gaps)."""
        gaps = {k: v for k, v in fields.items() if v and not getattr(self, k)}
        return replace(self, **gaps) if gaps else self


TITLE_MAX = 100


def shorten(title: str, limit: int = TITLE_MAX) -> str:
    """title cut to at most limit characters at a word boundary, ending with "…" when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"

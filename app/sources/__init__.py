"""Reading articles: plain text, HTML, URLs, RSS/Atom feeds and archives (JSON Lines, CSV).

Every source produces `ArticleInput`s; a broken input raises `SourceError` naming it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path


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
    controls: int = 0  # NUL and other control characters stripped from its fields

    def fill(self, **fields) -> ArticleInput:
        """A copy whose empty fields take the given values (feed/archive metadata fills gaps)."""
        gaps = {k: v for k, v in fields.items() if v and not getattr(self, k)}
        return replace(self, **gaps) if gaps else self


TITLE_MAX = 100
# C0 controls except tab, newline, carriage return, form feed; DEL; C1 controls. PostgreSQL refuses NUL in text.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> tuple[str, int]:
    """(text without control characters, how many were removed)."""
    return CONTROLS.subn("", text)


def clean_controls(inp: ArticleInput) -> ArticleInput:
    """inp with control characters stripped from every text field, counted in `controls`."""
    changes: dict[str, str] = {}
    count = 0
    for name in ("text", "title", "publisher", "author", "url", "canonical_url", "source_path"):
        value = getattr(inp, name)
        if isinstance(value, str):
            cleaned, n = strip_controls(value)
            if n:
                changes[name], count = cleaned, count + n
    return replace(inp, controls=inp.controls + count, **changes) if count else inp  # type: ignore[arg-type]  # only str fields change


def read_capped(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a local file; SourceError naming it when it cannot be read or is over max_bytes."""
    try:
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise SourceError(
                f"{path}: file too large ({size:,} bytes; limit {max_bytes:,}; "
                "raise it with --max-bytes or WHOSAID_MAX_BYTES)"
            )
        with path.open("rb") as f:
            data = f.read(max_bytes + 1) if max_bytes else f.read()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if max_bytes and len(data) > max_bytes:  # grew while being read, or not a regular file
        raise SourceError(
            f"{path}: file too large (over the {max_bytes:,}-byte limit; "
            "raise it with --max-bytes or WHOSAID_MAX_BYTES)"
        )
    return data


def shorten(title: str, limit: int = TITLE_MAX) -> str:
    """title cut to at most limit characters at a word boundary, ending with "…" when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"

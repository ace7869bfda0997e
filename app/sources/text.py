"""Plain-text articles: the stored text is the file's text; title, byline and dateline from its lines.

Recognised at the top of the file (first 15 non-empty lines):
- header lines `Title: …`, `Author: …`, `Publisher: …` (or `Source:`), `Date: …` (or `Published:`), `URL: …`;
- a byline `by Sededin Dedovic` (author);
- a dateline ` date 2024-05-12 (MENAFN) …` (published date and publisher).
Otherwise the title is the first non-empty line, shortened at a word boundary when long.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.sources import ArticleInput, SourceError, read_capped, shorten
from app.sources.dates import parse_date

HEAD_LINES = 15
_HEADER = re.compile(r"^\s*(title|author|by|publisher|source|date|published|url)\s*:\s*(\S.*?)\s*$", re.I)
_BYLINE = re.compile(r"^\s*by\s+((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|di|al|bin|la|le))*)\s*$")
_DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(?:\(([^)]{1,80})\))?\s*(.*)$", re.I)


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (a BOM is dropped), else Windows-1252 for plain text; newlines normalised.

    A stray NUL or other control character is kept here (ingest strips and counts them); many of them
    mean a binary file, refused."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    head = data[:8192]
    if sum(b < 32 and b not in b"\t\n\r\f\v" for b in head) > max(2, len(head) // 200):
        raise SourceError(f"{name}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(
                f"{name}: cannot decode as UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
        if _looks_binary(text):
            raise SourceError(
                f"{name}: cannot decode as UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); binary file?"
            ) from exc
    if _looks_binary(text):
        raise SourceError(f"{name}: binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    return controls > max(2, len(sample) // 200)


def parse_text(text: str, source_path: str | None = None) -> ArticleInput:
    """An ArticleInput from an article's plain text (kept whole), with metadata from its first lines."""
    if not text.strip():
        raise SourceError(f"{source_path or 'text'}: empty article (no text)")
    fields: dict[str, Any] = {}  # author, publisher, published, url, title: read from the header lines
    first_line: str | None = None
    seen = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        header = _HEADER.match(line)
        if header:
            key, value = header.group(1).lower(), header.group(2)
            key = {"by": "author", "source": "publisher", "date": "published"}.get(key, key)
            if key == "published":
                try:
                    value = parse_date(value)
                except ValueError:
                    continue
            fields.setdefault(key, value)
            continue
        dateline = _DATELINE.match(line)
        if dateline:
            fields.setdefault("published", parse_date(dateline.group(1)))
            if dateline.group(2):
                fields.setdefault("publisher", dateline.group(2).strip())
            if first_line is None and dateline.group(3).strip():
                first_line = dateline.group(3)
            continue
        byline = _BYLINE.match(raw)
        if byline and len(line) < 80:
            fields.setdefault("author", byline.group(1))
            continue
        if first_line is None:
            first_line = line
    title = str(fields.pop("title", "") or "") or shorten(first_line or "")
    url = fields.pop("url", None)
    return ArticleInput(
        text=text,
        title=shorten(title),
        source_path=source_path,
        url=url,
        canonical_url=url,
        **fields,
    )


def read_text_file(path: Path, max_bytes: int | None = None) -> ArticleInput:
    """An ArticleInput from a .txt file (SourceError when over max_bytes)."""
    return parse_text(decode(read_capped(path, max_bytes), str(path)), source_path=str(path))

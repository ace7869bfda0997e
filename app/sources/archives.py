"""Newsroom archive exports: JSON Lines and CSV, one article per row.

Columns: url, title, published, publisher, author, and `text` or `html` (at least one of the two
columns must exist, and every row needs one of them filled). Unknown columns are ignored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.sources import SourceError
from app.sources.dates import parse_date
from app.sources.text import decode

COLUMNS = ("url", "title", "published", "publisher", "author", "text", "html")
CSV_FIELD_MAX = (
    64 * 1024 * 1024
)  # csv's default (131,072 characters) is shorter than many articles; rows are capped later


@dataclass
class Row:
    """One archive row, checked: `label` names file and line."""

    label: str
    fields: dict  # url/title/published(date)/publisher/author, empty ones dropped
    text: str | None = None
    html: str | None = None


def _row(label: str, record: dict) -> Row | SourceError:
    clean = {k: (str(v).strip() if v is not None else "") for k, v in record.items() if k in COLUMNS}
    text, html = record.get("text") or "", record.get("html") or ""
    if not str(text).strip() and not str(html).strip():
        return SourceError(f"{label}: row has neither 'text' nor 'html'")
    fields: dict[str, object] = {k: clean[k] for k in ("url", "title", "publisher", "author") if clean.get(k)}
    try:
        fields["published"] = parse_date(clean.get("published"))
    except ValueError:
        return SourceError(f"{label}: column 'published' is not a date: {clean['published']!r}")
    return Row(
        label=label,
        fields=fields,
        text=str(text) if str(text).strip() else None,
        html=None if str(text).strip() else str(html),
    )


def read_archive(path: Path) -> Iterator[Row | SourceError]:
    """The rows of a .jsonl/.ndjson or .csv archive; problems as SourceErrors naming file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    try:
        content = decode(data, str(path))
    except SourceError as exc:
        yield exc
        return
    if path.suffix.lower() == ".csv":
        yield from _csv_rows(path, content)
    else:
        yield from _jsonl_rows(path, content)


def _jsonl_rows(path: Path, content: str) -> Iterator[Row | SourceError]:
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"{path}:{number}"
        try:
            record = json.loads(line, strict=False)  # raw control characters in strings: ingest strips and counts them
        except json.JSONDecodeError as exc:
            yield SourceError(f"{label}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield SourceError(f"{label}: expected a JSON object per line")
            continue
        yield _row(label, record)


def _csv_rows(path: Path, content: str) -> Iterator[Row | SourceError]:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_MAX))  # whole articles in a field
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        yield SourceError(f"{path}: empty CSV (no header line)")
        return
    if "text" not in header and "html" not in header:
        yield SourceError(f"{path}: line 1: missing column 'text' or 'html' (columns found: {', '.join(header)})")
        return
    reader.fieldnames = header
    while True:
        start = reader.line_num + 1  # a quoted field may span lines: name the line the row starts on
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # one bad row is one error; the reader goes on at the next line
            yield SourceError(f"{path}: line {reader.line_num}: {exc}")
            if reader.line_num < start:
                return
            continue
        yield _row(f"{path}:{start}", record)

"""Streaming JSON, CSV and Atom for any quote listing (same rows as the HTML page)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape as xml_escape

from fastapi import Request
from fastapi.responses import StreamingResponse

from app.web import urls
from app.web.queries import QuoteRow

CSV_COLUMNS = [
    "uid", "date", "kind", "text", "speaker", "speaker_slug", "role", "country", "organisation",
    "article_title", "publisher", "published", "source_url", "permalink", "in_context",
]


def permalink(row: QuoteRow) -> str:
    """Canonical permalink path of the row's quote."""
    return urls.quote_path(row.quote.uid, urls.quote_slug(row.person.name if row.person else None, row.quote.text))


def quote_record(row: QuoteRow, request: Request | None = None) -> dict:
    """One quote as plain JSON-able data."""
    q, a, p = row.quote, row.article, row.person
    return {
        "uid": q.uid,
        "url": urls.absolute(permalink(row), request),
        "text": q.text,
        "kind": q.kind,
        "date": row.date.isoformat() if row.date else None,
        "speaker": None if p is None else {
            "name": p.name,
            "slug": p.slug,
            "kind": p.kind,
            "role": p.role,
            "country": p.country,
            "organisation": p.organisation,
            "url": urls.absolute(urls.person_path(p.slug), request),
        },
        "speaker_mention": q.speaker_text,
        "cue": q.cue_text,
        "spans": q.spans,
        "article": {
            "uid": a.uid,
            "title": a.title,
            "publisher": a.publisher,
            "author": a.author,
            "published": a.published.isoformat() if a.published else None,
            "source_url": a.canonical_url or a.url,
            "url": urls.absolute(urls.article_path(a.uid), request),
        },
        "in_context": urls.absolute(urls.passage(a.uid, q.uid), request),
    }


def _json_chunks(rows: Iterable[QuoteRow], request: Request, meta: dict) -> Iterator[str]:
    head = json.dumps(meta, ensure_ascii=False)[:-1]  # reopen the object to append "quotes"
    yield head + (', ' if meta else '') + '"quotes": ['
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(quote_record(row, request), ensure_ascii=False)
        first = False
    yield "]}\n"


def json_response(rows: Iterable[QuoteRow], request: Request, meta: dict | None = None) -> StreamingResponse:
    """{"…meta", "quotes": [...]} streamed row by row."""
    return StreamingResponse(_json_chunks(rows, request, meta or {}), media_type="application/json")


def _csv_chunks(rows: Iterable[QuoteRow], request: Request) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(rows, 1):
        r = quote_record(row, request)
        sp = r["speaker"] or {}
        art = r["article"]
        writer.writerow([
            r["uid"], r["date"] or "", r["kind"], r["text"], sp.get("name", ""), sp.get("slug", ""),
            sp.get("role") or "", sp.get("country") or "", sp.get("organisation") or "",
            art["title"], art["publisher"] or "", art["published"] or "", art["source_url"] or "",
            r["url"], r["in_context"],
        ])
        if n % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_response(rows: Iterable[QuoteRow], request: Request, filename: str = "quotes.csv") -> StreamingResponse:
    """RFC 4180 CSV with a header row, streamed."""
    return StreamingResponse(
        _csv_chunks(rows, request),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _stamp(row: QuoteRow) -> str:
    when = row.date
    if when is not None:
        return dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    ingested = row.article.ingested_at
    if ingested.tzinfo is None:
        ingested = ingested.replace(tzinfo=dt.UTC)
    return ingested.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _atom_chunks(rows: list[QuoteRow], request: Request, title: str, self_url: str, alt_url: str) -> Iterator[str]:
    x = xml_escape
    updated = max((_stamp(r) for r in rows), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z"))
    feed_id = urls.absolute(self_url, request)
    yield '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
    yield f"<title>{x(title)}</title>\n<id>{x(feed_id)}</id>\n<updated>{updated}</updated>\n"
    yield f'<link rel="self" type="application/atom+xml" href="{x(feed_id, {chr(34): "&quot;"})}"/>\n'
    yield f'<link rel="alternate" type="text/html" href="{x(urls.absolute(alt_url, request), {chr(34): "&quot;"})}"/>\n'
    yield "<author><name>Whosaid</name></author>\n<generator>Whosaid</generator>\n"
    for row in rows:
        r = quote_record(row, request)
        speaker = r["speaker"]["name"] if r["speaker"] else "Unknown speaker"
        short = r["text"] if len(r["text"]) <= 90 else r["text"][:87].rsplit(" ", 1)[0] + "…"
        source = ", ".join(v for v in (r["article"]["title"], r["article"]["publisher"]) if v)
        summary = f"“{r['text']}” — {speaker}" + (f" ({source})" if source else "")
        yield "<entry>\n"
        yield f"<id>{x(r['url'])}</id>\n<title>{x(speaker + ': ' + short)}</title>\n"
        yield f"<updated>{_stamp(row)}</updated>\n<author><name>{x(speaker)}</name></author>\n"
        yield f'<link rel="alternate" type="text/html" href="{x(r["url"], {chr(34): "&quot;"})}"/>\n'
        yield f'<link rel="related" type="text/html" href="{x(r["in_context"], {chr(34): "&quot;"})}"/>\n'
        yield f'<summary type="text">{x(summary)}</summary>\n'
        yield "</entry>\n"
    yield "</feed>\n"


def atom_response(rows: Iterable[QuoteRow], request: Request, title: str, self_url: str, alt_url: str) -> StreamingResponse:
    """A valid Atom 1.0 feed of the rows."""
    rows = list(rows)
    return StreamingResponse(_atom_chunks(rows, request, title, self_url, alt_url),
                             media_type="application/atom+xml; charset=utf-8")

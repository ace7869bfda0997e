"""Streaming JSON, CSV and Atom for any quote listing (same rows as the HTML page)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from app.sharing.atom import MEDIA_TYPE, atom_feed
from app.sharing.speech import speech_of
from app.web import urls
from app.web.queries import QuoteRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def safe_cell(value) -> str:
    """A CSV cell no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading `'` (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values) -> list[str]:
    """safe_cell of every value (None becomes an empty cell)."""
    return [safe_cell(v) for v in values]


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
    batch: list[str] = []
    first = True
    for row in rows:
        batch.append(("" if first else ",\n") + json.dumps(quote_record(row, request), ensure_ascii=False))
        first = False
        if len(batch) == 500:  # one send per 500 rows, not per row
            yield "".join(batch)
            batch.clear()
    yield "".join(batch) + "]}\n"


def json_response(rows: Iterable[QuoteRow], request: Request, meta: dict | None = None) -> StreamingResponse:
    """{"…meta", "quotes": [...]} streamed in batches of rows."""
    return StreamingResponse(_json_chunks(rows, request, meta or {}), media_type="application/json")


def _csv_chunks(rows: Iterable[QuoteRow], request: Request) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(rows, 1):
        r = quote_record(row, request)
        sp = r["speaker"] or {}
        art = r["article"]
        writer.writerow(safe_row([
            r["uid"], r["date"], r["kind"], r["text"], sp.get("name"), sp.get("slug"),
            sp.get("role"), sp.get("country"), sp.get("organisation"),
            art["title"], art["publisher"], art["published"], art["source_url"],
            r["url"], r["in_context"],
        ]))
        if n % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_response(rows: Iterable[QuoteRow], request: Request, filename: str = "quotes.csv") -> StreamingResponse:
    """RFC 4180 CSV with a header row, streamed; cells pass through safe_cell."""
    return StreamingResponse(
        _csv_chunks(rows, request),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def atom_entry(row: QuoteRow, request: Request) -> dict:
    """One feed entry: permalink as id and link, speaker as author, quote and source as content."""
    r = quote_record(row, request)
    speaker = r["speaker"]["name"] if r["speaker"] else "Unknown speaker"
    source = ", ".join(v for v in (r["article"]["title"], r["article"]["publisher"]) if v)
    words = speech_of(row.quote, row.person, row.article)
    body = f"Paraphrase: {words.line()}" if words.paraphrase else words.line()
    short = body if len(body) <= 90 else body[:87].rsplit(" ", 1)[0] + "…"
    return {
        "id": r["url"],
        "title": short if words.paraphrase else f"{speaker}: {short}",
        "url": r["url"],
        "updated": row.date or row.article.ingested_at,
        "published": row.date,
        "author": speaker,
        "summary": f"{body} ({source})" if source else body,
        "content": f"{body}\n— {speaker}" + (f", {r['speaker']['role']}" if r["speaker"] and r["speaker"]["role"] else "")
                   + (f"\n{source}" if source else "") + f"\nIn context: {r['in_context']}",
    }


def atom_response(rows: Iterable[QuoteRow], request: Request, title: str, self_url: str, alt_url: str) -> Response:
    """A valid Atom 1.0 feed of the rows (app.sharing.atom does the XML)."""
    feed_self = urls.absolute(self_url, request)
    body = atom_feed(feed_self, title, feed_self, urls.absolute(alt_url, request),
                     (atom_entry(row, request) for row in rows))
    return Response(body, media_type=MEDIA_TYPE)

"""Streaming JSON, CSV and Atom for any quote listing (same rows as the HTML page).

Full JSON and CSV exports are written by app.web.export_writer and sent by app.web.streaming;
quote_record is the same data for one quote (its /q/{uid}.json) and for Atom entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from app.sharing.atom import MEDIA_TYPE, atom_feed
from app.sharing.speech import speech_of
from app.web import urls
from app.web.export_writer import FORMULA_STARTS, ExportWriter, csv_blocks, json_blocks
from app.web.quote_rows import QuoteRow
from app.web.streaming import stream


def safe_cell(value) -> str:
    """A CSV cell no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading `'` (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values) -> list[str]:
    """safe_cell of every value (None becomes an empty cell)."""
    return [safe_cell(v) for v in values]


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
        "speaker": None
        if p is None
        else {
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


def json_response(
    session: Session, pages: Iterable[list], request: Request, meta: dict | None = None
) -> StreamingResponse:
    """{"…meta", "quotes": [...]} of pages of quote rows (export_writer.QUOTE_COLUMNS), one quote per line."""
    meta = meta or {}
    head = json.dumps(meta, ensure_ascii=False)[:-1] + (", " if meta else "")  # reopen the object for "quotes"
    writer = ExportWriter(session, urls.absolute("", request))
    return stream(request, json_blocks(writer, pages, head), "application/json")


def csv_response(
    session: Session, pages: Iterable[list], request: Request, filename: str = "quotes.csv"
) -> StreamingResponse:
    """RFC 4180 CSV of pages of quote rows (export_writer.CSV_QUOTE_COLUMNS), a header row; cells as safe_cell."""
    writer = ExportWriter(session, urls.absolute("", request))
    return stream(
        request,
        csv_blocks(writer, pages),
        "text/csv; charset=utf-8",
        {"Content-Disposition": f'attachment; filename="{filename}"'},
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
        "content": f"{body}\n— {speaker}"
        + (f", {r['speaker']['role']}" if r["speaker"] and r["speaker"]["role"] else "")
        + (f"\n{source}" if source else "")
        + f"\nIn context: {r['in_context']}",
    }


def atom_response(rows: Iterable[QuoteRow], request: Request, title: str, self_url: str, alt_url: str) -> Response:
    """A valid Atom 1.0 feed of the rows (app.sharing.atom does the XML)."""
    feed_self = urls.absolute(self_url, request)
    body = atom_feed(
        feed_self, title, feed_self, urls.absolute(alt_url, request), (atom_entry(row, request) for row in rows)
    )
    return Response(body, media_type=MEDIA_TYPE)

"""Routes: the quote permalink /q/{uid}/{slug} (canonical), its redirects, 410 and .json."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.corrections.successors import successor_uid
from app.sharing.citation import citation, embed_html
from app.sharing.fragment import text_fragment_url
from app.web import openapi, urls
from app.web.deps import SessionDep
from app.web.exports import permalink, quote_record
from app.web.highlight import Annotation, highlight
from app.web.listing import group_rows
from app.web.quote_rows import StoredRow, corrections_for, quote_by_uid
from app.web.templating import render

router = APIRouter()
GONE = {
    "description": "The quote was removed by an editor",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["uid", "removed"],
                "properties": {
                    "uid": {"type": "string"},
                    "removed": {"type": "boolean"},
                    "reason": {"type": ["string", "null"]},
                },
            }
        }
    },
}


def _context_html(row: StoredRow):
    """The surrounding sentence(s) with the quote's own words marked."""
    text = row.article.text
    spans = [tuple(s) for s in row.quote.spans or [] if len(s) == 2]
    ctx = row.quote.context_span
    if ctx and len(ctx) == 2 and 0 <= ctx[0] < ctx[1] <= len(text):
        start, end = ctx
    elif spans:
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
    else:
        return None
    marks = [Annotation(s - start, e - start, "quote", row.quote.uid) for s, e in spans if s < end and e > start]
    marks = [Annotation(max(a.start, 0), min(a.end, end - start), a.kind, a.quote_uid) for a in marks]
    return highlight(text[start:end], marks)


def _sharing(row: StoredRow, request: Request) -> dict:
    """The source link (with a text fragment when the article's URL is known), citation and embed snippet."""
    q, a, p = row.quote, row.article, row.person
    source = urls.external(a.canonical_url) or urls.external(a.url)
    if source and q.spans:
        source = text_fragment_url(source, a.text, q.spans[0][0], q.spans[-1][1])
    return {
        "source_link": source,
        "citation": citation(
            q,
            p,
            a,
            url=urls.external(a.canonical_url) or urls.external(a.url) or urls.absolute(permalink(row), request),
        ),
        "embed": embed_html(q, p, a, urls.absolute(permalink(row), request)),
    }


def _load(session, uid: str) -> StoredRow:
    row = quote_by_uid(session, uid)
    if row is None:
        raise HTTPException(404, f"No quote with id {uid!r}.")
    return row


def _successor(session, uid: str) -> StoredRow | None:
    """The quote that replaced uid after re-extraction (its old permalink redirects there)."""
    new_uid = successor_uid(session, uid)
    return quote_by_uid(session, new_uid) if new_uid else None


@router.get(
    "/q/{uid}.json", summary="One quote as JSON", responses={**openapi.data("json", codes=(301, 404)), 410: GONE}
)
def quote_json(uid: str, request: Request, session: SessionDep) -> Response:
    """The quote, its speaker and its source; 410 when it was removed."""
    if (moved := _successor(session, uid)) is not None:
        return RedirectResponse(urls.quote_json(moved.quote.uid), status_code=301)
    row = _load(session, uid)
    if row.quote.hidden:
        return JSONResponse({"uid": uid, "removed": True, "reason": row.quote.hidden_reason}, status_code=410)
    return JSONResponse(quote_record(row, request))


@router.get("/q/{uid}", include_in_schema=False)
@router.get(
    "/q/{uid}/{slug}",
    summary="Quote permalink (HTML)",
    response_class=HTMLResponse,
    responses=openapi.html_page(301, 404, 410),
)
def quote_page(uid: str, request: Request, session: SessionDep, slug: str | None = None) -> Response:
    """The permalink page; any other slug, or a quote id re-extraction replaced, redirects (301) to the canonical one."""
    if (moved := _successor(session, uid)) is not None:
        target = permalink(moved) + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(target, status_code=301)
    row = _load(session, uid)
    notes = corrections_for(session, [uid] + ([row.person.slug] if row.person else []))
    if row.quote.hidden:
        return render(request, "gone.html", {"row": row, "notes": notes.get(uid, [])}, status_code=410)
    canonical = permalink(row)
    if request.url.path != canonical:
        target = canonical + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(target, status_code=301)
    ctx = {
        "row": row,
        "canonical": urls.absolute(canonical, request),
        "context_html": _context_html(row),
        "notes": notes,
        "share": _sharing(row, request),
        "sources": group_rows(session, [row])[0],
        "image": urls.absolute(urls.quote_image(uid), request),
    }
    return render(request, "quote.html", ctx)

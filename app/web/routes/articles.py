"""Routes: one stored article with every quote highlighted (/articles/{uid})."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.models import Person, Quote
from app.web import openapi
from app.web.article_queries import article_by_uid, speakers, visible_quotes
from app.web.deps import SessionDep
from app.web.highlight import Annotation, highlight
from app.web.quote_rows import QuoteRow
from app.web.templating import render

router = APIRouter()


def _span(value) -> tuple[int, int] | None:
    try:
        start, end = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (start, end) if 0 <= start < end else None


def annotations_for(quotes: list[Quote], people: dict[int, Person | None]) -> list[Annotation]:
    """Marks for every visible quote: its content parts, its speaker mention and its cue."""
    out: list[Annotation] = []
    for q in quotes:
        person = people.get(q.person_id) if q.person_id else None
        title = f"{person.name if person else 'Unknown speaker'} ({q.kind})"
        for i, raw in enumerate(sorted(s for s in (_span(v) for v in q.spans or []) if s)):
            out.append(Annotation(raw[0], raw[1], "quote", q.uid, first=(i == 0), title=title))
        if (sp := _span(q.speaker_span)) is not None:
            out.append(Annotation(sp[0], sp[1], "speaker", q.uid))
        if (cue := _span(q.cue_span)) is not None:
            out.append(Annotation(cue[0], cue[1], "cue", q.uid))
    return out


@router.get(
    "/articles/{uid}",
    summary="An article with its quotes highlighted (HTML)",
    response_class=HTMLResponse,
    responses=openapi.html_page(404),
)
def article_page(uid: str, request: Request, session: SessionDep) -> Response:
    """The stored text, escaped, with <mark id="q-…"> on each quote."""
    article = article_by_uid(session, uid)
    if article is None:
        raise HTTPException(404, f"No article with id {uid!r}.")
    quotes = visible_quotes(session, article)
    people = speakers(session, quotes)
    body = highlight(article.text, annotations_for(quotes, people))
    rows = [QuoteRow(q, article, people.get(q.person_id) if q.person_id else None) for q in quotes]
    return render(request, "article.html", {"article": article, "body": body, "rows": rows})

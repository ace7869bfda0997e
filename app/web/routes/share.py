"""Routes: the share image of a quote (`/q/{uid}.png`)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from app.sharing.image import HEIGHT, WIDTH, card_for_quote, share_image_path
from app.web import openapi
from app.web.article_queries import quote_by_uid
from app.web.deps import SessionDep

router = APIRouter(tags=["sharing"])

CACHE_CONTROL = "public, max-age=3600, must-revalidate"


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    return header.strip() == "*" or etag in {t.strip().removeprefix("W/") for t in header.split(",")}


@router.get(
    "/q/{uid}.png",
    response_class=FileResponse,
    responses={
        200: {"content": {"image/png": {}}, "description": f"PNG, {WIDTH}×{HEIGHT}"},
        **openapi.errors(304, 404, 410),
    },
    summary="Share image of a quote",
)
def share_image(uid: str, request: Request, session: SessionDep):
    """The quote's share card as a 1200×630 PNG (cached on disk; ETag is the card's content hash)."""
    quote = quote_by_uid(session, uid)
    if quote is None:
        raise HTTPException(status_code=404, detail=f"No quote {uid}")
    if quote.hidden:
        raise HTTPException(
            status_code=410, detail=f"Quote {uid} was removed: {quote.hidden_reason or 'no reason given'}"
        )
    card = card_for_quote(session, quote)
    etag = f'"{card.content_hash()}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    path = share_image_path(card)
    return FileResponse(path, media_type="image/png", headers=headers)

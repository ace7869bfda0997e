"""Routes: the quote listing (/, /quotes) and its .json/.csv/.atom mirrors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.web import openapi, urls
from app.web.deps import SessionDep
from app.web.filters import QuoteFilters, quote_filters
from app.web.listing import export, listing_context
from app.web.templating import render

router = APIRouter()
FiltersDep = Annotated[QuoteFilters, Depends(quote_filters)]


@router.get("/", include_in_schema=False)
@router.get("/quotes", summary="Quote listing (HTML)", response_class=HTMLResponse, responses=openapi.html_page(404))
def quotes_page(request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Quote cards, newest first, with htmx filters."""
    ctx = listing_context(session, f, urls.QUOTES)
    return render(request, "quotes.html", ctx, block="results")


@router.get(
    "/quotes.{fmt}",
    summary="Quote listing as JSON, CSV or Atom",
    responses=openapi.data("json", "csv", "atom", codes=(404,)),
)
def quotes_export(fmt: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Quotes with the same filters as /quotes, streamed; `limit` caps rows (default: all; Atom: 50)."""
    return export(fmt, request, session, f, urls.QUOTES)

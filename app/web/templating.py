"""Jinja2 set-up: one template renders the full page or, for htmx, just a block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from app.db import ROOT
from app.sharing.citation import format_date, iso_date, quote_date
from app.sharing.grouping import one_per_article
from app.sharing.speech import speech_of
from app.sharing.words import quote_words
from app.web import search, urls
from app.web.highlight import highlight_matches

HTMX_FILE = "htmx-2.0.11.min.js"
templates = Jinja2Blocks(directory=str(ROOT / "templates"))  # autoescape on for .html


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str:
    """English short name of an ISO 3166-1 alpha-2 code ("LT" → "Lithuania"); the code if unknown."""
    if not code:
        return ""

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    return getattr(country, "common_name", None) or country.name


def long_date(value: dt.date | dt.datetime | None) -> str:
    """12 May 2024."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class When:
    """A quote's date as shown: `iso` for <time datetime> (2024-05-12 or 2024-05), `text` ("12 May 2024", "May 2024")."""

    iso: str
    text: str


def when(row) -> When | None:
    """The date a listing row is shown with (month precision kept), or None: the card says "undated"."""
    date = quote_date(row.quote, row.article)
    return When(iso_date(date) or "", format_date(date)) if date else None


templates.env.filters["country_name"] = country_name
templates.env.filters["long_date"] = long_date
templates.env.filters["words"] = quote_words
templates.env.filters["search_words"] = search.words
templates.env.filters["hits"] = highlight_matches
templates.env.filters["one_per_article"] = one_per_article
templates.env.globals["speech_of"] = speech_of
templates.env.globals["when"] = when
templates.env.globals["urls"] = urls
templates.env.globals["htmx_file"] = HTMX_FILE


def is_htmx(request: Request) -> bool:
    """An htmx swap asks for the fragment; a history restore wants the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Boosted") != "true"
    )


def render(request: Request, name: str, context: dict, block: str | None = None, status_code: int = 200):
    """The full page, or only `block` for an htmx request; always Vary: HX-Request.

    Pages seen by a signed-in editor carry their name, "Sign out" and "Correct this" links, so they are private.
    """
    editor = getattr(request.state, "editor", None)  # set by app.web.deps.note_editor
    context = {
        "request": request,
        "errors": getattr(request.state, "param_errors", None) or {},
        "signed_in": editor,
        **context,
    }
    if block and is_htmx(request):
        response = templates.TemplateResponse(request, name, context, block_name=block, status_code=status_code)
    else:
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request, Cookie"
    if editor is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response

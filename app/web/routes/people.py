"""Routes: people (/people, /people/{slug}) and countries (/countries/{code}), each also .json/.csv."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

import pycountry
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from app.models import Person
from app.sharing.timeline import timeline_svg
from app.web import exports, openapi, urls
from app.web.deps import SessionDep
from app.web.filters import BadParam, QuoteFilters, _int, quote_filters
from app.web.listing import export, listing_context, widen_links
from app.web.merges import canonical_person, merged_ids
from app.web.people_queries import (
    PEOPLE_PER_PAGE,
    all_people,
    country_speakers,
    known_names,
    people_by_id,
    person_by_slug,
    profile,
    suggest,
)
from app.web.people_queries import people_page as people_listing
from app.web.quote_rows import corrections_for
from app.web.templating import country_name, render

router = APIRouter()
FiltersDep = Annotated[QuoteFilters, Depends(quote_filters)]
PEOPLE_COLUMNS = ["slug", "name", "kind", "role", "country", "organisation", "quotes", "url"]
COUNTRY_SPEAKERS = 30


def _person_record(p: Person, n: int, request: Request) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        "kind": p.kind,
        "role": p.role,
        "country": p.country,
        "organisation": p.organisation,
        "quotes": n,
        "url": urls.absolute(urls.person_path(p.slug), request),
    }


def people_export(fmt: str, rows, request: Request, name: str, meta: dict | None = None) -> Response:
    """People listing as JSON or CSV (streamed)."""
    if fmt == "json":

        def chunks():
            yield json.dumps(meta or {}, ensure_ascii=False)[:-1] + (", " if meta else "") + '"people": ['
            for i, (p, n) in enumerate(rows):
                yield ("," if i else "") + json.dumps(_person_record(p, n, request), ensure_ascii=False)
            yield "]}\n"

        return StreamingResponse(chunks(), media_type="application/json")
    if fmt == "csv":

        def lines():
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(PEOPLE_COLUMNS)
            for k, (p, n) in enumerate(rows, 1):
                record = _person_record(p, n, request)
                w.writerow(exports.safe_row(record[c] or "" for c in PEOPLE_COLUMNS))
                if k % 500 == 0:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()

        return StreamingResponse(
            lines(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    raise BadParam("format", f"{fmt!r} is not one of json, csv")


def _search(q: str | None) -> str | None:
    q = (q or "").strip()
    if len(q) > 200:
        raise BadParam("q", "search text is longer than 200 characters")
    return q or None


def _country_param(code: str | None) -> str | None:
    code = (code or "").strip()
    if not code:
        return None
    if len(code) != 2 or not code.isalpha():
        raise BadParam("country", f"{code!r} is not an ISO 3166-1 alpha-2 code such as LT or FR")
    return code.upper()


@router.get(
    "/people", summary="Everyone quoted (HTML)", response_class=HTMLResponse, responses=openapi.html_page(400, 404)
)
def people_page(
    request: Request,
    session: SessionDep,
    q: str | None = Query(None, description="search names, roles, organisations"),
    country: str | None = Query(None, description="speakers from this country, ISO alpha-2"),
    page: str | None = Query(None, description="page number, from 1"),
) -> Response:
    """People quoted, by name, 50 a page, with their quote counts; searchable."""
    q, code = _search(q), _country_param(country)
    number = _int("page", page, 1, 1_000_000) or 1
    listing = people_listing(session, q, code, number)
    params = {"q": q, "country": code}
    if not listing.rows and number > 1:
        raise HTTPException(404, f"Page {number} is past the end of this list of people.")
    more = len(listing.rows) == PEOPLE_PER_PAGE and (listing.pages is None or number < listing.pages)
    return render(
        request,
        "people.html",
        {
            "rows": listing.rows,
            "q": q or "",
            "country": code,
            "total": listing.count,
            "page": number,
            "pages": listing.pages,
            "params": params,
            "prev_url": urls.listing(urls.PEOPLE, params, page=number - 1 if number > 2 else None)
            if number > 1
            else None,
            "next_url": urls.listing(urls.PEOPLE, params, page=number + 1) if more else None,
        },
        block="results",
    )


@router.get("/people.{fmt}", summary="Everyone quoted, as JSON or CSV", responses=openapi.data("json", "csv"))
def people_export_route(
    fmt: str,
    request: Request,
    session: SessionDep,
    q: str | None = Query(None, description="search names, roles, organisations"),
    country: str | None = Query(None, description="speakers from this country, ISO alpha-2"),
    limit: str | None = Query(None, description="people per page (default: everyone)"),
    page: str | None = Query(None, description="page number, from 1, with limit"),
) -> Response:
    """People with quote counts, country, role and organisation, by name."""
    q, code = _search(q), _country_param(country)
    size = _int("limit", limit, 1, 1000)
    if size:
        listing = people_listing(session, q, code, _int("page", page, 1, 1_000_000) or 1, size)
        meta = {"total": listing.count.n, "total_exact": listing.count.exact, "page": listing.page, "limit": size}
        return people_export(fmt, listing.rows, request, "people", meta)
    return people_export(fmt, all_people(session, q, code), request, "people")


@router.get("/suggest/people", include_in_schema=False)
def people_suggest(
    request: Request, session: SessionDep, person: str | None = Query(None), q: str | None = Query(None)
) -> Response:
    """The person filter's typeahead: <option>s for its <datalist>, most quoted first."""
    text = (person or q or "").strip()[:200]
    rows = suggest(session, text) if len(text) >= 2 else []
    return render(request, "_person_options.html", {"options": rows})


def _person_or_redirect(session, slug: str, request: Request, suffix: str = ""):
    person = person_by_slug(session, slug)
    if person is None:
        raise HTTPException(404, f"No person with slug {slug!r}.")
    target = canonical_person(session, person) or person
    if target.id != person.id:
        dest = urls.person_path(target.slug) + suffix + (f"?{request.url.query}" if request.url.query else "")
        return None, RedirectResponse(dest, status_code=301)
    return person, None


@router.get(
    "/people/{slug}.{fmt}",
    summary="A person's quotes as JSON, CSV or Atom",
    responses=openapi.data("json", "csv", "atom", codes=(301, 404)),
)
def person_export(slug: str, fmt: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """The person's quotes with the usual filters (merged people redirect)."""
    person, redirect = _person_or_redirect(session, slug, request, f".{fmt}")
    if redirect:
        return redirect
    f.person = person.slug
    return export(fmt, request, session, f, urls.person_path(person.slug))


@router.get(
    "/people/{slug}",
    summary="A person and their quotes (HTML)",
    response_class=HTMLResponse,
    responses=openapi.html_page(301, 404),
)
def person_page(slug: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Role, country, organisation, name variants, timeline, co-speakers and quotes."""
    person, redirect = _person_or_redirect(session, slug, request)
    if redirect:
        return redirect
    f.person = person.slug
    path = urls.person_path(person.slug)
    ctx = listing_context(session, f, path, fixed=("person",))
    ctx["widen"] = widen_links(path, ctx["params"])
    ctx["heading_tag"] = "h2"
    ids = merged_ids(session, person)
    seen = profile(session, ids)
    svg = timeline_svg(seen.days) if seen.days else None
    names = known_names(session, ids, person.name)
    ctx.update(
        {
            "person": person,
            "names": names,
            "co_speakers": people_by_id(session, seen.co_speakers),
            "timeline": svg,
            "undated": seen.undated,
            "person_notes": corrections_for(session, [person.slug]).get(person.slug, []),
            "fixed_person": True,
        }
    )
    return render(request, "person.html", ctx, block="results")


def _country(code: str) -> str:
    """The upper-case ISO 3166-1 alpha-2 code; 400 when it is not shaped like one, 404 when no country has it."""
    if len(code) != 2 or not code.isalpha():
        raise BadParam("country", f"{code!r} is not an ISO 3166-1 alpha-2 code such as LT or FR")
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        raise HTTPException(404, f"No country has the code {code.upper()!r} (ISO 3166-1 alpha-2, such as LT or FR).")
    return code.upper()


@router.get(
    "/countries/{code}.{fmt}",
    summary="Quotes by people from a country, as JSON, CSV or Atom",
    responses=openapi.data("json", "csv", "atom", codes=(404,)),
)
def country_export(code: str, fmt: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Quotes by speakers from the country (ISO alpha-2), with the usual filters."""
    f.country = _country(code)
    return export(fmt, request, session, f, urls.country_path(f.country))


@router.get(
    "/countries/{code}",
    summary="A country's speakers and their quotes (HTML)",
    response_class=HTMLResponse,
    responses=openapi.html_page(301, 404),
)
def country_page(code: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Who from that country was quoted, and what."""
    upper = _country(code)
    if code != upper:
        return RedirectResponse(urls.country_path(upper) + (f"?{request.url.query}" if request.url.query else ""), 301)
    f.country = upper
    path = urls.country_path(upper)
    ctx = listing_context(session, f, path, fixed=("country",))
    ctx["widen"] = widen_links(path, ctx["params"])
    ctx["heading_tag"] = "h2"
    speakers, total = country_speakers(session, upper, COUNTRY_SPEAKERS)
    ctx.update(
        {
            "code": upper,
            "country": country_name(upper),
            "speakers": speakers,
            "speakers_total": total,
            "fixed_country": True,
        }
    )
    return render(request, "country.html", ctx, block="results")

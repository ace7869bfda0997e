"""Routes: people (/people, /people/{slug}) and countries (/countries/{code}), each also .json/.csv."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Annotated

import pycountry
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import func, or_
from sqlmodel import select

from app.models import Article, Person, PersonName, Quote
from app.sharing.timeline import timeline_svg
from app.web import urls
from app.web.deps import SessionDep
from app.web.filters import BadParam, QuoteFilters, quote_filters
from app.web.queries import (
    _like, canonical_person, corrections_for, iter_quotes, merged_ids, name_key_match, people_options,
)
from app.web.routes.quotes import export, listing_context, widen_links
from app.web.templating import country_name, render

router = APIRouter()
FiltersDep = Annotated[QuoteFilters, Depends(quote_filters)]
PEOPLE_COLUMNS = ["slug", "name", "kind", "role", "country", "organisation", "quotes", "url"]


def _people_rows(session, q: str | None, country: str | None = None) -> list[tuple[Person, int]]:
    rows = people_options(session)
    if country:
        rows = [(p, n) for p, n in rows if (p.country or "").upper() == country]
    if q:
        pattern = _like(q)
        hits = set(session.exec(
            select(Person.id).where(or_(Person.name.ilike(pattern, escape="\\"), Person.role.ilike(pattern, escape="\\"),
                                        Person.organisation.ilike(pattern, escape="\\")))
        ).all())
        name_cond = PersonName.name.ilike(pattern, escape="\\")
        if (key_cond := name_key_match(q)) is not None:
            name_cond = or_(name_cond, key_cond)
        hits |= set(session.exec(select(PersonName.person_id).where(name_cond)).all())
        people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(hits))).all()} if hits else {}
        canon = {canonical_person(session, p).id for p in people.values()}
        rows = [(p, n) for p, n in rows if p.id in canon]
    return rows


def _person_record(p: Person, n: int, request: Request) -> dict:
    return {"slug": p.slug, "name": p.name, "kind": p.kind, "role": p.role, "country": p.country,
            "organisation": p.organisation, "quotes": n, "url": urls.absolute(urls.person_path(p.slug), request)}


def people_export(fmt: str, rows: list[tuple[Person, int]], request: Request, name: str) -> Response:
    """People listing as JSON or CSV (streamed)."""
    if fmt == "json":
        def chunks():
            yield '{"people": ['
            for i, (p, n) in enumerate(rows):
                yield ("," if i else "") + json.dumps(_person_record(p, n, request), ensure_ascii=False)
            yield "]}\n"
        return StreamingResponse(chunks(), media_type="application/json")
    if fmt == "csv":
        def lines():
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(PEOPLE_COLUMNS)
            for p, n in rows:
                w.writerow([_person_record(p, n, request)[c] or "" for c in PEOPLE_COLUMNS])
            yield buf.getvalue()
        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    raise BadParam("format", f"{fmt!r} is not one of json, csv")


def _search(q: str | None) -> str | None:
    q = (q or "").strip()
    if len(q) > 200:
        raise BadParam("q", "search text is longer than 200 characters")
    return q or None


@router.get("/people", summary="Everyone quoted (HTML)")
def people_page(request: Request, session: SessionDep, q: str | None = Query(None, description="search names, roles, organisations")) -> Response:
    """Searchable list of speakers with their quote counts."""
    q = _search(q)
    rows = _people_rows(session, q)
    return render(request, "people.html", {"rows": rows, "q": q or ""}, block="results")


@router.get("/people.{fmt}", summary="Everyone quoted, as JSON or CSV")
def people_export_route(fmt: str, request: Request, session: SessionDep,
                        q: str | None = Query(None, description="search names, roles, organisations")) -> Response:
    """People with quote counts, country, role and organisation."""
    return people_export(fmt, _people_rows(session, _search(q)), request, "people")


def _person_or_redirect(session, slug: str, request: Request, suffix: str = ""):
    person = session.exec(select(Person).where(Person.slug == slug)).first()
    if person is None:
        raise HTTPException(404, f"No person with slug {slug!r}.")
    target = canonical_person(session, person)
    if target.id != person.id:
        dest = urls.person_path(target.slug) + suffix + (f"?{request.url.query}" if request.url.query else "")
        return None, RedirectResponse(dest, status_code=301)
    return person, None


def co_speakers(session, ids: list[int], limit: int = 8) -> list[tuple[Person, int]]:
    """People quoted in the same articles as ids, by number of shared articles."""
    article_ids = select(Quote.article_id).where(Quote.person_id.in_(ids), Quote.hidden == False)  # noqa: E712
    rows = session.exec(
        select(Quote.person_id, Quote.article_id)
        .where(Quote.article_id.in_(article_ids), Quote.person_id.is_not(None),
               Quote.person_id.not_in(ids), Quote.hidden == False)  # noqa: E712
        .distinct()
    ).all()
    counts: Counter = Counter()
    seen: set[tuple[int, int]] = set()
    for pid, aid in rows:
        person = canonical_person(session, session.get(Person, pid))
        if person is None or person.id in ids or (person.id, aid) in seen:
            continue
        seen.add((person.id, aid))
        counts[person.id] += 1
    return [(session.get(Person, pid), n) for pid, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:limit]]


def timeline(session, ids: list[int]) -> tuple[str | None, int]:
    """(SVG of how often they were quoted, or None without dated quotes; how many quotes have no date)."""
    rows = session.exec(
        select(func.coalesce(Quote.date, Article.published), Quote.date_precision)
        .join(Article, Quote.article_id == Article.id)
        .where(Quote.person_id.in_(ids), Quote.hidden == False)  # noqa: E712
    ).all()
    dated = [d for d, _ in rows if d is not None]
    monthly = any(p == "month" for d, p in rows if d is not None)
    return (timeline_svg(dated, monthly=monthly) if dated else None), len(rows) - len(dated)


@router.get("/people/{slug}.{fmt}", summary="A person's quotes as JSON, CSV or Atom")
def person_export(slug: str, fmt: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """The person's quotes with the usual filters (merged people redirect)."""
    person, redirect = _person_or_redirect(session, slug, request, f".{fmt}")
    if redirect:
        return redirect
    f.person = person.slug
    return export(fmt, request, session, f, urls.person_path(person.slug))


@router.get("/people/{slug}", summary="A person and their quotes (HTML)")
def person_page(slug: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Role, country, organisation, name variants, timeline, co-speakers and quotes."""
    person, redirect = _person_or_redirect(session, slug, request)
    if redirect:
        return redirect
    f.person = person.slug
    path = urls.person_path(person.slug)
    ctx = listing_context(session, f, path)
    ctx["params"].pop("person", None)
    ctx["widen"] = widen_links(path, ctx["params"])
    ctx["heading_tag"] = "h2"
    ctx["prev_url"] = urls.listing(path, ctx["params"], page=f.page - 1 if f.page > 2 else None) if f.page > 1 else None
    ctx["next_url"] = urls.listing(path, ctx["params"], page=f.page + 1) if f.page < ctx["pages"] else None
    ids = merged_ids(session, person)
    svg, undated = timeline(session, ids)
    names = sorted({n.name for n in session.exec(select(PersonName).where(PersonName.person_id.in_(ids))).all()} | {person.name})
    ctx.update({
        "person": person,
        "names": names,
        "co_speakers": co_speakers(session, ids),
        "timeline": svg,
        "undated": undated,
        "person_notes": corrections_for(session, [person.slug]).get(person.slug, []),
        "fixed_person": True,
    })
    return render(request, "person.html", ctx, block="results")


def _country(code: str) -> str:
    """The upper-case ISO 3166-1 alpha-2 code; 400 when it is not shaped like one, 404 when no country has it."""
    if len(code) != 2 or not code.isalpha():
        raise BadParam("country", f"{code!r} is not an ISO 3166-1 alpha-2 code such as LT or FR")
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        raise HTTPException(404, f"No country has the code {code.upper()!r} (ISO 3166-1 alpha-2, such as LT or FR).")
    return code.upper()


@router.get("/countries/{code}.{fmt}", summary="Quotes by people from a country, as JSON, CSV or Atom")
def country_export(code: str, fmt: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Quotes by speakers from the country (ISO alpha-2), with the usual filters."""
    f.country = _country(code)
    return export(fmt, request, session, f, urls.country_path(f.country))


@router.get("/countries/{code}", summary="A country's speakers and their quotes (HTML)")
def country_page(code: str, request: Request, session: SessionDep, f: FiltersDep) -> Response:
    """Who from that country was quoted, and what."""
    upper = _country(code)
    if code != upper:
        return RedirectResponse(urls.country_path(upper) + (f"?{request.url.query}" if request.url.query else ""), 301)
    f.country = upper
    path = urls.country_path(upper)
    ctx = listing_context(session, f, path)
    ctx["params"].pop("country", None)
    ctx["widen"] = widen_links(path, ctx["params"])
    ctx["heading_tag"] = "h2"
    ctx["prev_url"] = urls.listing(path, ctx["params"], page=f.page - 1 if f.page > 2 else None) if f.page > 1 else None
    ctx["next_url"] = urls.listing(path, ctx["params"], page=f.page + 1) if f.page < ctx["pages"] else None
    ctx.update({"code": upper, "country": country_name(upper), "speakers": _people_rows(session, None, upper),
                "fixed_country": True})
    return render(request, "country.html", ctx, block="results")

"""What every quote listing shares (/quotes, a person's page, a country's page): the page context,
cards grouped by same words, headings, links that widen an empty result, and the JSON/CSV/Atom export.
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from app.sharing.citation import format_date
from app.sharing.grouping import Group, group_quotes
from app.web import exports, urls
from app.web.cursor import encode
from app.web.export_writer import CSV_QUOTE_COLUMNS, EXPORT_PAGE, QUOTE_COLUMNS
from app.web.filters import DEFAULT_LIMIT, BadParam, PastEnd, QuoteFilters
from app.web.listing_counts import count_quotes, undated_left_out
from app.web.merges import person_by_text
from app.web.people_queries import country_options
from app.web.queries import iter_quote_pages, iter_quotes, listing_page
from app.web.quote_rows import StoredRow, corrections_for
from app.web.same_words import SAME_WORDS_DAYS, same_words
from app.web.templating import country_name

FEED_DEFAULT = 50


def date_range_text(date_from: dt.date | None, date_to: dt.date | None) -> str:
    """ "May 2024" for a whole month, "2024" for a whole year, "12 May 2024", "12 to 20 May 2024",
    "since 12 May 2024", "until 20 May 2024"; "" when there is no range."""
    if date_from and date_to:
        next_day = date_to + dt.timedelta(days=1)
        if date_from.day == 1 and next_day.day == 1:
            if (date_from.year, date_from.month) == (date_to.year, date_to.month):
                return f"{date_from:%B %Y}"
            if date_from.month == 1 and date_to.month == 12 and date_from.year == date_to.year:
                return str(date_from.year)
            return f"{date_from:%B %Y} to {date_to:%B %Y}"
        if date_from == date_to:
            return format_date(date_from)
        if (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return f"{date_from.day} to {format_date(date_to)}"
        return f"{format_date(date_from)} to {format_date(date_to)}"
    if date_from:
        return f"since {format_date(date_from)}"
    if date_to:
        return f"until {format_date(date_to)}"
    return ""


KIND_WORDS = {"direct": "direct quotes", "indirect": "paraphrases", "mixed": "paraphrases with quoted words"}


def listing_title(f: QuoteFilters, person_name: str | None = None) -> str:
    """What a listing shows, for its heading and <title>: "Quotes by Gabrielius Landsbergis, May 2024"."""
    head = KIND_WORDS.get(f.kind or "", "quotes").capitalize()
    parts = [head]
    if f.person:
        parts.append(f"by {person_name or f.person}")
    if f.country:
        parts.append(f"from {country_name(f.country)}")
    if f.q:
        parts.append(f"matching “{f.q}”")
    title = " ".join(parts)
    when = date_range_text(f.date_from, f.date_to)
    return f"{title}, {when}" if when else title


WIDEN_LABELS = {  # parameter -> what dropping it does, for an empty result
    "q": "Search all words, not only “{value}”",
    "from": "Drop the date range",
    "to": "Drop the date range",
    "kind": "Show every kind of quote",
    "person": "Show everyone",
    "country": "Show every country",
}


def widen_links(path: str, params: dict[str, str]) -> list[tuple[str, str]]:
    """(label, URL) of the same listing with one filter fewer, for a result that came out empty."""
    out: list[tuple[str, str]] = []
    seen = set()
    for name in ("q", "from", "to", "kind", "person", "country"):
        if not params.get(name):
            continue
        label = WIDEN_LABELS[name].format(value=params[name])
        if label in seen:
            continue
        seen.add(label)
        dropped = {"from", "to"} if name in ("from", "to") else {name}
        out.append((label, urls.listing(path, {k: v for k, v in params.items() if k not in dropped})))
    return out


def listing_context(session, f: QuoteFilters, path: str, fixed: tuple[str, ...] = ()) -> dict:
    """Everything a listing template needs: rows, count, cursors, filter options, export links.

    fixed names the filters the path itself sets (a person's or a country's page), left out of links.
    """
    limit = f.limit or DEFAULT_LIMIT
    page = listing_page(session, f, limit)
    params = {k: v for k, v in f.params().items() if k not in fixed}
    if f.limit:
        params["limit"] = str(f.limit)
    if not page.rows and f.page > 1 and f.before is None and f.after is None:
        last = max(1, -(-page.count.n // limit))
        raise PastEnd(
            f"Page {f.page} is past the end: this list has {page.count} quote"
            f"{'' if page.count.n == 1 else 's'}, {last if page.count.exact else 'many'} page(s).",
            urls.listing(path, params, page=last if last > 1 else None),
            f"Go to page {last}" if page.count.exact else "Go to the first page",
        )
    person = person_by_text(session, f.person) if f.person else None
    rows = page.rows
    notes = corrections_for(session, [r.quote.uid for r in rows] + [r.person.slug for r in rows if r.person])
    return {
        "rows": rows,
        "groups": group_rows(session, rows),
        "filters": f,
        "params": params,
        "total": page.count,
        "limit": limit,
        "path": path,
        "person": person,
        "title": listing_title(f, person.name if person else None),
        "widen": widen_links(path, params),
        "undated_out": undated_left_out(session, f),
        "countries": country_options(session),
        "notes": notes,
        "prev_url": urls.listing(path, params, after=encode(*page.newer)) if page.newer else None,
        "next_url": urls.listing(path, params, before=encode(*page.older)) if page.older else None,
    }


def group_rows(session, rows: list[StoredRow]) -> list:
    """Same words in several outlets → one card listing every source, first to publish first.

    Quotes on the page group with each other (app.sharing.grouping); each group also takes in the
    speaker's same words in other articles that the page does not show (app.web.same_words), so the
    sources a card lists do not depend on paging or filters.
    """
    more = same_words(session, rows)
    out = []
    for g in group_quotes(rows, window_days=SAME_WORDS_DAYS):
        members = list(g.items)
        seen = {r.quote.id for r in members}
        for r in g.items:
            assert r.quote.id is not None  # a stored quote
            for other in more.get(r.quote.id, []):
                if other.quote.id not in seen:
                    seen.add(other.quote.id)
                    members.append(other)
        if len(members) > len(g.items):
            members.sort(key=lambda r: (r.date is None, r.date or dt.date.min))
            g = Group(members, [r.date for r in members])
        out.append(g)
    return out


def export(fmt: str, request: Request, session, f: QuoteFilters, path: str, title: str | None = None) -> Response:
    """Shared by every quote listing: JSON, CSV or Atom of the filtered quotes."""
    if fmt not in urls.LISTING_FORMATS:
        raise BadParam("format", f"{fmt!r} is not one of {', '.join(urls.LISTING_FORMATS)}")
    person = person_by_text(session, f.person) if f.person else None
    title = title or listing_title(f, person.name if person else None)
    columns = CSV_QUOTE_COLUMNS if fmt == "csv" else QUOTE_COLUMNS
    pages = iter_quote_pages(session, f, columns, EXPORT_PAGE)  # read as the response streams
    if fmt == "json":
        total = count_quotes(session, f)
        meta = {
            "title": title,
            "filters": f.params(),
            "total": total.n,
            "total_exact": total.exact,
            "limit": f.limit,
            "page": f.page,
        }
        return exports.json_response(session, pages, request, meta)
    if fmt == "csv":
        return exports.csv_response(session, pages, request)
    self_url = urls.listing(path, f.params(with_paging=True), fmt="atom")
    if f.limit is None:
        f.limit = FEED_DEFAULT
    alt_url = urls.listing(path, f.params())
    return exports.atom_response(iter_quotes(session, f), request, f"Whosaid: {title}", self_url, alt_url)

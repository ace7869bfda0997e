"""Listing filters from the query string, validated with clear messages (never a 500)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fastapi import Query, Request

from app.web.cursor import decode, encode

KINDS = ("direct", "indirect", "mixed")
DEFAULT_LIMIT = 25
MAX_HTML_LIMIT = 200


class BadParam(Exception):
    """A query parameter the user got wrong; answered with 400 and the message."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class PastEnd(Exception):
    """A page number past the end of a listing; answered with 404 and a link to the last page."""

    def __init__(self, message: str, url: str, label: str):
        super().__init__(message)
        self.message, self.url, self.label = message, url, label


@dataclass
class QuoteFilters:
    """What a quote listing is narrowed to; None means "any"."""

    person: str | None = None
    country: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None
    kind: str | None = None
    limit: int | None = None
    page: int = 1
    undated: bool = False  # with a date filter: also list the undated quotes (after the dated ones)
    before: tuple[int, int] | None = None  # cursor: the quotes listed after this one (older)
    after: tuple[int, int] | None = None  # cursor: the quotes listed before this one (newer)

    def params(self, with_paging: bool = False) -> dict[str, str]:
        """The filters as query-string values (empty ones left out)."""
        out = {
            "person": self.person,
            "country": self.country,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "q": self.q,
            "kind": self.kind,
            "undated": "1" if self.undated and (self.date_from or self.date_to) else None,
        }
        if with_paging:
            out["limit"] = str(self.limit) if self.limit else None
            out["page"] = str(self.page) if self.page > 1 else None
            out["before"] = encode(*self.before) if self.before else None
            out["after"] = encode(*self.after) if self.after else None
        return {k: v for k, v in out.items() if v}

    @property
    def active(self) -> bool:
        """True when anything narrows the listing."""
        return bool(self.params())


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _date(name: str, value: str | None) -> dt.date | None:
    value = _blank(value)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParam(name, f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2024-05-12") from None


def _int(name: str, value: str | None, minimum: int, maximum: int | None = None) -> int | None:
    value = _blank(value)
    if value is None:
        return None
    if not re.fullmatch(r"\d+", value):
        raise BadParam(name, f"{value!r} is not a whole number")
    if len(value.lstrip("0")) > 9:
        raise BadParam(name, f"{value} is too large")
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise BadParam(name, f"must be {bound}, not {number}")
    return number


def _cursor(name: str, value: str | None) -> tuple[int, int] | None:
    value = _blank(value)
    if value is None:
        return None
    position = decode(value)
    if position is None:
        raise BadParam(name, f"{value!r} is not a position in a listing; use the links on the page")
    return position


def parse_filters(
    person: str | None = None,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    q: str | None = None,
    kind: str | None = None,
    limit: str | None = None,
    page: str | None = None,
    max_limit: int | None = MAX_HTML_LIMIT,
    before: str | None = None,
    after: str | None = None,
    undated: str | None = None,
) -> QuoteFilters:
    """Validate raw strings into QuoteFilters, or raise BadParam naming the parameter."""
    f = QuoteFilters()
    f.person = _blank(person)
    code = _blank(country)
    if code is not None:
        if not re.fullmatch(r"[A-Za-z]{2}", code):
            raise BadParam("country", f"{code!r} is not an ISO 3166-1 alpha-2 code such as LT or FR")
        f.country = code.upper()
    f.date_from = _date("from", date_from)
    f.date_to = _date("to", date_to)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise BadParam("from", f"{f.date_from} is after to={f.date_to}")
    text = _blank(q)
    if text is not None and len(text) > 300:
        raise BadParam("q", "search text is longer than 300 characters")
    f.q = text
    k = _blank(kind)
    if k is not None:
        k = k.lower()
        if k not in KINDS:
            raise BadParam("kind", f"{k!r} is not one of {', '.join(KINDS)}")
    f.kind = k
    f.limit = _int("limit", limit, 1, max_limit)
    f.page = _int("page", page, 1) or 1
    flag = _blank(undated)
    if flag is not None and flag not in ("0", "1"):
        raise BadParam("undated", f"{flag!r} is not 1 (include undated quotes) or 0")
    f.undated = flag == "1"
    f.before = _cursor("before", before)
    f.after = _cursor("after", after)
    if f.before and f.after:
        raise BadParam("after", "give before or after, not both")
    return f


def quote_filters(
    request: Request,
    person: str | None = Query(None, description="person slug, e.g. gabrielius-landsbergis"),
    country: str | None = Query(None, description="speaker's country, ISO 3166-1 alpha-2, e.g. LT"),
    date_from: str | None = Query(None, alias="from", description="first date, YYYY-MM-DD"),
    date_to: str | None = Query(None, alias="to", description="last date, YYYY-MM-DD"),
    q: str | None = Query(None, description="free text over the quote and the speaker's names"),
    kind: str | None = Query(None, description="direct, indirect or mixed"),
    limit: str | None = Query(
        None, description="rows per page (HTML: default 25, at most 200; exports: all rows unless given)"
    ),
    page: str | None = Query(None, description="page number, from 1 (the links on a page use before/after instead)"),
    before: str | None = Query(None, description="cursor: the quotes after this position (the page's “Older” link)"),
    after: str | None = Query(None, description="cursor: the quotes before this position (the page's “Newer” link)"),
    undated: str | None = Query(None, description="1: a date filter also lists the undated quotes"),
) -> QuoteFilters:
    """FastAPI dependency: the quote filters of this request (exports have no row cap)."""
    is_export = request.url.path.rsplit("/", 1)[-1].count(".") > 0
    f = parse_filters(
        person,
        country,
        date_from,
        date_to,
        q,
        kind,
        limit,
        page,
        max_limit=None if is_export else MAX_HTML_LIMIT,
        before=before,
        after=after,
        undated=undated,
    )
    if is_export and f.page > 1 and f.limit is None:
        f.limit = DEFAULT_LIMIT  # page N of an export is page N of the HTML listing, not every row again
    return f

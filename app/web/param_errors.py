"""A bad filter parameter on a listing page answers 400 with the page itself: the filter form stays,
the error stands beside its field, and the listing shows what the other, valid filters give.

app/web/main.py calls listing_with_errors from its BadParam handler; anything that is not a listing
page (exports, the API, a bad code in the path) keeps the plain error answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from app.web.deps import request_session
from app.web.filters import BadParam, QuoteFilters, parse_filters
from app.web.routes import people, quotes

FIELDS = ("person", "country", "from", "to", "q", "kind", "limit", "page")  # query names, as BadParam names them
MAX_ERRORS = len(FIELDS)


def _lenient(request: Request, exc: BadParam) -> tuple[QuoteFilters, dict[str, str]] | None:
    """The filters without every bad parameter, and {parameter: message} for those left out."""
    params = {k: v for k, v in request.query_params.items() if k in FIELDS}
    errors: dict[str, str] = {}
    for _ in range(MAX_ERRORS):
        if exc.name not in params or exc.name in errors:
            return None  # the bad value is not a query parameter (a path segment, a format): no form to keep
        errors[exc.name] = exc.message
        params.pop(exc.name)
        try:
            return parse_filters(
                params.get("person"),
                params.get("country"),
                params.get("from"),
                params.get("to"),
                params.get("q"),
                params.get("kind"),
                params.get("limit"),
                params.get("page"),
            ), errors
        except BadParam as again:
            exc = again
    return None


def _page(path: str) -> Callable | None:
    if path in ("/", "/quotes"):
        return lambda request, session, f: quotes.quotes_page(request, session, f)
    if person := re.fullmatch(r"/people/([^/.]+)", path):
        return lambda request, session, f: people.person_page(person.group(1), request, session, f)
    if country := re.fullmatch(r"/countries/([^/.]+)", path):
        return lambda request, session, f: people.country_page(country.group(1), request, session, f)
    return None


def listing_with_errors(request: Request, exc: BadParam) -> Response | None:
    """The listing page with its form and the errors beside their fields (status 400), or None."""
    page = _page(request.url.path)
    if page is None or request.method != "GET":
        return None
    lenient = _lenient(request, exc)
    if lenient is None:
        return None
    f, errors = lenient
    request.state.param_errors = errors
    with request_session(request) as session:
        try:
            response = page(request, session, f)
        except BadParam:
            return None
    if response.status_code == 200:
        response.status_code = 400
    return response

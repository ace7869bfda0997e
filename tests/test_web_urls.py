"""The URL builder (app.web.urls): every path it makes is served by the route meant, with its parts encoded."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.routing import Match

from app.web import urls
from app.web.main import app

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _walk(routes):
    for r in routes:
        if hasattr(r, "original_router"):  # an included router
            yield from _walk(r.original_router.routes)
        else:
            yield r


def _endpoint(path: str, method: str = "GET") -> tuple[str, dict]:
    """The name of the route the app sends path to, and its path parameters (as routing does: first full match)."""
    scope = {"type": "http", "path": path.split("?")[0].split("#")[0], "method": method}
    for route in _walk(app.routes):
        match, child = route.matches(scope)
        if match == Match.FULL:
            return route.name, child.get("path_params", {})
    raise AssertionError(f"no route serves {method} {path}")


@pytest.mark.parametrize(
    ("path", "method", "name", "params"),
    [
        (urls.QUOTES, "GET", "quotes_page", {}),
        (urls.listing(urls.QUOTES, {"q": "x"}, fmt="json"), "GET", "quotes_export", {"fmt": "json"}),
        (urls.PEOPLE, "GET", "people_page", {}),
        (urls.listing(urls.PEOPLE, {}, fmt="csv"), "GET", "people_export_route", {"fmt": "csv"}),
        (urls.PEOPLE_SUGGEST, "GET", "people_suggest", {}),
        (urls.person_path("ingrida-simonyte"), "GET", "person_page", {"slug": "ingrida-simonyte"}),
        (
            urls.person_path("ingrida-simonyte", "atom"),
            "GET",
            "person_export",
            {"slug": "ingrida-simonyte", "fmt": "atom"},
        ),
        (urls.country_path("lt"), "GET", "country_page", {"code": "LT"}),
        (urls.country_path("LT", "json"), "GET", "country_export", {"code": "LT", "fmt": "json"}),
        (
            urls.quote_path("ab12", "anna-berg-we-stay"),
            "GET",
            "quote_page",
            {"uid": "ab12", "slug": "anna-berg-we-stay"},
        ),
        (urls.quote_json("ab12"), "GET", "quote_json", {"uid": "ab12"}),
        (urls.quote_image("ab12"), "GET", "share_image", {"uid": "ab12"}),
        (urls.article_path("a1"), "GET", "article_page", {"uid": "a1"}),
        (urls.passage("a1", "ab12"), "GET", "article_page", {"uid": "a1"}),
        (urls.API, "GET", "api_page", {}),
        (urls.LOGIN, "GET", "login_form", {}),
        (urls.login("/admin"), "POST", "login", {}),
        (urls.LOGOUT, "POST", "logout", {}),
        (urls.ADMIN, "GET", "index", {}),
        (urls.admin_person("shimonite"), "GET", "person_page", {"slug": "shimonite"}),
        (urls.admin_person("shimonite", "merge"), "POST", "merge", {"slug": "shimonite"}),
        (urls.admin_quote("wq1"), "GET", "quote_page", {"uid": "wq1"}),
        (urls.admin_quote("wq1", "hide"), "POST", "hide", {"uid": "wq1"}),
        (urls.ADMIN_CORRECTIONS, "GET", "corrections", {}),
        (urls.admin_undo(7), "POST", "undo", {"cid": "7"}),
        (urls.ADMIN_FEEDS, "GET", "feeds_page", {}),
        (urls.admin_feed(3, "poll"), "POST", "poll_now", {"feed_id": "3"}),
    ],
)
def test_each_built_path_reaches_its_route(path, method, name, params):
    found, got = _endpoint(path, method)
    assert found == name
    assert {k: str(v) for k, v in got.items()} == params


def test_parts_are_percent_encoded_so_a_query_or_fragment_cannot_cut_the_path():
    assert urls.person_path("a b?c") == "/people/a%20b%3Fc"
    assert urls.quote_path("u 1", "s#x") == "/q/u%201/s%23x"
    assert urls.admin_quote("w?q", "hide") == "/admin/quotes/w%3Fq/hide"
    assert urls.login("/admin/people/a?b=1") == "/login?next=%2Fadmin%2Fpeople%2Fa%3Fb%3D1"


def test_listing_keeps_filters_and_drops_empty_values():
    assert (
        urls.listing("/quotes", {"q": "don’t", "person": "", "page": None}, fmt="csv", page=2)
        == "/quotes.csv?q=don%E2%80%99t&page=2"
    )
    assert urls.listing("/people", {}) == "/people"
    assert urls.done("/admin/people/x") == "/admin/people/x?done=1"
    assert urls.done("/admin/feeds?added=1") == "/admin/feeds?added=1&done=1"


def test_external_links_are_http_only():
    assert urls.external(" https://news.example/a ") == "https://news.example/a"
    assert urls.external("javascript:alert(1)") is None
    assert urls.external("//news.example/a") is None
    assert urls.external("http://[bad") is None


def test_absolute_prefers_the_configured_base_url(monkeypatch):
    monkeypatch.setenv("WHOSAID_BASE_URL", "https://whosaid.example/")
    urls.get_settings.cache_clear()
    try:
        assert urls.absolute("/q/ab12") == "https://whosaid.example/q/ab12"
    finally:
        monkeypatch.delenv("WHOSAID_BASE_URL")
        urls.get_settings.cache_clear()


def test_static_urls_change_with_the_file():
    first = urls.static("style.css")
    assert first.startswith("/static/style.css?v=") and len(first.split("v=")[1]) == 12


def test_templates_build_no_link_by_hand():
    """Every href, action and hx-get in a template comes from urls (a fragment like #results is fine)."""
    hand = [
        f"{p.relative_to(TEMPLATES)}: {line.strip()[:80]}"
        for p in TEMPLATES.rglob("*.html")
        for line in p.read_text(encoding="utf-8").splitlines()
        if any(f'{attr}="/' in line for attr in ("href", "action", "src", "hx-get", "hx-post"))
    ]
    assert hand == []

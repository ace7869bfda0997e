"""Safe on the open web: security headers, trusted hosts, hostile parameters, compression, static caching.

Every test that touches the database runs on SQLite and on PostgreSQL (the `client` fixture).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlmodel import Session

from app.config import get_settings
from app.web import security, urls
from tests import web_factories as wf
from tests.test_corrections_web import PASSWORD, form_token, sign_in, world  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


@pytest.fixture
def settings_env(monkeypatch):
    """Set WHOSAID_* variables for one test; the settings cache is cleared before and after."""

    def set_env(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"WHOSAID_{key.upper()}", value)
        get_settings.cache_clear()

    yield set_env
    get_settings.cache_clear()


# --- headers --------------------------------------------------------------------------------


def _assert_security_headers(r):
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_every_kind_of_response_carries_the_security_headers(client, session):
    d = wf.sample(session)
    uid = d["quotes"]["trained"].uid
    for path in (
        "/quotes",
        "/quotes.json",
        "/quotes.csv",
        "/quotes.atom",
        "/people",
        f"/q/{uid}.json",
        f"/q/{uid}",
        "/api",
        "/openapi.json",
        "/login",
        "/static/style.css",
        "/robots.txt",
        "/no/such/page",
        "/quotes?from=yesterday",
        "/quotes?q=%00",
    ):
        r = client.get(path)
        assert r.status_code < 500, path
        _assert_security_headers(r)


def test_hsts_is_sent_only_when_cookies_are_secure(client, settings_env):
    assert "strict-transport-security" not in client.get("/robots.txt").headers
    settings_env(secure_cookies="1")
    assert client.get("/robots.txt").headers["strict-transport-security"].startswith("max-age=31536000")


def test_templates_hold_no_inline_script_style_or_event_handler():
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{path}: inline <script>"
        assert "<style" not in html, f"{path}: inline <style>"
        assert not re.search(r"\sstyle=", html), f"{path}: style attribute"
        assert not re.search(r"\son[a-z]+=", html), f"{path}: inline event handler"
        assert "javascript:" not in html, f"{path}: javascript: URL"


def test_pages_load_scripts_and_styles_only_from_our_static_files(client, session, world):  # noqa: F811 - world is the fixture imported above
    sign_in(client)
    for path in ("/quotes", "/admin", "/admin/corrections"):
        html = client.get(path).text
        assets = re.findall(r'<script[^>]+src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', html)
        assets = [a or b for a, b in assets]
        assert len(assets) >= 3 and all(a.startswith("/static/") for a in assets), (path, assets)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "<style" not in html
    assert '"includeIndicatorStyles":false' in client.get("/quotes").text  # htmx would inject a <style>


# --- hosts ------------------------------------------------------------------------------------


def test_a_foreign_host_header_is_refused_before_it_reaches_any_link(client, session):
    d = wf.sample(session)
    uid = d["quotes"]["trained"].uid
    for path in ("/quotes", f"/q/{uid}", f"/q/{uid}.json", "/quotes.atom"):
        r = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert r.status_code == 400, path
        assert "evil.example" not in r.text
        _assert_security_headers(r)


def test_default_hosts_are_the_served_address_and_localhost(client, settings_env, monkeypatch):
    monkeypatch.delenv("WHOSAID_ALLOWED_HOSTS")
    settings_env(host="203.0.113.7")
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "203.0.113.7:8000"):
        assert client.get("/robots.txt", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "localhost.evil.example", "testserver", "127.0.0.1@evil.example", "x:notaport"):
        assert client.get("/robots.txt", headers={"Host": host}).status_code == 400, host


def test_base_url_host_is_allowed_and_wins_for_absolute_urls(client, session, settings_env):
    d = wf.sample(session)
    uid = d["quotes"]["trained"].uid
    settings_env(allowed_hosts="testserver", base_url="https://whosaid.example")
    r = client.get(f"/q/{uid}.json", headers={"Host": "whosaid.example"})
    assert r.status_code == 200 and r.json()["url"].startswith("https://whosaid.example/q/")
    assert client.get(f"/q/{uid}.json").json()["url"].startswith("https://whosaid.example/q/")


def test_allowed_hosts_setting_takes_names_subdomains_and_star(client, settings_env):
    settings_env(allowed_hosts="news.example, .whosaid.example")
    ok = ("news.example", "NEWS.example:443", "whosaid.example", "eu.whosaid.example")
    for host in ok:
        assert client.get("/robots.txt", headers={"Host": host}).status_code == 200, host
    for host in ("testserver", "localhost", "evilwhosaid.example", "news.example.evil"):
        assert client.get("/robots.txt", headers={"Host": host}).status_code == 400, host
    settings_env(allowed_hosts="*")
    assert client.get("/robots.txt", headers={"Host": "anything.example"}).status_code == 200


# --- hostile parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, field",
    [
        ("/quotes?q=%00", "q"),
        ("/quotes?person=a%00b", "person"),
        ("/quotes.json?q=%1b", "q"),
        ("/quotes.csv?kind=%7f", "kind"),
        ("/people?q=%00", "q"),
        ("/q/%00", "uid"),
        ("/q/%00/slug", "uid"),
        ("/q/%00.json", "uid"),
        ("/q/x%00.png", "uid"),
        ("/people/%00", "slug"),
        ("/people/%00.json", "slug"),
        ("/articles/%00", "uid"),
        ("/countries/%00", "code"),
        ("/quotes?q=a%0Ab", "q"),
        ("/static/%00", "path"),
        ("/admin?q=%00", "q"),
        ("/login?next=%00", "next"),
    ],
)
def test_control_characters_in_path_or_query_answer_400_naming_the_field(client, session, path, field):
    wf.sample(session)
    r = client.get(path)
    assert r.status_code == 400, (path, r.text[:300])
    body = r.json() if r.headers["content-type"].startswith("application/json") else None
    text = body["error"] + " " + body["detail"] if body else r.text
    assert f"Bad parameter: {field}" in text


def test_ordinary_punctuation_and_unicode_pass_the_guard(client, session):
    wf.sample(session)
    for q in ("%27", "%22", "%E2%80%9C", "!%3F%2C.", "%25_", "%5C", "don%E2%80%99t", "O%27Brien", "-%3D%2B%40"):
        r = client.get(f"/quotes?q={q}")
        assert r.status_code == 200, q


def test_a_nul_in_the_login_form_is_a_400_not_a_server_error(client, world):  # noqa: F811 - world is the fixture imported above
    token = form_token(client, "/login")
    for data in (
        {"username": "editor", "password": "pass\x00word"},
        {"username": "ed\x00itor", "password": "x"},
        {"username": "editor", "password": PASSWORD, "next": "/admin\x00"},
    ):
        r = client.post("/login", data={**data, "csrf_token": token})
        assert r.status_code == 400, (data, r.text[:200])
        assert "Bad parameter:" in r.text
    r = client.post(
        "/login", files={"username": (None, "ed\x00itor"), "password": (None, "x"), "csrf_token": (None, token)}
    )
    assert r.status_code == 400


def test_editor_forms_refuse_control_characters_but_keep_line_breaks(client, world):  # noqa: F811 - world is the fixture imported above
    sign_in(client)
    token = form_token(client, "/admin/quotes/wq1")
    r = client.post("/admin/quotes/wq1/hide", data={"reason": "bad\x00reason", "csrf_token": token})
    assert r.status_code == 400 and "Bad parameter: reason" in r.text
    r = client.post(
        "/admin/quotes/wq1/hide",
        data={"reason": "misattributed:\r\nsee the\tcorrection", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_oversized_numbers_on_editor_routes_answer_400(client, world):  # noqa: F811 - world is the fixture imported above
    sign_in(client)
    token = form_token(client, "/admin/corrections")
    r = client.post("/admin/corrections/99999999999999999999999/undo", data={"csrf_token": token})
    assert r.status_code == 400 and "Bad parameter: cid" in r.text
    r = client.post("/admin/corrections/0/undo", data={"csrf_token": token})
    assert r.status_code == 400
    r = client.get("/admin/corrections?page=99999999999999999999")
    assert r.status_code == 400 and "Bad parameter: page" in r.text
    token = form_token(client, "/admin/people/shimonite")
    r = client.post(
        "/admin/people/shimonite/split", data={"names": "99999999999999999999", "new_name": "X", "csrf_token": token}
    )
    assert r.status_code == 400 and "names" in r.text
    assert client.get("/quotes?page=99999999999999999999").status_code == 400
    assert client.get("/quotes.json?limit=99999999999999999999").status_code == 400


def test_every_integer_parameter_of_every_route_is_bounded():
    from app.web.routes import admin, api_docs, articles, auth, people, permalink, quotes, share

    checked = 0
    for module in (share, auth, admin, quotes, articles, permalink, people, api_docs):
        for route in module.router.routes:
            dependant = route.dependant
            stack = [dependant]
            while stack:
                dep = stack.pop()
                stack.extend(dep.dependencies)
                for p in dep.path_params + dep.query_params + dep.body_params + dep.header_params:
                    ann = p.field_info.annotation
                    if "int" not in repr(ann):
                        continue
                    text = repr(p.field_info.metadata) + repr(ann)  # Le(le=…) on the field or its items
                    assert "Le(le=" in text or "Lt(lt=" in text, f"{route.path}: {p.name} has no upper bound"
                    checked += 1
    assert checked >= 3


def test_a_huge_form_body_is_refused(client, world):  # noqa: F811 - world is the fixture imported above
    r = client.post(
        "/login",
        content=b"a=" + b"x" * (security.MAX_FORM_BYTES + 10),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413


# --- compression and static files -----------------------------------------------------------


def test_large_pages_are_gzipped_but_pages_with_secrets_are_not(client, session, world):  # noqa: F811 - world is the fixture imported above
    with Session(world) as s:
        for i in range(20):
            art = wf.article(s, f"Article {i} " * 30, title=f"Title {i}")
            wf.quote(s, art, f"Article {i}")
        s.commit()
    for path in ("/quotes", "/quotes.json", "/quotes.csv", "/static/style.css"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("content-encoding") == "gzip", path
    small = client.get("/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    login = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert len(login.content) > 1000 and "content-encoding" not in login.headers
    sign_in(client)
    admin = client.get("/admin", headers={"Accept-Encoding": "gzip"})
    assert admin.status_code == 200 and "content-encoding" not in admin.headers


def test_static_urls_carry_the_content_hash_and_are_cached_for_a_year(client):
    url = urls.static("style.css")
    digest = hashlib.sha256((ROOT / "static" / "style.css").read_bytes()).hexdigest()
    assert url == f"/static/style.css?v={digest[:12]}"
    assert client.get(url).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/static/style.css?v=stale").headers["cache-control"]
    assert "immutable" not in client.get("/static/style.css").headers["cache-control"]
    html = client.get("/quotes").text
    for name in ("style.css", "app.js"):
        assert f'"{urls.static(name)}"' in html


def test_serve_hands_its_address_to_the_workers_and_warns_on_a_wildcard(monkeypatch, capsys, settings_env):
    import argparse

    from app.web import cli

    monkeypatch.setattr(cli, "upgrade", lambda: None)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **kw: None)
    monkeypatch.delenv("WHOSAID_ALLOWED_HOSTS", raising=False)
    monkeypatch.delenv("WHOSAID_BASE_URL", raising=False)
    monkeypatch.setenv("WHOSAID_HOST", "127.0.0.1")
    settings_env()
    cli.serve(argparse.Namespace(host="192.0.2.10", port=None, workers=1))
    assert get_settings.__wrapped__().host == "192.0.2.10"  # what a worker process will read
    assert "only localhost" not in capsys.readouterr().err
    cli.serve(argparse.Namespace(host="0.0.0.0", port=None, workers=1))
    assert "WHOSAID_ALLOWED_HOSTS" in capsys.readouterr().err

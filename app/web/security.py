"""One ASGI middleware between the server and the app: trusted hosts, hostile parameters, security headers.

- Host: a request whose Host header is not an allowed host gets 400 before any route runs, so links
  built from the request origin (canonical, og:image, feeds) never point at a host an attacker chose.
  Allowed: WHOSAID_ALLOWED_HOSTS (comma-separated; `*` = any, `.example.org` = it and its subdomains),
  else the served address (WHOSAID_HOST) plus localhost, 127.0.0.1 and ::1; the host of WHOSAID_BASE_URL
  is always allowed (and WHOSAID_BASE_URL, when set, is what absolute URLs are built from).
- Parameters: a control character (NUL, ESC, DEL, …) in a path segment, query parameter or form field
  gets 400 naming the field, on every route, whatever the database (PostgreSQL refuses NUL in text).
  Forms may keep tab and line breaks (text areas); paths and query strings may not. Form bodies are
  read once here (at most MAX_FORM_BYTES, else 413) and handed on unchanged.
- Headers on every response: a Content-Security-Policy without inline script or style and with
  `frame-ancestors 'none'` (the embed snippet is a blockquote, not a frame, so nothing is framed),
  X-Frame-Options, X-Content-Type-Options, Referrer-Policy, and HSTS when WHOSAID_SECURE_COOKIES=1.
- Compression: gzip above GZIP_MIN_BYTES, except on the pages that carry session or CSRF secrets
  (NO_GZIP_PREFIXES), where compressing next to reflected input would allow BREACH.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import UploadFile
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match

from app.config import Settings, get_settings
from app.web import urls

CSP = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000"  # one year; no includeSubDomains: the deployer's other hosts are not ours to decide
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("", "0.0.0.0", "::")  # a bind address, never a Host header
MAX_INT = 2**31 - 1  # the largest id or count a route accepts: INTEGER columns on PostgreSQL
MAX_FORM_BYTES = 1024 * 1024  # the largest editor form (a split with every name ticked) is a few KB
GZIP_MIN_BYTES = 1000
NO_GZIP_PREFIXES = (urls.ADMIN, urls.LOGIN, urls.LOGOUT)
PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
QUERY_CONTROL = PATH_CONTROL
FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF and CR are text-area content

ErrorPage = Callable[[Request, int, str, str], Response]


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """The host names this app answers to (lower-case, no port)."""
    configured = [h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()]
    hosts = set(configured) if configured else set(LOCAL_HOSTS)
    if not configured and settings.host.strip().lower() not in ANY_ADDRESS:
        hosts.add(settings.host.strip().lower().strip("[]"))
    if settings.base_url:
        base_host = urlsplit(settings.base_url).hostname
        if base_host:
            hosts.add(base_host.lower())
    return frozenset(hosts)


def host_name(header: str) -> str | None:
    """The host name of a Host header ("Example.org:8000" → "example.org", "[::1]:80" → "::1"); None if malformed."""
    try:
        parts = urlsplit("//" + header)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.username is not None or parts.path or parts.query or parts.fragment or not parts.hostname:
        return None
    return parts.hostname.lower()


def host_allowed(header: str | None, hosts: frozenset[str]) -> bool:
    """Whether a Host header names one of hosts; no header (HTTP/1.0) falls back to the server address."""
    if header is None:
        return True
    if "*" in hosts:
        return True
    name = host_name(header)
    if name is None:
        return False
    return name in hosts or any(h.startswith(".") and (name == h[1:] or name.endswith(h)) for h in hosts)


def _bad(pattern: re.Pattern, value: str) -> str | None:
    found = pattern.search(value)
    return None if found is None else f"contains the control character U+{ord(found.group()):04X}"


def check_query(query_string: bytes) -> tuple[str, str] | None:
    """(field, problem) for the first query parameter holding a control character, else None."""
    text = query_string.decode("latin-1")
    for name, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"):
        problem = _bad(QUERY_CONTROL, name)
        if problem:
            return repr(name), f"the parameter name {problem}"
        problem = _bad(QUERY_CONTROL, value)
        if problem:
            return name, problem
    return None


def check_path(scope: dict, routes) -> tuple[str, str] | None:
    """(field, problem) when the decoded path holds a control character; the field is the route's path parameter."""
    problem = _bad(PATH_CONTROL, scope.get("path", ""))
    if problem is None:
        return None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            for name, value in (child.get("path_params") or {}).items():
                if isinstance(value, str) and _bad(PATH_CONTROL, value):
                    return name, problem
    return "path", problem


def check_form(form) -> tuple[str, str] | None:
    """(field, problem) for the first form field (or its name) holding a control character, else None."""
    for name, value in form.multi_items():
        problem = _bad(FORM_CONTROL, name)
        if problem:
            return repr(name), f"the field name {problem}"
        text = value.filename or "" if isinstance(value, UploadFile) else value
        problem = _bad(FORM_CONTROL, text)
        if problem:
            return name, problem
    return None


def _is_form(scope: dict) -> bool:
    if scope["method"] not in ("POST", "PUT", "PATCH"):
        return False
    ctype = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1").lower()
    return ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


async def _read_body(receive) -> bytes | None:
    """The whole request body, or None when it is larger than MAX_FORM_BYTES."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive):
    """A receive callable that yields body once, then whatever the server sends (disconnect)."""
    done = False

    async def replay():
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityMiddleware:
    """Trusted hosts, the parameter guard and security headers, for every HTTP request (see module doc)."""

    def __init__(self, app, error_page: ErrorPage, routes=()):
        self.app = app
        self.error_page = error_page
        self.routes = routes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        extra = {k.encode(): v.encode() for k, v in HEADERS.items()}
        if settings.secure_cookies:
            extra[b"strict-transport-security"] = HSTS.encode()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", [])) + [(k, v) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        request = Request(scope)
        host = dict(scope["headers"]).get(b"host")
        if not host_allowed(None if host is None else host.decode("latin-1"), allowed_hosts(settings)):
            await self._refuse(
                request,
                receive,
                send_with_headers,
                400,
                "Bad Host header",
                "This server does not answer to that host name (see WHOSAID_ALLOWED_HOSTS).",
            )
            return
        problem = check_path(scope, self.routes) or check_query(scope.get("query_string", b""))
        if problem is None and _is_form(scope):
            body = await _read_body(receive)
            if body is None:
                await self._refuse(
                    request,
                    receive,
                    send_with_headers,
                    413,
                    "Form too large",
                    f"A form may hold at most {MAX_FORM_BYTES:,} bytes.",
                )
                return
            receive = _replay(body, receive)
            problem = await self._form_problem(scope, body)
        if problem is not None:
            name, message = problem
            await self._refuse(request, receive, send_with_headers, 400, f"Bad parameter: {name}", f"{name} {message}")
            return
        await self.app(scope, receive, send_with_headers)

    async def _form_problem(self, scope, body: bytes) -> tuple[str, str] | None:
        parser_request = Request(scope, _replay(body, _no_more))
        try:
            async with parser_request.form() as form:
                return check_form(form)
        except Exception:  # noqa: BLE001 - a malformed body is the route's to refuse (422), not ours
            return None

    async def _refuse(self, request: Request, receive, send, status: int, title: str, message: str) -> None:
        try:
            response = self.error_page(request, status, title, message)
        except Exception:  # noqa: BLE001 - the error page must never turn a 400 into a 500
            response = PlainTextResponse(f"{title}: {message}", status_code=status)
        await response(request.scope, receive, send)


async def _no_more():
    return {"type": "http.disconnect"}


class SelectiveGZip:
    """GZipMiddleware for every path except NO_GZIP_PREFIXES (pages with cookies and CSRF tokens: BREACH)."""

    def __init__(self, app, minimum_size: int = GZIP_MIN_BYTES):
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not _no_gzip(scope.get("path", "")):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _no_gzip(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in NO_GZIP_PREFIXES)

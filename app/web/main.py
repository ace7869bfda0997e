"""The FastAPI application: create_app() and the module-level `app` uvicorn serves."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import get_settings
from app.db import ROOT
from app.feeds import web as feeds_admin
from app.web import openapi
from app.web.deps import SignInNeeded, login_redirect, note_editor
from app.web.filters import BadParam, PastEnd
from app.web.param_errors import listing_with_errors
from app.web.routes import admin, api_docs, articles, auth, people, permalink, quotes, share
from app.web.security import SecurityMiddleware, SelectiveGZip
from app.web.staticfiles import VersionedStaticFiles
from app.web.templating import render

MACHINE_SUFFIXES = (".json", ".csv", ".atom", ".png")
SIGN_IN = "Sign in as an editor first (/login)."


def _wants_machine(request: Request) -> bool:
    return request.url.path.endswith(MACHINE_SUFFIXES) or request.url.path == "/openapi.json"


def _error(request: Request, status: int, title: str, message: str, headers=None, link=None) -> Response:
    if _wants_machine(request):
        body = {"error": title, "detail": message} | ({"link": link[0]} if link else {})
        return JSONResponse(body, status_code=status, headers=headers)
    response = render(
        request,
        "error.html",
        {"status": status, "title": title, "message": message, "link": link},
        block="results",
        status_code=status,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class HeadAsGet:
    """Answer HEAD like GET without the body (link unfurlers and `curl -I` check permalinks with HEAD)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


@asynccontextmanager
async def lifespan(_app: FastAPI):
    """At most WHOSAID_DB_POOL_SIZE requests run at once per process: one database connection each.

    What the worker loaded to start (modules, templates, word lists) lives as long as it does: frozen out of
    the garbage collector's view, it is not walked again by every full collection during requests.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().db_pool_size
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def create_app() -> FastAPI:
    """Build the app: static files, every router (ours, admin/auth, share), error pages; no CDN docs."""
    app = FastAPI(
        title="Whosaid",
        summary="Who said what in the news: quotes, speakers and sources.",
        version="0.1.0",
        docs_url=None,  # the default docs load from a CDN; /api is our own page
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(note_editor)],  # who is signed in, for the page header
    )
    app.mount("/static", VersionedStaticFiles(directory=str(ROOT / "static")), name="static")
    app.add_middleware(SelectiveGZip)
    app.add_middleware(HeadAsGet)
    # share first: its /q/{uid}.png must win over the permalink's /q/{uid}
    modules = (share, auth, feeds_admin, admin, quotes, articles, permalink, people, api_docs)
    for module in modules:
        app.include_router(module.router)
    routes = [route for module in modules for route in module.router.routes]  # to name a bad path parameter
    app.add_middleware(SecurityMiddleware, error_page=_error, routes=routes)  # outermost

    @app.exception_handler(BadParam)
    def bad_param(request: Request, exc: BadParam):
        if not _wants_machine(request):
            page = listing_with_errors(request, exc)  # the listing again, the error beside its field
            if page is not None:
                return page
        return _error(request, 400, f"Bad parameter: {exc.name}", exc.message)

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _exc: SignInNeeded):
        """An editor route and nobody signed in: a page goes to /login and back; anything else gets 401."""
        if request.method == "GET" and not _wants_machine(request):
            return login_redirect(request)
        return JSONResponse(
            {"detail": SIGN_IN}, status_code=401, headers={"WWW-Authenticate": 'Cookie realm="whosaid editors"'}
        )

    @app.exception_handler(PastEnd)
    async def past_end(request: Request, exc: PastEnd):
        return _error(request, 404, "Past the end of the list", exc.message, link=(exc.url, exc.label))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        """A parameter of the wrong type or out of bounds: 400 naming it, like BadParam and the guard."""
        fields, parts = [], []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            fields.append(where)
            parts.append(f"{where}: {err.get('msg')}")
        return _error(request, 400, f"Bad parameter: {', '.join(dict.fromkeys(fields))}", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        titles = {404: "Not found", 405: "Method not allowed", 410: "Gone", 401: "Sign-in needed", 403: "Forbidden"}
        if exc.status_code in (401, 403, 405, 429) or (exc.status_code >= 500):
            if not _wants_machine(request) and request.method == "GET":
                return _error(
                    request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail), exc.headers
                )
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return _error(request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail), exc.headers)

    generated = app.openapi
    app.openapi = lambda: openapi.finish(generated())  # type: ignore[method-assign]  # FastAPI's documented way

    @app.get("/robots.txt", include_in_schema=False)
    def robots() -> PlainTextResponse:
        return PlainTextResponse("User-agent: *\nDisallow: /admin\n")

    return app


app = create_app()

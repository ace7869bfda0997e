"""FastAPI dependencies: the database session (SessionDep) and the signed-in editor (CurrentEditor).

Every database access goes through SessionDep (or request_session outside a route). Every editor
route takes CurrentEditor: nobody signed in raises SignInNeeded, which app.web.main turns into a
redirect to /login for a page and a 401 otherwise; a state-changing request also needs the session's
CSRF token (else 403).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.corrections import auth
from app.db import get_session
from app.web import urls

SessionDep = Annotated[Session, Depends(get_session)]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInNeeded(Exception):
    """The route is for editors and nobody is signed in."""


@contextmanager
def request_session(request: Request) -> Iterator[Session]:
    """A database session obtained as the routes get theirs (tests override get_session), for code that
    runs outside a route's dependencies (exception handlers, the page header)."""
    factory = request.app.dependency_overrides.get(get_session, get_session)
    gen = factory()
    try:
        yield next(gen)
    finally:
        gen.close()


def current_editor(request: Request, session: Session) -> auth.EditorSession | None:
    """The signed-in editor from the session cookie, or None."""
    return auth.read_session_cookie(session, request.cookies.get(auth.SESSION_COOKIE))


def note_editor(request: Request, session: SessionDep) -> None:
    """App-wide dependency: request.state.editor is the signed-in editor or None (the page header and
    "Correct this" links use it). It shares the route's session: no second connection per request."""
    request.state.editor = None
    if request.cookies.get(auth.SESSION_COOKIE):
        request.state.editor = current_editor(request, session)


async def _submitted_token(request: Request) -> str | None:
    token = request.headers.get(auth.CSRF_HEADER)
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(auth.CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def require_editor(request: Request, session: SessionDep) -> auth.EditorSession:
    """The signed-in editor (else SignInNeeded); a state-changing request also needs its CSRF token (else 403)."""
    editor = current_editor(request, session)
    if editor is None:
        raise SignInNeeded
    if request.method not in SAFE_METHODS and not auth.tokens_match(editor.csrf, await _submitted_token(request)):
        raise HTTPException(status_code=403, detail="Missing or wrong CSRF token: reload the page and try again.")
    return editor


CurrentEditor = Annotated[auth.EditorSession, Depends(require_editor)]


def login_redirect(request: Request) -> RedirectResponse:
    """Send a browser that is not signed in to /login, coming back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(urls.login(target), status_code=303)


def safe_next(value: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if (
        value
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and "\n" not in value
        and "\r" not in value
    ):
        return value
    return urls.ADMIN


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"

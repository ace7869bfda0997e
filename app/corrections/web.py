"""Request helpers for the editor pages: who is signed in, CSRF checks, redirects to /login."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.corrections import auth
from app.db import get_session

SessionDep = Annotated[Session, Depends(get_session)]


def current_editor(request: Request, session: Session) -> auth.EditorSession | None:
    """The signed-in editor from the session cookie, or None."""
    return auth.read_session_cookie(session, request.cookies.get(auth.SESSION_COOKIE))


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
    """For every state-changing request: a valid session (else 401) and its CSRF token (else 403)."""
    editor = current_editor(request, session)
    if editor is None:
        raise HTTPException(status_code=401, detail="Sign in as an editor first (/login).",
                            headers={"WWW-Authenticate": 'Cookie realm="whosaid editors"'})
    if not auth.tokens_match(editor.csrf, await _submitted_token(request)):
        raise HTTPException(status_code=403, detail="Missing or wrong CSRF token: reload the page and try again.")
    return editor


EditorDep = Annotated[auth.EditorSession, Depends(require_editor)]


def login_redirect(request: Request) -> RedirectResponse:
    """Send a browser that is not signed in to /login, coming back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\n" not in value and "\r" not in value:
        return value
    return "/admin"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"

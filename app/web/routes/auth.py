"""Routes: editors sign in (/login) and out (/logout); readers never need an account."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.corrections import auth
from app.corrections.throttle import throttle
from app.web import urls
from app.web.deps import CurrentEditor, SessionDep, client_ip, current_editor, safe_next
from app.web.templating import render

router = APIRouter(tags=["editors"])


def _login_page(
    request: Request, session, next_path: str, error: str | None = None, status: int = 200, username: str = ""
):
    cookie, token = auth.make_login_csrf(session)
    response = render(
        request,
        "admin/login.html",
        {"csrf": token, "next": next_path, "error": error, "username": username},
        status_code=status,
    )
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, cookie, max_age=auth.LOGIN_CSRF_MAX_AGE, **auth.cookie_options())
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", include_in_schema=False)
def login_form(request: Request, session: SessionDep, next: str = urls.ADMIN):
    """The sign-in form (already signed in: straight on)."""
    if current_editor(request, session) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, session, safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form(urls.ADMIN),
):
    """Check the CSRF token, the throttle (per user name and per address, in the DB), then the password."""
    expected = auth.read_login_csrf(session, request.cookies.get(auth.LOGIN_CSRF_COOKIE))
    if not auth.tokens_match(expected, csrf_token):
        raise HTTPException(status_code=403, detail="Missing or expired form token: reload the sign-in page.")
    username = username.strip()[: auth.USERNAME_MAX]
    ip = client_ip(request)
    wait = throttle.retry_after(session, username, ip)
    if wait:
        raise HTTPException(
            status_code=429,
            detail=f"Too many failed sign-ins; try again in {wait // 60 + 1} minutes.",
            headers={"Retry-After": str(wait)},
        )
    user = auth.authenticate(session, username, password)
    if user is None:
        throttle.failed(session, username, ip)
        return _login_page(request, session, safe_next(next), "Wrong user name or password.", 401, username)
    throttle.succeeded(session, username, ip)
    value, _csrf = auth.make_session_cookie(session, user)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, value, max_age=auth.SESSION_MAX_AGE, **auth.cookie_options())
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(session: SessionDep, editor: CurrentEditor):
    """End the session (needs the session's CSRF token like every other change)."""
    auth.end_sessions(session, editor.user)  # a copied cookie is void from now on
    response = RedirectResponse(urls.QUOTES, status_code=303)
    response.delete_cookie(
        auth.SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=auth.get_settings().secure_cookies
    )
    return response

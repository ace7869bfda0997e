"""FastAPI dependencies: every database access goes through SessionDep (or request_session outside a route)."""
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.corrections import auth
from app.corrections.web import current_editor
from app.db import get_session

SessionDep = Annotated[Session, Depends(get_session)]


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


def note_editor(request: Request, session: SessionDep) -> None:
    """App-wide dependency: request.state.editor is the signed-in editor or None (the page header and
    "Correct this" links use it). It shares the route's session: no second connection per request."""
    request.state.editor = None
    if request.cookies.get(auth.SESSION_COOKIE):
        request.state.editor = current_editor(request, session)

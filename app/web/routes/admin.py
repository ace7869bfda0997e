"""Routes: editor pages under /admin (corrections); thin over app.corrections.service.

Every route takes CurrentEditor (app.web.deps): a GET redirects to /login when nobody is signed in;
every POST needs a valid session (401) and its CSRF token (403). Reads are in app.web.admin_queries.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import Field
from sqlmodel import Session

from app.corrections import service
from app.corrections.successors import successor_uid
from app.models import Correction, Person, Quote
from app.web import admin_queries as reads
from app.web import urls
from app.web.deps import CurrentEditor, SessionDep
from app.web.security import MAX_INT
from app.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE = 100
RowId = Annotated[int, Field(ge=1, le=MAX_INT)]  # a database id: INTEGER on PostgreSQL


def _page(request: Request, name: str, context: dict, editor, status: int = 200):
    response = render(request, name, {"editor": editor.user, "csrf": editor.csrf, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# --- overview -----------------------------------------------------------------------------


@router.get("")
@router.get("/")
def index(request: Request, session: SessionDep, editor: CurrentEditor, q: str = ""):
    """Find a person or a quote to correct; the latest corrections."""
    q = q.strip()[:200]
    people, quotes = reads.find(session, q) if q else ([], [])
    return _page(
        request,
        "admin/index.html",
        {
            "q": q,
            "people": people,
            "quotes": quotes,
            "speakers": reads.speakers(session, quotes),
            "recent": reads.with_wording(service.list_corrections(session, limit=10)),
        },
        editor,
    )


# --- people -------------------------------------------------------------------------------


def _person_or_none(session: Session, slug: str) -> Person | None:
    try:
        return service.get_person(session, slug)
    except service.CorrectionError:
        return None


@router.get("/people/{slug}")
def person_page(request: Request, session: SessionDep, editor: CurrentEditor, slug: str):
    """Everything an editor can change about a person."""
    person = _person_or_none(session, slug)
    if person is None:
        return _page(request, "admin/missing.html", {"what": f"person {slug}"}, editor, 404)
    if person.slug != slug:
        return _back(urls.admin_person(person.slug))
    return _page(request, "admin/person.html", reads.person_details(session, person), editor)


def _person_action(request: Request, session: Session, editor, slug: str, action):
    person = _person_or_none(session, slug)
    if person is None:
        return _page(request, "admin/missing.html", {"what": f"person {slug}"}, editor, 404)
    try:
        result = action(person)
        session.commit()
    except service.CorrectionError as exc:
        session.rollback()
        person = service.get_person(session, slug)
        return _page(
            request, "admin/person.html", {**reads.person_details(session, person), "error": str(exc)}, editor, 400
        )
    return _back(result if isinstance(result, str) else urls.done(urls.admin_person(person.slug)))


@router.post("/people/{slug}/rename")
def rename(request: Request, session: SessionDep, editor: CurrentEditor, slug: str, name: str = Form("")):
    """Change the display name (slug and links stay)."""
    return _person_action(
        request,
        session,
        editor,
        slug,
        lambda p: service.rename_person(session, p, name, reads.editor_user(session, editor)),
    )


@router.post("/people/{slug}/fields")
def set_fields(
    request: Request,
    session: SessionDep,
    editor: CurrentEditor,
    slug: str,
    role: str = Form(""),
    country: str = Form(""),
    organisation: str = Form(""),
):
    """Set role, country and organisation (empty clears)."""
    return _person_action(
        request,
        session,
        editor,
        slug,
        lambda p: service.set_person_fields(
            session, p, reads.editor_user(session, editor), role=role, country=country, organisation=organisation
        ),
    )


@router.post("/people/{slug}/merge")
def merge(
    request: Request,
    session: SessionDep,
    editor: CurrentEditor,
    slug: str,
    other: str = Form(""),
    keep: str = Form("this"),
):
    """Merge this person and `other` into one; `keep` says whose name and page survive."""

    def act(person: Person):
        o = service.find_person(session, other)
        source, target = (o, person) if keep != "other" else (person, o)
        service.merge_people(session, source, target, reads.editor_user(session, editor))
        return urls.done(urls.admin_person(target.slug))

    return _person_action(request, session, editor, slug, act)


@router.post("/people/{slug}/split")
def split(
    request: Request,
    session: SessionDep,
    editor: CurrentEditor,
    slug: str,
    new_name: str = Form(""),
    names: list[RowId] = Form([]),
    quotes: list[str] = Form([]),
):
    """Move the chosen name variants (and chosen quotes, or those that go with them) to a new person."""

    def act(person: Person):
        c = service.split_person(
            session, person, names, reads.editor_user(session, editor), new_name=new_name, quote_uids=quotes or None
        )
        return urls.done(urls.admin_person(c.payload["new_slug"]))

    return _person_action(request, session, editor, slug, act)


# --- quotes -------------------------------------------------------------------------------


def _quote_or_none(session: Session, uid: str) -> Quote | None:
    try:
        return service.get_quote(session, uid)
    except service.CorrectionError:
        return None


@router.get("/quotes/{uid}")
def quote_page(request: Request, session: SessionDep, editor: CurrentEditor, uid: str):
    """Reassign or hide one quote."""
    quote = _quote_or_none(session, uid)
    if quote is None:
        new_uid = successor_uid(session, uid)
        if new_uid:  # re-extraction replaced it: the quote that took its place
            return _back(urls.admin_quote(new_uid))
        return _page(request, "admin/missing.html", {"what": f"quote {uid}"}, editor, 404)
    return _page(request, "admin/quote.html", reads.quote_details(session, quote), editor)


def _quote_action(request: Request, session: Session, editor, uid: str, action):
    quote = _quote_or_none(session, uid)
    if quote is None:
        return _page(request, "admin/missing.html", {"what": f"quote {uid}"}, editor, 404)
    try:
        action(quote)
        session.commit()
    except service.CorrectionError as exc:
        session.rollback()
        quote = service.get_quote(session, uid)
        return _page(
            request, "admin/quote.html", {**reads.quote_details(session, quote), "error": str(exc)}, editor, 400
        )
    return _back(urls.done(urls.admin_quote(uid)))


@router.post("/quotes/{uid}/reassign")
def reassign(request: Request, session: SessionDep, editor: CurrentEditor, uid: str, person: str = Form("")):
    """Give the quote to another speaker, or to "unknown"."""

    def act(quote: Quote):
        value = person.strip()
        if not value:
            raise service.CorrectionError("choose a speaker, or “unknown speaker”")
        target = None if value.lower() in ("unknown", "unknown speaker") else service.find_person(session, value)
        service.reassign_quote(session, quote, target, reads.editor_user(session, editor))

    return _quote_action(request, session, editor, uid, act)


@router.post("/quotes/{uid}/hide")
def hide(request: Request, session: SessionDep, editor: CurrentEditor, uid: str, reason: str = Form("")):
    """Hide a false quote; readers see the reason."""
    return _quote_action(
        request,
        session,
        editor,
        uid,
        lambda q: service.hide_quote(session, q, reason, reads.editor_user(session, editor)),
    )


# --- the corrections log ------------------------------------------------------------------


@router.get("/corrections")
def corrections(
    request: Request,
    session: SessionDep,
    editor: CurrentEditor,
    page: Annotated[int, Query(ge=1, le=MAX_INT // PAGE)] = 1,
):
    """Every correction, newest first, with undo."""
    page = max(1, page)
    log = reads.corrections_log(session, limit=PAGE, offset=(page - 1) * PAGE)
    return _page(request, "admin/corrections.html", {**log, "page": page}, editor)


@router.post("/corrections/{cid}/undo")
def undo(request: Request, session: SessionDep, editor: CurrentEditor, cid: Annotated[int, Path(ge=1, le=MAX_INT)]):
    """Revert one correction."""
    c = session.get(Correction, cid)
    if c is None:
        return _page(request, "admin/missing.html", {"what": f"correction {cid}"}, editor, 404)
    try:
        service.undo(session, c, reads.editor_user(session, editor))
        session.commit()
    except service.CorrectionError as exc:
        session.rollback()
        log = reads.corrections_log(session, limit=PAGE)
        return _page(request, "admin/corrections.html", {**log, "page": 1, "error": str(exc)}, editor, 400)
    return _back(urls.done(urls.ADMIN_CORRECTIONS))

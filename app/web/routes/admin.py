"""Routes: editor pages under /admin (corrections); thin over app.corrections.service.

Every GET here redirects to /login when nobody is signed in; every POST needs a valid session
(401) and its CSRF token (403), checked by app.corrections.web.require_editor.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import Field
from sqlalchemy import or_
from sqlmodel import Session, select

from app.corrections import service
from app.corrections.web import EditorDep, SessionDep, current_editor, login_redirect
from app.models import Article, Correction, Person, PersonName, Quote, User
from app.web.security import MAX_INT
from app.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE = 100
RowId = Annotated[int, Field(ge=1, le=MAX_INT)]  # a database id: INTEGER on PostgreSQL


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _page(request: Request, name: str, context: dict, editor, status: int = 200):
    response = render(request, name, {"editor": editor.user, "csrf": editor.csrf, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _people_choices(session: Session, exclude: int | None = None) -> list[Person]:
    rows = session.exec(select(Person).where(Person.merged_into_id.is_(None)).order_by(Person.name).limit(5000)).all()
    return [p for p in rows if p.id != exclude]


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# --- overview -----------------------------------------------------------------------------

@router.get("")
@router.get("/")
def index(request: Request, session: SessionDep, q: str = ""):
    """Find a person or a quote to correct; the latest corrections."""
    editor = current_editor(request, session)
    if editor is None:
        return login_redirect(request)
    q = q.strip()[:200]
    people, quotes = [], []
    if q:
        pattern = _like(q)
        ids = set(session.exec(select(PersonName.person_id).where(PersonName.name.ilike(pattern, escape="\\"))).all())
        ids |= set(session.exec(select(Person.id).where(Person.name.ilike(pattern, escape="\\"))).all())
        if ids:
            people = session.exec(select(Person).where(Person.id.in_(ids), Person.merged_into_id.is_(None))
                                  .order_by(Person.name).limit(PAGE)).all()
        quotes = session.exec(select(Quote).where(or_(Quote.text.ilike(pattern, escape="\\"), Quote.uid == q))
                              .order_by(Quote.id.desc()).limit(PAGE)).all()
    recent = service.list_corrections(session, limit=10)
    return _page(request, "admin/index.html", {
        "q": q, "people": people, "quotes": quotes, "speakers": _speakers(session, quotes),
        "recent": [(c, service.describe(c)) for c in recent],
    }, editor)


def _speakers(session: Session, quotes) -> dict[int, Person]:
    ids = {q.person_id for q in quotes if q.person_id}
    return {p.id: p for p in session.exec(select(Person).where(Person.id.in_(ids))).all()} if ids else {}


# --- people -------------------------------------------------------------------------------

def _person_context(session: Session, person: Person) -> dict:
    names = session.exec(select(PersonName).where(PersonName.person_id == person.id).order_by(PersonName.id)).all()
    quotes = session.exec(select(Quote).where(Quote.person_id == person.id).order_by(Quote.id).limit(500)).all()
    articles = {a.id: a for a in session.exec(select(Article).where(Article.id.in_({q.article_id for q in quotes})))} \
        if quotes else {}
    return {"person": person, "names": names, "quotes": quotes, "articles": articles,
            "choices": _people_choices(session, exclude=person.id),
            "history": [(c, service.describe(c)) for c in service.person_corrections(session, person)]}


def _person_or_none(session: Session, slug: str) -> Person | None:
    try:
        return service.get_person(session, slug)
    except service.CorrectionError:
        return None


@router.get("/people/{slug}")
def person_page(request: Request, session: SessionDep, slug: str):
    """Everything an editor can change about a person."""
    editor = current_editor(request, session)
    if editor is None:
        return login_redirect(request)
    person = _person_or_none(session, slug)
    if person is None:
        return _page(request, "admin/missing.html", {"what": f"person {slug}"}, editor, 404)
    if person.slug != slug:
        return _back(f"/admin/people/{person.slug}")
    return _page(request, "admin/person.html", _person_context(session, person), editor)


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
        return _page(request, "admin/person.html", {**_person_context(session, person), "error": str(exc)}, editor, 400)
    return _back(result if isinstance(result, str) else f"/admin/people/{person.slug}?done=1")


@router.post("/people/{slug}/rename")
def rename(request: Request, session: SessionDep, editor: EditorDep, slug: str, name: str = Form("")):
    """Change the display name (slug and links stay)."""
    return _person_action(request, session, editor, slug,
                          lambda p: service.rename_person(session, p, name, _user(session, editor)))


@router.post("/people/{slug}/fields")
def set_fields(request: Request, session: SessionDep, editor: EditorDep, slug: str, role: str = Form(""),
               country: str = Form(""), organisation: str = Form("")):
    """Set role, country and organisation (empty clears)."""
    return _person_action(request, session, editor, slug, lambda p: service.set_person_fields(
        session, p, _user(session, editor), role=role, country=country, organisation=organisation))


@router.post("/people/{slug}/merge")
def merge(request: Request, session: SessionDep, editor: EditorDep, slug: str, other: str = Form(""),
          keep: str = Form("this")):
    """Merge this person and `other` into one; `keep` says whose name and page survive."""
    def act(person: Person):
        o = service.find_person(session, other)
        source, target = (o, person) if keep != "other" else (person, o)
        service.merge_people(session, source, target, _user(session, editor))
        return f"/admin/people/{target.slug}?done=1"

    return _person_action(request, session, editor, slug, act)


@router.post("/people/{slug}/split")
def split(request: Request, session: SessionDep, editor: EditorDep, slug: str, new_name: str = Form(""),
          names: list[RowId] = Form([]), quotes: list[str] = Form([])):
    """Move the chosen name variants (and chosen quotes, or those that go with them) to a new person."""
    def act(person: Person):
        c = service.split_person(session, person, names, _user(session, editor), new_name=new_name,
                                 quote_uids=quotes or None)
        return f"/admin/people/{c.payload['new_slug']}?done=1"

    return _person_action(request, session, editor, slug, act)


def _user(session: Session, editor) -> User:
    return session.get(User, editor.user.id)


# --- quotes -------------------------------------------------------------------------------

def _quote_context(session: Session, quote: Quote) -> dict:
    article = session.get(Article, quote.article_id)
    speaker = session.get(Person, quote.person_id) if quote.person_id else None
    context = ""
    if article is not None:
        span = quote.context_span or (quote.spans[0] if quote.spans else None)
        if span:
            context = article.text[max(0, span[0] - 200): span[1] + 200]
    history = service.quote_corrections(session, [quote.uid]).get(quote.uid, [])
    return {"quote": quote, "article": article, "speaker": speaker, "context": context,
            "choices": _people_choices(session), "history": [(c, service.describe(c)) for c in history]}


def _quote_or_none(session: Session, uid: str) -> Quote | None:
    try:
        return service.get_quote(session, uid)
    except service.CorrectionError:
        return None


@router.get("/quotes/{uid}")
def quote_page(request: Request, session: SessionDep, uid: str):
    """Reassign or hide one quote."""
    editor = current_editor(request, session)
    if editor is None:
        return login_redirect(request)
    quote = _quote_or_none(session, uid)
    if quote is None:
        from app.corrections.successors import successor_uid

        new_uid = successor_uid(session, uid)
        if new_uid:  # re-extraction replaced it: the quote that took its place
            return _back(f"/admin/quotes/{new_uid}")
        return _page(request, "admin/missing.html", {"what": f"quote {uid}"}, editor, 404)
    return _page(request, "admin/quote.html", _quote_context(session, quote), editor)


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
        return _page(request, "admin/quote.html", {**_quote_context(session, quote), "error": str(exc)}, editor, 400)
    return _back(f"/admin/quotes/{uid}?done=1")


@router.post("/quotes/{uid}/reassign")
def reassign(request: Request, session: SessionDep, editor: EditorDep, uid: str, person: str = Form("")):
    """Give the quote to another speaker, or to "unknown"."""
    def act(quote: Quote):
        value = person.strip()
        if not value:
            raise service.CorrectionError("choose a speaker, or “unknown speaker”")
        target = None if value.lower() in ("unknown", "unknown speaker") else service.find_person(session, value)
        service.reassign_quote(session, quote, target, _user(session, editor))

    return _quote_action(request, session, editor, uid, act)


@router.post("/quotes/{uid}/hide")
def hide(request: Request, session: SessionDep, editor: EditorDep, uid: str, reason: str = Form("")):
    """Hide a false quote; readers see the reason."""
    return _quote_action(request, session, editor, uid,
                         lambda q: service.hide_quote(session, q, reason, _user(session, editor)))


# --- the corrections log ------------------------------------------------------------------

@router.get("/corrections")
def corrections(request: Request, session: SessionDep,
                page: Annotated[int, Query(ge=1, le=MAX_INT // PAGE)] = 1):
    """Every correction, newest first, with undo."""
    editor = current_editor(request, session)
    if editor is None:
        return login_redirect(request)
    page = max(1, page)
    rows = service.list_corrections(session, limit=PAGE + 1, offset=(page - 1) * PAGE)
    users = {u.id: u.username for u in session.exec(select(User)).all()}
    return _page(request, "admin/corrections.html", {
        "rows": [(c, service.describe(c)) for c in rows[:PAGE]], "users": users, "page": page,
        "more": len(rows) > PAGE, "unmatched": _unmatched(session),
    }, editor)


def _unmatched(session: Session) -> dict[int, list[str]]:
    """Correction id → quote uids it names that no longer exist (re-extraction found no successor)."""
    from app.corrections.apply import unmatched_corrections

    return {c.id: missing for c, missing in unmatched_corrections(session)}


@router.post("/corrections/{cid}/undo")
def undo(request: Request, session: SessionDep, editor: EditorDep, cid: Annotated[int, Path(ge=1, le=MAX_INT)]):
    """Revert one correction."""
    c = session.get(Correction, cid)
    if c is None:
        return _page(request, "admin/missing.html", {"what": f"correction {cid}"}, editor, 404)
    try:
        service.undo(session, c, _user(session, editor))
        session.commit()
    except service.CorrectionError as exc:
        session.rollback()
        rows = service.list_corrections(session, limit=PAGE)
        users = {u.id: u.username for u in session.exec(select(User)).all()}
        return _page(request, "admin/corrections.html", {"rows": [(r, service.describe(r)) for r in rows],
                                                         "users": users, "page": 1, "more": False,
                                                         "unmatched": _unmatched(session),
                                                         "error": str(exc)}, editor, 400)
    return _back("/admin/corrections?done=1")

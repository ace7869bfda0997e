"""Database reads for the editor pages under /admin: search, a person's or a quote's page, the log.

The search folds quote marks like the /people search (app.web.search.contains_pattern), so "don't"
finds "don’t". Changes go through app.corrections.service; nothing here writes.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.corrections import service
from app.corrections.apply import unmatched_corrections
from app.corrections.auth import EditorSession
from app.models import Article, Person, PersonName, Quote, User
from app.web.search import contains_pattern

FOUND = 100  # people and quotes the search lists, each
CHOICES = 5000  # people offered in the merge and reassign forms
PERSON_QUOTES = 500  # quotes listed on a person's page
CONTEXT_CHARS = 200  # article text shown either side of a quote


def people_choices(session: Session, exclude: int | None = None) -> list[Person]:
    """People (not merged away) by name, for the forms' datalists."""
    rows = session.exec(
        select(Person).where(col(Person.merged_into_id).is_(None)).order_by(Person.name).limit(CHOICES)
    ).all()
    return [p for p in rows if p.id != exclude]


def find(session: Session, q: str) -> tuple[list[Person], list[Quote]]:
    """People any of whose names contains q (not merged away), and quotes whose text contains q or whose
    id is q, newest first."""
    pattern = contains_pattern(q)
    ids: set[int | None] = set(
        session.exec(select(PersonName.person_id).where(col(PersonName.name).ilike(pattern, escape="\\"))).all()
    )
    ids |= set(session.exec(select(Person.id).where(col(Person.name).ilike(pattern, escape="\\"))).all())
    people: list[Person] = []
    if ids:
        people = list(
            session.exec(
                select(Person)
                .where(col(Person.id).in_(ids), col(Person.merged_into_id).is_(None))
                .order_by(Person.name)
                .limit(FOUND)
            ).all()
        )
    quotes = list(
        session.exec(
            select(Quote)
            .where(or_(col(Quote.text).ilike(pattern, escape="\\"), col(Quote.uid) == q))
            .order_by(col(Quote.id).desc())
            .limit(FOUND)
        ).all()
    )
    return people, quotes


def speakers(session: Session, quotes: list[Quote]) -> dict[int, Person]:
    """Person id → person, for the quotes' speakers."""
    ids = {q.person_id for q in quotes if q.person_id}
    people = session.exec(select(Person).where(col(Person.id).in_(ids))).all() if ids else []
    return {p.id: p for p in people if p.id is not None}


def with_wording(corrections) -> list[tuple]:
    """(correction, what it did in words) for a list of corrections."""
    return [(c, service.describe(c)) for c in corrections]


def person_details(session: Session, person: Person) -> dict:
    """A person's page: name variants, quotes and their articles, merge choices, corrections."""
    names = session.exec(select(PersonName).where(PersonName.person_id == person.id).order_by(col(PersonName.id))).all()
    quotes = session.exec(
        select(Quote).where(Quote.person_id == person.id).order_by(col(Quote.id)).limit(PERSON_QUOTES)
    ).all()
    shown: list[Article] = (
        list(session.exec(select(Article).where(col(Article.id).in_({q.article_id for q in quotes})))) if quotes else []
    )
    articles = {a.id: a for a in shown}
    return {
        "person": person,
        "names": names,
        "quotes": quotes,
        "articles": articles,
        "choices": people_choices(session, exclude=person.id),
        "history": with_wording(service.person_corrections(session, person)),
    }


def quote_details(session: Session, quote: Quote) -> dict:
    """A quote's page: its article and the text around it, its speaker, speaker choices, corrections."""
    article = session.get(Article, quote.article_id)
    speaker = session.get(Person, quote.person_id) if quote.person_id else None
    context = ""
    if article is not None:
        span = quote.context_span or (quote.spans[0] if quote.spans else None)
        if span:
            context = article.text[max(0, span[0] - CONTEXT_CHARS) : span[1] + CONTEXT_CHARS]
    history = service.quote_corrections(session, [quote.uid]).get(quote.uid, [])
    return {
        "quote": quote,
        "article": article,
        "speaker": speaker,
        "context": context,
        "choices": people_choices(session),
        "history": with_wording(history),
    }


def corrections_log(session: Session, limit: int, offset: int = 0) -> dict:
    """A page of the corrections log, newest first: rows (with wording), user names, unmatched quote uids.

    Reads limit + 1 rows; "more" says whether there is a next page.
    """
    rows = service.list_corrections(session, limit=limit + 1, offset=offset)
    return {
        "rows": with_wording(rows[:limit]),
        "more": len(rows) > limit,
        "users": usernames(session),
        "unmatched": unmatched(session),
    }


def usernames(session: Session) -> dict[int, str]:
    """User id → user name."""
    return {u.id: u.username for u in session.exec(select(User)).all() if u.id is not None}


def unmatched(session: Session) -> dict[int, list[str]]:
    """Correction id → quote uids it names that no longer exist (re-extraction found no successor)."""
    return {c.id: missing for c, missing in unmatched_corrections(session) if c.id is not None}


def editor_user(session: Session, editor: EditorSession) -> User:
    """The signed-in editor's User row, in this session (corrections record who made them)."""
    user = session.get(User, editor.user.id)
    if user is None:  # deleted while signed in: the session cookie was checked against it a moment ago
        raise LookupError(f"no user {editor.user.id}")
    return user

"""Database reads for the pages: quote listings, people, corrections (parameterised SQL only)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.models import Article, Correction, Person, PersonName, Quote
from app.sharing.grouping import same_as
from app.web.filters import QuoteFilters


@dataclass
class QuoteRow:
    """A quote with its article and its (canonical, after merges) speaker; None = unknown."""

    quote: Quote
    article: Article
    person: Person | None

    @property
    def date(self) -> dt.date | None:
        """The quote's date, else the article's publication date."""
        return self.quote.date or self.article.published


def canonical_person(session: Session, person: Person | None, _depth: int = 0) -> Person | None:
    """Follow merged_into_id to the person that survived a merge."""
    seen = set()
    while person is not None and person.merged_into_id and person.id not in seen and len(seen) < 20:
        seen.add(person.id)
        target = session.get(Person, person.merged_into_id)
        if target is None:
            break
        person = target
    return person


def merged_ids(session: Session, person: Person) -> list[int]:
    """person's id and every id merged into it (directly or through a chain)."""
    ids = {person.id}
    frontier = {person.id}
    while frontier:
        rows = session.exec(select(Person.id).where(Person.merged_into_id.in_(frontier))).all()
        frontier = {r for r in rows if r not in ids}
        ids |= frontier
    return sorted(ids)


_MARKS = re.compile(r"['’‘`´ʼ\"“”„«»]")


def _like(text: str) -> str:
    """A LIKE pattern (escape character backslash) for text anywhere in a value.

    Apostrophes and quote marks match any one character: "don't" finds "don’t" and “Patriot” finds "Patriot".
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{_MARKS.sub('_', escaped)}%"


def name_key_match(text: str):
    """PersonName rows whose folded key contains the folded search ("Simonyte" finds "Šimonytė"), or None."""
    from app.people.names import fold

    key = fold(text)
    if not key:
        return None
    return PersonName.key.like(_like(key), escape="\\")


def quote_date_expr():
    """The date a quote is listed under: its own, else its article's."""
    return func.coalesce(Quote.date, Article.published)


def _filtered(session: Session, f: QuoteFilters, person_ids: list[int] | None):
    """A select of (Quote, Article, Person) with the filters applied, newest first."""
    speaker = aliased(Person)
    target = aliased(Person)
    stmt = (
        select(Quote, Article, speaker)
        .join(Article, Quote.article_id == Article.id)
        .outerjoin(speaker, Quote.person_id == speaker.id)
        .outerjoin(target, speaker.merged_into_id == target.id)
        .where(Quote.hidden == False)  # noqa: E712 - SQL expression
    )
    if person_ids is not None:
        stmt = stmt.where(Quote.person_id.in_(person_ids))
    if f.country:
        stmt = stmt.where(func.coalesce(target.country, speaker.country) == f.country)
    qdate = quote_date_expr()
    if f.date_from:
        stmt = stmt.where(qdate >= f.date_from)
    if f.date_to:
        stmt = stmt.where(qdate <= f.date_to)
    if f.kind:
        stmt = stmt.where(Quote.kind == f.kind)
    if f.q:
        pattern = _like(f.q)
        name_cond = PersonName.name.ilike(pattern, escape="\\")
        if (key_cond := name_key_match(f.q)) is not None:
            name_cond = or_(name_cond, key_cond)
        owner = aliased(Person)  # whose name it is: the speaker, or anyone merged into the speaker's survivor
        canonical_id = func.coalesce(target.id, speaker.id)
        name_match = exists().where(and_(
            PersonName.person_id == owner.id,
            or_(owner.id == Quote.person_id, owner.id == canonical_id, owner.merged_into_id == canonical_id),
            name_cond,
        ))
        stmt = stmt.where(
            or_(
                Quote.text.ilike(pattern, escape="\\"),
                speaker.name.ilike(pattern, escape="\\"),
                target.name.ilike(pattern, escape="\\"),
                name_match,
            )
        )
    return stmt, speaker


def _ordered(stmt):
    return stmt.order_by(
        quote_date_expr().desc().nulls_last(),
        Article.ingested_at.desc(),
        Article.id.desc(),
        Quote.position,
        Quote.id,
    )


def resolve_person_filter(session: Session, slug: str | None) -> tuple[Person | None, list[int] | None]:
    """(person, ids to match) for a person slug; unknown slug matches nothing."""
    if not slug:
        return None, None
    person = session.exec(select(Person).where(Person.slug == slug)).first()
    if person is None:
        return None, []
    person = canonical_person(session, person)
    return person, merged_ids(session, person)


def count_quotes(session: Session, f: QuoteFilters) -> int:
    """How many visible quotes match f."""
    _p, ids = resolve_person_filter(session, f.person)
    stmt, _ = _filtered(session, f, ids)
    return session.exec(select(func.count()).select_from(stmt.subquery())).one()


def _rows(session: Session, results) -> list[QuoteRow]:
    cache: dict[int, Person | None] = {}
    out = []
    for quote, article, person in results:
        if person is not None and person.merged_into_id:
            if person.id not in cache:
                cache[person.id] = canonical_person(session, person)
            person = cache[person.id]
        out.append(QuoteRow(quote, article, person))
    return out


def list_quotes(session: Session, f: QuoteFilters, limit: int, offset: int = 0) -> list[QuoteRow]:
    """One page of visible quotes matching f, newest first."""
    _p, ids = resolve_person_filter(session, f.person)
    stmt, _ = _filtered(session, f, ids)
    return _rows(session, session.exec(_ordered(stmt).limit(limit).offset(offset)).all())


def iter_quotes(session: Session, f: QuoteFilters, chunk: int = 500) -> Iterator[QuoteRow]:
    """Every matching quote (up to f.limit, from f.page), fetched in chunks for streaming."""
    _p, ids = resolve_person_filter(session, f.person)
    stmt, _ = _ordered(_filtered(session, f, ids)[0]), None
    remaining = f.limit
    offset = (f.page - 1) * f.limit if f.limit else 0
    while remaining is None or remaining > 0:
        size = chunk if remaining is None else min(chunk, remaining)
        batch = _rows(session, session.exec(stmt.limit(size).offset(offset)).all())
        yield from batch
        if len(batch) < size:
            return
        offset += size
        if remaining is not None:
            remaining -= size


SAME_WORDS_DAYS = 31  # outlets reprint a quote within days; older same words are a different occasion


def same_words(session: Session, rows: list[QuoteRow], cap: int = 2000) -> dict[int, list[QuoteRow]]:
    """For each row's quote id: the speaker's visible quotes in other articles with the same words.

    "The same words" is app.sharing.grouping.same_quote (trimmed or re-punctuated copies, never a shared
    phrase), within SAME_WORDS_DAYS days of the quote (or undated). Unknown speakers get none: without a
    speaker two quotes are never known to be the same statement.
    """
    by_person: dict[int, list[QuoteRow]] = {}
    for r in rows:
        if r.person is not None:
            by_person.setdefault(r.person.id, []).append(r)
    out: dict[int, list[QuoteRow]] = {}
    window = dt.timedelta(days=SAME_WORDS_DAYS)
    day = func.coalesce(Quote.date, Article.published)
    for person_rows in by_person.values():
        stmt = (select(Quote, Article, Person).join(Article, Quote.article_id == Article.id)
                .join(Person, Quote.person_id == Person.id)
                .where(Quote.person_id.in_(merged_ids(session, person_rows[0].person)), Quote.hidden == False))  # noqa: E712
        dates = [r.date for r in person_rows if r.date]
        if len(dates) == len(person_rows):
            stmt = stmt.where(or_(day.is_(None), day.between(min(dates) - window, max(dates) + window)))
        cands = _rows(session, session.exec(stmt.order_by(Quote.id).limit(cap)).all())
        for r in person_rows:
            near = [c for c in cands if c.article.id != r.article.id
                    and (r.date is None or c.date is None or abs((c.date - r.date).days) <= SAME_WORDS_DAYS)]
            out[r.quote.id] = [near[k] for k in same_as(r.quote.text, [c.quote.text for c in near])]
    return out


def quote_by_uid(session: Session, uid: str) -> QuoteRow | None:
    """One quote (hidden or not) with its article and canonical speaker."""
    result = session.exec(
        select(Quote, Article).join(Article, Quote.article_id == Article.id).where(Quote.uid == uid)
    ).first()
    if result is None:
        return None
    quote, article = result
    person = session.get(Person, quote.person_id) if quote.person_id else None
    return QuoteRow(quote, article, canonical_person(session, person))


def corrections_for(session: Session, targets: list[str]) -> dict[str, list[Correction]]:
    """Corrections still in force (not undone) for each target (quote uid or person slug)."""
    targets = [t for t in targets if t]
    if not targets:
        return {}
    rows = session.exec(
        select(Correction)
        .where(Correction.target.in_(targets), Correction.undone_at.is_(None))
        .order_by(Correction.created_at)
    ).all()
    out: dict[str, list[Correction]] = {}
    for row in rows:
        out.setdefault(row.target, []).append(row)
    return out


def people_options(session: Session) -> list[tuple[Person, int]]:
    """People with at least one visible quote (merges folded in), with their counts, by name."""
    counts = dict(
        session.exec(
            select(Quote.person_id, func.count())
            .where(Quote.hidden == False, Quote.person_id.is_not(None))  # noqa: E712
            .group_by(Quote.person_id)
        ).all()
    )
    if not counts:
        return []
    people = {p.id: p for p in session.exec(select(Person)).all()}
    totals: dict[int, int] = {}
    for pid, n in counts.items():
        p = people.get(pid)
        seen = 0
        while p is not None and p.merged_into_id and p.merged_into_id in people and seen < 20:
            p = people[p.merged_into_id]
            seen += 1
        if p is not None:
            totals[p.id] = totals.get(p.id, 0) + n
    return sorted(((people[i], n) for i, n in totals.items()), key=lambda t: t[0].name.lower())


def country_options(session: Session) -> list[tuple[str, int]]:
    """Countries of quoted people, with how many people each."""
    rows = session.exec(
        select(Person.country, func.count())
        .where(Person.country.is_not(None), Person.merged_into_id.is_(None))
        .group_by(Person.country)
        .order_by(Person.country)
    ).all()
    return [(c, n) for c, n in rows if c]

"""Quote rows: a quote with its article and its canonical speaker, as pages show them (ORM objects) or as
exports write them (only the columns they need), and the reads of one quote and its corrections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from app.models import Article, Correction, Person, Quote
from app.web.merges import canonical_person


@dataclass(slots=True)
class QuoteData:
    """The quote columns an export writes (no ORM object: exports stream millions of rows)."""

    id: int
    uid: str
    text: str
    kind: str
    spans: list
    speaker_text: str | None
    cue_text: str | None
    date: dt.date | None
    listing_key: int


@dataclass(slots=True)
class ArticleData:
    """The article columns an export writes (never its text)."""

    id: int
    uid: str
    title: str
    publisher: str | None
    author: str | None
    published: dt.date | None
    canonical_url: str | None
    url: str | None
    ingested_at: dt.datetime | None


QuoteT = TypeVar("QuoteT", Quote, QuoteData)
ArticleT = TypeVar("ArticleT", Article, ArticleData)


@dataclass
class QuoteRow(Generic[QuoteT, ArticleT]):
    """A quote with its article and its (canonical, after merges) speaker; None = unknown.

    The quote and article are ORM objects (load_rows), or for exports only the columns they write
    (QuoteData and ArticleData, load_export_rows).
    """

    quote: QuoteT
    article: ArticleT
    person: Person | None

    @property
    def date(self) -> dt.date | None:
        """The quote's date, else the article's publication date."""
        return self.quote.date or self.article.published


StoredRow = QuoteRow[Quote, Article]  # as the pages show it
ExportRow = QuoteRow[QuoteData, ArticleData]  # as an export writes it


def load_rows(session: Session, ids: list[int]) -> list[StoredRow]:
    """QuoteRows for ids, in that order, with canonical speakers."""
    if not ids:
        return []
    result = session.execute(
        select(Quote, Article, Person)
        .join(Article, col(Quote.article_id) == col(Article.id))
        .outerjoin(Person, col(Quote.person_id) == col(Person.id))
        .where(col(Quote.id).in_(ids))
    ).all()
    by_id = {q.id: (q, a, p) for q, a, p in result}
    cache: dict[int, Person | None] = {}
    out = []
    for qid in ids:
        if qid not in by_id:
            continue
        q, a, p = by_id[qid]
        if p is not None and p.merged_into_id:
            if p.id not in cache:
                cache[p.id] = canonical_person(session, p)
            p = cache[p.id]
        out.append(QuoteRow(q, a, p))
    return out


_EXPORT_COLUMNS = (
    col(Quote.id),
    col(Quote.uid),
    col(Quote.text),
    col(Quote.kind),
    col(Quote.spans),
    col(Quote.speaker_text),
    col(Quote.cue_text),
    col(Quote.date),
    col(Quote.listing_key),
    col(Quote.person_id),
    col(Article.id),
    col(Article.uid),
    col(Article.title),
    col(Article.publisher),
    col(Article.author),
    col(Article.published),
    col(Article.canonical_url),
    col(Article.url),
    col(Article.ingested_at),
)


def load_export_rows(session: Session, ids: list[int], people: dict[int, Person | None]) -> list[ExportRow]:
    """Light QuoteRows for ids, in that order; people caches canonical speakers across calls."""
    if not ids:
        return []
    stmt = (
        select(*_EXPORT_COLUMNS).join(Article, col(Quote.article_id) == col(Article.id)).where(col(Quote.id).in_(ids))
    )
    rows: Iterable[Sequence[Any]] = session.connection().execute(stmt)  # Core rows: no ORM bookkeeping
    by_id = {r[0]: r for r in rows}
    missing = {r[9] for r in by_id.values() if r[9] is not None and r[9] not in people}
    if missing:
        found = {p.id: p for p in session.execute(select(Person).where(col(Person.id).in_(missing))).scalars()}
        for pid in missing:
            person = found.get(pid)
            people[pid] = canonical_person(session, person) if person is not None and person.merged_into_id else person
    out = []
    for qid in ids:
        r = by_id.get(qid)
        if r is None:
            continue
        quote = QuoteData(*r[0:9])
        article = ArticleData(*r[10:19])
        out.append(QuoteRow(quote, article, people.get(r[9]) if r[9] is not None else None))
    return out


def quote_by_uid(session: Session, uid: str) -> StoredRow | None:
    """One quote (hidden or not) with its article and canonical speaker."""
    result = session.execute(
        select(Quote, Article).join(Article, col(Quote.article_id) == col(Article.id)).where(col(Quote.uid) == uid)
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
    rows = (
        session.execute(
            select(Correction)
            .where(col(Correction.target).in_(targets), col(Correction.undone_at).is_(None))
            .order_by(col(Correction.created_at))
        )
        .scalars()
        .all()
    )
    out: dict[str, list[Correction]] = {}
    for row in rows:
        out.setdefault(row.target, []).append(row)
    return out

"""Storing one article and its quotes (one transaction per article, in the main process).

Idempotent: an article with a known content hash is left alone; one with a known canonical URL
but new text is updated in place and its quotes replaced; quotes keep their ids when their spans
do not move, and editors' corrections are re-applied. Quotes whose spans overlap or nest become one
(app.quotes.overlap); the ids merged away redirect to the kept quote (QuoteSuccessor).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, col, select

from app.corrections.apply import apply_corrections
from app.ingest.ids import article_uid, content_hash, quote_uid
from app.models import ArchiveChange, Article, Person, Quote, QuoteSuccessor
from app.people.resolve import resolve_speaker
from app.quotes.dating import DAY, statement_date
from app.quotes.overlap import merge_overlapping
from app.quotes.types import ExtractedQuote, Extraction
from app.sources import ArticleInput

NEW, UPDATED, UNCHANGED, SKIPPED = "new", "updated", "unchanged", "skipped"


def describe_error(exc: BaseException) -> str:
    """A storage error for the user: the database's own first line, never the SQL statement or its parameters
    (SQLAlchemy's message carries both, and the parameters hold whole article texts)."""
    if isinstance(exc, StatementError):
        orig = getattr(exc, "orig", None)
        first = (str(orig) if orig is not None else "").strip().splitlines()
        return f"{type(orig).__name__ if orig is not None else type(exc).__name__}: {first[0] if first else 'database error'}"
    first = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0] if first else ''}".rstrip(": ")


def find_existing(session: Session, text_hash: str, canonical_url: str | None) -> Article | None:
    """The stored article with this content hash, else with this canonical URL."""
    found = session.exec(select(Article).where(Article.content_hash == text_hash)).first()
    if found is None and canonical_url:
        found = session.exec(select(Article).where(Article.canonical_url == canonical_url)).first()
    return found


def known_url(session: Session, url: str) -> bool:
    """Whether an article fetched from, or canonical at, url is stored already."""
    stmt = select(Article.id).where((Article.url == url) | (Article.canonical_url == url))
    return session.exec(stmt).first() is not None


def _resolve(session: Session, speaker):
    return resolve_speaker(session, speaker)


def store_quotes(session: Session, article: Article, extraction: Extraction) -> int:
    """Replace article's quotes with extraction's (same transaction); returns the number stored."""
    text = article.text
    existing = {q.uid: q for q in session.exec(select(Quote).where(Quote.article_id == article.id))}
    # The archive's version moves even where no new quote id does (kept rows changed, quotes dropped, or
    # SQLite handing a deleted quote's id out again): cached counts and profiles are made afresh.
    session.add(ArchiveChange(article_id=article.id))
    people: dict[int, Person | None] = {}
    merged, absorbed = merge_overlapping([q for q in extraction.quotes if q.spans], text)
    for spans, k in absorbed:  # one quote, once: the merged-away quote's permalink leads to its keeper
        _redirect(session, article, quote_uid(article.uid, spans), quote_uid(article.uid, merged[k].spans))
    planned: list[tuple[str, ExtractedQuote]] = []
    for eq in sorted(merged, key=lambda q: (q.spans[0][0], q.spans[0][1])):
        if (uid := quote_uid(article.uid, eq.spans)) not in {u for u, _ in planned}:
            planned.append((uid, eq))
    keep = {uid for uid, _ in planned}
    # A quote's listing key (the search index's row id) comes from its position: gone quotes leave first,
    # and kept quotes that move step aside, so no two rows ever share a key, not even within one flush.
    for uid, quote in existing.items():
        if uid not in keep:
            session.delete(quote)
    moved = [
        existing[uid]
        for position, (uid, _eq) in enumerate(planned)
        if uid in existing and existing[uid].position != position
    ]
    for n, quote in enumerate(moved):
        quote.position = 65535 - n
        session.add(quote)
    session.flush()
    for position, (uid, eq) in enumerate(planned):
        person_id = None
        if eq.speaker is not None:
            if eq.speaker not in people:
                people[eq.speaker] = _resolve(session, extraction.speakers[eq.speaker])
            person = people[eq.speaker]
            person_id = person.id if person is not None else None
        fields = dict(
            article_id=article.id,
            person_id=person_id,
            kind=eq.kind,
            text=eq.text(text),
            spans=[[int(s), int(e)] for s, e in eq.spans],
            speaker_span=list(eq.speaker_span) if eq.speaker_span else None,
            cue_span=list(eq.cue_span) if eq.cue_span else None,
            speaker_text=(
                eq.speaker_description or (text[eq.speaker_span[0] : eq.speaker_span[1]] if eq.speaker_span else "")
            )[:300]
            if eq.speaker_span or eq.speaker_description
            else None,
            cue_text=text[eq.cue_span[0] : eq.cue_span[1]][:100] if eq.cue_span else None,
            context_span=list(eq.context_span) if eq.context_span else None,
            **_dated(article, eq),
            position=position,
        )
        stored = existing.get(uid)
        if stored is None:
            session.add(Quote(uid=uid, **fields))
        else:  # same spans as before: keep the row (and its public id), refresh the rest
            for key, value in fields.items():
                setattr(stored, key, value)
            session.add(stored)
    session.flush()
    return len(keep)


def _dated(article: Article, eq) -> dict:
    """The quote's date: one the text attaches to the statement ("said in May 2024"), else the article's."""
    found = statement_date(article.text, eq.spans, eq.cue_span)
    if found is not None:
        return {"date": found[0], "date_precision": found[1]}
    return {"date": article.published, "date_precision": DAY if article.published else None}


def _redirect(session: Session, article: Article, old_uid: str, new_uid: str) -> None:
    if old_uid == new_uid:
        return
    assert article.id is not None  # a stored article
    row = session.get(QuoteSuccessor, old_uid) or QuoteSuccessor(
        old_uid=old_uid, new_uid=new_uid, article_id=article.id
    )
    row.new_uid, row.article_id = new_uid, article.id
    session.add(row)


def _fill_gaps(session: Session, article: Article, inp: ArticleInput) -> None:
    """Metadata the stored copy lacks and this copy has (a feed's date, an archive's URL); commits when anything changed."""
    changed = False
    for name in ("title", "publisher", "author", "published", "url"):
        value = getattr(inp, name)
        if value and not getattr(article, name):
            setattr(article, name, value)
            changed = True
    if inp.canonical_url and not article.canonical_url:
        taken = session.exec(select(Article.id).where(Article.canonical_url == inp.canonical_url)).first()
        if taken is None:
            article.canonical_url = inp.canonical_url
            changed = True
    if not changed:
        return
    if article.published:
        for quote in session.exec(select(Quote).where(Quote.article_id == article.id, col(Quote.date).is_(None))):
            quote.date, quote.date_precision = article.published, DAY
            session.add(quote)
    session.add(article)
    session.commit()


def store_article(
    session: Session, inp: ArticleInput, extraction: Extraction | None, status: str = "ok"
) -> tuple[str, Article, int]:
    """Store one article with its quotes and commit; returns (new|updated|unchanged, article, quotes stored).

    A status other than ok keeps its reason (`inp.problem`) in article.status_reason."""
    text_hash = content_hash(inp.text)
    try:
        existing = find_existing(session, text_hash, inp.canonical_url)
        if existing is not None and existing.content_hash == text_hash:
            _fill_gaps(session, existing, inp)
            return UNCHANGED, existing, 0
        if existing is not None:  # same canonical URL, changed text
            article = existing
            outcome = UPDATED
        else:
            article = Article(uid=article_uid(inp.canonical_url, text_hash), text=inp.text, content_hash=text_hash)
            outcome = NEW
        article.text = inp.text
        article.content_hash = text_hash
        article.title = inp.title or ""
        article.publisher = inp.publisher
        article.author = inp.author
        article.published = inp.published
        article.url = inp.url
        article.canonical_url = inp.canonical_url
        article.source_path = inp.source_path
        article.language = inp.language or "en"
        article.status = status
        article.status_reason = inp.problem if status != "ok" else None
        article.extractor_version = extraction.version if extraction is not None else None
        session.add(article)
        session.flush()
        n = 0
        if extraction is not None:
            n = store_quotes(session, article, extraction)
        elif outcome == UPDATED:
            n = store_quotes(session, article, Extraction(quotes=[], speakers=[], version=""))
        apply_corrections(session, article)
        session.commit()
        return outcome, article, n
    except IntegrityError:
        # Another ingest stored the same article in between: it is there once, which is what we want.
        session.rollback()
        again = find_existing(session, text_hash, inp.canonical_url)
        if again is not None:
            return UNCHANGED, again, 0
        raise
    except BaseException:
        session.rollback()
        raise


def restore_quotes(session: Session, article: Article, extraction: Extraction) -> int:
    """Replace a stored article's quotes with a new extraction, keep corrections, record the version; commits."""
    try:
        n = store_quotes(session, article, extraction)
        article.extractor_version = extraction.version
        session.add(article)
        session.flush()
        apply_corrections(session, article)
        session.commit()
        return n
    except BaseException:
        session.rollback()
        raise

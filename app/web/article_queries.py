"""Database reads for one stored article's page (/articles/{uid}) and one quote's share image (/q/{uid}.png)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import Article, Person, Quote
from app.web.merges import canonical_person


def article_by_uid(session: Session, uid: str) -> Article | None:
    """The stored article with this uid."""
    return session.exec(select(Article).where(col(Article.uid) == uid)).first()


def visible_quotes(session: Session, article: Article) -> list[Quote]:
    """The article's quotes that no editor hid, in the order they appear."""
    return list(
        session.exec(
            select(Quote)
            .where(col(Quote.article_id) == article.id, col(Quote.hidden) == False)  # noqa: E712 - SQL, not Python
            .order_by(col(Quote.position), col(Quote.id))
        ).all()
    )


def speakers(session: Session, quotes: list[Quote]) -> dict[int, Person | None]:
    """Person id → the person who speaks now (merges followed), for the quotes' speakers."""
    people: dict[int, Person | None] = {}
    for q in quotes:
        if q.person_id and q.person_id not in people:
            people[q.person_id] = canonical_person(session, session.get(Person, q.person_id))
    return people


def quote_by_uid(session: Session, uid: str) -> Quote | None:
    """The stored quote with this uid, hidden or not."""
    return session.exec(select(Quote).where(col(Quote.uid) == uid)).first()

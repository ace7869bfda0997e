"""Re-apply editors' corrections to an article's freshly (re)stored quotes.

The ingest store step calls apply_corrections(session, article) right after it has stored the
article's quotes, inside the same transaction, so neither re-extraction nor re-ingest can undo a
correction. Quote-level corrections (reassign, hide) are keyed by Quote.uid; the quote moves of a
split are re-applied the same way; merges need nothing here beyond following merged_into_id,
because a merged-away person's name variants already point to the survivor.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app.models import Article, Correction, Person, Quote

QUOTE_ACTIONS = ("reassign", "hide")


def _survivor_id(session: Session, person_id: int | None) -> int | None:
    from app.people.resolve import survivor

    if person_id is None:
        return None
    p = survivor(session, session.get(Person, person_id))
    return p.id if p is not None else None


def active_corrections_for_quotes(session: Session, uids: list[str]) -> list[Correction]:
    """Active corrections that move or hide any of these quotes, oldest first."""
    if not uids:
        return []
    wanted = set(uids)
    direct = session.exec(
        select(Correction).where(
            Correction.target.in_(uids), Correction.action.in_(QUOTE_ACTIONS), Correction.undone_at.is_(None)
        )
    ).all()
    splits = session.exec(
        select(Correction).where(Correction.action == "split", Correction.undone_at.is_(None))
    ).all()
    found = list(direct) + [c for c in splits if wanted & set((c.payload or {}).get("quotes", []))]
    return sorted(found, key=lambda c: c.id)


def apply_to_quotes(session: Session, quotes: list[Quote]) -> int:
    """Apply the active corrections to quotes (in place); the number of quotes changed."""
    by_uid = {q.uid: q for q in quotes}
    changed: set[str] = set()
    for c in active_corrections_for_quotes(session, list(by_uid)):
        payload = c.payload or {}
        if c.action == "reassign":
            q = by_uid[c.target]
            q.person_id = _survivor_id(session, (payload.get("after") or {}).get("person_id"))
            changed.add(q.uid)
        elif c.action == "hide":
            q = by_uid[c.target]
            q.hidden = True
            q.hidden_reason = (payload.get("after") or {}).get("reason")
            changed.add(q.uid)
        elif c.action == "split":
            new_id = _survivor_id(session, payload.get("new_person_id"))
            for uid in payload.get("quotes", []):
                if uid in by_uid and new_id is not None:
                    by_uid[uid].person_id = new_id
                    changed.add(uid)
    for q in quotes:  # a quote never points at a merged-away person
        sid = _survivor_id(session, q.person_id)
        if sid != q.person_id:
            q.person_id = sid
            changed.add(q.uid)
    for uid in changed:
        session.add(by_uid[uid])
    return len(changed)


def apply_corrections(session: Session, article: Article) -> None:
    """Re-apply active corrections to the quotes stored for article (same transaction, no commit)."""
    session.flush()
    quotes = list(session.exec(select(Quote).where(Quote.article_id == article.id)).all())
    if quotes:
        apply_to_quotes(session, quotes)
        session.flush()

"""Re-apply editors' corrections to an article's freshly (re)stored quotes.

The ingest store step calls apply_corrections(session, article) right after it has stored the
article's quotes, inside the same transaction, so neither re-extraction nor re-ingest can undo a
correction. Quote-level corrections (reassign, hide) are keyed by Quote.uid; the quote moves of a
split are re-applied the same way; merges need nothing here beyond following merged_into_id,
because a merged-away person's name variants already point to the survivor.

When re-extraction changed a corrected quote's spans (and so its uid), the correction follows the
successor quote (app.corrections.successors): its target moves to the new uid, the old one stays
in payload["history"]. A correction whose quote vanished is kept and listed by unmatched_corrections.
"""

from __future__ import annotations

from operator import attrgetter

from sqlmodel import Session, col, select

from app.corrections import successors
from app.corrections.wording import describe
from app.models import Article, Correction, Person, Quote, utcnow
from app.people.resolve import survivor

QUOTE_ACTIONS = ("reassign", "hide")


def _survivor_id(session: Session, person_id: int | None) -> int | None:
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
            col(Correction.target).in_(uids),
            col(Correction.action).in_(QUOTE_ACTIONS),
            col(Correction.undone_at).is_(None),
        )
    ).all()
    splits = session.exec(
        select(Correction).where(Correction.action == "split", col(Correction.undone_at).is_(None))
    ).all()
    found = list(direct) + [c for c in splits if wanted & set((c.payload or {}).get("quotes", []))]
    return sorted(found, key=attrgetter("id"))


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


def _history(ref: dict | None, uid: str) -> dict:
    ref = ref or {}
    return {"uid": uid, "spans": ref.get("spans"), "text": ref.get("text"), "until": utcnow().isoformat()}


def follow_successors(session: Session, article: Article, quotes: list[Quote], removed: list[dict]) -> int:
    """Point the article's quote corrections whose uid is gone at the successor quote; the number moved.

    Anchors missing from older corrections are filled in from the quote (or its snapshot when it was
    just deleted), so they can be followed next time.
    """
    by_uid = {q.uid: q for q in quotes}
    snaps = {s["uid"]: s for s in removed}
    moved = 0

    def ref_for(uid: str, ref: dict | None) -> tuple[dict | None, bool]:
        """(anchor, filled in now) for uid, or (None, False) when it is not about this article."""
        if ref and ref.get("article_uid") != article.uid:
            ref = None  # recorded for another article: not ours unless its uid was ours
        if uid in by_uid:  # still there: keep its anchor current
            now = successors.anchor(by_uid[uid], article)
            return now, now != ref
        if ref:
            return ref, False
        if uid in snaps:
            return {"article_uid": article.uid, **{k: snaps[uid][k] for k in ("spans", "text")}}, True
        return None, False

    rows = session.exec(
        select(Correction)
        .where(col(Correction.action).in_((*QUOTE_ACTIONS, "split")), col(Correction.undone_at).is_(None))
        .order_by(col(Correction.id))
    ).all()
    for c in rows:
        payload = dict(c.payload or {})
        changed = False
        if c.action in QUOTE_ACTIONS:
            ref, filled = ref_for(c.target, payload.get("quote"))
            if ref is None:
                continue
            if filled:
                payload["quote"], changed = ref, True
            if c.target not in by_uid:
                succ = successors.best_successor(ref, article.text, quotes)
                if succ is not None:
                    payload["history"] = [*payload.get("history", []), _history(ref, c.target)]
                    payload["quote"] = successors.anchor(succ, article)
                    c.target = succ.uid
                    changed = True
                    moved += 1
        else:
            refs = dict(payload.get("quote_refs") or {})
            uids: list[str] = []
            for uid in payload.get("quotes", []):
                ref, filled = ref_for(uid, refs.get(uid))
                succ = None
                if ref is not None:
                    if filled:
                        refs[uid], changed = ref, True
                    if uid not in by_uid:
                        succ = successors.best_successor(ref, article.text, quotes)
                if succ is None:
                    if uid not in uids:
                        uids.append(uid)
                    continue
                payload["history"] = [*payload.get("history", []), _history(ref, uid)]
                refs.pop(uid, None)
                refs[succ.uid] = successors.anchor(succ, article)
                if succ.uid not in uids:
                    uids.append(succ.uid)
                changed = True
                moved += 1
            payload["quotes"], payload["quote_refs"] = uids, refs
        if changed:
            c.payload = payload  # a new dict: the JSON column sees the change
            session.add(c)
    return moved


def apply_corrections(session: Session, article: Article) -> None:
    """Re-apply active corrections to the quotes stored for article (same transaction, no commit)."""
    session.flush()
    assert article.id is not None  # flushed
    quotes = list(session.exec(select(Quote).where(Quote.article_id == article.id)).all())
    removed = successors.take_removed(session, article.id)
    successors.record_successors(session, article, quotes, removed)
    follow_successors(session, article, quotes, removed)
    session.flush()
    if quotes:
        apply_to_quotes(session, quotes)
        session.flush()


def unmatched_corrections(session: Session) -> list[tuple[Correction, list[str]]]:
    """Active quote corrections (reassign, hide, split moves) whose quote no longer exists, with the missing uids."""
    rows = session.exec(
        select(Correction)
        .where(col(Correction.action).in_((*QUOTE_ACTIONS, "split")), col(Correction.undone_at).is_(None))
        .order_by(col(Correction.id))
    ).all()
    wanted = {c.target: c for c in rows if c.action in QUOTE_ACTIONS}
    split_uids = {u for c in rows if c.action == "split" for u in (c.payload or {}).get("quotes", [])}
    uids = list(set(wanted) | split_uids)
    present: set[str] = set()
    for i in range(0, len(uids), 500):
        present |= set(session.exec(select(Quote.uid).where(col(Quote.uid).in_(uids[i : i + 500]))).all())
    out = []
    for c in rows:
        targets = [c.target] if c.action in QUOTE_ACTIONS else list((c.payload or {}).get("quotes", []))
        missing = [u for u in targets if u not in present]
        if missing:
            out.append((c, missing))
    return out


def unmatched_report(session: Session) -> list[str]:
    """One line per correction that no longer matches a quote (for the reextract summary)."""
    lines = []
    for c, missing in unmatched_corrections(session):
        ref = (c.payload or {}).get("quote") or {}
        where = f" in article {ref['article_uid']}" if ref.get("article_uid") else ""
        words = f' "{ref["text"][:80]}"' if ref.get("text") else ""
        lines.append(f"correction {c.id} ({c.action}, quote {', '.join(missing)}{where}){words}: {describe(c)}")
    return lines

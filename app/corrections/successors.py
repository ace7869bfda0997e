"""Following a quote across re-extraction: anchors, successor matching, old uid → new uid.

A quote's uid comes from its article and its spans, so when a better extractor moves a span (a
trailing clause trimmed, a split quote joined) the uid changes. To keep editors' corrections and
shared permalinks on the right words, a correction records an *anchor* (article uid, spans, text)
and, when its uid is gone, the successor is the new quote of the same article whose words overlap
the anchor most: at least half of each (as the eval scorer matches quotes); a tie means none.

Quotes that a store step deletes are noted (a session `before_flush` hook that app.db.make_engine
registers by calling `track_removed_quotes`, so app.ingest.store needs no change) and apply_corrections
maps each to its successor in the QuoteSuccessor table, which `successor_uid` reads for old permalinks.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.models import Article, Correction, Quote, QuoteSuccessor

REMOVED = "whosaid_removed_quotes"  # session.info key: {article_id: [snapshot, ...]}
SEPARATOR = " … "  # how Quote.text joins the parts of a split quote
THRESHOLD = 0.5


# --- noting the quotes a flush deletes ------------------------------------------------------


def _note_deleted_quotes(session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, Quote) and obj.uid:
            session.info.setdefault(REMOVED, {}).setdefault(obj.article_id, []).append(
                {"uid": obj.uid, "spans": [list(s) for s in obj.spans or []], "text": obj.text or ""}
            )


def _forget_deleted_quotes(session) -> None:
    session.info.pop(REMOVED, None)


HOOKS = (
    ("before_flush", _note_deleted_quotes),
    ("after_commit", _forget_deleted_quotes),
    ("after_rollback", _forget_deleted_quotes),
)


def track_removed_quotes(target=OrmSession) -> None:
    """Make every session of target (default: all ORM sessions) note the quotes its flushes delete, for
    take_removed. Idempotent; app.db.make_engine calls it, so any engine the app makes has it."""
    for name, fn in HOOKS:
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)


def tracks_removed_quotes(target=OrmSession) -> bool:
    """Whether track_removed_quotes has been called for target."""
    return all(event.contains(target, name, fn) for name, fn in HOOKS)


def take_removed(session: Session, article_id: int) -> list[dict]:
    """Snapshots ({uid, spans, text}) of the article's quotes deleted in this transaction; forgets them."""
    return (session.info.get(REMOVED) or {}).pop(article_id, [])


# --- anchors and matching --------------------------------------------------------------------


def anchor(quote: Quote, article: Article | None) -> dict:
    """What finds a quote again after its uid changed: article uid, spans, words."""
    return {
        "article_uid": article.uid if article is not None else None,
        "spans": [list(s) for s in quote.spans or []],
        "text": quote.text or "",
    }


def _parts_match(text: str, spans: list, words: str) -> bool:
    if not spans or any(len(s) != 2 or not 0 <= s[0] <= s[1] <= len(text) for s in spans):
        return False
    return SEPARATOR.join(text[s:e].strip() for s, e in spans) == words.strip()


def locate(ref: dict, text: str) -> list[list[int]]:
    """The anchor's spans in text as it is now: its own spans if they still hold its words, else where the words are."""
    spans, words = ref.get("spans") or [], ref.get("text") or ""
    if not words:
        return [list(s) for s in spans if len(s) == 2 and 0 <= s[0] < s[1] <= len(text)]
    if _parts_match(text, spans, words):
        return [list(s) for s in spans]
    found = []
    for i, part in enumerate(p.strip() for p in words.split(SEPARATOR)):
        if not part:
            continue
        near = spans[i][0] if i < len(spans) and len(spans[i]) == 2 else 0
        starts, at = [], text.find(part)
        while at != -1:
            starts.append(at)
            at = text.find(part, at + 1)
        if starts:
            start = min(starts, key=lambda s: abs(s - near))
            found.append([start, start + len(part)])
    return found


def _chars(spans, text: str) -> set[int]:
    """Character offsets covered by spans, whitespace excluded (as the eval scorer counts)."""
    out: set[int] = set()
    for s in spans:
        if len(s) == 2:
            out.update(i for i in range(max(0, s[0]), min(len(text), s[1])) if not text[i].isspace())
    return out


def best_successor(ref: dict, text: str, quotes: list[Quote]) -> Quote | None:
    """The quote whose words overlap the anchor's by at least half of each, the most; None on a tie or no match."""
    old = _chars(locate(ref, text), text)
    if not old:
        return None
    scored = []
    for q in quotes:
        new = _chars(q.spans or [], text)
        overlap = len(old & new)
        if overlap and overlap / len(old) >= THRESHOLD and overlap / len(new) >= THRESHOLD:
            scored.append((overlap, q))
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two equally good candidates: do not guess
    return scored[0][1]


# --- old uid → new uid -----------------------------------------------------------------------


def record_successors(session: Session, article: Article, quotes: list[Quote], removed: list[dict]) -> dict[str, str]:
    """Map each removed quote of article to its successor among quotes (QuoteSuccessor rows); returns old → new."""
    assert article.id is not None  # a stored article
    current = {q.uid for q in quotes}
    mapping: dict[str, str] = {}
    for snap in removed:
        if snap["uid"] in current:
            continue
        succ = best_successor(snap, article.text, quotes)
        if succ is not None:
            mapping[snap["uid"]] = succ.uid
    if current:  # a uid that is back (its spans came back) needs no redirect any more
        for back in session.exec(select(QuoteSuccessor).where(col(QuoteSuccessor.old_uid).in_(current))).all():
            session.delete(back)
    for old, new in mapping.items():
        row = session.get(QuoteSuccessor, old)
        if row is None:
            row = QuoteSuccessor(old_uid=old, new_uid=new, article_id=article.id)
        else:
            row.new_uid, row.article_id = new, article.id
        session.add(row)
    return mapping


def successor_uid(session: Session, uid: str) -> str | None:
    """The uid of the stored quote that replaced quote uid (following chains), or None.

    None also when uid itself is a stored quote, or when its last successor is gone too.
    """
    if session.exec(select(Quote.id).where(Quote.uid == uid)).first() is not None:
        return None
    seen = {uid}
    current = uid
    for _ in range(50):
        row = session.get(QuoteSuccessor, current)
        if row is None or row.new_uid in seen:
            break
        current = row.new_uid
        if session.exec(select(Quote.id).where(Quote.uid == current)).first() is not None:
            return current
        seen.add(current)
    return _from_corrections(session, uid)


def _from_corrections(session: Session, uid: str) -> str | None:
    """A correction that followed uid to its successor remembers it in its history."""
    for c in session.exec(
        select(Correction).where(col(Correction.action).in_(("reassign", "hide"))).order_by(col(Correction.id).desc())
    ):
        if (
            any(h.get("uid") == uid for h in (c.payload or {}).get("history", []))
            and session.exec(select(Quote.id).where(Quote.uid == c.target)).first() is not None
        ):
            return c.target
    return None

"""The same words in other outlets: for each quote on a page, its speaker's quotes elsewhere with the same words.

Read in one driver-level query per page (a UNION of each speaker's nearest quotes in time), compared in
Python (app.sharing.grouping), and kept per worker until the archive changes (app.web.cache).
"""

from __future__ import annotations

from functools import lru_cache

from sqlmodel import Session

from app.models import DAY_SHIFT
from app.sharing.grouping import normalise_quote, same_normalised
from app.web.cache import cached_each
from app.web.merges import merged_groups
from app.web.quote_rows import StoredRow, load_rows

SAME_WORDS_DAYS = 31  # outlets reprint a quote within days; older same words are a different occasion
SAME_WORDS_NEAREST = 40  # candidates per speaker on each side of their quotes on the page, nearest in time first


@lru_cache(maxsize=65536)
def _normalised(text_: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    norm = normalise_quote(text_)
    words = tuple(norm.split())
    return norm, words, frozenset(words)


_WINDOW = (SAME_WORDS_DAYS + 1) << DAY_SHIFT  # listing keys span a day per 1 << DAY_SHIFT
_DATED = 1 << DAY_SHIFT  # the lowest key of a dated quote


def _nearest_sql(n: int, ids: list[int], params: dict, side: str, mark) -> str:
    """SQL for one speaker's nearest quotes on one side of a key (newer, older) within the date window, or
    their undated quotes. Plain driver SQL, built per page: mark(name) is the driver's placeholder."""
    names = []
    for j, pid in enumerate(ids):
        params[f"p{n}_{j}"] = pid
        names.append(mark(f"p{n}_{j}"))
    key, window, dated = mark(f"k{n}"), mark("window"), mark("dated")
    bounds = {
        "newer": f"listing_key >= {key} AND listing_key < {key} + {window} ORDER BY listing_key ASC",
        "older": f"listing_key <= {key} AND listing_key > {key} - {window} AND listing_key >= {dated} "
        "ORDER BY listing_key DESC",
        "undated": f"listing_key < {dated} ORDER BY listing_key DESC",
    }[side]
    return (
        f"SELECT * FROM (SELECT person_id, id, text, article_id FROM quote WHERE person_id IN ({', '.join(names)}) "
        f"AND hidden = {mark('hidden')} AND {bounds} LIMIT {mark('nearest')}) AS near{n}"
    )


def _placeholder(session: Session):
    """The driver's named placeholder: :name for sqlite3, %(name)s for psycopg."""
    if session.get_bind().dialect.name == "sqlite":
        return lambda name: f":{name}"
    return lambda name: f"%({name})s"


def same_words(session: Session, rows: list[StoredRow]) -> dict[int, list[StoredRow]]:
    """For each row's quote id: the speaker's visible quotes in other articles with the same words.

    "The same words" is app.sharing.grouping.same_quote (trimmed or re-punctuated copies, never a shared
    phrase), within SAME_WORDS_DAYS days of the quote. Outlets print a statement within hours or days, so
    the candidates are the speaker's SAME_WORDS_NEAREST quotes on either side of the page's quotes
    within SAME_WORDS_DAYS, and their undated quotes, read in one query. Unknown speakers get none:
    without a speaker two quotes are never known to be the same statement. Each quote's matches are kept
    per worker until the archive changes (app.web.cache.cached_each): the pages that show a quote share them.
    """
    by_id = {r.quote.id: r for r in rows if r.quote.id is not None}
    matches = cached_each(
        session, "same_words", list(by_id), lambda ids: _same_word_ids(session, [by_id[i] for i in ids])
    )
    loaded = {row.quote.id: row for row in load_rows(session, sorted({c for m in matches.values() for c in m}))}
    out: dict[int, list[StoredRow]] = {}
    for qid, hits in matches.items():
        r_date = by_id[qid].date
        near = [loaded[c] for c in hits if c in loaded]
        out[qid] = [
            c for c in near if r_date is None or c.date is None or abs((c.date - r_date).days) <= SAME_WORDS_DAYS
        ]
    return out


def _same_word_ids(session: Session, rows: list[StoredRow]) -> dict[int, tuple[int, ...]]:
    """For each row's quote id: ids of the speaker's nearby quotes in other articles with the same words."""
    matches: dict[int, tuple[int, ...]] = {r.quote.id: () for r in rows if r.quote.id is not None}
    by_person: dict[int, dict[int, StoredRow]] = {}  # speaker id: {quote id: row}
    for r in rows:
        if r.person is not None and r.person.id is not None and r.quote.id is not None:
            by_person.setdefault(r.person.id, {})[r.quote.id] = r
    if not by_person:
        return matches
    groups = merged_groups(session, list(by_person))
    parts: list[str] = []
    params: dict = {"hidden": False, "nearest": SAME_WORDS_NEAREST, "window": _WINDOW, "dated": _DATED}
    mark = _placeholder(session)
    for pid, person_rows in by_person.items():
        keys = [r.quote.listing_key for r in person_rows.values()]
        for side, key in (("newer", max(keys)), ("older", min(keys)), ("undated", 0)):
            if side != "undated" and key < _DATED:  # undated: no date to be near
                continue
            if side != "undated":
                params[f"k{len(parts)}"] = key
            parts.append(_nearest_sql(len(parts), groups[pid], params, side, mark))
    owner = {member: pid for pid, members in groups.items() for member in members}
    cands: dict[int, list[tuple[int, str, int]]] = {}
    seen: set[int] = set()
    for person_id, qid, text_, article_id in session.connection().exec_driver_sql(" UNION ALL ".join(parts), params):
        if qid not in seen:
            seen.add(qid)
            cands.setdefault(owner.get(person_id, person_id), []).append((qid, text_, article_id))
    for pid, person_rows in by_person.items():
        for quote_id, r in person_rows.items():
            na, wa, va = _normalised(r.quote.text)
            hits = []
            for cid, ctext, article_id in cands.get(pid, []):
                if article_id != r.article.id:
                    nb, wb, vb = _normalised(ctext)
                    if same_normalised(na, nb, wa, wb, va, vb):
                        hits.append(cid)
            matches[quote_id] = tuple(hits)
    return matches

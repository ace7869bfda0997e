"""How many quotes a listing matches: exact up to COUNT_CAP, otherwise shown as "10,000+".

Each branch of the listing (app.web.listing_scope) is counted the cheapest way it allows: a person set
already counted on the way, one bounded index range, or for a common search word its newest matches only.
Counts are kept per worker until the archive changes (app.web.cache).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from app.models import Quote
from app.web import search
from app.web.cache import cached
from app.web.filters import QuoteFilters
from app.web.listing_scope import SMALL_SET, UNDATED, Branch, fts_keys, listing_branches, listing_order, scope

COUNT_CAP = SMALL_SET  # the same number: a person set counted on the way (up to SMALL_SET + 1) is the count
SEARCH_COUNT_SCAN = 2_000  # SQLite, a common word with other filters: count among its newest matches only
COUNT_WINDOW = 5_000  # PostgreSQL: a common word with other filters is counted among this many newest quotes


@dataclass(frozen=True)
class Count:
    """How many quotes match: exact, or at least n when counting further would cost more than it tells."""

    n: int
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.n:,}" if self.exact else f"{self.n:,}+"


def _count(session: Session, branches: list[Branch]) -> Count:
    """Exact up to COUNT_CAP; a search reads at most COUNT_CAP of its newest matches, so past that it is a floor."""
    if len(branches) == 1 and branches[0].known is not None:  # counted up to SMALL_SET + 1 on the way
        known = branches[0].known
        return Count(known) if known <= COUNT_CAP else Count(COUNT_CAP, exact=False)
    if len(branches) == 1 and not branches[0].words and branches[0].text_matches is None:
        inner = select(col(Quote.id)).where(*branches[0].count_conds).limit(COUNT_CAP + 1).subquery()
        n = session.execute(select(func.count()).select_from(inner)).scalar_one()
        return Count(COUNT_CAP, exact=False) if n > COUNT_CAP else Count(n)
    found: set[int] = set()
    exact = True
    for b in branches:
        if b.words:
            probe = text("SELECT count(*) FROM (SELECT rowid FROM quote_fts WHERE quote_fts MATCH :fts LIMIT :n)")
            matches = session.execute(
                probe, {"fts": search.fts5_match(session, b.words), "n": COUNT_CAP + 1}
            ).scalar_one()
            if matches > COUNT_CAP and len(b.conds) == 1:  # the words alone (and hidden = false)
                return Count(COUNT_CAP, exact=False)
            if matches > COUNT_CAP:  # many matches, other filters: count among the newest, say "at least"
                exact = False
            scan = COUNT_CAP + 1 if matches <= COUNT_CAP else SEARCH_COUNT_SCAN
            found.update(i for _k, i in fts_keys(session, b.words, b.conds, 0, scan=scan))
        elif b.text_matches is not None and not b.few:  # PostgreSQL, a common word (over SMALL_SET)
            if not b.filtered:
                return Count(COUNT_CAP, exact=False)
            exact = False  # counted among the newest quotes only: at least this many
            newest = select(col(Quote.id)).where(*(b.scope_conds or [])).order_by(*listing_order()).limit(COUNT_WINDOW)
            found.update(
                session.execute(select(col(Quote.id)).where(col(Quote.id).in_(newest), *b.count_conds)).scalars()
            )
        else:
            found.update(session.execute(select(col(Quote.id)).where(*b.count_conds).limit(COUNT_CAP + 1)).scalars())
        if len(found) > COUNT_CAP:
            return Count(COUNT_CAP, exact=False)
    return Count(len(found), exact)


def listing_count(session: Session, f: QuoteFilters, branches: list[Branch]) -> Count:
    """_count, kept per worker until the archive changes: every page of a listing, and its exports, show
    the same count, so it is counted once per filter set (app.web.cache)."""
    return cached(session, ("listing_count", *sorted(f.params().items())), lambda: _count(session, branches))


def count_quotes(session: Session, f: QuoteFilters) -> Count:
    """How many visible quotes match f (exact up to COUNT_CAP)."""
    s = scope(session, f)
    return Count(0) if s.empty else listing_count(session, f, listing_branches(session, s))


def undated_left_out(session: Session, f: QuoteFilters) -> Count | None:
    """How many undated quotes a date filter leaves out (None without a date filter or with undated=1)."""
    if not (f.date_from or f.date_to) or f.undated:
        return None
    s = scope(session, replace(f, date_from=None, date_to=None))
    if s.empty:
        return Count(0)
    s.ranges = [UNDATED]
    return _count(session, listing_branches(session, s))

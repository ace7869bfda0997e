"""The WHERE of a quote listing, as simple queries each served by one index (parameterised SQL only).

Every listing is ordered by (quote.listing_key, quote.id) newest first, the order the indexes
ix_quote_listing (hidden, listing_key, id), ix_quote_person_listing (person_id, hidden, listing_key, id)
and ix_quote_country_listing (country, hidden, listing_key, id) hold. Filters become index ranges: a
date range is a listing_key range (app.models.key_range), a person a set of person ids (merges
followed, app.web.merges), a country the country stored on each quote (migration 0011), a search an
FTS5 / tsvector match (app.web.search). A listing is then a union of branches (per date span, words and
names), each read in listing order from a cursor: fts_keys for SQLite's words, branch_keys for the rest.
Counting them is app.web.listing_counts; paging through them, app.web.queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Integer, func, select, text, tuple_
from sqlmodel import Session, col

from app.models import DAY_SHIFT, Quote, key_range
from app.web import search
from app.web.cache import cached_count
from app.web.filters import QuoteFilters
from app.web.merges import canonical_ids, merged_id_set, resolve_person_filter

SMALL_SET = 10_000  # a person set with at most this many quotes is read through its own index, then sorted
# (app.web.listing_counts.COUNT_CAP is the same number, so the count that decides it is also the listing's count)
COMMON_ESTIMATE = 100_000  # PostgreSQL: a word the planner expects in more rows is common without counting
UNDATED = (None, 1 << DAY_SHIFT)  # the listing keys of undated quotes (day 0)


@dataclass
class Scope:
    """What a listing matches, as SQL conditions on quote; `empty` when nothing can match."""

    conds: list = field(default_factory=list)
    person_ids: list[int] | None = None  # None: anyone
    words: list[str] = field(default_factory=list)
    name_ids: list[int] = field(default_factory=list)
    ranges: list[tuple[int | None, int | None]] = field(default_factory=lambda: [(None, None)])  # listing_key spans
    empty: bool = False


def scope(session: Session, f: QuoteFilters) -> Scope:
    """Turn filters into conditions the indexes serve (see the module docstring)."""
    s = Scope(conds=[col(Quote.hidden) == False])  # noqa: E712 - SQL expression
    ids: set[int] | None = None
    if f.person:
        _p, person_ids = resolve_person_filter(session, f.person)
        ids = set(person_ids or [])
    if f.country:  # stored on each quote (migration 0011): ix_quote_country_listing serves it in order
        s.conds.append(col(Quote.country) == f.country)
    if ids is not None:
        if not ids:
            s.empty = True
        s.person_ids = sorted(ids)
    if f.date_from or f.date_to:
        s.ranges = [key_range(f.date_from, f.date_to)] + ([UNDATED] if f.undated else [])
    if f.kind:
        s.conds.append(col(Quote.kind) == f.kind)
    if f.q:
        s.words = search.words(f.q)
        if not s.words:
            s.empty = True
        names = search.name_matches(session, f.q)
        if names:
            s.name_ids = merged_id_set(session, canonical_ids(session, names))
    return s


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _text_match(ws: list[str]):
    """PostgreSQL: quote's stored tsvector matches the words (the GIN index serves it)."""
    return text("quote.search @@ to_tsquery('simple', :tsq)").bindparams(tsq=search.tsquery(ws))


def _text_matches(session: Session, match) -> int:
    """PostgreSQL: how many visible quotes the words match, counted up to SMALL_SET + 1; a word the planner
    expects in more than COMMON_ESTIMATE rows is taken as common uncounted (its index bitmap would list
    hundreds of thousands of rows, and a scan for its first matches reads as many)."""
    stmt = select(col(Quote.id)).where(col(Quote.hidden) == False, match)  # noqa: E712 - SQL expression
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    if (plan[0] if isinstance(plan, list) else plan)["Plan"]["Plan Rows"] > COMMON_ESTIMATE:
        return SMALL_SET + 1
    inner = stmt.limit(SMALL_SET + 1).subquery()
    return session.execute(select(func.count()).select_from(inner)).scalar_one()


def fts_keys(
    session: Session,
    ws: list[str],
    conds: list,
    limit: int,
    before=None,
    after=None,
    offset: int = 0,
    scan: int | None = None,
) -> list[tuple[int, int]]:
    """SQLite: (listing_key, id) of matching quotes, newest first, read from the FTS5 index in key order.

    quote_fts's row id is quote.listing_key, so the index hands out matches newest first and the
    quote rows are joined one by one through ix_quote_listing until the page is full. scan caps how
    many index matches are read (for bounded counts).
    """
    bounds, params = [], {"fts": search.fts5_match(session, ws)}
    if before is not None:
        bounds.append(" AND rowid <= :bk")
        params["bk"] = before[0]
    if after is not None:
        bounds.append(" AND rowid >= :ak")
        params["ak"] = after[0]
    order = "ASC" if after is not None else "DESC"
    cap = f" LIMIT {int(scan)}" if scan else ""
    matches = (
        text(
            f"SELECT rowid AS k FROM quote_fts WHERE quote_fts MATCH :fts{''.join(bounds)} ORDER BY rowid {order}{cap}"
        )
        .bindparams(**params)
        .columns(k=Integer)
        .subquery("m")
    )
    stmt = (
        select(col(Quote.listing_key), col(Quote.id))
        .join_from(matches, Quote, col(Quote.listing_key) == matches.c.k)
        .where(*conds)
    )
    if before is not None:
        stmt = stmt.where(tuple_(col(Quote.listing_key), col(Quote.id)) < tuple_(*before))
    if after is not None:
        stmt = stmt.where(tuple_(col(Quote.listing_key), col(Quote.id)) > tuple_(*after))
    if scan is None:
        stmt = stmt.order_by(matches.c.k.asc() if after is not None else matches.c.k.desc()).limit(limit + offset)
    return [tuple(r) for r in session.execute(stmt).all()]


def _people_cond(session: Session, ids: list[int], conds: list):
    """(for counting, for a page, count up to SMALL_SET + 1 or None): person_id IN ids through the person
    index; a page of many people's quotes instead walks the listing index in order and tests each row."""
    if len(ids) == 1:
        return col(Quote.person_id) == ids[0], col(Quote.person_id) == ids[0], None
    indexed = col(Quote.person_id).in_(ids)
    n = cached_count(session, select(col(Quote.id)).where(indexed, *conds).limit(SMALL_SET + 1))  # ≤ SMALL_SET + 1
    if n <= SMALL_SET:
        return indexed, indexed, n
    return indexed, (col(Quote.person_id) + 0).in_(ids), n  # "+ 0": no index


@dataclass
class Branch:
    """One simple query of a listing: conditions on quote, and for SQLite searches the words (read via FTS5)."""

    conds: list
    count_conds: list  # the same rows, in the form the count reads fastest
    words: list[str] | None = None
    few: bool = False  # so few rows match that fetching them all and sorting beats walking the order index
    known: int | None = None  # its exact count, when already counted on the way
    text_matches: int | None = None  # PostgreSQL: rows the words match, counted up to SMALL_SET + 1
    filtered: bool = False  # narrowed by more than the words (and hidden)
    scope_conds: list | None = None  # PostgreSQL: the conditions besides words and people (hidden, dates, kind)


def _range_conds(low: int | None, high: int | None) -> list:
    return ([col(Quote.listing_key) >= low] if low is not None else []) + (
        [col(Quote.listing_key) < high] if high is not None else []
    )


def listing_branches(session: Session, s: Scope) -> list[Branch]:
    """The listing as a union of simple queries, each served by one index: per date span, words and names."""
    out = []
    for low, high in s.ranges:
        out += _span_branches(session, replace(s, conds=s.conds + _range_conds(low, high)))
    return out


def _span_branches(session: Session, s: Scope) -> list[Branch]:
    base, counted, known = list(s.conds), list(s.conds), None
    if s.person_ids is not None:
        for_count, for_page, known = _people_cond(session, s.person_ids, base)
        base, counted = base + [for_page], counted + [for_count]
    if not s.words:
        return [Branch(base, count_conds=counted, known=known, few=_few(known))]
    if _dialect(session) == "postgresql":
        match = _text_match(s.words)
        matches = _text_matches(session, match)
        out = [
            Branch(
                base + [match],
                count_conds=counted + [match],
                text_matches=matches,
                filtered=len(base) > 1,
                scope_conds=list(s.conds),
                few=matches <= SMALL_SET,
            )
        ]
    else:
        out = [Branch(base, counted, s.words)]
    names = s.name_ids if s.person_ids is None else sorted(set(s.name_ids) & set(s.person_ids))
    if names:
        for_count, for_page, n = _people_cond(session, names, s.conds)
        out.append(Branch(s.conds + [for_page], count_conds=s.conds + [for_count], few=_few(n)))
    return out


def _few(counted: int | None) -> bool:
    """Several people's quotes counted (up to SMALL_SET + 1) and found few: read them all through the person
    index and sort them. Walking the listing index in order and testing each row is what a planner picks
    when it expects them many (PostgreSQL: 70 ms for 4,660 quotes of 200 people at 10M)."""
    return counted is not None and counted <= SMALL_SET


def listing_order(newest_first: bool = True):
    if newest_first:
        return col(Quote.listing_key).desc(), col(Quote.id).desc()
    return col(Quote.listing_key).asc(), col(Quote.id).asc()


def _order_by_sort(newest_first: bool = True):
    """The listing order as expressions no index holds, so the planner fetches the few matches and sorts."""
    key, qid = col(Quote.listing_key) + 0, col(Quote.id) + 0
    return (key.desc(), qid.desc()) if newest_first else (key.asc(), qid.asc())


def branch_keys(b: Branch, before=None, after=None):
    """A select of (listing_key, id) for one branch without words, in listing order from the cursor."""
    conds = list(b.conds)
    if before is not None:
        conds.append(tuple_(col(Quote.listing_key), col(Quote.id)) < tuple_(*before))
    if after is not None:
        conds.append(tuple_(col(Quote.listing_key), col(Quote.id)) > tuple_(*after))
    order = listing_order(after is None) if not b.few else _order_by_sort(after is None)
    return select(col(Quote.listing_key), col(Quote.id)).where(*conds).order_by(*order)

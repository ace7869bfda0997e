"""Database reads for the quote listings (parameterised SQL only), built to stay fast on large archives.

Every listing is ordered by (quote.listing_key, quote.id) newest first, the order the indexes
ix_quote_listing (hidden, listing_key, id), ix_quote_person_listing (person_id, hidden, listing_key, id)
and ix_quote_country_listing (country, hidden, listing_key, id) hold, so a page reads about as many index
entries as it shows:
- filters become index ranges: a date range is a listing_key range (app.models.key_range), a person a
  set of person ids, a country the country stored on each quote (migration 0011), a search an FTS5 /
  tsvector match (app.web.search);
- pages continue from a cursor (app.web.cursor) instead of an OFFSET; old `page=N` links still work;
- counts are exact up to COUNT_CAP and otherwise shown as "10,000+";
- rows are loaded only for the quotes a page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, func, select, text, tuple_
from sqlmodel import Session, col

from app.models import DAY_SHIFT, Article, Correction, Person, PersonName, Quote, key_range
from app.people.names import fold
from app.sharing.grouping import normalise_quote, same_normalised
from app.web import search
from app.web.cache import cached, cached_count, cached_each
from app.web.filters import QuoteFilters

COUNT_CAP = 10_000
SEARCH_COUNT_SCAN = 2_000  # SQLite, a common word with other filters: count among its newest matches only
SMALL_SET = COUNT_CAP  # a person set with at most this many quotes is read through its own index, then sorted
# (equal to COUNT_CAP, so the count that decides it is also the listing's count)


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


@dataclass(frozen=True)
class Count:
    """How many quotes match: exact, or at least n when counting further would cost more than it tells."""

    n: int
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.n:,}" if self.exact else f"{self.n:,}+"


@dataclass
class Page:
    """One page of a listing and the cursors around it."""

    rows: list[StoredRow]
    count: Count
    newer: tuple[int, int] | None = None  # cursor for the page before (after=)
    older: tuple[int, int] | None = None  # cursor for the page after (before=)


def canonical_person(session: Session, person: Person | None) -> Person | None:
    """Follow merged_into_id to the person that survived a merge."""
    seen: set[int | None] = set()
    while person is not None and person.merged_into_id and person.id not in seen and len(seen) < 20:
        seen.add(person.id)
        target = session.get(Person, person.merged_into_id)
        if target is None:
            break
        person = target
    return person


def merged_ids(session: Session, person: Person) -> list[int]:
    """person's id and every id merged into it (directly or through a chain)."""
    return merged_id_set(session, [person.id]) if person.id is not None else []


def merged_groups(session: Session, ids: list[int]) -> dict[int, list[int]]:
    """For each id: it and every id merged into it (directly or through a chain), one query per level."""
    owner = {i: i for i in ids}
    frontier = set(ids)
    while frontier:
        rows = session.execute(
            select(col(Person.id), col(Person.merged_into_id)).where(col(Person.merged_into_id).in_(frontier))
        ).all()
        frontier = set()
        for pid, into in rows:
            if pid not in owner:
                owner[pid] = owner[into]
                frontier.add(pid)
    out: dict[int, list[int]] = {i: [] for i in ids}
    for pid, root in owner.items():
        out[root].append(pid)
    return {k: sorted(v) for k, v in out.items()}


def merged_id_set(session: Session, ids: list[int]) -> list[int]:
    """ids and every id merged into any of them."""
    return sorted({pid for group in merged_groups(session, ids).values() for pid in group})


def canonical_map(session: Session, ids: list[int]) -> dict[int, int]:
    """id → the surviving person's id (merges followed, at most 20 steps)."""
    step: dict[int, int | None] = {}
    todo = set(ids)
    for _ in range(20):
        todo -= set(step)
        if not todo:
            break
        rows = session.execute(select(col(Person.id), col(Person.merged_into_id)).where(col(Person.id).in_(todo))).all()
        step.update(dict(rows))
        todo = {target for _pid, target in rows if target}
    out = {}
    for pid in ids:
        current, seen = pid, 0
        while (target := step.get(current)) and target != current and seen < 20:
            current, seen = target, seen + 1
        out[pid] = current
    return out


def canonical_ids(session: Session, ids: list[int]) -> list[int]:
    """The surviving person of each id (merges followed), without repeats."""
    return sorted(set(canonical_map(session, ids).values()))


def person_by_text(session: Session, value: str | None) -> Person | None:
    """The person a filter value names: a slug, else a name (any variant) that only one person has."""
    if not value:
        return None
    person = session.execute(select(Person).where(col(Person.slug) == value)).scalars().first()
    if person is not None:
        return canonical_person(session, person)
    key = fold(value)
    if not key:
        return None
    ids = canonical_ids(
        session,
        list(session.execute(select(col(PersonName.person_id)).where(col(PersonName.key) == key).limit(50)).scalars()),
    )
    return session.get(Person, ids[0]) if len(ids) == 1 else None


def resolve_person_filter(session: Session, value: str | None) -> tuple[Person | None, list[int] | None]:
    """(person, ids to match) for a person filter (slug or name); an unknown one matches nothing."""
    if not value:
        return None, None
    person = person_by_text(session, value)
    if person is None:
        return None, []
    return person, merged_ids(session, person)


# --- the WHERE of a listing -------------------------------------------------------------------------


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


COMMON_ESTIMATE = 100_000  # PostgreSQL: a word the planner expects in more rows is common without counting
COUNT_WINDOW = 5_000  # PostgreSQL: a common word with other filters is counted among this many newest quotes


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


def _fts_keys(
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


UNDATED = (None, 1 << DAY_SHIFT)  # the listing keys of undated quotes (day 0)


def _range_conds(low: int | None, high: int | None) -> list:
    return ([col(Quote.listing_key) >= low] if low is not None else []) + (
        [col(Quote.listing_key) < high] if high is not None else []
    )


def _branches(session: Session, s: Scope) -> list[Branch]:
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
            found.update(i for _k, i in _fts_keys(session, b.words, b.conds, 0, scan=scan))
        elif b.text_matches is not None and b.text_matches > SMALL_SET:  # PostgreSQL, a common word
            if not b.filtered:
                return Count(COUNT_CAP, exact=False)
            exact = False  # counted among the newest quotes only: at least this many
            newest = select(col(Quote.id)).where(*(b.scope_conds or [])).order_by(*_order()).limit(COUNT_WINDOW)
            found.update(
                session.execute(select(col(Quote.id)).where(col(Quote.id).in_(newest), *b.count_conds)).scalars()
            )
        else:
            found.update(session.execute(select(col(Quote.id)).where(*b.count_conds).limit(COUNT_CAP + 1)).scalars())
        if len(found) > COUNT_CAP:
            return Count(COUNT_CAP, exact=False)
    return Count(len(found), exact)


def _order(newest_first: bool = True):
    if newest_first:
        return col(Quote.listing_key).desc(), col(Quote.id).desc()
    return col(Quote.listing_key).asc(), col(Quote.id).asc()


def _order_by_sort(newest_first: bool = True):
    """The listing order as expressions no index holds, so the planner fetches the few matches and sorts."""
    key, qid = col(Quote.listing_key) + 0, col(Quote.id) + 0
    return (key.desc(), qid.desc()) if newest_first else (key.asc(), qid.asc())


def _keys(session: Session, branches: list[Branch], limit: int, before=None, after=None, offset: int = 0):
    """(listing_key, id) of the page's quotes, newest first: each branch's top rows, merged.

    One branch skips an old-style page offset in SQL; several read their first offset + limit rows each.
    """
    if len(branches) == 1 and offset and not branches[0].words:
        page = session.execute(_branch_keys(branches[0], before, after).limit(limit).offset(offset)).all()
        return [tuple(r) for r in page]
    found: dict[int, int] = {}
    for b in branches:
        rows: Sequence[Sequence[int]]  # (listing_key, id)
        if b.words:
            rows = _fts_keys(session, b.words, b.conds, limit, before, after, offset)
        else:
            rows = session.connection().execute(_branch_keys(b, before, after).limit(limit + offset)).all()  # Core rows
        for key, qid in rows:
            found[qid] = key
    ranked = sorted(((k, i) for i, k in found.items()), reverse=after is None)
    return ranked[offset : offset + limit]


def _branch_keys(b: Branch, before=None, after=None):
    """A select of (listing_key, id) for one branch without words, in listing order from the cursor."""
    conds = list(b.conds)
    if before is not None:
        conds.append(tuple_(col(Quote.listing_key), col(Quote.id)) < tuple_(*before))
    if after is not None:
        conds.append(tuple_(col(Quote.listing_key), col(Quote.id)) > tuple_(*after))
    order = _order(after is None) if not b.few else _order_by_sort(after is None)
    return select(col(Quote.listing_key), col(Quote.id)).where(*conds).order_by(*order)


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


def listing_page(session: Session, f: QuoteFilters, limit: int) -> Page:
    """One page of visible quotes matching f, newest first, from f.before / f.after / f.page."""
    s = scope(session, f)
    if s.empty:
        return Page([], Count(0))
    branches = _branches(session, s)
    count = _listing_count(session, f, branches)
    before, after = f.before, f.after
    offset = (f.page - 1) * limit if before is None and after is None else 0
    keys = _keys(session, branches, limit + 1, before, after, offset)
    more = len(keys) > limit
    keys = keys[:limit]
    if after is not None:
        keys = keys[::-1]  # fetched oldest first
    rows = load_rows(session, [i for _k, i in keys])
    page = Page(rows, count)
    if keys:
        first, last = keys[0], keys[-1]
        has_newer = (after is not None and more) or before is not None or offset > 0
        has_older = more if after is None else True
        page.newer = first if has_newer else None
        page.older = last if has_older else None
    return page


def undated_left_out(session: Session, f: QuoteFilters) -> Count | None:
    """How many undated quotes a date filter leaves out (None without a date filter or with undated=1)."""
    if not (f.date_from or f.date_to) or f.undated:
        return None
    s = scope(session, replace(f, date_from=None, date_to=None))
    if s.empty:
        return Count(0)
    s.ranges = [UNDATED]
    return _count(session, _branches(session, s))


def count_quotes(session: Session, f: QuoteFilters) -> Count:
    """How many visible quotes match f (exact up to COUNT_CAP)."""
    s = scope(session, f)
    return Count(0) if s.empty else _listing_count(session, f, _branches(session, s))


def _listing_count(session: Session, f: QuoteFilters, branches: list[Branch]) -> Count:
    """_count, kept per worker until the archive changes: every page of a listing, and its exports, show
    the same count, so it is counted once per filter set (app.web.cache)."""
    return cached(session, ("listing_count", *sorted(f.params().items())), lambda: _count(session, branches))


def iter_quotes(session: Session, f: QuoteFilters, chunk: int = 5000) -> Iterator[ExportRow]:
    """Every matching quote (up to f.limit, from f.page or f.before), in pages read by cursor, as light rows."""
    people: dict[int, Person | None] = {}
    for ids in iter_quote_ids(session, f, chunk):
        yield from load_export_rows(session, ids, people)


def iter_quote_ids(session: Session, f: QuoteFilters, chunk: int = 5000) -> Iterator[list[int]]:
    """The ids of iter_quotes' rows, in order, one list per page read by cursor (at most chunk ids)."""
    for page in iter_quote_pages(session, f, (), chunk):
        yield [qid for _key, qid, *_rest in page]


def iter_quote_pages(session: Session, f: QuoteFilters, columns: tuple, chunk: int = 5000) -> Iterator[list]:
    """Rows (listing_key, id, *columns) of iter_quotes' quotes, in order, one list per page read by cursor.

    A listing that is one plain index range (no words) reads each page in one query along that index;
    any other first picks the page's keys (_keys), then reads their columns.
    """
    s = scope(session, f)
    if s.empty:
        return
    branches = _branches(session, s)
    remaining = f.limit
    offset = (f.page - 1) * f.limit if f.limit and f.before is None else 0
    cursor = f.before
    while remaining is None or remaining > 0:
        size = chunk if remaining is None else min(chunk, remaining)
        rows, held, cursor = _page_rows(
            session, branches, (col(Quote.listing_key), col(Quote.id), *columns), size, cursor, offset
        )
        offset = 0
        if rows:
            yield rows
        if held < size:
            return
        if remaining is not None:
            remaining -= size


def _page_rows(session: Session, branches: list[Branch], columns: tuple, size: int, before, offset: int):
    """(rows of columns, how many quotes the page held, its last (listing_key, id)) for one page."""
    if len(branches) == 1 and not branches[0].words:
        stmt = _branch_keys(branches[0], before).add_columns(*columns[2:])
        rows = session.connection().execute(stmt.limit(size).offset(offset)).all()
        return rows, len(rows), (tuple(rows[-1][:2]) if rows else before)
    keys = _keys(session, branches, size, before=before, offset=offset)
    if len(columns) == 2 or not keys:
        return keys, len(keys), (keys[-1] if keys else before)
    found = {
        r[1]: r for r in session.connection().execute(select(*columns).where(col(Quote.id).in_([i for _k, i in keys])))
    }
    return [found[qid] for _key, qid in keys if qid in found], len(keys), keys[-1]


# --- the same words in other outlets -----------------------------------------------------------------

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
    if _dialect(session) == "sqlite":
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


# --- single quotes and corrections --------------------------------------------------------------------


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

"""Pages of a quote listing, built to stay fast on large archives (parameterised SQL only).

A listing's filters become branches that indexes serve in listing order (app.web.listing_scope), so a
page reads about as many index entries as it shows:
- pages continue from a cursor (app.web.cursor) instead of an OFFSET; old `page=N` links still work;
- counts are exact up to COUNT_CAP and otherwise shown as "10,000+" (app.web.listing_counts);
- rows are loaded only for the quotes a page shows (app.web.quote_rows);
- exports read every page by cursor (iter_quote_pages).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from app.models import Person, Quote
from app.web.filters import QuoteFilters
from app.web.listing_counts import Count, listing_count
from app.web.listing_scope import Branch, branch_keys, fts_keys, listing_branches, scope
from app.web.quote_rows import ExportRow, StoredRow, load_export_rows, load_rows


@dataclass
class Page:
    """One page of a listing and the cursors around it."""

    rows: list[StoredRow]
    count: Count
    newer: tuple[int, int] | None = None  # cursor for the page before (after=)
    older: tuple[int, int] | None = None  # cursor for the page after (before=)


def listing_page(session: Session, f: QuoteFilters, limit: int) -> Page:
    """One page of visible quotes matching f, newest first, from f.before / f.after / f.page."""
    s = scope(session, f)
    if s.empty:
        return Page([], Count(0))
    branches = listing_branches(session, s)
    count = listing_count(session, f, branches)
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


def _keys(session: Session, branches: list[Branch], limit: int, before=None, after=None, offset: int = 0):
    """(listing_key, id) of the page's quotes, newest first: each branch's top rows, merged.

    One branch skips an old-style page offset in SQL; several read their first offset + limit rows each.
    """
    if len(branches) == 1 and offset and not branches[0].words:
        page = session.execute(branch_keys(branches[0], before, after).limit(limit).offset(offset)).all()
        return [tuple(r) for r in page]
    found: dict[int, int] = {}
    for b in branches:
        rows: Sequence[Sequence[int]]  # (listing_key, id)
        if b.words:
            rows = fts_keys(session, b.words, b.conds, limit, before, after, offset)
        else:
            rows = session.connection().execute(branch_keys(b, before, after).limit(limit + offset)).all()  # Core rows
        for key, qid in rows:
            found[qid] = key
    ranked = sorted(((k, i) for i, k in found.items()), reverse=after is None)
    return ranked[offset : offset + limit]


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
    branches = listing_branches(session, s)
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
        stmt = branch_keys(branches[0], before).add_columns(*columns[2:])
        rows = session.connection().execute(stmt.limit(size).offset(offset)).all()
        return rows, len(rows), (tuple(rows[-1][:2]) if rows else before)
    keys = _keys(session, branches, size, before=before, offset=offset)
    if len(columns) == 2 or not keys:
        return keys, len(keys), (keys[-1] if keys else before)
    found = {
        r[1]: r for r in session.connection().execute(select(*columns).where(col(Quote.id).in_([i for _k, i in keys])))
    }
    return [found[qid] for _key, qid in keys if qid in found], len(keys), keys[-1]

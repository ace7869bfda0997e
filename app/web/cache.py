"""Per-worker results that stay true while the archive is unchanged: a person's profile, a country's
speakers, the country options, counts of large sets, each quote's same words in other outlets.

Every entry is keyed on the archive's version (newest quote id, newest storing of an article's quotes,
newest correction, newest undo), so the next ingest, re-extraction or correction is seen on the next
request; entries also expire after CACHE_TTL seconds.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import ArchiveChange, Correction, Quote

CACHE_TTL = 300.0  # seconds an entry is reused while the archive is unchanged
MAX_ENTRIES = 1000
MAX_ITEMS = 50_000  # per-item entries (cached_each), least recently used dropped first
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
_cache: dict[tuple, tuple[float, Any]] = {}
_items: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()


def archive_version(session: Session) -> tuple:
    """Changes whenever anything is ingested or corrected (merged, hidden, undone…): newest ids and undo time.

    Read once per transaction: a page that uses several cached results asks the database once.
    """
    memo = session.info.get("archive_version")
    if memo is not None and memo[0] is session.get_transaction():
        return memo[1]
    version = tuple(
        session.execute(
            select(
                select(func.max(Quote.id)).scalar_subquery(),
                select(func.max(ArchiveChange.id)).scalar_subquery(),
                select(func.max(Correction.id)).scalar_subquery(),
                select(func.max(Correction.undone_at)).scalar_subquery(),
            )
        ).one()
    )
    session.info["archive_version"] = (session.get_transaction(), version)
    return version


def cached(session: Session, key: tuple, compute: Callable[[], T]) -> T:
    """compute(), kept for CACHE_TTL seconds in this worker while the archive stays as it was."""
    bind = session.get_bind()
    full = (str(bind.engine.url), *key, *archive_version(session))
    hit = _cache.get(full)
    if hit and time.monotonic() - hit[0] < CACHE_TTL:
        return hit[1]
    value = compute()
    if len(_cache) > MAX_ENTRIES:
        _cache.clear()
    _cache[full] = (time.monotonic(), value)
    return value


def cached_count(session: Session, stmt) -> int:
    """SELECT count(*) over stmt (a bounded select), kept like cached(): a country's quotes in a month
    are counted once per archive change, not on every page of them."""
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    key = ("count", str(compiled), repr(sorted(compiled.params.items())))
    return cached(session, key, lambda: session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())


def clear() -> None:
    """Forget everything kept (tests that empty the database between them; ids may then repeat)."""
    _cache.clear()
    _items.clear()


def cached_each(
    session: Session, namespace: str, keys: Iterable[K], compute: Callable[[list[K]], dict[K, T]]
) -> dict[K, T]:
    """For each key its value, kept like cached() but one entry per key: compute() gets only the keys not
    kept yet, all in one call, so a page whose items were seen on other pages computes just the new ones."""
    bind = session.get_bind()
    scope = (str(bind.engine.url), namespace, *archive_version(session))
    now = time.monotonic()
    out: dict[K, T] = {}
    missing: list[K] = []
    for key in dict.fromkeys(keys):
        hit = _items.get((*scope, key))
        if hit and now - hit[0] < CACHE_TTL:
            _items.move_to_end((*scope, key))
            out[key] = hit[1]
        else:
            missing.append(key)
    if missing:
        computed = compute(missing)
        for key in missing:
            out[key] = computed[key]
            _items[(*scope, key)] = (now, computed[key])
        while len(_items) > MAX_ITEMS:
            _items.popitem(last=False)
    return out

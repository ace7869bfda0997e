"""Database reads for people: the paginated /people listing, the person typeahead, counts and countries.

Counts are computed only for the people a page shows, through ix_quote_person_listing (index only);
a merged person's quotes count for the person they were merged into.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.models import DAY_SHIFT, Person, PersonName, Quote, listing_date
from app.people.names import fold
from app.web import search
from app.web.queries import COUNT_CAP, Count, canonical_ids, canonical_map, merged_groups

PEOPLE_PER_PAGE = 50


@dataclass
class PeoplePage:
    """One page of people with their quote counts."""

    rows: list[tuple[Person, int]]
    count: Count
    page: int
    pages: int | None  # None when the count is bounded


def _quoted():
    """The person (or someone merged into them) has a visible quote."""
    merged = aliased(Person)
    own = exists().where(Quote.person_id == Person.id, Quote.hidden == False)  # noqa: E712
    via = exists().where(merged.merged_into_id == Person.id, Quote.person_id == merged.id,
                         Quote.hidden == False)  # noqa: E712
    return or_(own, via)


def quote_counts(session: Session, people: list[Person]) -> dict[int, int]:
    """Visible quotes of each person, with everyone merged into them."""
    if not people:
        return {}
    owner = {member: root for root, group in merged_groups(session, [p.id for p in people]).items() for member in group}
    counts: Counter = Counter()
    for pid, n in session.execute(
        select(Quote.person_id, func.count()).where(Quote.person_id.in_(owner), Quote.hidden == False)  # noqa: E712
        .group_by(Quote.person_id)
    ).all():
        counts[owner[pid]] += n
    return dict(counts)


def _matching(session: Session, q: str) -> list[int]:
    """Canonical ids of people whose name (any variant), role or organisation contains q."""
    pattern = search.contains_pattern(q)
    ids = set(session.execute(select(Person.id).where(or_(
        Person.name.ilike(pattern, escape="\\"), Person.role.ilike(pattern, escape="\\"),
        Person.organisation.ilike(pattern, escape="\\"))).limit(COUNT_CAP)).scalars())
    key = fold(q)
    conds = [PersonName.name.ilike(pattern, escape="\\")]
    if key:
        conds.append(PersonName.key.like(search.contains_pattern(key), escape="\\"))
    ids |= set(session.execute(select(PersonName.person_id).where(or_(*conds)).limit(COUNT_CAP)).scalars())
    return canonical_ids(session, sorted(ids))


def people_page(session: Session, q: str | None = None, country: str | None = None,
                page: int = 1, per_page: int = PEOPLE_PER_PAGE) -> PeoplePage:
    """People with a visible quote (merges folded in), by name, one page; q searches names, roles, organisations."""
    conds = [Person.merged_into_id.is_(None), _quoted()]
    if country:
        conds.append(Person.country == country)
    if q:
        ids = _matching(session, q)
        if not ids:
            return PeoplePage([], Count(0), 1, 1)
        conds.append(Person.id.in_(ids))
    inner = select(Person.id).where(*conds).limit(COUNT_CAP + 1).subquery()
    n = session.execute(select(func.count()).select_from(inner)).scalar_one()
    count = Count(COUNT_CAP, exact=False) if n > COUNT_CAP else Count(n)
    people = session.execute(select(Person).where(*conds).order_by(Person.name, Person.id)
                             .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    counts = quote_counts(session, list(people))
    pages = max(1, -(-count.n // per_page)) if count.exact else None
    return PeoplePage([(p, counts.get(p.id, 0)) for p in people], count, page, pages)


def all_people(session: Session, q: str | None = None, country: str | None = None, batch: int = 1000):
    """Every person with a visible quote and their count, by name, read in batches (for exports)."""
    page = 1
    while True:
        chunk = people_page(session, q, country, page=page, per_page=batch)
        yield from chunk.rows
        if len(chunk.rows) < batch:
            return
        page += 1


def suggest(session: Session, q: str, limit: int = 10) -> list[tuple[Person, int]]:
    """People for a typeahead: names (any variant, diacritics optional) starting with q's words, most quoted first."""
    ids = canonical_ids(session, search.name_matches(session, q, limit=200))
    if not ids:
        return []
    people = session.execute(select(Person).where(Person.id.in_(ids), Person.merged_into_id.is_(None))).scalars().all()
    counts = quote_counts(session, list(people))
    ranked = sorted(people, key=lambda p: (-counts.get(p.id, 0), p.name.lower()))
    return [(p, counts.get(p.id, 0)) for p in ranked if counts.get(p.id, 0)][:limit]


def country_options(session: Session) -> list[tuple[str, int]]:
    """Countries of quoted people, with how many people each."""
    rows = session.execute(
        select(Person.country, func.count())
        .where(Person.country.is_not(None), Person.merged_into_id.is_(None))
        .group_by(Person.country)
        .order_by(Person.country)
    ).all()
    return [(c, n) for c, n in rows if c]


def co_speakers(session: Session, ids: list[int], limit: int = 8, articles: int = 500) -> list[tuple[Person, int]]:
    """People quoted in the same articles as ids (their latest `articles` articles), by shared articles."""
    recent = (select(Quote.article_id).where(Quote.person_id.in_(ids), Quote.hidden == False)  # noqa: E712
              .order_by(Quote.listing_key.desc()).limit(articles * 4))
    article_ids = list(dict.fromkeys(session.execute(recent).scalars()))[:articles]
    if not article_ids:
        return []
    rows = session.execute(
        select(Quote.person_id, Quote.article_id)
        .where(Quote.article_id.in_(article_ids), Quote.person_id.is_not(None),
               Quote.person_id.not_in(ids), Quote.hidden == False)  # noqa: E712
        .distinct()
    ).all()
    canon = canonical_map(session, sorted({pid for pid, _a in rows}))
    pairs = {(canon[pid], aid) for pid, aid in rows if canon[pid] not in ids}
    counts = Counter(pid for pid, _a in pairs)
    top = sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:limit]
    people = {p.id: p for p in session.execute(select(Person).where(Person.id.in_([i for i, _n in top]))).scalars()}
    return [(people[i], n) for i, n in top if i in people]


TIMELINE_TTL = 300.0  # seconds a person's timeline is reused while their newest quote stays the same
_timelines: dict[tuple, tuple[float, tuple[list[dt.date], int]]] = {}


def timeline_dates(session: Session, ids: list[int]) -> tuple[list[dt.date], int]:
    """(the date of each visible dated quote of ids, how many have no date), counted per day in the index.

    A much-quoted person has tens of thousands of quotes; their counts are kept for TIMELINE_TTL seconds
    and recounted as soon as a newer quote of theirs arrives.
    """
    newest = session.execute(select(func.max(Quote.listing_key)).where(
        Quote.person_id.in_(ids), Quote.hidden == False)).scalar()  # noqa: E712
    key = (str(session.get_bind().url), tuple(ids), newest)
    cached = _timelines.get(key)
    if cached and time.monotonic() - cached[0] < TIMELINE_TTL:
        return cached[1]
    result = _count_days(session, ids)
    if len(_timelines) > 1000:
        _timelines.clear()
    _timelines[key] = (time.monotonic(), result)
    return result


def _count_days(session: Session, ids: list[int]) -> tuple[list[dt.date], int]:
    day = Quote.listing_key.op(">>")(literal_column(str(DAY_SHIFT)))  # a constant: bigint >> int on PostgreSQL
    dates: list[dt.date] = []
    undated = 0
    for number, n in session.execute(
        select(day, func.count()).where(Quote.person_id.in_(ids), Quote.hidden == False).group_by(day)  # noqa: E712
    ).all():
        date = listing_date(int(number))
        if date is None:
            undated += n
        else:
            dates.extend([date] * n)
    return dates, undated


def person_by_slug(session: Session, slug: str) -> Person | None:
    """The person whose page is /people/{slug} (merged people too: the route redirects them)."""
    return session.execute(select(Person).where(Person.slug == slug)).scalars().first()


def known_names(session: Session, ids: list[int], display: str) -> list[str]:
    """Every name the people ids (a person and those merged into them) are known by, and display, sorted."""
    return sorted(set(session.execute(select(PersonName.name).where(PersonName.person_id.in_(ids))).scalars()) | {display})

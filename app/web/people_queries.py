"""Database reads for people: the paginated /people listing, the person typeahead, counts and countries.

Counts are computed only for the people a page shows, through ix_quote_person_listing (index only);
a merged person's quotes count for the person they were merged into.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import exists, func, literal_column, or_, select, text
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.models import DAY_SHIFT, Person, PersonName, Quote, listing_date
from app.people.names import fold
from app.web import search
from app.web.cache import cached, cached_each
from app.web.listing_counts import COUNT_CAP, Count
from app.web.merges import canonical_ids, canonical_map, merged_groups

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
    own = exists().where(col(Quote.person_id) == col(Person.id), col(Quote.hidden) == False)  # noqa: E712 - SQL, not Python
    via = exists().where(
        col(merged.merged_into_id) == col(Person.id),
        col(Quote.person_id) == col(merged.id),
        col(Quote.hidden) == False,  # noqa: E712 - SQL, not Python
    )
    return or_(own, via)


def quote_counts(session: Session, people: list[Person]) -> dict[int, int]:
    """Visible quotes of each person, with everyone merged into them; each person's count is kept per worker
    until the archive changes (app.web.cache), so typing on in the typeahead recounts no one."""
    return cached_each(
        session, "quote_counts", [p.id for p in people if p.id is not None], lambda ids: _count_quotes(session, ids)
    )


def _count_quotes(session: Session, ids: list[int]) -> dict[int, int]:
    owner = {member: root for root, group in merged_groups(session, ids).items() for member in group}
    counts: Counter = Counter(dict.fromkeys(ids, 0))
    for pid, n in session.execute(
        select(col(Quote.person_id), func.count())
        .where(col(Quote.person_id).in_(owner), col(Quote.hidden) == False)  # noqa: E712 - SQL, not Python
        .group_by(col(Quote.person_id))
    ).all():
        counts[owner[pid]] += n
    return dict(counts)


def _matching(session: Session, q: str) -> list[int]:
    """Canonical ids of people whose name (any variant), role or organisation contains q."""
    pattern = search.contains_pattern(q)
    key = fold(q)  # every stored name has its folded key: the key finds "Šimonytė" for "simonyte" too
    people = select(col(Person.id)).where(
        or_(
            col(Person.name).ilike(pattern, escape="\\"),
            col(Person.role).ilike(pattern, escape="\\"),
            col(Person.organisation).ilike(pattern, escape="\\"),
        )
    )
    names = select(col(PersonName.person_id)).where(
        col(PersonName.key).like(search.contains_pattern(key), escape="\\")
        if key
        else col(PersonName.name).ilike(pattern, escape="\\")
    )
    if session.get_bind().dialect.name == "sqlite":  # the trigram indexes (0012) find the rows the LIKEs check
        if match := search.trigram_match(q):
            people = people.where(
                col(Person.id).in_(text("SELECT rowid FROM person_trgm WHERE person_trgm MATCH :m").bindparams(m=match))
            )
        if key and (match := search.trigram_match(key)):
            names = names.where(
                col(PersonName.id).in_(
                    text("SELECT rowid FROM personname_trgm WHERE personname_trgm MATCH :m").bindparams(m=match)
                )
            )
    ids = set(session.execute(people.limit(COUNT_CAP)).scalars())
    ids |= set(session.execute(names.limit(COUNT_CAP)).scalars())
    return canonical_ids(session, sorted(ids))


def people_page(
    session: Session, q: str | None = None, country: str | None = None, page: int = 1, per_page: int = PEOPLE_PER_PAGE
) -> PeoplePage:
    """People with a visible quote (merges folded in), by name, one page; q searches names, roles, organisations."""
    conds = [col(Person.merged_into_id).is_(None), _quoted()]
    if country:
        conds.append(col(Person.country) == country)
    if q:
        ids = _matching(session, q)
        if not ids:
            return PeoplePage([], Count(0), 1, 1)
        conds.append(col(Person.id).in_(ids))
    inner = select(col(Person.id)).where(*conds).limit(COUNT_CAP + 1).subquery()

    def counted() -> int:
        return session.execute(select(func.count()).select_from(inner)).scalar_one()

    n = cached(session, ("people", country, q), counted)  # the same for every page, until the archive changes
    count = Count(COUNT_CAP, exact=False) if n > COUNT_CAP else Count(n)
    people = (
        session.execute(
            select(Person)
            .where(*conds)
            .order_by(col(Person.name), col(Person.id))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
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
    people = (
        session.execute(select(Person).where(col(Person.id).in_(ids), col(Person.merged_into_id).is_(None)))
        .scalars()
        .all()
    )
    counts = quote_counts(session, list(people))
    ranked = sorted(people, key=lambda p: (-counts.get(p.id, 0), p.name.lower()))
    return [(p, counts.get(p.id, 0)) for p in ranked if counts.get(p.id, 0)][:limit]


def country_options(session: Session) -> list[tuple[str, int]]:
    """Countries of quoted people, with how many people each (cached: every listing's filter shows them)."""
    return cached(session, ("countries",), lambda: _country_options(session))


def _country_options(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(col(Person.country), func.count())
        .where(col(Person.country).is_not(None), col(Person.merged_into_id).is_(None))
        .group_by(col(Person.country))
        .order_by(col(Person.country))
    ).all()
    return [(c, n) for c, n in rows if c]


def co_speaker_counts(session: Session, ids: list[int], limit: int = 8, articles: int = 500) -> list[tuple[int, int]]:
    """(person id, shared articles) of people quoted in the same articles as ids (their latest `articles`
    articles), most shared first.

    Counted in SQL per surviving person (a merged person counts for the one they were merged into),
    unless the archive holds a merge chain (A into B, later B into C): then they are counted in Python,
    where chains are followed.
    """
    recent = (
        select(col(Quote.article_id))
        .where(col(Quote.person_id).in_(ids), col(Quote.hidden) == False)  # noqa: E712 - SQL, not Python
        .order_by(col(Quote.listing_key).desc())
        .limit(articles * 4)
    )
    article_ids = list(dict.fromkeys(session.execute(recent).scalars()))[:articles]
    if not article_ids:
        return []
    if _merge_chains(session):
        return _co_speakers_by_chain(session, ids, article_ids, limit)
    who = func.coalesce(col(Person.merged_into_id), col(Quote.person_id))
    shared = func.count(col(Quote.article_id).distinct())
    top = session.execute(
        select(who, shared)
        .join(Person, col(Person.id) == col(Quote.person_id))
        .where(col(Quote.article_id).in_(article_ids), col(Quote.hidden) == False, who.not_in(ids))  # noqa: E712 - SQL, not Python
        .group_by(who)
        .order_by(shared.desc(), who)
        .limit(limit)
    ).all()
    return [(i, n) for i, n in top]


def _merge_chains(session: Session) -> bool:
    """Whether someone was merged into a person who was later merged in turn."""
    into = aliased(Person)
    return (
        session.execute(
            select(col(Person.id))
            .join(into, col(Person.merged_into_id) == col(into.id))
            .where(col(into.merged_into_id).is_not(None))
            .limit(1)
        ).first()
        is not None
    )


def _co_speakers_by_chain(session: Session, ids: list[int], article_ids: list[int], limit: int):
    rows = session.execute(
        select(col(Quote.person_id), col(Quote.article_id))
        .where(
            col(Quote.article_id).in_(article_ids),
            col(Quote.person_id).is_not(None),
            col(Quote.person_id).not_in(ids),
            col(Quote.hidden) == False,  # noqa: E712 - SQL, not Python
        )
        .distinct()
    ).all()
    canon = canonical_map(session, sorted({pid for pid, _a in rows}))
    pairs = {(canon[pid], aid) for pid, aid in rows if canon[pid] not in ids}
    counts = Counter(pid for pid, _a in pairs)
    return sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:limit]


@dataclass(frozen=True)
class Profile:
    """What a person page shows beside the quotes, counted over all their quotes."""

    days: Counter  # visible dated quotes per day
    undated: int
    co_speakers: list[tuple[int, int]]  # (person id, shared articles)


def profile(session: Session, ids: list[int]) -> Profile:
    """The timeline counts and co-speakers of ids (a person and everyone merged into them).

    A much-quoted person has tens of thousands of quotes: their profile is cached (app.web.cache).
    """

    def compute() -> Profile:
        days, undated = _count_days(session, ids)
        return Profile(days, undated, co_speaker_counts(session, ids))

    return cached(session, ("profile", tuple(ids)), compute)


def country_speakers(session: Session, code: str, limit: int) -> tuple[list[tuple[Person, int]], Count]:
    """The first `limit` people from a country by name, with their counts, and how many there are (cached)."""

    def compute() -> tuple[list[tuple[int, int]], Count]:
        listing = people_page(session, None, code, 1, limit)
        return [(p.id, n) for p, n in listing.rows if p.id is not None], listing.count

    counted, total = cached(session, ("country", code, limit), compute)
    return people_by_id(session, counted), total


def people_by_id(session: Session, counted: list[tuple[int, int]]) -> list[tuple[Person, int]]:
    """(Person, n) for (id, n) pairs, in their order."""
    people = {
        p.id: p for p in session.execute(select(Person).where(col(Person.id).in_([i for i, _n in counted]))).scalars()
    }
    return [(people[i], n) for i, n in counted if i in people]


def _count_days(session: Session, ids: list[int]) -> tuple[Counter, int]:
    day = col(Quote.listing_key).op(">>")(literal_column(str(DAY_SHIFT)))  # a constant: bigint >> int on PostgreSQL
    dates: Counter = Counter()
    undated = 0
    for number, n in session.execute(
        select(day, func.count()).where(col(Quote.person_id).in_(ids), col(Quote.hidden) == False).group_by(day)  # noqa: E712 - SQL, not Python
    ).all():
        date = listing_date(int(number))
        if date is None:
            undated += n
        else:
            dates[date] += n
    return dates, undated


def person_by_slug(session: Session, slug: str) -> Person | None:
    """The person whose page is /people/{slug} (merged people too: the route redirects them)."""
    return session.execute(select(Person).where(col(Person.slug) == slug)).scalars().first()


def known_names(session: Session, ids: list[int], display: str) -> list[str]:
    """Every name the people ids (a person and those merged into them) are known by, and display, sorted."""
    return sorted(
        set(session.execute(select(col(PersonName.name)).where(col(PersonName.person_id).in_(ids))).scalars())
        | {display}
    )

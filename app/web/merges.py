"""Who a person is after editors' merges: the survivor of a merge, and every id merged into a person.

A merge sets merged_into_id on the person merged away (app.corrections.service); chains are followed
(a person merged into someone later merged in turn). Listings filter quotes by the whole set of ids.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from app.models import Person, PersonName
from app.people.names import fold
from app.people.resolve import survivor


def canonical_person(session: Session, person: Person | None) -> Person | None:
    """Follow merged_into_id to the person that survived a merge (app.people.resolve.survivor)."""
    return survivor(session, person)


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

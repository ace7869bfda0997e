"""One person across articles: find or create the Person behind an article's Speaker.

Rules (wrong attribution is the worst bug, so when in doubt a new person is made; an editor
can merge two people, while a wrong merge puts quotes in the wrong mouth):

- organisations match organisations by folded name only;
- a full name matches a person who has the same folded full name; failing that, a person with
  a compatible variant (Ingrid/Ingrida Šimonite, Šimonite/Shimonite, Emanuel/Emmanuel Macron)
  whose country does not conflict; different given names with the same surname match only when
  the text supports it (same role and same country, given names with the same initial);
- a bare surname matches a person with that surname only when exactly one such person exists
  and role/country do not conflict; otherwise it finds or makes a surname-only person;
- every variant is recorded as a PersonName; role/country/organisation are filled only where
  empty and not set by an editor; merged-away people are followed to the survivor.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field, replace
from typing import overload

from rapidfuzz import fuzz, process
from sqlalchemy import func
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from app.models import Correction, Person, PersonName
from app.people import matching, mentions, names
from app.people.orgs import organisation
from app.people.roles import normalise_role, role_equivalent
from app.quotes.types import Speaker

SURNAME_SIMILARITY = 0.85  # folded surnames at least this similar may be variants (Šimonytė/Šimonite)
_LOCK = threading.RLock()  # one resolution at a time per process: no duplicate people


# --- name helpers (app.people.names, .mentions and .matching do the linguistics) ---------------------------------


def fold(name: str) -> str:
    """Folded matching key (app.people.names.fold)."""
    return names.fold(name or "")


def _tokens(key: str) -> list[str]:
    return key.split()


def _surname_key(name: str) -> str:
    """Folded family name of a name as written ("Xi Jinping" → "ksi", "Ingrid Šimonite" → "simonite")."""
    try:
        sur = mentions.surname(name)
    except Exception:  # noqa: BLE001 - odd input: fall back to the last word
        sur = ""
    key = fold(sur) if sur else ""
    if not key:
        toks = _tokens(fold(name))
        key = toks[-1] if toks else ""
    return key


def is_full_name(name: str) -> bool:
    """A name with given name(s) and a surname, not a bare surname."""
    try:
        return bool(mentions.given_names(name)) and bool(mentions.surname(name))
    except Exception:  # noqa: BLE001 - odd input: count its words instead
        return len(_tokens(fold(name))) >= 2


def compatible(a: str, b: str) -> bool:
    """Two full names that can denote the same person (app.people.matching.is_compatible)."""
    return bool(matching.is_compatible(a, b))


# --- a process-wide index of name variants, refreshed cheaply before each resolution ------


@dataclass
class _Entry:
    pn_id: int
    name: str
    key: str
    kind: str
    surname: str
    ntok: int


@dataclass
class _Index:
    edits: tuple = ()  # the corrections it has seen (newest id, newest undo): merges and splits move names
    max_id: int = 0
    entries: dict[int, _Entry] = field(default_factory=dict)
    by_key: dict[str, list[_Entry]] = field(default_factory=dict)  # folded full name → entries
    by_org_key: dict[str, list[_Entry]] = field(default_factory=dict)  # organisations, without "the"
    by_surname: dict[str, list[_Entry]] = field(default_factory=dict)  # people, by folded surname
    surnames: dict[int, list[str]] = field(default_factory=dict)  # keys of by_surname by length, for fuzzy look-up

    def add(self, e: _Entry) -> None:
        self.entries[e.pn_id] = e
        self.max_id = max(self.max_id, e.pn_id)
        self.by_key.setdefault(e.key, []).append(e)
        if e.kind == "organisation":
            self.by_org_key.setdefault(_org_key(e.name), []).append(e)
        elif e.surname:
            if e.surname not in self.by_surname:
                self.by_surname[e.surname] = []
                self.surnames.setdefault(len(e.surname), []).append(e.surname)
            self.by_surname[e.surname].append(e)

    def near_surname(self, surname: str) -> list[_Entry]:
        """People's entries whose surname is alike (equal, or a near-identical long one)."""
        out = list(self.by_surname.get(surname, []))
        if len(surname) >= 5:
            for cand, _score, _i in process.extract(
                surname,
                self._lengths_near(len(surname)),
                scorer=fuzz.ratio,
                score_cutoff=SURNAME_SIMILARITY * 100,
                limit=None,
            ):
                if cand != surname and len(cand) >= 5:
                    out.extend(self.by_surname[cand])
        return out

    def _lengths_near(self, n: int) -> list[str]:
        """Surnames long enough and short enough to reach SURNAME_SIMILARITY with one of n letters
        (fuzz.ratio is at most 2·shorter / (n + other))."""
        return [
            cand
            for length, group in self.surnames.items()
            if 2 * min(n, length) >= SURNAME_SIMILARITY * (n + length)
            for cand in group
        ]


_INDEXES: weakref.WeakKeyDictionary[Engine | Connection, _Index] = weakref.WeakKeyDictionary()


def _load(session: Session, index: _Index, after: int = 0) -> None:
    rows = session.exec(
        select(col(PersonName.id), PersonName.name, PersonName.key, Person.kind)
        .join(Person, col(Person.id) == col(PersonName.person_id))
        .where(col(PersonName.id) > after)
    ).all()
    for pn_id, name, key, kind in rows:
        assert pn_id is not None  # a stored row's id
        index.add(_Entry(pn_id, name, key, kind, _surname_key(name), 2 if is_full_name(name) else 1))


def _index(session: Session, force: bool = False) -> _Index:
    engine = session.get_bind()
    index = _INDEXES.get(engine)
    max_id, *edits = session.exec(
        select(  # three index look-ups, not a count of every name
            select(func.max(PersonName.id)).scalar_subquery(),
            select(func.max(Correction.id)).scalar_subquery(),
            select(func.max(Correction.undone_at)).scalar_subquery(),
        )
    ).one()
    max_id = max_id or 0
    if index is None or force or max_id < index.max_id or tuple(edits) != index.edits:
        index = _Index()  # names moved or deleted by a correction (or rolled back): read them all again
        _INDEXES[engine] = index
        _load(session, index)
    elif max_id > index.max_id:
        _load(session, index, after=index.max_id)
    index.edits = tuple(edits)
    return index


def _persons_of(session: Session, entries: list[_Entry]) -> list[Person]:
    """The surviving people owning entries (checked against the database), by id."""
    if not entries:
        return []
    ids = [e.pn_id for e in entries]
    rows = session.exec(select(PersonName).where(col(PersonName.id).in_(ids))).all()
    fresh = {r.id: r for r in rows}
    if any(e.pn_id not in fresh or fresh[e.pn_id].key != e.key for e in entries):
        _INDEXES.pop(session.get_bind(), None)  # stale: reload before the next resolution
    people: dict[int, Person] = {}
    for r in rows:
        p = survivor(session, session.get(Person, r.person_id))
        if p is not None:
            assert p.id is not None  # a stored person's id
            people[p.id] = p
    return [people[k] for k in sorted(people)]


def _name_keys(session: Session, person: Person) -> list[tuple[str, str]]:
    """(name, folded key) of every variant of person, in id order."""
    rows = session.exec(select(PersonName).where(PersonName.person_id == person.id).order_by(col(PersonName.id))).all()
    return [(r.name, r.key) for r in rows] or [(person.name, fold(person.name))]


def _same_role(a: str, b: str) -> bool:
    return role_equivalent(a, b) or normalise_role(a) == normalise_role(b)


def _has_full_name(session: Session, person: Person) -> bool:
    return any(is_full_name(n) for n, _k in _name_keys(session, person))


# --- people ------------------------------------------------------------------------------


@overload
def survivor(session: Session, person: Person) -> Person: ...
@overload
def survivor(session: Session, person: Person | None) -> Person | None: ...
def survivor(session: Session, person: Person | None) -> Person | None:
    """Follow merged_into_id to the person that survived the merges (a person for a person)."""
    seen: set[int | None] = set()
    while person is not None and person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        nxt = session.get(Person, person.merged_into_id)
        if nxt is None:
            break
        person = nxt
    return person


def _roles_agree(a: str, b: str) -> bool:
    """Same function (roles.role_equivalent), or one role contains the other ("minister" in "prime minister")."""
    if role_equivalent(a, b):
        return True
    fa, fb = normalise_role(a), normalise_role(b)
    return fa == fb or f" {fa} " in f" {fb} " or f" {fb} " in f" {fa} "


def _country_conflict(person: Person, speaker: Speaker) -> bool:
    return bool(person.country and speaker.country and person.country.upper() != speaker.country.upper())


def _role_conflict(person: Person, speaker: Speaker) -> bool:
    return bool(person.role and speaker.role and not _roles_agree(person.role, speaker.role))


def _agreement(person: Person, speaker: Speaker) -> int:
    """0: role or country confirmed and nothing conflicts; 1: nothing known; 2: a conflict."""
    if _country_conflict(person, speaker) or _role_conflict(person, speaker):
        return 2
    if (person.country and speaker.country) or (person.role and speaker.role):
        return 0
    return 1


def _clean_person_name(name: str) -> str:
    """The name without titles or a possessive ("Prime Minister Ingrida Šimonite" → "Ingrida Šimonite")."""
    try:
        return mentions.split_name(name)[1].strip() or name
    except Exception:  # noqa: BLE001 - odd input: keep as written
        return name


def _speaker_names(speaker: Speaker) -> list[str]:
    """The speaker's name and name variants, cleaned; pronouns and descriptions are not names."""
    out: list[str] = []
    for i, n in enumerate([speaker.name, *speaker.variants]):
        n = " ".join((n or "").split())
        if speaker.kind != "organisation" and n:
            if i > 0 and not mentions.looks_like_person_name(n):
                continue
            n = _clean_person_name(n)
        if n and fold(n) and n not in out:
            out.append(n)
    return out


def _org_key(name: str) -> str:
    """Folded organisation name without a leading article ("the Kremlin" = "Kremlin")."""
    key = fold(name)
    return key[4:] if key.startswith("the ") else key


def _organisation_forms(speaker: Speaker, variants: list[str]) -> tuple[Speaker, list[str], str]:
    """Known organisations get their short name as a variant (and display name) and their country."""
    for n in variants:
        try:
            found = organisation(n)
        except Exception:  # noqa: BLE001 - odd input: treat as unknown
            found = None
        if found:
            short, country = found
            if short not in variants:
                variants = [*variants, short]
            if not speaker.country and country:
                speaker = replace(speaker, country=country)
            return speaker, variants, short
    return speaker, variants, speaker.name.strip() or variants[0]


def _match_organisation(session: Session, variants: list[str], index: _Index) -> Person | None:
    keys = {_org_key(n) for n in variants}
    entries = [e for k in keys for e in index.by_org_key.get(k, [])]
    people = [p for p in _persons_of(session, entries) if p.kind == "organisation"]
    return people[0] if people else None


def _match_full_name(session: Session, speaker: Speaker, full: list[str], index: _Index) -> Person | None:
    keys = {fold(n) for n in full}
    # 1. the same folded full name
    exact_entries = [e for k in keys for e in index.by_key.get(k, []) if e.kind == "person"]
    exact = [p for p in _persons_of(session, exact_entries) if p.kind == "person"]
    if exact:
        primary = fold(full[0])  # the fullest form in the article decides between people an editor split
        return min(
            exact, key=lambda p: (primary not in {k for _n, k in _name_keys(session, p)}, _agreement(p, speaker), p.id)
        )
    # 2. a compatible variant (surnames alike, given names compatible), country not conflicting
    surnames = {_surname_key(n) for n in full}
    near = list({e.pn_id: e for s in surnames for e in index.near_surname(s)}.values())
    full_entries = [e for e in near if e.ntok >= 2]
    scored: list[tuple[float, int, Person]] = []
    for p in _persons_of(session, full_entries):
        if p.kind != "person" or _country_conflict(p, speaker):
            continue
        pfull = [n for n, _k in _name_keys(session, p) if is_full_name(n)] or [p.name]
        best = 0.0
        for a in full:
            for b in pfull:
                if compatible(a, b):
                    best = max(best, matching.name_similarity(a, b))
                elif _supported_by_text(a, b, p, speaker):
                    best = max(best, 0.5)
        if best > 0:
            scored.append((-best, _agreement(p, speaker), p))
    if scored:
        scored.sort(key=lambda t: (t[0], t[1], t[2].id))
        return scored[0][2]
    # 3. a person known so far by the surname only
    bare = [p for p in _persons_of(session, [e for e in near if e.ntok == 1]) if p.kind == "person"]
    bare = [p for p in bare if not _has_full_name(session, p)]
    if len(bare) == 1 and _agreement(bare[0], speaker) < 2:
        return bare[0]
    return None


def _supported_by_text(a: str, b: str, person: Person, speaker: Speaker) -> bool:
    """Different given names, same surname: one person only with same role, same country and initial."""
    ka, kb = _tokens(fold(a)), _tokens(fold(b))
    if len(ka) < 2 or len(kb) < 2 or _surname_key(a) != _surname_key(b) or ka[0][:1] != kb[0][:1]:
        return False
    return bool(
        person.role
        and speaker.role
        and person.country
        and speaker.country
        and person.country.upper() == speaker.country.upper()
        and _same_role(person.role, speaker.role)
    )


def _match_surname(session: Session, speaker: Speaker, surname: str, index: _Index) -> Person | None:
    skey = _surname_key(surname)
    near = index.near_surname(skey)
    people = [p for p in _persons_of(session, near) if p.kind == "person"]
    with_full = [p for p in people if _has_full_name(session, p)]
    # exactly one person with that surname, and nothing in the text against it
    if len(with_full) == 1 and _agreement(with_full[0], speaker) < 2:
        return with_full[0]
    # several people share the surname (never guess), or none: a person known by the surname only
    bare = [p for p in people if p not in with_full and _agreement(p, speaker) < 2]
    exact = [p for p in bare if any(k == fold(surname) for _n, k in _name_keys(session, p))]
    if exact:
        return exact[0]
    return bare[0] if len(bare) == 1 and not with_full else None


def unique_slug(session: Session, name: str, kind: str = "person") -> str:
    """slugify(name), with -2, -3… when taken."""
    base = (names.slugify(name) or kind)[:190]
    taken = set(session.exec(select(Person.slug).where(col(Person.slug).startswith(base))).all())
    if base not in taken:
        return base
    i = 2
    while f"{base}-{i}" in taken:
        i += 1
    return f"{base}-{i}"


def _editor_set(session: Session, person: Person) -> set[str]:
    """Fields (role, country, organisation, name) an active editor's correction set on person."""
    rows = session.exec(
        select(Correction).where(
            Correction.target == person.slug,
            col(Correction.undone_at).is_(None),
            col(Correction.action).in_(("set_fields", "rename")),
        )
    ).all()
    out: set[str] = set()
    for c in rows:
        if c.action == "rename":
            out.add("name")
        else:
            out.update((c.payload or {}).get("after", {}).keys())
    return out


def _split_off_keys(session: Session, person: Person) -> set[str]:
    """Folded names an editor moved away from person (active splits): never re-added to it."""
    rows = session.exec(
        select(Correction).where(
            Correction.target == person.slug, Correction.action == "split", col(Correction.undone_at).is_(None)
        )
    ).all()
    return {fold(n) for c in rows for n in (c.payload or {}).get("name_values", [])}


def _add_names(session: Session, person: Person, variants: list[str]) -> None:
    assert person.id is not None  # flushed before its names are added
    have = set(session.exec(select(PersonName.name).where(PersonName.person_id == person.id)).all())
    banned = _split_off_keys(session, person) if any(n not in have for n in variants) else set()
    for n in variants:
        if n not in have and fold(n) not in banned:
            session.add(PersonName(person_id=person.id, name=n[:300], key=fold(n)[:300]))
            have.add(n)


def _fill(session: Session, person: Person, speaker: Speaker, variants: list[str]) -> None:
    fields = {
        "role": speaker.role,
        "country": (speaker.country or "").upper() or None,
        "organisation": speaker.organisation,
    }
    missing = [f for f, v in fields.items() if v and not getattr(person, f)]
    upgrade_name = person.kind == "person" and is_full_name(variants[0]) and not is_full_name(person.name)
    if missing or upgrade_name:
        locked = _editor_set(session, person)
        for f in missing:
            if f not in locked:
                setattr(person, f, fields[f])
        if upgrade_name and "name" not in locked:
            person.name = variants[0][:300]
        session.add(person)
    _add_names(session, person, variants)


def resolve_speaker(session: Session, speaker: Speaker | None) -> Person | None:
    """The Person (found or created) for an article's speaker; None only when speaker is None."""
    if speaker is None:
        return None
    with _LOCK:
        variants = _speaker_names(speaker) or [speaker.name or "unknown"]
        kind = "organisation" if speaker.kind == "organisation" else "person"
        display = variants[0]
        index = _index(session)
        if kind == "organisation":
            speaker, variants, display = _organisation_forms(speaker, variants)
            person = _match_organisation(session, variants, index)
        else:
            full = [n for n in variants if is_full_name(n)]
            if full:
                person = _match_full_name(session, speaker, full, index)
            else:
                person = _match_surname(session, speaker, variants[0], index)
        if person is None:
            person = Person(
                slug=unique_slug(session, display, kind),
                name=display[:300],
                kind=kind,
                role=speaker.role,
                country=(speaker.country or "").upper() or None,
                organisation=speaker.organisation,
            )
            session.add(person)
            session.flush()
        _fill(session, person, speaker, variants)
        session.flush()
        return person

"""Editors' corrections as pure functions over a session (the routes only parse and commit).

Each correction changes the data and records a Correction row (who, when, before/after) so it
can be shown ("Corrected on …"), re-applied after re-extraction (app.corrections.apply) and
undone. Functions flush but never commit: the caller owns the transaction.

Actions and their payloads:
- reassign (target: quote uid): before/after {person_id, slug} (None = unknown speaker), quote (anchor)
- hide (target: quote uid): before {hidden, reason}, after {hidden: True, reason}, quote (anchor)
  The anchor {article_uid, spans, text} lets the correction follow its quote when re-extraction
  changes the uid (app.corrections.apply); then `target` moves and the old uid goes to `history`.
- merge (target: the surviving person's slug, whose page readers see): person_id/slug of the merged-away
  person, into_id, into (slug), names moved/dropped, quotes moved, filled fields
- split (target: person's slug): new_person_id, new_slug, names moved, quotes moved (+ quote_refs anchors)
- rename (target: person slug): before/after {name}, added_name_id
- set_fields (target: person slug): before/after with the changed fields among role, country, organisation
"""

from __future__ import annotations

import re
from collections.abc import Collection

import pycountry
from sqlmodel import Session, col, select

from app.corrections.apply import active_corrections_for_quotes
from app.corrections.successors import anchor
from app.corrections.wording import describe  # noqa: F401 - re-exported for the routes
from app.models import Article, Correction, Person, PersonName, Quote, User, utcnow
from app.people.matching import canonical_name
from app.people.resolve import fold, survivor, unique_slug
from app.places import country_code

FIELDS = ("role", "country", "organisation")


class CorrectionError(ValueError):
    """A correction that cannot be made; the message says why (shown to the editor)."""


def _record(session: Session, user: User, action: str, target: str, payload: dict) -> Correction:
    assert user.id is not None  # a signed-in editor is stored
    c = Correction(action=action, target=target, payload=payload, user_id=user.id)
    session.add(c)
    session.flush()
    return c


def _ref(person: Person | None) -> dict:
    return {
        "person_id": person.id if person else None,
        "slug": person.slug if person else None,
        "name": person.name if person else None,
    }


def get_person(session: Session, slug: str) -> Person:
    """The surviving person for slug (a merged-away slug leads to the survivor)."""
    p = session.exec(select(Person).where(Person.slug == slug)).first()
    if p is None:
        raise CorrectionError(f"no person with slug {slug!r}")
    return survivor(session, p)


def find_person(session: Session, text: str) -> Person:
    """A person by slug, else by a name or name variant that only one (surviving) person has."""
    text = " ".join((text or "").split())
    if not text:
        raise CorrectionError("choose a person")
    p = session.exec(select(Person).where(Person.slug == text)).first()
    if p is not None:
        return survivor(session, p)
    ids: set[int | None] = set(session.exec(select(PersonName.person_id).where(PersonName.key == fold(text))).all())
    ids |= set(session.exec(select(col(Person.id)).where(Person.name == text)).all())
    found = {sp.id: sp for sp in (survivor(session, session.get(Person, i)) for i in ids) if sp is not None}
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        raise CorrectionError(f"{len(found)} people are called {text!r}: choose one by its slug")
    raise CorrectionError(f"no person with slug or name {text!r}")


def _anchor(session: Session, quote: Quote) -> dict:
    """Where the quote is (article uid, spans, words): finds it again if re-extraction changes its uid."""
    return anchor(quote, session.get(Article, quote.article_id))


def get_quote(session: Session, uid: str) -> Quote:
    q = session.exec(select(Quote).where(Quote.uid == uid)).first()
    if q is None:
        raise CorrectionError(f"no quote with id {uid!r}")
    return q


# --- quotes -------------------------------------------------------------------------------


def reassign_quote(session: Session, quote: Quote, person: Person | None, user: User) -> Correction:
    """Give quote to person (None: unknown speaker)."""
    person = survivor(session, person)
    before = session.get(Person, quote.person_id) if quote.person_id else None
    if (before.id if before else None) == (person.id if person else None):
        raise CorrectionError("the quote is already attributed to that speaker")
    quote.person_id = person.id if person else None
    session.add(quote)
    return _record(
        session,
        user,
        "reassign",
        quote.uid,
        {"before": _ref(before), "after": _ref(person), "quote": _anchor(session, quote)},
    )


def hide_quote(session: Session, quote: Quote, reason: str, user: User) -> Correction:
    """Hide a false quote, with the reason shown to readers."""
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("a reason is required to hide a quote")
    if quote.hidden:
        raise CorrectionError("the quote is already hidden")
    payload = {
        "before": {"hidden": quote.hidden, "reason": quote.hidden_reason},
        "after": {"hidden": True, "reason": reason[:2000]},
        "quote": _anchor(session, quote),
    }
    quote.hidden, quote.hidden_reason = True, reason[:2000]
    session.add(quote)
    return _record(session, user, "hide", quote.uid, payload)


# --- people -------------------------------------------------------------------------------


def _names(session: Session, person: Person) -> list[PersonName]:
    return list(session.exec(select(PersonName).where(PersonName.person_id == person.id).order_by(col(PersonName.id))))


def merge_people(session: Session, source: Person, target: Person, user: User) -> Correction:
    """Merge source into target: its quotes and name variants go to target; source is kept as a pointer."""
    source, target = survivor(session, source), survivor(session, target)
    if source is None or target is None:
        raise CorrectionError("both people must exist")
    if source.id == target.id:
        raise CorrectionError("these are already the same person")
    assert source.id is not None and target.id is not None  # stored people
    have = {pn.name for pn in _names(session, target)}
    moved, dropped = [], []
    for pn in _names(session, source):
        if pn.name in have:
            dropped.append(pn.name)
            session.delete(pn)
        else:
            moved.append(pn.id)
            pn.person_id = target.id
            session.add(pn)
            have.add(pn.name)
    quotes = list(session.exec(select(Quote).where(Quote.person_id == source.id).order_by(col(Quote.id))))
    for q in quotes:
        q.person_id = target.id
        session.add(q)
    filled = {}
    for f in FIELDS:
        if not getattr(target, f) and getattr(source, f):
            filled[f] = getattr(source, f)
            setattr(target, f, filled[f])
    source.merged_into_id = target.id
    session.add_all([source, target])
    return _record(
        session,
        user,
        "merge",
        target.slug,
        {
            "person_id": source.id,
            "slug": source.slug,
            "into_id": target.id,
            "into": target.slug,
            "into_name": target.name,
            "name": source.name,
            "names": moved,
            "dropped": dropped,
            "quotes": [q.uid for q in quotes],
            "filled": filled,
        },
    )


def _mentions(text: str, key: str) -> bool:
    return bool(key) and f" {key} " in f" {text} "


def suggest_split_quotes(session: Session, person: Person, name_ids: Collection[int | None]) -> list[str]:
    """Quote uids of person that belong with the chosen variants (mention or article names only them)."""
    all_names = _names(session, person)
    moving = {pn.key for pn in all_names if pn.id in name_ids}
    staying = {pn.key for pn in all_names if pn.id not in name_ids} - moving
    out, folded = [], {}
    for q in session.exec(select(Quote).where(Quote.person_id == person.id).order_by(col(Quote.id))):
        said = fold(q.speaker_text or "")
        if said in moving:
            out.append(q.uid)
            continue
        if said in staying:
            continue
        if q.article_id not in folded:
            art = session.get(Article, q.article_id)
            folded[q.article_id] = fold(art.text if art else "")
        text = folded[q.article_id]
        if any(_mentions(text, k) for k in moving) and not any(_mentions(text, k) for k in staying):
            out.append(q.uid)
    return out


def split_person(
    session: Session,
    person: Person,
    name_ids: list[int],
    user: User,
    new_name: str = "",
    quote_uids: list[str] | None = None,
) -> Correction:
    """Move the chosen name variants (and their quotes) from a wrongly merged person to a new person."""
    person = survivor(session, person)
    all_names = _names(session, person)
    chosen = [pn for pn in all_names if pn.id in set(name_ids)]
    if not chosen:
        raise CorrectionError("choose at least one name variant to move")
    if len(chosen) == len(all_names):
        raise CorrectionError("at least one name variant must stay with the person")
    if quote_uids is None:
        quote_uids = suggest_split_quotes(session, person, [pn.id for pn in chosen])

    new_name = (new_name or "").strip() or canonical_name([pn.name for pn in chosen]) or chosen[0].name
    new = Person(slug=unique_slug(session, new_name, person.kind), name=new_name[:300], kind=person.kind)
    session.add(new)
    session.flush()
    assert new.id is not None  # flushed
    for pn in chosen:
        pn.person_id = new.id
        session.add(pn)
    if new_name not in {pn.name for pn in chosen}:
        session.add(PersonName(person_id=new.id, name=new_name[:300], key=fold(new_name)[:300]))
    moved, refs = [], {}
    wanted = set(quote_uids)
    for q in session.exec(select(Quote).where(Quote.person_id == person.id).order_by(col(Quote.id))):
        if q.uid in wanted:
            q.person_id = new.id
            session.add(q)
            moved.append(q.uid)
            refs[q.uid] = _anchor(session, q)
    return _record(
        session,
        user,
        "split",
        person.slug,
        {
            "person_id": person.id,
            "name": person.name,
            "new_person_id": new.id,
            "new_slug": new.slug,
            "new_name": new.name,
            "names": [pn.id for pn in chosen],
            "name_values": [pn.name for pn in chosen],
            "quotes": moved,
            "quote_refs": refs,
        },
    )


def rename_person(session: Session, person: Person, new_name: str, user: User) -> Correction:
    """Change a person's display name (the slug, and so every link, stays)."""
    new_name = " ".join((new_name or "").split())
    if not new_name:
        raise CorrectionError("the new name is empty")
    if len(new_name) > 300:
        raise CorrectionError("the new name is longer than 300 characters")
    if new_name == person.name:
        raise CorrectionError("the name is unchanged")
    added = None
    assert person.id is not None  # a stored person
    if new_name not in {pn.name for pn in _names(session, person)}:
        pn = PersonName(person_id=person.id, name=new_name, key=fold(new_name)[:300])
        session.add(pn)
        session.flush()
        added = pn.id
    before = person.name
    person.name = new_name
    session.add(person)
    return _record(
        session,
        user,
        "rename",
        person.slug,
        {"before": {"name": before}, "after": {"name": new_name}, "added_name_id": added},
    )


def normalise_country(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code from a code or a country name; None for empty; error if unknown."""
    value = (value or "").strip()
    if not value:
        return None

    if re.fullmatch(r"[A-Za-z]{2}", value) and pycountry.countries.get(alpha_2=value.upper()):
        return value.upper()
    code = country_code(value, capitals=False)  # names and demonyms ("Lithuanian")
    if code:
        return code.upper()
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        raise CorrectionError(f"unknown country {value!r}: give an ISO code such as LT or a country name") from None


def set_person_fields(session: Session, person: Person, user: User, **values: str | None) -> Correction:
    """Set role, country and/or organisation (empty clears); only changed fields are recorded."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise CorrectionError(f"unknown fields: {', '.join(sorted(unknown))}")
    clean: dict[str, str | None] = {}
    for f, v in values.items():
        v = " ".join((v or "").split()) or None
        if f == "country":
            v = normalise_country(v)
        elif v and len(v) > 200:
            raise CorrectionError(f"{f} is longer than 200 characters")
        clean[f] = v
    changed = {f: v for f, v in clean.items() if getattr(person, f) != v}
    if not changed:
        raise CorrectionError("nothing changed")
    before = {f: getattr(person, f) for f in changed}
    for f, v in changed.items():
        setattr(person, f, v)
    session.add(person)
    return _record(session, user, "set_fields", person.slug, {"before": before, "after": changed})


# --- undo ---------------------------------------------------------------------------------


def undo(session: Session, correction: Correction, user: User) -> Correction:
    """Revert a correction and mark it undone (by user, now)."""
    if correction.undone_at is not None:
        raise CorrectionError("this correction was already undone")
    p = correction.payload or {}
    act = correction.action
    if act == "reassign":
        q = session.exec(select(Quote).where(Quote.uid == correction.target)).first()
        if q is not None and q.person_id == (p.get("after") or {}).get("person_id"):
            before_id = (p.get("before") or {}).get("person_id")
            b = survivor(session, session.get(Person, before_id)) if before_id else None
            q.person_id = b.id if b else None
            session.add(q)
    elif act == "hide":
        q = session.exec(select(Quote).where(Quote.uid == correction.target)).first()
        others = session.exec(
            select(Correction).where(
                Correction.target == correction.target,
                Correction.action == "hide",
                col(Correction.undone_at).is_(None),
                Correction.id != correction.id,
            )
        ).first()
        if q is not None and others is None:
            q.hidden, q.hidden_reason = False, None
            session.add(q)
    elif act == "merge":
        source, target = session.get(Person, p["person_id"]), session.get(Person, p["into_id"])
        if source is None or target is None:
            raise CorrectionError("the merged people no longer exist")
        assert source.id is not None  # read from the database
        source.merged_into_id = None
        for pn_id in p.get("names", []):
            pn = session.get(PersonName, pn_id)
            if pn is not None and pn.person_id == target.id:
                pn.person_id = source.id
                session.add(pn)
        for name in p.get("dropped", []):
            session.add(PersonName(person_id=source.id, name=name, key=fold(name)[:300]))
        uids = p.get("quotes", [])
        if uids:
            for q in session.exec(select(Quote).where(col(Quote.uid).in_(uids), Quote.person_id == target.id)):
                q.person_id = source.id
                session.add(q)
        for f, v in (p.get("filled") or {}).items():
            if getattr(target, f) == v:
                setattr(target, f, None)
        session.add_all([source, target])
    elif act == "split":
        person, new = session.get(Person, p["person_id"]), session.get(Person, p["new_person_id"])
        if person is None or new is None:
            raise CorrectionError("the split people no longer exist")
        assert person.id is not None  # read from the database
        for pn in _names(session, new):
            if pn.id in p.get("names", []):
                pn.person_id = person.id
                session.add(pn)
            else:
                session.delete(pn)
        for q in session.exec(select(Quote).where(Quote.person_id == new.id)):
            q.person_id = person.id
            session.add(q)
        new.merged_into_id = person.id  # old links to the split-off person lead back
        session.add(new)
    elif act == "rename":
        person = session.exec(select(Person).where(Person.slug == correction.target)).first()
        if person is not None and person.name == p["after"]["name"]:
            person.name = p["before"]["name"]
            session.add(person)
            added = p.get("added_name_id")
            if added:
                pn = session.get(PersonName, added)
                if pn is not None and pn.person_id == person.id:
                    session.delete(pn)
    elif act == "set_fields":
        person = session.exec(select(Person).where(Person.slug == correction.target)).first()
        if person is not None:
            for f, v in (p.get("before") or {}).items():
                if getattr(person, f) == p["after"].get(f):
                    setattr(person, f, v)
            session.add(person)
    else:
        raise CorrectionError(f"cannot undo {act!r}")
    correction.undone_at = utcnow()
    correction.undone_by_id = user.id
    session.add(correction)
    session.flush()
    return correction


# --- reading -----------------------------------------------------------------------------


def list_corrections(session: Session, limit: int = 200, offset: int = 0) -> list[Correction]:
    """Newest first."""
    return list(session.exec(select(Correction).order_by(col(Correction.id).desc()).offset(offset).limit(limit)))


def quote_corrections(session: Session, uids: list[str]) -> dict[str, list[Correction]]:
    """Active corrections per quote uid (reassign, hide, split moves), oldest first: for "Corrected on …"."""
    out: dict[str, list[Correction]] = {}
    wanted = set(uids)
    for c in active_corrections_for_quotes(session, uids):
        targets = [c.target] if c.action != "split" else [u for u in (c.payload or {}).get("quotes", []) if u in wanted]
        for u in targets:
            out.setdefault(u, []).append(c)
    return out


def person_corrections(session: Session, person: Person) -> list[Correction]:
    """Active corrections about person (rename, fields, merges into it, splits from it), oldest first."""
    rows = session.exec(
        select(Correction)
        .where(
            col(Correction.undone_at).is_(None),
            col(Correction.action).in_(("rename", "set_fields", "merge", "split")),
        )
        .order_by(col(Correction.id))
    ).all()
    out = []
    for c in rows:
        p = c.payload or {}
        if c.target == person.slug or p.get("into_id") == person.id or p.get("new_person_id") == person.id:
            out.append(c)
    return out

"""Factories for web tests: articles, people and quotes inserted straight into the test database."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from sqlmodel import Session

from app.models import Article, Correction, Person, PersonName, Quote, User
from app.people.names import fold

_seq = itertools.count(1)


def article(
    session: Session,
    text: str,
    title: str = "An article",
    publisher: str | None = "The Daily",
    published: dt.date | None = dt.date(2024, 5, 12),
    url: str | None = None,
    uid: str | None = None,
) -> Article:
    """A stored article (its uid is derived from the text unless given)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    a = Article(
        uid=uid or f"a{digest[:15]}",
        title=title,
        publisher=publisher,
        published=published,
        url=url,
        text=text,
        content_hash=digest,
    )
    session.add(a)
    session.commit()
    session.refresh(a)
    return a


def person(
    session: Session,
    name: str,
    slug: str | None = None,
    role: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    variants: tuple[str, ...] = (),
) -> Person:
    """A speaker with its name variants."""
    p = Person(
        slug=slug or name.lower().replace(" ", "-"), name=name, role=role, country=country, organisation=organisation
    )
    session.add(p)
    session.commit()
    session.refresh(p)
    for v in {name, *variants}:
        session.add(PersonName(person_id=p.id, name=v, key=fold(v)))  # as app.people.resolve stores it
    session.commit()
    return p


def quote(
    session: Session,
    art: Article,
    words: str | list[str],
    who: Person | None = None,
    kind: str = "direct",
    date: dt.date | None = None,
    speaker: str | None = None,
    cue: str | None = None,
    hidden: bool = False,
    reason: str | None = None,
    uid: str | None = None,
) -> Quote:
    """A quote whose spans are found in the article text (a list of strings makes a split quote)."""
    parts = [words] if isinstance(words, str) else list(words)
    spans, pos = [], 0
    for part in parts:
        start = art.text.index(part, pos)
        spans.append([start, start + len(part)])
        pos = start + len(part)

    first, last = spans[0][0], spans[-1][1]
    ctx_start = art.text.rfind("\n", 0, first) + 1

    def find(s: str | None):
        if not s:
            return None
        start = art.text.index(s, ctx_start)
        return [start, start + len(s)]

    ctx_end = art.text.find("\n", last)
    q = Quote(
        uid=uid or f"q{next(_seq):04d}{hashlib.sha1(str(spans).encode() + art.uid.encode()).hexdigest()[:10]}",
        article_id=art.id,
        person_id=who.id if who else None,
        kind=kind,
        text=" … ".join(parts),
        spans=spans,
        speaker_span=find(speaker),
        speaker_text=speaker,
        cue_span=find(cue),
        cue_text=cue,
        context_span=[ctx_start, ctx_end if ctx_end != -1 else len(art.text)],
        date=date if date is not None else art.published,
        hidden=hidden,
        hidden_reason=reason,
        position=next(_seq),
    )
    session.add(q)
    session.commit()
    session.refresh(q)
    return q


def editor(session: Session, username: str = "editor") -> User:
    """An editor account (for Correction rows)."""
    u = User(username=username, password_hash="x")
    session.add(u)
    session.commit()
    session.refresh(u)
    return u


def correction(
    session: Session, target: str, action: str = "rename", reason: str | None = None, undone: bool = False
) -> Correction:
    """A correction record against a quote uid or a person slug."""
    u = editor(session, f"ed{next(_seq)}")
    c = Correction(
        action=action,
        target=target,
        payload={"reason": reason} if reason else {},
        user_id=u.id,
        undone_at=dt.datetime.now(dt.UTC) if undone else None,
    )
    session.add(c)
    session.commit()
    session.refresh(c)
    return c


LANDSBERGIS_TEXT = (
    "Lithuania Backs Training Mission\n\n"
    "Lithuanian Foreign Minister Gabrielius Landsbergis spoke in London.\n\n"
    '"Our troops trained Ukrainians in Ukraine before the war," Landsbergis said. '
    '"This could be the first step."\n\n'
    'Prime Minister Ingrida Šimonytė replied: "There is such an option."\n\n'
    "Landsbergis said the proposal was more practical."
)

MACRON_TEXT = (
    "France Keeps Options Open\n\n"
    '"We should not rule anything out," French President Emmanuel Macron told reporters.\n\n'
    'Someone in the crowd shouted that "nothing is settled".\n\n'
    'Landsbergis told the paper "there is a lot of frustration" in Ukraine.'
)


def sample(session: Session) -> dict:
    """Two articles, three people, six quotes (one unknown speaker) for listing tests."""
    a1 = article(
        session,
        LANDSBERGIS_TEXT,
        title="Lithuania Backs Training Mission",
        publisher="MENAFN",
        published=dt.date(2024, 5, 12),
        url="https://example.org/lt-training",
    )
    a2 = article(
        session, MACRON_TEXT, title="France Keeps Options Open", publisher="The Guardian", published=dt.date(2024, 3, 1)
    )
    gl = person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT", variants=("Landsbergis",))
    is_ = person(
        session,
        "Ingrida Šimonytė",
        slug="ingrida-simonyte",
        role="prime minister",
        country="LT",
        variants=("Ingrid Šimonite", "Shimonite"),
    )
    em = person(session, "Emmanuel Macron", role="president", country="FR", variants=("Emanuel Macron",))
    quotes = {
        "trained": quote(
            session,
            a1,
            ["Our troops trained Ukrainians in Ukraine before the war,", "This could be the first step."],
            gl,
            speaker="Landsbergis",
            cue="said",
        ),
        "option": quote(
            session, a1, "There is such an option.", is_, speaker="Prime Minister Ingrida Šimonytė", cue="replied"
        ),
        "practical": quote(session, a1, "the proposal was more practical", gl, kind="indirect"),
        "rule": quote(
            session, a2, "We should not rule anything out,", em, speaker="French President Emmanuel Macron", cue="told"
        ),
        "crowd": quote(session, a2, "nothing is settled", None, kind="mixed", speaker="Someone in the crowd"),
        "frustration": quote(session, a2, "there is a lot of frustration", gl, kind="mixed"),
    }
    return {"articles": (a1, a2), "people": {"gl": gl, "is": is_, "em": em}, "quotes": quotes}

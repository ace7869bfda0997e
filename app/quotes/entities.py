"""The people and organisations one article names, and which of them a name denotes.

`Entities.register_name(text, pos, label, …)` gives the entity id (an index into `entities`) of a name
mention: the person it fits (every name seen for them, their gender; a bare surname two people share goes
to the one the article calls by it, a pronoun right after it, or who spoke in the last three paragraphs,
else to nobody), an organisation ("Globex" and "Globex Corp" are one), or a new entity; None when the
words name no one. app.quotes.speakers feeds it in text order and tells it who spoke (`last_speaker`) and
which role description waits for a name (`pending`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.quotes import people_api as people
from app.quotes.article import Article
from app.quotes.types import Speaker

ORG_LABELS = ("ORG", "NORP", "GPE", "FAC")
MISREAD_LABELS = (
    "WORK_OF_ART",
    "PRODUCT",
    "EVENT",
    "LAW",
    "LANGUAGE",
)  # never a speaker: a name so labelled was misread
AMBIGUOUS = -1  # _link_name: the name fits more than one person
FOCUS_WORDS = {"even", "only", "also", "now", "then"}  # "Even China said": the speaker is China


@dataclass
class Entity:
    """A person or organisation the article names: every form of the name seen, the titles given, the gender
    when known, and where it was last mentioned."""

    kind: str  # person | organisation
    names: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    gender: str | None = None
    last: int = -1

    def descriptor(self) -> people.Descriptor | None:
        """The person's Descriptor from their titles (the first with a role, else a country or body),
        with the party any title names ("Republican", "Sen. … (D-Ore.)" is not parsed here)."""
        found = None
        for t in self.titles:
            d = people.parse_descriptor(t)
            if d is not None and d.role:
                found = d
                break
        if found is None:
            for t in self.titles:
                d = people.parse_descriptor(t)
                if d is not None and (d.country or d.organisation):
                    found = d
                    break
        if found is not None and found.party is None:
            found.party = next((pt for t in self.titles if (pt := people.party_of(t))), None)
        return found

    def to_speaker(self) -> Speaker:
        variants = list(dict.fromkeys(n for n in self.names if n))
        name = people.canonical_name(variants) if self.kind == "person" else max(variants, key=len)
        d = self.descriptor()
        org = d.organisation if d is not None else None
        if self.kind == "organisation":
            org = org or name
        return Speaker(
            name=name,
            kind=self.kind,
            role=d.role if d is not None else None,
            country=d.country if d is not None else None,
            organisation=org,
            variants=variants,
        )


_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def _title_case(line: str) -> bool:
    """A headline in Title Case ("Derelict Obama And Clinton Ignore …"): capitals say nothing there."""
    long = [w for w in _WORD.findall(line) if len(w) > 3]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _headline_name(name: str) -> str:
    """A name from a Title Case headline without a capitalised word before a known given name:
    "Rip Donald Trump" → "Donald Trump" ("Pat Caddell" stays: Pat is no word of the headline's own).

    Two names that the headline's capitals ran into one ("Susan Walsh Slams Robert Dunn") give the last
    one: kept whole, the run would be a third person sharing both surnames, and a bare "Dunn" in the body
    would then fit two people and stay unknown.
    """
    toks = name.split()
    second = [
        i for i in range(2, len(toks) - 1) if people.is_given_name(toks[i]) and not people.is_given_name(toks[i - 1])
    ]
    if second:
        toks = toks[second[-1] :]
    while len(toks) > 2 and not people.is_given_name(toks[0]) and people.is_given_name(toks[1]):
        toks = toks[1:]
    return " ".join(toks)


def _gender(titles: list[str], name: str) -> str | None:
    """A person's gender from their given name, else from their titles ("Mrs.", "the spokeswoman"): an
    apposition must neither hide the given name ("Tom Baker, an economist at a university in Ohio") nor
    overrule it ("Donald Trump, the owner of the Miss Universe pageant")."""
    short = [t for t in titles if len(t.split()) <= 6]  # not the "Miss" of a long apposition's "Miss Universe"
    return people.gender_hint(name) or people.titles_gender(short)


_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)


def next_pronoun_gender(text: str, start: int) -> str | None:
    """Gender of the first personal pronoun after start in the same sentence: "Clinton says she …" → "f"."""
    end = len(text)
    for stop in (".", "!", "?", "\n"):
        k = text.find(stop, start)
        if k != -1:
            end = min(end, k)
    m = _PRONOUN.search(text, start, min(end, start + 80))
    if m is None:
        return None
    return "m" if m.group(1).lower() in ("he", "him", "his") else "f"


class Entities:
    """The entities named so far in one article, in the order they were first named."""

    def __init__(self, art: Article):
        self.art = art
        self.entities: list[Entity] = []
        self.last_speaker: list[tuple[int, int, int]] = []  # (pos, eid, para) of each speaker resolved so far
        self.pending: tuple[int, str] | None = None  # a role description seen before any name fits it
        first = art.paras[0] if art.paras else None
        self.headline_end = first.end if first is not None and _title_case(art.text[first.start : first.end]) else -1

    def _link_name(self, name: str, titles: list[str], pos: int, label: str | None) -> int | None:
        """The person this name is another mention of; None for someone new; AMBIGUOUS when unsure.

        A name goes with a person only when it fits every name seen for them ("Hillary Clinton" never
        joins "Bill Clinton" through a bare "Clinton") and their gender, when both are known. A bare
        surname that fits two people goes to the one the article already calls by it, else to the one whose
        gender a pronoun right after it gives ("Trump says he …"), else to the one of them who spoke in the
        last three paragraphs, and otherwise stays unknown.
        """
        g = _gender(titles, name)
        fits = [
            eid
            for eid, e in enumerate(self.entities)
            if e.kind == "person"
            and all(people.is_compatible(name, n) for n in e.names)
            and (g is None or e.gender is None or e.gender == g)
        ]  # "Mr. Obama" is not "Michelle Obama"
        best = fits[0] if len(fits) == 1 else None
        if len(fits) > 1:
            key = people.fold(name)
            called = [eid for eid in fits if any(people.fold(n) == key for n in self.entities[eid].names)]
            g_next = next_pronoun_gender(self.art.text, pos + len(name))
            by_gender = [eid for eid in fits if g_next and self.entities[eid].gender == g_next]
            here = self.art.para_index(pos)
            spoke = [eid for at, eid, para in self.last_speaker if eid in fits and at < pos and here - para <= 3]
            if len(called) == 1:
                best = called[0]  # "Trump" is who the article already calls "Trump", not "Ivanka Trump"
            elif len(by_gender) == 1:
                best = by_gender[0]  # "Trump says he would pay for it": not Ivanka Trump
            elif spoke:
                best = spoke[-1]  # "Clinton" in the middle of Hillary Clinton's remarks
            else:
                return AMBIGUOUS
        if best is not None:
            e = self.entities[best]
            e.names.append(name)
            e.titles.extend(t for t in titles if t not in e.titles)
            e.last = pos
            if e.gender is None:
                e.gender = _gender(titles, name)
            return best
        return None

    def register_name(
        self,
        text: str,
        pos: int,
        label: str | None,
        appos: str | None = None,
        allow_org: bool = True,
        subject: bool = False,
    ) -> int | None:
        """Entity id for a name mention (creating the entity when new), or None when not a name."""
        titles, name = people.split_name(text)
        if pos < self.headline_end:
            name = _headline_name(name)
        lead, _, rest = name.partition(" ")
        if rest and lead.lower() in people.quantifiers():
            if lead.lower() not in FOCUS_WORDS:
                return None  # "Neither Clinton nor …", "Both Smiths": no one person of that name
            name = rest  # "Even Trump said"
        if appos:
            titles = titles + [appos]
        if len(name.replace(".", "").strip()) < 2:
            return None  # "D" of "(D-Newport News)"
        corporate = allow_org and people.org_key(text) != people.fold(re.sub(r"^the\s+", "", text.strip(), flags=re.I))
        eid = None if corporate else self._link_name(name, titles, pos, label)  # "Globex Corp" is no person
        if eid == AMBIGUOUS:
            return None
        if eid is not None:
            return eid
        key = people.org_key(text)
        for i, e in enumerate(self.entities):
            if e.kind == "organisation" and key in {people.org_key(n) for n in e.names}:
                e.last = pos  # "Globex" after "Globex Corp": the organisation, not a new person
                return i
        org = people.organisation(text)
        # "psychologist Jane Roe", "Fed Chair Ann Smith", "the 14th-ranked Novak": a title that describes
        # a person makes the name a person's whatever the entity recogniser labelled it
        person_titles = any(
            people.describes_person(t.split()[-1]) and t.split()[-1].lower() not in people.party_words()
            for t in titles
            if t.split()
        )  # "Republican National Committee" stays a body
        if allow_org and (org or corporate or (label in ORG_LABELS and not person_titles)):
            oname = org or name
            lead, _, rest = oname.partition(" ")
            if lead.lower() in FOCUS_WORDS and rest:
                oname = rest  # "Even China, Pyongyang's only ally, said"
            elif lead.lower() in people.quantifiers():
                return None  # "many Democrats", "some Republicans": part of a group, no one speaker
            for i, e in enumerate(self.entities):
                if e.kind == "organisation" and people.org_key(oname) in {people.org_key(n) for n in e.names}:
                    e.last = pos  # "Globex Corp" after "Globex": one organisation
                    e.names.append(oname)
                    return i
            self.entities.append(Entity("organisation", [oname], titles, last=pos))
            return len(self.entities) - 1
        # "“…,” Doug Usher said": the recogniser, reading the words around the quote, took a speaker who opens
        # on a given name for a work of art or product; as a cue's subject the name is a person's
        misread = (
            subject and label in MISREAD_LABELS and len(name.split()) > 1 and people.is_given_name(name.split()[0])
        )
        if (label in ("PERSON", None) or person_titles or misread) and people.looks_like_person_name(
            name, label == "PERSON" or misread
        ):
            if pos < self.headline_end and not self._named_in_body(name):
                return None  # "Pastor Wants Girl Scout Leaders To …": a headline's capitals make no one
            titles = list(titles)
            if (
                subject
                and self.pending
                and self.art.para_index(pos) - self.pending[0] <= 2
                and not any(people.parse_descriptor(t) for t in titles)
            ):
                titles.append(self.pending[1])  # "The Minister of … has said … . Gabrielius Landsbergis …"
                self.pending = None
            self.entities.append(Entity("person", [name], titles, _gender(titles, name), pos))
            return len(self.entities) - 1
        return None

    def _named_in_body(self, name: str) -> bool:
        """A name from a Title Case headline is a person's when it opens on a known given name or its last
        word stands in the article's body too ("Obama" in the headline, "Barack Obama" below)."""
        words = name.split()
        if not words or people.is_given_name(words[0]):
            return True
        return re.compile(rf"\b{re.escape(words[-1])}\b").search(self.art.text, self.headline_end) is not None

    def known_surname(self, text: str) -> int | None:
        """The one person already named whose surname is this lone capitalised word: "Pence added" at the
        start of a sentence, which the tagger took for a common noun; None when none or several fit."""
        word = text.strip()
        if " " in word or not word[:1].isupper() or people.describes_person(word):
            return None
        same = {
            eid
            for eid, e in enumerate(self.entities)
            if e.kind == "person" and any(people.fold(people.surname(n)) == people.fold(word) for n in e.names)
        }
        return same.pop() if len(same) == 1 else None

    def gender_ok(self, eid: int, g: str | None) -> bool:
        e = self.entities[eid]
        if e.kind != "person":
            return False
        return e.gender is None or g is None or e.gender == g

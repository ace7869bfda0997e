"""Within-article speaker resolution: names, variants, pronouns, descriptions, organisations.

Walks the article in text order. Person names (NER PERSON outside quotes, and speaker mentions
found through the parse) open or extend entities; a pronoun goes to the nearest compatible person
(subjects first), a description ("the French president") to the person the article introduced with
that role. When the choice is not clear the speaker stays unknown (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.datafiles import read_lines
from app.quotes import people_api as people
from app.quotes.article import Article, Candidate, Mention, Para
from app.quotes.subjects import make_mention, np_span
from app.quotes.types import Speaker

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

ORG_LABELS = ("ORG", "NORP", "GPE", "FAC")
STATEMENT_NOUNS = frozenset(w.lower() for w in read_lines(Path(__file__).with_name("data") / "statement_nouns.txt"))
BODY_NOUNS = frozenset(w.lower() for w in read_lines(Path(__file__).with_name("data") / "body_nouns.txt"))
SENTS_BACK = 8
AMBIGUOUS = -1  # _link_name: the name fits more than one person
FOCUS_WORDS = {"even", "only", "also", "now", "then"}  # "Even China said": the speaker is China


@dataclass
class Entity:
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


@dataclass
class Ante:
    pos: int
    eid: int
    subject: bool
    sent: tuple[int, int]


# The walk's events (Resolver._events), ranked for one position: at the same offset a name goes first, then a
# candidate's mention, a role description, an unnamed person, a lone capitalised word.
NAME, CANDIDATE, ROLE, UNNAMED, SURNAME = range(5)


@dataclass
class NameEvent:
    """A person's name the entity recogniser found (or one it mislabelled), cue words it took in left out."""

    para: Para
    ent: DocSpan


@dataclass
class RoleEvent:
    """A role description as a sentence's subject ("The Minister of … has said"), in paragraph `para`."""

    para: int
    mention: Mention


@dataclass
class SurnameEvent:
    """A lone capitalised word outside the recogniser's entities: perhaps the surname of someone named before."""

    para: Para
    token: Token


# what the walk reads: the three above, an unnamed person opening a sentence (Mention), a candidate (its index)
Event = NameEvent | RoleEvent | SurnameEvent | Mention | int


@dataclass
class Unnamed:
    """A person described, not named, as a subject: "A company spokesman said …", "A retired teacher was …"."""

    pos: int
    sent: tuple[int, int]
    gender: str | None
    text: str


MISLABELS = ("ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT")  # labels a person's full name gets wrongly


def _person_mislabelled(ent: DocSpan) -> bool:
    """A person's full name the recogniser took for an organisation or a thing: "Karen Doctor" (ORG),
    "Ivanka Trump" (PRODUCT): a known given name, then one or two capitalised words, no company suffix or
    known body."""
    words = ent.text.split()
    return (
        ent.label_ in MISLABELS
        and 2 <= len(words) <= 3
        and people.is_given_name(words[0])
        and all(w[:1].isupper() for w in words)
        and people.org_key(ent.text) == people.fold(ent.text)
        and people.organisation(ent.text) is None
        and people.looks_like_person_name(ent.text)
    )


def _unnamed_person(text: str) -> bool:
    """Someone new, described without a name: "a company spokesman", "another voter", "one teacher"."""
    words = text.split()
    if not words or _plural_role(text) or any(w[:1].isupper() for w in words[1:]):
        return False
    if words[0].lower() not in ("a", "an", "another", "one"):
        return False  # "the former first lady" is most often someone named before; "his lawyer" someone's
    return people.describes_person(words[-1])


_OPENER = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s))(?:An?|Another|One)((?:\s+[a-z][\w-]*){1,4})", re.M)


_LOWER_WORD = re.compile(r"[a-z][\w-]*")


def _unnamed_openers(text: str, start: int, end: int) -> list[Mention]:
    """Sentences opening on one unnamed person: "A retired teacher in the crowd was not sure." gives
    "A retired teacher"; the description ends at its first word that describes a person."""
    out = []
    for m in _OPENER.finditer(text, start, end):
        words = list(_LOWER_WORD.finditer(text, m.start(1), m.end(1)))
        for k, w in enumerate(words):
            if people.describes_person(w.group()) and not (
                k + 1 < len(words) and people.describes_person(words[k + 1].group())
            ):
                out.append(Mention(m.start(), w.end(), text[m.start() : w.end()], "description"))
                break  # "a company spokesman": the last word of the run that describes a person
    return out


_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def _title_case(line: str) -> bool:
    """A headline in Title Case ("Derelict Obama And Clinton Ignore …"): capitals say nothing there."""
    long = [w for w in _WORD.findall(line) if len(w) > 3]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _headline_name(name: str) -> str:
    """A name from a Title Case headline without a capitalised word before a known given name:
    "Rip Donald Trump" → "Donald Trump" ("Pat Caddell" stays: Pat is no word of the headline's own)."""
    toks = name.split()
    while len(toks) > 2 and not people.is_given_name(toks[0]) and people.is_given_name(toks[1]):
        toks = toks[1:]
    return " ".join(toks)


NEW_OR_OTHERS = {"a", "an", "another", "one", "his", "her", "their", "its", "my", "our", "your"}


_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)


def _next_pronoun_gender(text: str, start: int) -> str | None:
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


_SENTENCE_PRONOUN = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s))(She|He)\b", re.M)


_CLAUSE_END = {".", "!", "?", ":", ";", '"', "”"}


def _opens_clause(doc: Doc, k: int) -> bool:
    """In a sentence without a parse: a name at token k is taken for its subject when it opens the sentence
    or follows an opening phrase and its comma ("In his assessment, Ruiz hinted …"), never when it stands
    after a word of the clause ("… have given Trump a shot")."""
    if k == 0 or doc[k - 1].text in _CLAUSE_END or (doc[k - 1].is_sent_start and doc[k - 1].is_punct):
        return True
    if doc[k - 1].text != ",":
        return False
    j = k - 2
    while j >= 0 and doc[j].text not in _CLAUSE_END:
        if doc[j].ent_type_ == "PERSON":
            return False  # "Smith, Jones …": a list of names, or an apposition
        j -= 1
    return True


def _lone_capitalised(doc: Doc) -> list[Token]:
    """Capitalised words outside any entity with no capitalised neighbour: surnames the recogniser missed."""
    out = []
    for t in doc:
        if t.ent_type_ or not t.is_alpha or len(t.text) < 3 or not t.text[:1].isupper() or t.text.isupper():
            continue
        if (t.i > 0 and doc[t.i - 1].text[:1].isupper() and not doc[t.i - 1].is_sent_start) or (
            t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper()
        ):
            continue
        out.append(t)
    return out


INDEFINITE = {"a", "an", "another", "one", "some"}


def _someone_unnamed(text: str) -> bool:
    """A capitalised description that names no one: "another Ohio Democrat", "Another Muslim", "one GOP
    strategist" ("Republicans", "the GOP" stay speakers: a group or a party)."""
    words = text.split()
    return bool(words) and words[0].lower() in INDEFINITE


def _described_surname(text: str) -> str | None:
    """The surname after an article and lower-case words that describe no one: "an angry Kemper", "a
    tearful Hale", "the more cautious Brandt" → the surname; None otherwise ("another Ohio Democrat",
    "a spokeswoman for Calder": someone else, described by a relation to Calder)."""
    words = text.split()
    if (
        len(words) >= 3
        and words[0].lower() in ("a", "an", "the")
        and words[-1][:1].isupper()
        and words[-1].isalpha()
        and all(
            w[:1].islower() and w.isascii() and not people.describes_person(w) and w not in _LINKS for w in words[1:-1]
        )
    ):
        return words[-1]
    return None


_LINKS = frozenset({"of", "for", "at", "in", "from", "to", "with", "by", "on", "and", "or"})


def _plural_role(text: str) -> bool:
    """A description of several people: "the senators", "the ministers", "both governors"."""
    return people.plural_description(text)


_APPOS_NAME = re.compile(
    r"([^,;:.!?\"“”\n]{0,40}?),\s+((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*)"
    r"(?=\s*(?:[,.;]|$|\s+(?:said|says|wrote|writes|told|tells|added|adds)\b))"
)


def _appositive_name(text: str, end: int) -> tuple[int, str] | None:
    """The name set after a description that names no one: "his wife, Maria Lenz, said", "said the city
    clerk at the time, Jon E. Harbin." → (offset, name). None when the words in between mention another
    person ("a spokesman for the governor, Jo Marks": whose name is it?) or the name is no person's."""
    m = _APPOS_NAME.match(text, end)
    if m is None:
        return None
    between = _LOWER_WORD.findall(m.group(1))
    if any(people.describes_person(w) or w in ("and", "or") for w in between):
        return None
    name = m.group(2)
    words = name.split()
    if people.organisation(name) or people.country_code(name) or any(people.is_title_word(w) for w in words):
        return None
    if not (people.looks_like_person_name(name) if len(words) > 1 else people.is_given_name(name)):
        return None
    return m.start(2), name


_POSSESSOR = re.compile(r"[’']s?$")
_OWNED = re.compile(r"((?:\s+[a-z][\w-]*){1,4})")


def _possessor_of_description(text: str, m: Mention) -> str | None:
    """The whole description when a name is only its possessor: "Obama's former campaign strategist said"
    (the parse took "Obama's" for the subject) → "Obama's former campaign strategist"; None otherwise."""
    if not _POSSESSOR.search(m.text):
        return None
    run = _OWNED.match(text, m.end)
    if run is None:
        return None
    words = run.group(1).split()
    for k in range(len(words), 0, -1):
        if people.describes_person(words[k - 1]):
            return m.text + " " + " ".join(words[:k])
    return None


def _titled_body(text: str, label: str | None) -> bool:
    """ "the Orlando Courier", "The Harbor Gazette": "the" and capitalised words the recogniser took for a
    work's title (or left unlabelled) name a body, not a person ("the Wisconsin Republican" describes one)."""
    words = text.split()
    return (
        label in (None, "WORK_OF_ART", "PRODUCT")
        and len(words) >= 3
        and words[0].lower() == "the"
        and all(w[:1].isupper() and w.isalpha() for w in words[1:])
        and not people.describes_person(words[-1])
        and words[-1].lower() not in people.party_words()
        and not people.is_given_name(words[1])
    )


class Resolver:
    def __init__(self, art: Article, cands: list[Candidate]):
        self.art = art
        self.cands = cands
        self.entities: list[Entity] = []
        self.antes: list[Ante] = []
        self.sent_of: dict[int, tuple[int, int]] = {}
        self.content: list[tuple[int, int]] = sorted(s for c in cands for s in c.spans)
        self.last_speaker: list[tuple[int, int, int]] = []  # (pos, eid, para)
        self.pending: tuple[int, str] | None = None  # a role description seen before any name fits it
        self.unnamed: list[Unnamed] = []  # people the article describes but never names ("a company spokesman")
        self.org_subjects: list[
            tuple[int, tuple[int, int], str]
        ] = []  # (pos, sentence, text) of organisations as subjects
        first = art.paras[0] if art.paras else None
        self.headline_end = first.end if first is not None and _title_case(art.text[first.start : first.end]) else -1

    # -------------------------------------------------------------- helpers
    def in_content(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.content) or self.art.quote_at(pos) is not None

    def sentence_key(self, pos: int) -> tuple[int, int]:
        pi = self.art.para_index(pos)
        p = self.art.paras[pi]
        doc = p.parsed_doc
        if doc is None:
            return (pi, 0)
        for k, s in enumerate(doc.sents):
            if p.start + s.start_char <= pos < p.start + s.end_char + 1:
                return (pi, k)
        return (pi, 0)

    def _link_name(self, name: str, titles: list[str], pos: int, label: str | None) -> int | None:
        """The person this name is another mention of; None for someone new; AMBIGUOUS when unsure.

        A name goes with a person only when it fits every name seen for them ("Hillary Clinton" never
        joins "Bill Clinton" through a bare "Clinton") and their gender, when both are known. A bare
        surname that fits two people goes to the one the article already calls by it, else to the one whose
        gender a pronoun right after it gives ("Trump says he …"), else to the one of them who spoke in the
        last three paragraphs, and otherwise stays unknown.
        """
        g = people.gender_hint(" ".join([*titles, name]))
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
            g_next = _next_pronoun_gender(self.art.text, pos + len(name))
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
                e.gender = people.gender_hint(" ".join(titles + [name]))
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
        if (label in ("PERSON", None) or person_titles) and people.looks_like_person_name(name):
            titles = list(titles)
            if (
                subject
                and self.pending
                and self.art.para_index(pos) - self.pending[0] <= 2
                and not any(people.parse_descriptor(t) for t in titles)
            ):
                titles.append(self.pending[1])  # "The Minister of … has said … . Gabrielius Landsbergis …"
                self.pending = None
            self.entities.append(Entity("person", [name], titles, people.gender_hint(" ".join(titles + [name])), pos))
            return len(self.entities) - 1
        return None

    # -------------------------------------------------------------- mentions
    def resolve_pronoun(self, m: Mention) -> int | None:
        if m.plural or m.gender is None:
            return None
        here = self.sentence_key(m.start)
        prior = [a for a in self.antes if a.pos < m.start]
        if not prior:
            return None
        sents = sorted({a.sent for a in prior}, reverse=True)[:SENTS_BACK]
        choice = None
        for s in sents:
            comp = [a for a in prior if a.sent == s and self._gender_ok(a.eid, m.gender)]
            if not comp:
                continue
            subj = [a for a in comp if a.subject]
            if len({a.eid for a in subj}) > 1:
                return None  # "Tom Baker and Peter Hansen met. … he said": either of them
            pick = (subj or comp)[-1]
            # two different compatible people in the same sentence, none a subject: unclear
            if not subj and len({a.eid for a in comp}) > 1:
                return None
            # "Tom Ozols met Jonas Petraitis. … he said": a fitting non-subject next to a subject who has
            # not spoken yet leaves the pronoun open
            if (
                subj
                and any(a.eid != pick.eid and self.entities[a.eid].gender == m.gender for a in comp)
                and not any(x[1] == pick.eid for x in self.last_speaker if x[0] < m.start)
            ):
                return None
            choice, picked = pick.eid, pick
            break
        if choice is None:
            return None
        if not picked.subject and (
            self._pronoun_opens_sentence(picked.pos, m.start, m.gender) or self._named_subject_beside(picked.pos)
        ):
            # "Lynch … . She has faced … her meeting with Bill Clinton … his wife, Hillary Clinton … . She said
            # …, she said": a sentence that opens on the pronoun after the pick carries someone else's story;
            # "Trump has commented on Crutcher's death. … he told a crowd": the sentence's subject is a name
            # the recogniser did not give as a person's
            return None
        # another person who fits has been speaking here: genuinely ambiguous, say unknown
        recent = [x for x in self.last_speaker if x[0] < m.start and here[0] - x[2] <= 2]
        counts: dict[int, int] = {}
        for _, eid, _ in recent:
            counts[eid] = counts.get(eid, 0) + 1
        took_over = recent and recent[-1][1] == choice
        choice_para = max((para for _, eid, para in recent if eid == choice), default=-1)
        for y, n in counts.items():
            if (
                y != choice
                and self._gender_ok(y, m.gender)
                and n > counts.get(choice, 0)
                and not (took_over and all(para < choice_para for _, eid, para in recent if eid == y))
            ):
                # (unless the pick spoke last, in a paragraph after all of y's: "Husted said … .\n\n
                # Pepper called it a 'win'.\n\n'…,' he said")
                return None
        if recent:
            y = recent[-1][1]
            if y != choice and self._gender_ok(y, m.gender):
                last_y = max(x[0] for x in recent if x[1] == y)
                last_x = max(a.pos for a in prior if a.eid == choice)
                if last_x > last_y:
                    return None
        last_x = max(a.pos for a in prior if a.eid == choice)
        between = [
            u
            for u in self.unnamed
            if last_x < u.pos < m.start and u.gender in (None, m.gender) and here[0] - self.art.para_index(u.pos) <= 2
        ]
        if between:
            # "Ann Smith spoke. A company spokesman said … . He said": the pronoun is the spokesman's, who
            # has no name; the quote stays unknown, shown with the description
            m.described = between[-1].text
            return None
        if self.entities[choice].gender is None:
            self.entities[choice].gender = m.gender
        return choice

    def _named_subject_beside(self, pos: int) -> bool:
        """True when the sentence holding pos has a proper-noun subject other than the word at pos (in a
        sentence left unparsed: when it opens on a named entity that is not at pos)."""
        p = self.art.paras[self.art.para_index(pos)]
        if p.doc is None:
            return False
        if not p.parsed:
            k = next((t.i for t in p.doc if p.start + t.idx >= pos), len(p.doc)) - 1
            while k > 0 and not p.doc[k].is_sent_start:
                k -= 1
            first = p.doc[max(k, 0)]
            ent = next((e for e in p.doc.ents if e.start <= first.i < e.end), None)
            return (
                ent is not None
                and ent.label_ in ("PERSON", "ORG", "NORP", "GPE")
                and not p.start + ent.start_char <= pos < p.start + ent.end_char
            )
        for sent in p.doc.sents:
            if p.start + sent.start_char <= pos < p.start + sent.end_char:
                return any(
                    t.dep_ in ("nsubj", "nsubjpass")
                    and t.text[:1].isupper()
                    and (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG"))  # "Trump" tagged a noun, labelled ORG
                    and not p.start + t.left_edge.idx <= pos <= p.start + t.idx + len(t)
                    for t in sent
                )
        return False

    def _pronoun_opens_sentence(self, start: int, end: int, gender: str) -> bool:
        """True when a sentence from the one holding start up to end opens on a subject pronoun of this gender."""
        word = "She" if gender == "f" else "He"
        text = self.art.text
        start = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)  # that sentence's start
        return any(
            m.group(1) == word and not self.in_content(m.start(1)) for m in _SENTENCE_PRONOUN.finditer(text, start, end)
        )

    def _gender_ok(self, eid: int, g: str | None) -> bool:
        e = self.entities[eid]
        if e.kind != "person":
            return False
        return e.gender is None or g is None or e.gender == g

    def resolve_description(self, m: Mention) -> int | None:
        """The person a description fits ("the French president"); None when it is plural ("the senators")
        or when two people fit it who were both mentioned within the last paragraphs."""
        first = m.text.split()[0].lower() if m.text.split() else ""
        if _plural_role(m.text) or first in NEW_OR_OTHERS:
            return None  # "the senators"; "a spokeswoman" (someone new); "his lawyer" (someone's, not the one seen)
        fit = sorted(
            (e.last, eid)
            for eid, e in enumerate(self.entities)  # party and number: descriptor_matches
            if e.kind == "person" and (d := e.descriptor()) is not None and people.descriptor_matches(m.text, d)
        )
        best = fit[-1][1] if fit else None
        if len(fit) > 1 and self.art.para_index(m.start) - self.art.para_index(fit[-2][0]) <= 2:
            return None  # "Mr. Grassley and Mr. Leahy … the senator said": which of them is not sure
        if best is None:
            org = people.organisation(m.text)
            if org:
                return self.register_name(org, m.start, "ORG")
            if m.kind == "name" and m.label in ORG_LABELS and people.split_name(m.text)[1]:
                return self.register_name(m.text, m.start, m.label)  # "the United Nations Security Council"
        return best

    def resolve_statement(self, m: Mention) -> int | None:
        """ "the statement said", "It added": the organisation that is the subject of this sentence or the
        one before ("Globex Corp reported a loss. It added …"); None when there is none or several."""
        here = self.sentence_key(m.start)
        near = [
            (pos, text)
            for pos, sent, text in self.org_subjects
            if pos < m.start and sent[0] == here[0] and here[1] - sent[1] <= 1
        ]
        if not near or len({people.org_key(t) for _, t in near}) > 1:
            return None
        pos, text = near[-1]
        return self.register_name(text, pos, "ORG")

    def resolve_body(self, m: Mention) -> int | None:
        """ "the company said", "the group said": the one organisation that was a subject in this paragraph
        (before the mention) or the one before, or spoke there; None when there is none or several."""
        here = self.art.para_index(m.start)
        near = [(pos, text) for pos, sent, text in self.org_subjects if pos < m.start and here - sent[0] <= 1]
        near += [
            (e.last, max(e.names, key=len))
            for e in self.entities
            if e.kind == "organisation" and e.last < m.start and here - self.art.para_index(e.last) <= 1
        ]
        if not near or len({people.org_key(t) for _, t in near}) > 1:
            return None
        pos, text = max(near)
        return self.register_name(text, pos, "ORG")

    def resolve_mention(self, m: Mention) -> int | None:
        words = m.text.lower().split()
        if m.kind in ("description", "name", "generic") and not people.split_name(m.text)[1]:
            named = _appositive_name(self.art.text, m.end)
            if named is not None:  # "his wife, Maria Lenz, said": the description's own name
                return self.register_name(named[1], named[0], "PERSON", m.text, allow_org=False, subject=True)
        if (m.kind == "generic" and words == ["it"]) or (
            m.kind == "description" and len(words) == 2 and words[0] == "the" and words[1] in STATEMENT_NOUNS
        ):
            return self.resolve_statement(m)
        if m.kind == "description" and len(words) == 2 and words[0] == "the" and words[1] in BODY_NOUNS:
            return self.resolve_body(m)
        if m.kind == "pronoun":
            return self.resolve_pronoun(m)
        if m.kind == "name":
            if (owned := _possessor_of_description(self.art.text, m)) is not None:
                m.described = owned  # "Obama's former campaign strategist": someone of Obama's, not Obama
                return None
            if _titled_body(m.text, m.label):
                return self.register_name(m.text, m.start, "ORG")  # "the Orlando Courier reported"
            surname = _described_surname(m.text)
            if surname is not None and (known := self._known_surname(surname)) is not None:
                return known  # "an angry Kemper said" after "Mayor Lukas Kemper"
            word = m.text.strip()
            if " " not in word and word[:1].isupper() and people.describes_person(word):
                same = [
                    eid
                    for eid, e in enumerate(self.entities)
                    if e.kind == "person" and any(people.fold(people.surname(n)) == people.fold(word) for n in e.names)
                ]
                if same:  # "says Doctor" after "Karen Doctor": a surname that is also a title word
                    return same[0] if len(same) == 1 else None
            if not people.split_name(m.text)[1] or (
                people.parse_descriptor(m.text) and not people.looks_like_person_name(people.split_name(m.text)[1])
            ):
                return self.resolve_description(m)  # "the French president"
            if _someone_unnamed(m.text):
                m.described = m.text  # "another Ohio Democrat", "Republican": someone, not a name
                return None
            return self.register_name(m.text, m.start, m.label, m.appos, subject=True)
        if m.kind == "description":
            known = self._known_surname(m.text)
            return known if known is not None else self.resolve_description(m)
        return None

    def _known_surname(self, text: str) -> int | None:
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

    def _surname_mention(self, pos: int, p: Para, t: Token) -> None:
        """A lone capitalised word that is the surname of one person named before, which the entity
        recogniser missed ("In his assessment, Ruiz hinted …"): a mention of that person."""
        eid = self._known_surname(t.text)
        if eid is None or self.in_content(pos):
            return
        subj = t.dep_ in ("nsubj", "nsubjpass") if p.parsed and t.pos_ else _opens_clause(t.doc, t.i)
        self.entities[eid].last = pos
        self.antes.append(Ante(pos, eid, subj, self.sentence_key(pos)))

    def _add_unnamed(self, m: Mention) -> None:
        if not any(u.pos == m.start for u in self.unnamed):
            self.unnamed.append(Unnamed(m.start, self.sentence_key(m.start), people.gender_hint(m.text), m.text))

    # -------------------------------------------------------------- walk
    def _events(self) -> list[tuple[int, int, Event]]:
        """What the walk reads, as (position, rank, event) in text order: at one position, a rank's lower
        number goes first (NAME, CANDIDATE, ROLE, UNNAMED, SURNAME)."""
        events: list[tuple[int, int, Event]] = []
        for pi, p in enumerate(self.art.paras):
            doc = p.doc
            if doc is None:
                continue
            for ent in doc.ents:
                if (
                    ent.label_ == "ORG"
                    and p.parsed
                    and not self.art.tok_in_quote(p, ent.root)
                    and (
                        ent.root.dep_ in ("nsubj", "nsubjpass")
                        or (
                            not ent.root.pos_
                            and (
                                ent.start == ent.sent.start
                                or (ent.start == ent.sent.start + 1 and doc[ent.start - 1].lower_ == "the")
                            )
                        )
                    )
                ):
                    # the subject; in a sentence left unparsed, an organisation that opens it
                    pos = p.start + ent.start_char
                    self.org_subjects.append((pos, self.sentence_key(pos), ent.text))
                if ent.label_ != "PERSON" and not _person_mislabelled(ent):
                    continue
                k = 0
                while k < len(ent) - 1 and (ent[k].pos_ in ("VERB", "AUX") or self.art.cues.lemma(ent[k].lower_)):
                    k += 1  # NER sometimes takes the cue in: "Said Ryan Ellis"
                ent = ent[k:]
                if not p.parsed:
                    events.append((p.start + ent.start_char, NAME, NameEvent(p, ent)))
                    continue
                pos = p.start + ent.start_char
                if self.art.quote_at(pos) is not None:
                    continue
                events.append((pos, NAME, NameEvent(p, ent)))
            for t in doc if p.parsed else ():
                if (
                    t.dep_ == "nsubj"
                    and t.pos_ in ("NOUN", "PROPN")
                    and t.left_edge.text[:1].isupper()
                    and not self.art.tok_in_quote(p, t)
                ):
                    m = make_mention(self.art, p, t)
                    if (
                        m is None
                        or not m.text[:1].isupper()
                        or people.looks_like_person_name(people.split_name(m.text)[1])
                    ):
                        continue
                    d = people.parse_descriptor(m.text)
                    if d is not None and d.role:
                        m.kind = "description"
                        events.append((m.start, ROLE, RoleEvent(pi, m)))
            for t in _lone_capitalised(doc):
                pos = p.start + t.idx
                if self.art.quote_at(pos) is None:
                    events.append((pos, SURNAME, SurnameEvent(p, t)))
            for m in _unnamed_openers(self.art.text, p.start, p.end):
                if not self.in_content(m.start):
                    events.append((m.start, UNNAMED, m))
        for ci, c in enumerate(self.cands):
            pos = c.mention.start if c.mention else c.start
            events.append((pos, CANDIDATE, ci))
        events.sort(key=lambda x: (x[0], x[1]))
        return events

    def _unparsed_name(self, pos: int, ev: NameEvent) -> None:
        """A person's name in a paragraph or sentence read for entities only (no quote or cue): a name that
        starts it counts as its subject."""
        p, ent = ev.para, ev.ent
        doc = ent.doc
        k = ent.start  # titles before the name: capitalised words ("Interior Minister")
        while (
            k > 0
            and doc[k - 1].text[:1].isupper()
            and k > ent.start - 4
            and not doc[k].is_sent_start
            and not doc[k - 1].is_stop
        ):
            k -= 1  # not "But", "What", "If" starting the sentence
        first = _opens_clause(doc, k)
        if p.parsed:  # an unparsed sentence: its first person, when it opens a clause, is its subject
            sent = doc[k].sent
            first = first and not any(e.label_ == "PERSON" and sent.start <= e.start < ent.start for e in doc.ents)
        s0 = p.start + doc[k].idx
        eid = self.register_name(
            self.art.text[s0 : p.start + ent.end_char], pos, "PERSON", None, allow_org=False, subject=first
        )
        if eid is not None and not self.in_content(pos):
            self.antes.append(Ante(pos, eid, first, self.sentence_key(pos)))

    def _parsed_name(self, pos: int, ev: NameEvent) -> None:
        """A person's name in a parsed sentence, with the titles before it and its apposition; a subject
        (or joined to one) when the parse says so."""
        p, ent = ev.para, ev.ent
        doc = ent.doc
        i, j = np_span(self.art, p, ent.root)
        s = p.start + doc[i].idx if i < j else pos
        e = p.start + ent.end_char
        text = self.art.text[min(s, pos) : e]
        appos = None
        for t in ent.root.rights:
            if t.dep_ == "appos":
                appos = doc[t.left_edge.i : t.right_edge.i + 1].text
        eid = self.register_name(
            text, pos, "PERSON", appos, allow_org=False, subject=ent.root.dep_ in ("nsubj", "nsubjpass")
        )
        subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
            ent.root.dep_ == "conj" and ent.root.head.dep_ in ("nsubj", "nsubjpass")
        )
        if eid is not None and not self.in_content(pos):
            self.antes.append(Ante(pos, eid, subj, self.sentence_key(pos)))

    def _candidate(self, c: Candidate) -> None:
        """A candidate's speaker mention resolved: c.speaker set (None: unknown, with what the article says
        of the unnamed person in c.described)."""
        if c.how == "floating" or c.mention is None:
            return
        if c.mention.text.lower() == "it" and not (
            c.cue and self.art.cues.is_strong(self.art.text[c.cue[0] : c.cue[1]].split()[0])
        ):
            return  # "It shows …" (a video, a poll): only "it said", "it added" can be an organisation's
        eid = self.resolve_mention(c.mention)
        c.speaker = eid
        if eid is None:
            c.described = c.mention.described
            if c.mention.kind in ("description", "name") and _unnamed_person(c.mention.text):
                self._add_unnamed(c.mention)
        if eid is not None:
            self.entities[eid].last = c.mention.start
            self.antes.append(Ante(c.mention.start, eid, True, self.sentence_key(c.mention.start)))
            self.last_speaker.append((c.mention.start, eid, self.art.para_index(c.mention.start)))

    def run(self) -> list[Speaker]:
        """Walk the article's events in text order; every candidate's speaker set; the article's speakers."""
        for pos, _, ev in self._events():
            if isinstance(ev, NameEvent):
                if not ev.para.parsed or not ev.ent.root.pos_:
                    self._unparsed_name(pos, ev)
                else:
                    self._parsed_name(pos, ev)
            elif isinstance(ev, RoleEvent):
                if self.resolve_description(ev.mention) is None:
                    self.pending = (ev.para, ev.mention.text)
            elif isinstance(ev, Mention):
                self._add_unnamed(ev)
            elif isinstance(ev, SurnameEvent):
                self._surname_mention(pos, ev.para, ev.token)
            else:
                self._candidate(self.cands[ev])
        return [e.to_speaker() for e in self.entities]

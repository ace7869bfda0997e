"""Within-article speaker resolution: names, variants, pronouns, descriptions, organisations.

Walks the article in text order. Person names (NER PERSON outside quotes, and speaker mentions
found through the parse) open or extend entities; a pronoun goes to the nearest compatible person
(subjects first), a description ("the French president") to the person the article introduced with
that role. When the choice is not clear the speaker stays unknown (None).

`Resolver` holds the walk and decides what each speaker mention is; who a name denotes is
app.quotes.entities, who a pronoun denotes app.quotes.pronouns, which organisation "the statement" or "the
company" is app.quotes.bodies, and what a description's words say app.quotes.descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.datafiles import word_set
from app.quotes import people_api as people
from app.quotes.article import Article, Candidate, Mention, Para
from app.quotes.bodies import BACK_NOUNS, Bodies, names_a_body
from app.quotes.descriptions import (
    AUTHORED_NOUNS,
    DATA,
    NEW_OR_OTHERS,
    STATEMENT_NOUNS,
    appositive_name,
    authored_by,
    described_surname,
    owned_role,
    person_mislabelled,
    plural_role,
    possessor_of_description,
    someone_unnamed,
    titled_body,
    titled_names,
    unnamed_openers,
    unnamed_person,
)
from app.quotes.entities import ORG_LABELS, Entities, next_pronoun_gender
from app.quotes.pronouns import Ante, Antecedents
from app.quotes.subjects import issuer_of, make_mention, np_span
from app.quotes.types import Speaker

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

OTHER_PARTY_NOUNS = word_set(DATA / "other_party_nouns.txt")  # "the moderator": never the one asked

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


def _opens_after_titles(doc: Doc, k: int, ent) -> bool:
    """A name after nothing but its titles at the start of a sentence ("Former Pennsylvania governor Ed Rendell
    was even more resolute"): the walk back over capitalised words stops at a lower-case role word."""
    j = k
    while j > 0 and doc[j - 1].text not in _CLAUSE_END and not (doc[j].is_sent_start and j < k):
        j -= 1
    if j == k or not _opens_clause(doc, j):
        return False
    lead = doc[j : ent.start]
    if len(lead) > 6 or not all(
        t.text[:1].isupper()
        or t.lower_ in ("the", "of")
        or t.lower_ in people.role_qualifiers()
        or people.describes_person(t.lower_)
        for t in lead
    ):
        return False  # "Trump also took swipes at fellow contender Jeb Bush": a clause, not titles
    titles, name = people.split_name(doc[j : ent.end].text)
    return bool(titles) and name == ent.text


MISREAD_LONE = ("NORP", "ORG", "PRODUCT")  # labels a lone surname gets wrong ("Carney" NORP, "Trump" ORG)


def _lone_misread(t: Token) -> bool:
    """A word the recogniser made an entity of its own with a label no person has ("Carney dismissed the charge":
    NORP), which may still be a surname named before."""
    return (
        t.ent_iob_ == "B" and (t.i + 1 == len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I") and t.ent_type_ in MISREAD_LONE
    )


def _lone_capitalised(doc: Doc) -> list[Token]:
    """Capitalised words outside any entity with no capitalised neighbour: surnames the recogniser missed."""
    out = []
    for t in doc:
        if not t.is_alpha or len(t.text) < 2 or not t.text[:1].isupper() or t.text.isupper():
            continue
        if t.ent_type_ and not _lone_misread(t):
            continue
        if len(t.text) == 2 and t.is_stop:  # "Oz", "Xi" may be surnames; "He", "As", "In" are not
            continue
        if (t.i > 0 and doc[t.i - 1].text[:1].isupper() and not doc[t.i - 1].is_sent_start) or (
            t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper()
        ):
            continue
        out.append(t)
    return out


def _names_someone(m: Mention) -> bool:
    """Whether a mention holds a person's name ("Sen. Ann Hale"), not only a description: "his wife", or one
    with a name in apposition whose own words name no one ("Another delegate on the slate, Jim Poolman,")."""
    name = people.split_name(m.text)[1]
    if not name:
        return False
    return m.appos is None or len(name.split()) == 1 or people.looks_like_person_name(name)


class Resolver:
    """Speakers within one article: `run()` walks it in text order, sets each candidate's `speaker` (an index
    into the entities it returns, None for unknown) and `described`, and keeps the mentions it took for
    antecedents (`antecedents.antes`)."""

    def __init__(self, art: Article, cands: list[Candidate]):
        self.art = art
        self.cands = cands
        self.registry = Entities(art)  # the people and organisations named so far
        self.antecedents = Antecedents(self.registry, self.in_content)  # who a pronoun may denote
        self.content: list[tuple[int, int]] = sorted(s for c in cands for s in c.spans)
        self.bodies = Bodies(art, self.registry)  # the organisations made subjects so far

    # -------------------------------------------------------------- helpers
    def in_content(self, pos: int) -> bool:
        """Whether pos lies inside a quotation or a candidate's content (where no one is introduced)."""
        return any(s <= pos < e for s, e in self.content) or self.art.quote_at(pos) is not None

    # -------------------------------------------------------------- mentions
    def _the_last_speaker(self, m: Mention) -> int | None:
        """ "“…,” Trump said. … The candidate added, “…”": a definite description of a person that fits no one
        named ("the candidate", "the actress", not an office like "the president" nor the other side of an
        exchange like "the moderator") is the person who spoke or was a subject last, in this paragraph or the
        one before, when no one else was named since and nothing known of them (a title, the gender) says
        otherwise; None otherwise."""
        words = m.text.split()
        if words[0].lower() != "the" or not people.describes_person(words[-1]):
            return None
        if people.is_title_word(words[-1]) or words[-1].lower() in OTHER_PARTY_NOUNS:
            return None  # "the president", "the judge": an office someone else may hold; "the moderator"
        introduced = re.compile(rf"\b(?:a|an|one|another)\s+(?:[\w-]+\s+){{0,3}}{re.escape(words[-1])}\b", re.I)
        if introduced.search(self.art.text, 0, m.start):
            return None  # "a voter from Ohio … the voter said": the one introduced unnamed, not the last speaker
        last = [x for x in self.registry.last_speaker if x[0] < m.start]
        subjects = [
            (a.pos, a.eid, self.art.para_index(a.pos))
            for a in self.antecedents.antes
            if a.subject and a.pos < m.start and not self.in_content(a.pos)
        ]
        last = sorted(last + subjects)  # "Tom Hale toured a plant. The billionaire said …": the last subject too
        if not last:
            return None
        pos, eid, para = last[-1]
        e = self.registry.entities[eid]
        if e.kind != "person" or e.descriptor() is not None or self.art.para_index(m.start) - para > 1:
            return None
        if any(o.kind == "person" and pos < o.last < m.start for i, o in enumerate(self.registry.entities) if i != eid):
            return None  # someone else was named since: "the former president" may be them
        g = people.gender_hint(m.text) or next_pronoun_gender(self.art.text, m.end)  # "The nurse said her …"
        return eid if self.registry.gender_ok(eid, g) else None

    def resolve_description(self, m: Mention) -> int | None:
        """The person a description fits ("the French president"); None when it is plural ("the senators")
        or when two people fit it who were both mentioned within the last paragraphs."""
        first = m.text.split()[0].lower() if m.text.split() else ""
        if plural_role(m.text) or first in NEW_OR_OTHERS:
            return None  # "the senators"; "a spokeswoman" (someone new); "his lawyer" (someone's, not the one seen)
        fit = self._fitting(m.text)
        if not fit and (bare := people.without_states(m.text)) is not None:
            # "the California congressman" after "Rep. Adam Schiff": the state is seldom among the person's
            # titles, so the role alone decides, and only when one person in the article has it
            fit = self._fitting(bare)
            fit = fit if len(fit) == 1 else []
        best = fit[-1][1] if fit else None
        if len(fit) > 1 and self.art.para_index(m.start) - self.art.para_index(fit[-2][0]) <= 2:
            return None  # "Mr. Grassley and Mr. Leahy … the senator said": which of them is not sure
        if best is None:
            org = people.organisation(m.text)
            if org:
                return self.registry.register_name(org, m.start, "ORG")
            if m.kind == "name" and m.label in ORG_LABELS and people.split_name(m.text)[1]:
                return self.registry.register_name(m.text, m.start, m.label)  # "the United Nations Security Council"
        return best

    def _fitting(self, description: str) -> list[tuple[int, int]]:
        """(last position, entity id) of each person whose descriptor the description fits (party and number
        included: descriptor_matches), earliest last mention first."""
        return sorted(
            (e.last, eid)
            for eid, e in enumerate(self.registry.entities)
            if e.kind == "person" and (d := e.descriptor()) is not None and people.descriptor_matches(description, d)
        )

    def _register_appositive(self, named: tuple[int, str], m: Mention) -> int | None:
        """The person appositive_name found right after description m ("his wife, Maria Lenz, said"),
        registered with the description as a title."""
        return self.registry.register_name(named[1], named[0], "PERSON", m.text, allow_org=False, subject=True)

    def _entity_in(self, start: int, end: int) -> int | None:
        """The person or organisation mentioned as a subject between start and end, as the walk has read it."""
        ante = next((a for a in reversed(self.antecedents.antes) if start <= a.pos < end), None)
        return ante.eid if ante is not None else self.bodies.subject_in(start, end)

    def resolve_mention(self, m: Mention) -> int | None:
        """The entity a candidate's speaker mention denotes, by its kind; None for unknown (m.described then
        says who the article means, when it says)."""
        words = m.text.lower().split()
        if (
            m.kind in ("description", "name", "generic")
            and not _names_someone(m)
            and (named := appositive_name(self.art.text, m.end)) is not None
        ):
            return self._register_appositive(named, m)  # "his wife, Maria Lenz, said"
        if m.kind == "description" and words[-1] in BACK_NOUNS and m.appos and names_a_body(m.appos):
            return self.registry.register_name(m.appos, m.start, "ORG")  # "The union, the Ontario Nurses’ Association,"
        if m.kind in ("description", "generic") and (author := authored_by(self.art.text, m)) is not None:
            return self.registry.register_name(author[1], author[0], None)  # "a court document filed by Ann Hale"
        if (
            m.kind == "description"
            and len(words) == 2
            and words[0] == "the"
            and words[1] in AUTHORED_NOUNS
            and (issuer := issuer_of(self.art, m)) is not None
            and (eid := self._entity_in(*issuer)) is not None
        ):
            return eid  # "Obama released a statement … . “…,” the statement said"
        if (m.kind == "generic" and words == ["it"]) or (
            m.kind == "description" and len(words) == 2 and words[0] == "the" and words[1] in STATEMENT_NOUNS
        ):
            return self.bodies.statement(m)
        if m.kind == "description" and len(words) == 2 and words[0] == "the" and words[1] in BACK_NOUNS:
            return self.bodies.body(m)
        if m.kind == "pronoun":
            return self.antecedents.resolve_pronoun(m)
        if m.kind == "name":
            if owned_role(m.text):
                # "California Rep. Dan Hunter’s chief of staff, Joe Kasper, told": the staffer, never the
                # member of Congress or someone else with his title; without a name, unknown
                if (named := appositive_name(self.art.text, m.end)) is not None:
                    return self._register_appositive(named, m)
                m.described = m.text
                return None
            if (owned := possessor_of_description(self.art.text, m)) is not None:
                m.described = owned  # "Obama's former campaign strategist": someone of Obama's, not Obama
                return None
            if titled_body(m.text, m.label):
                return self.registry.register_name(m.text, m.start, "ORG")  # "the Orlando Courier reported"
            surname = described_surname(m.text)
            if surname is not None and (known := self.registry.known_surname(surname)) is not None:
                return known  # "an angry Kemper said" after "Mayor Lukas Kemper"
            word = m.text.strip()
            if " " not in word and word[:1].isupper() and people.describes_person(word):
                same = [
                    eid
                    for eid, e in enumerate(self.registry.entities)
                    if e.kind == "person" and any(people.fold(people.surname(n)) == people.fold(word) for n in e.names)
                ]
                if same:  # "says Doctor" after "Karen Doctor": a surname that is also a title word
                    return same[0] if len(same) == 1 else None
            if not people.split_name(m.text)[1] or (
                people.parse_descriptor(m.text) and not people.looks_like_person_name(people.split_name(m.text)[1])
            ):
                return self.resolve_description(m)  # "the French president"
            if someone_unnamed(m.text):
                m.described = m.text  # "another Ohio Democrat", "Republican": someone, not a name
                return None
            return self.registry.register_name(m.text, m.start, m.label, m.appos, subject=True)
        if m.kind == "description":
            known = self.registry.known_surname(m.text)
            if known is None:
                known = self.resolve_description(m)
            return known if known is not None else self._the_last_speaker(m)
        return None

    def _surname_mention(self, pos: int, p: Para, t: Token) -> None:
        """A lone capitalised word that is the surname of one person named before, which the entity
        recogniser missed ("In his assessment, Ruiz hinted …"): a mention of that person."""
        eid = self.registry.known_surname(t.text)
        if eid is None or self.in_content(pos):
            return
        subj = t.dep_ in ("nsubj", "nsubjpass") if p.parsed and t.pos_ else _opens_clause(t.doc, t.i)
        self.registry.entities[eid].last = pos
        self.antecedents.antes.append(Ante(pos, eid, subj, self.art.sentence_key(pos)))

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
                self.bodies.note(p, ent)
                if ent.label_ != "PERSON" and not person_mislabelled(ent):
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
            for span in titled_names(doc):
                if self.art.quote_at(p.start + span.start_char) is None:
                    events.append((p.start + span.start_char, NAME, NameEvent(p, span)))
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
            for m in unnamed_openers(self.art.text, p.start, p.end):
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
        first = _opens_clause(doc, k) or _opens_after_titles(doc, k, ent)
        if p.parsed:  # an unparsed sentence: its first person, when it opens a clause, is its subject
            sent = doc[k].sent
            first = first and not any(e.label_ == "PERSON" and sent.start <= e.start < ent.start for e in doc.ents)
        s0 = p.start + doc[k].idx
        eid = self.registry.register_name(
            self.art.text[s0 : p.start + ent.end_char], pos, "PERSON", None, allow_org=False, subject=first
        )
        if eid is not None and not self.in_content(pos):
            self.antecedents.antes.append(Ante(pos, eid, first, self.art.sentence_key(pos)))

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
        eid = self.registry.register_name(
            text, pos, "PERSON", appos, allow_org=False, subject=ent.root.dep_ in ("nsubj", "nsubjpass")
        )
        subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
            ent.root.dep_ == "conj" and ent.root.head.dep_ in ("nsubj", "nsubjpass")
        )
        if eid is not None and not self.in_content(pos):
            self.antecedents.antes.append(Ante(pos, eid, subj, self.art.sentence_key(pos)))

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
            if c.mention.kind in ("description", "name") and unnamed_person(c.mention.text):
                self.antecedents.add_unnamed(c.mention)
        if eid is not None:
            self.registry.entities[eid].last = c.mention.start
            self.antecedents.antes.append(Ante(c.mention.start, eid, True, self.art.sentence_key(c.mention.start)))
            self.registry.last_speaker.append((c.mention.start, eid, self.art.para_index(c.mention.start)))

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
                    self.registry.pending = (ev.para, ev.mention.text)
            elif isinstance(ev, Mention):
                self.antecedents.add_unnamed(ev)
            elif isinstance(ev, SurnameEvent):
                self._surname_mention(pos, ev.para, ev.token)
            else:
                self._candidate(self.cands[ev])
        return [e.to_speaker() for e in self.registry.entities]

"""Who a pronoun denotes: the antecedents an article offers so far, and the choice among them.

`Antecedents` records, in text order, each mention of an entity a later "he" or "she" may refer to (`Ante`:
where, which entity, whether it was a sentence's subject) and each person described but never named
(`Unnamed`: "a company spokesman"). `resolve_pronoun(m)` gives the entity id the pronoun denotes, or
None when the choice is not clear (two candidates of its gender, another person who fits has been
speaking here, an unnamed person came between; then `m.described` carries that person's description).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.quotes import people_api as people
from app.quotes.article import Mention
from app.quotes.entities import Entities

SENTS_BACK = 8
_SENTENCE_PRONOUN = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s))(She|He)\b", re.M)


@dataclass
class Ante:
    """A mention of entity `eid` at `pos` (in sentence `sent`, as app.quotes.article.Article.sentence_key
    gives it) that a later pronoun may refer to; `subject` when it was its sentence's subject or a speaker."""

    pos: int
    eid: int
    subject: bool
    sent: tuple[int, int]


@dataclass
class Unnamed:
    """A person described, not named, as a subject: "A company spokesman said …", "A retired teacher was …"."""

    pos: int
    sent: tuple[int, int]
    gender: str | None
    text: str


class Antecedents:
    """The article's antecedents so far (`antes`, `unnamed`), filled by app.quotes.speakers' walk."""

    def __init__(self, registry: Entities, in_content: Callable[[int], bool]):
        self.art = registry.art
        self.registry = registry
        self.in_content = in_content  # whether an offset lies inside a quotation or a reported content
        self.antes: list[Ante] = []
        self.unnamed: list[Unnamed] = []  # people the article describes but never names ("a company spokesman")

    def add_unnamed(self, m: Mention) -> None:
        """Record a person described but not named ("a company spokesman"), once per position."""
        if not any(u.pos == m.start for u in self.unnamed):
            self.unnamed.append(Unnamed(m.start, self.art.sentence_key(m.start), people.gender_hint(m.text), m.text))

    def resolve_pronoun(self, m: Mention) -> int | None:
        """The entity a singular "he"/"she" denotes: the nearest fitting antecedent (subjects first, at most
        SENTS_BACK sentences back), or None when that choice is not clear."""
        if m.plural or m.gender is None:
            return None
        here = self.art.sentence_key(m.start)
        prior = [a for a in self.antes if a.pos < m.start]
        if not prior:
            return None
        sents = sorted({a.sent for a in prior}, reverse=True)[:SENTS_BACK]
        choice = None
        for s in sents:
            comp = [a for a in prior if a.sent == s and self.registry.gender_ok(a.eid, m.gender)]
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
                and any(a.eid != pick.eid and self.registry.entities[a.eid].gender == m.gender for a in comp)
                and not any(x[1] == pick.eid for x in self.registry.last_speaker if x[0] < m.start)
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
        recent = [x for x in self.registry.last_speaker if x[0] < m.start and here[0] - x[2] <= 2]
        counts: dict[int, int] = {}
        for _, eid, _ in recent:
            counts[eid] = counts.get(eid, 0) + 1
        took_over = recent and recent[-1][1] == choice
        choice_para = max((para for _, eid, para in recent if eid == choice), default=-1)
        # "Levin said … .\n\nFormer governor Ed Rendell was even more resolute.\n\n'…,' he said": a person brought
        # in as a subject in a paragraph after every other speaker's last is who the pronoun takes up
        introduced = (
            picked.subject
            and self.art.para_index(picked.pos) > max((x[2] for x in recent), default=-1)
            and self._main_subject(picked.pos)  # not "While Obama had …, that concerns Crespo"
        )
        for y, n in counts.items():
            if (
                not introduced
                and y != choice
                and self.registry.gender_ok(y, m.gender)
                and n > counts.get(choice, 0)
                and not (took_over and all(para < choice_para for _, eid, para in recent if eid == y))
            ):
                # (unless the pick spoke last, in a paragraph after all of y's: "Husted said … .\n\n
                # Pepper called it a 'win'.\n\n'…,' he said")
                return None
        if recent and not introduced:
            y = recent[-1][1]
            if y != choice and self.registry.gender_ok(y, m.gender):
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
        if self.registry.entities[choice].gender is None:
            self.registry.entities[choice].gender = m.gender
        return choice

    def _main_subject(self, pos: int) -> bool:
        """True when the name at pos is the subject of its sentence's main verb (or opens a sentence left
        unparsed), not of a clause hung under it."""
        p = self.art.paras[self.art.para_index(pos)]
        if p.doc is None or not p.parsed:
            return True
        t = next((t for t in p.doc if p.start + t.idx >= pos), None)
        if t is None:
            return False
        if not t.pos_:
            # a sentence the parser was spared (no quote mark, no cue): the name opens it, after at most a few
            # words and no punctuation ("Flames head coach Ryan Huska was less pleased …")
            k = t.i
            while k > 0 and t.i - k < 4 and p.doc[k - 1].is_alpha and not people.non_name_word(p.doc[k - 1].text):
                k -= 1
            return k == 0 or p.doc[k - 1].text in (".", "!", "?")
        while t.dep_ in ("compound", "flat") and t.head.i != t.i:
            t = t.head
        return t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"

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

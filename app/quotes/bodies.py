"""Organisations that speak within one article: "the statement said", "the company said", "it added".

`Bodies` keeps each organisation the article makes a sentence's subject (`note`, fed by the resolver's walk)
and answers which one a statement noun, a body noun or "it" denotes: the one organisation that was a subject
nearby, or None when there is none or several. It names no person (app.quotes.speakers does).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.datafiles import word_set
from app.quotes import people_api as people
from app.quotes.article import Article, Mention, Para
from app.quotes.descriptions import DATA
from app.quotes.entities import Entities

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Span as DocSpan

BODY_NOUNS = word_set(DATA / "body_nouns.txt")  # "the company": the one organisation named nearby
NAMED_BODY_NOUNS = word_set(DATA / "named_body_nouns.txt")  # "the council": one whose name ends in it
BACK_NOUNS = BODY_NOUNS | NAMED_BODY_NOUNS


def names_a_body(appos: str) -> bool:
    """An apposition that names an organisation: capitalised words after an optional "the" ("the Ontario
    Nurses’ Association"), not another description ("a group of nurses")."""
    words = re.sub(r"^the\s+", "", appos.strip(), flags=re.I).split()
    return len(words) >= 2 and all(w[:1].isupper() or w.lower() in ("of", "for", "and", "the", "&") for w in words)


class Bodies:
    """The organisations an article has made subjects so far, as (position, sentence, text)."""

    def __init__(self, art: Article, registry: Entities):
        self.art = art
        self.registry = registry
        self.subjects: list[tuple[int, tuple[int, int], str]] = []
        self.named: list[tuple[int, str]] = []  # every organisation named outside quotations: (pos, text)

    def note(self, p: Para, ent: DocSpan) -> None:
        """Record organisation ent (in `subjects` when it is its sentence's subject; in a sentence left
        unparsed: when it opens it)."""
        if ent.label_ not in ("ORG", "PRODUCT") or self.art.tok_in_quote(p, ent.root):
            return
        doc = ent.doc
        pos = p.start + ent.start_char
        self.named.append((pos, ent.text))  # "Globex executives": Globex read as a product
        if (
            ent.label_ == "ORG"
            and p.parsed
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
            self.subjects.append((pos, self.art.sentence_key(pos), ent.text))

    def statement(self, m: Mention) -> int | None:
        """ "the statement said", "It added": the organisation that is the subject of this sentence or the
        one before ("Globex Corp reported a loss. It added …"); None when there is none or several."""
        here = self.art.sentence_key(m.start)
        near = [
            (pos, text)
            for pos, sent, text in self.subjects
            if pos < m.start and sent[0] == here[0] and here[1] - sent[1] <= 1
        ]
        return self._the_one(near)

    def body(self, m: Mention) -> int | None:
        """ "the company said", "the group said": the one organisation that was a subject in this paragraph
        (before the mention) or the one before, or spoke there; None when there is none or several."""
        here = self.art.para_index(m.start)
        near = [(pos, text) for pos, sent, text in self.subjects if pos < m.start and here - sent[0] <= 1]
        near += [
            (e.last, max(e.names, key=len))
            for e in self.registry.entities
            if e.kind == "organisation" and e.last < m.start and here - self.art.para_index(e.last) <= 1
        ]
        noun = m.text.split()[-1].lower()
        if noun in NAMED_BODY_NOUNS:  # "the council": one whose name ends in "Council"
            near = [(pos, text) for pos, text in near if text.split()[-1].lower() == noun]
        eid = self._the_one(near)
        if eid is None:
            return None
        keys = {people.org_key(n) for n in self.registry.entities[eid].names}
        if any(
            pos < m.start and self.art.para_index(pos) == here and people.org_key(text) not in keys
            for pos, text in self.named
        ):
            return None  # "Dorsey met with Globex executives. The company said …": not the one named before
        return eid

    def subject_in(self, start: int, end: int) -> int | None:
        """The organisation that was a subject between start and end, registered; None when there is none."""
        org = next(((pos, text) for pos, _, text in self.subjects if start <= pos < end), None)
        return self.registry.register_name(org[1], org[0], "ORG") if org is not None else None

    def _the_one(self, near: list[tuple[int, str]]) -> int | None:
        """The entity of the one organisation among near's (position, name) mentions, the latest mention
        registered; None when there is none or more than one."""
        if not near or len({people.org_key(t) for _, t in near}) > 1:
            return None
        pos, text = max(near)
        eid = self.registry.register_name(text, pos, "ORG")
        if eid is not None and self.registry.entities[eid].kind != "organisation":
            return None  # "Ford Motor Co. … Ford said … It said": the bare "Ford" was taken for Doug Ford
        return eid

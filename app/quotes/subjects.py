"""Who a cue's subject is: the speaker token of a cue verb, and the `Mention` its noun phrase makes.

`subject_of(art, v, p)` finds the subject token of cue verb v (its nsubj, a passive agent, the subject of
the verb it hangs from, "according to X"); `make_mention(art, p, head)` turns a token into the speaker
mention: its noun phrase (`np_span`), a pronoun with its gender, a name, a description, an organisation,
the antecedent of "who", a name in apposition or cut off after a role. Nothing here decides who the
mention denotes (app.quotes.speakers does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.datafiles import word_set
from app.quotes.article import Article, Mention, Para
from app.quotes.cues import cue_roles
from app.quotes.descriptions import DATA, person_mislabelled
from app.quotes.people_api import describes_person, is_given_name, is_title_word, relational_nouns

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Span as DocSpan
    from spacy.tokens import Token

PRONOUNS = {
    "he": ("m", False),
    "she": ("f", False),
    "they": (None, True),
    "him": ("m", False),
    "her": ("f", False),
    "we": (None, True),
    "it": (None, False),
    "i": (None, False),
    "you": (None, False),
}
PLACES = ("GPE", "LOC", "FAC")  # entity labels of places: a place is no speaker of a relative clause
# how a word may hang inside a person's appositive phrase ("Hale, a spokeswoman in Baghdad"): climbed to the person
_PHRASE_DEPS = ("pobj", "prep", "appos", "compound", "amod", "nummod", "poss", "case")
TOLD = cue_roles()["listener"]  # who comes after these verbs is the listener (data/cue_roles.txt)
ISSUING_VERBS = word_set(DATA / "issuing_verbs.txt")  # "released a statement": the subject put it out
ISSUER_PARAS_BACK = 2  # how far back "the statement said" looks for the statement's introduction


def _joins_role(t: Token) -> bool:
    """A word that may stand between a speaker's role and their name: a capitalised or role word, a hyphen,
    "'s", the full stop of an abbreviated title ("Lt."), or "on"/"of"/"for" before a capital."""
    doc = t.doc
    if t.text in ("-", "'s", "’s"):
        return True
    if t.text == ".":
        prev = doc[t.i - 1].text if t.i > 0 else ""
        return 0 < len(prev) <= 4 and prev[:1].isupper()
    if t.lower_ in ("on", "of", "for"):
        return t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper()
    return t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") and t.text[:1].isalnum()


def np_span(art: Article, p: Para, head: Token) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by `head`, cut at commas and clauses."""
    doc = head.doc
    left = head.i
    for t in reversed(list(head.lefts)):
        if t.pos_ in ("VERB", "AUX") and not (
            t.dep_ == "amod" and t.i > 0 and doc[t.i - 1].text == "-" and t.lower_ in ("ranked", "seeded", "placed")
        ):
            break  # "Said Ellis": the cue is not part of the name ("the 14th-ranked Novak" keeps its words)
        if t.dep_ in (
            "compound",
            "amod",
            "det",
            "nmod",
            "poss",
            "nummod",
            "case",
            "punct",
            "flat",
            "quantmod",
            "advmod",
            "npadvmod",
        ):
            if t.dep_ == "punct" and t.text not in ("-", "."):
                break
            if t.ent_type_ in PLACES and any(x.text == "," for x in t.subtree):
                break  # "in Brookfield, Ohio, Chief Executive Sam Lee": the place is not part of the name
            left = min(left, t.left_edge.i if t.dep_ in ("compound", "nmod", "amod", "poss") else t.i)
        else:
            break
    right = head.i + 1
    for t in head.rights:
        if t.i == right and ((t.dep_ == "prep" and t.lower_ == "of") or t.dep_ in ("compound", "flat", "case")):
            right = t.right_edge.i + 1
        else:
            break
    # never include quote marks or text inside a quote
    while left < right and (doc[left].is_punct or art.tok_in_quote(p, doc[left])):
        left += 1
    while right > left and (doc[right - 1].is_punct and doc[right - 1].text != "."):
        right -= 1
    return left, right


def _person_after(art: Article, p: Para, head: Token, j: int) -> DocSpan | None:
    """A PERSON entity that a subject's noun phrase runs into, cut short by the parse: "said Blaze
    co-host Rob Ferris", "the Times's senior politics editor Ray Dolan", "the Council on Fair Trade
    Director Omar Bakri". Only capitalised words, role words and hyphens may stand between, and the
    phrase itself must hold no person's name already; None otherwise."""
    doc = head.doc
    if head.ent_type_ == "PERSON" and all(t.text[:1].isupper() and t.text.isalpha() for t in doc[head.i : j]):
        return None  # already a name: "said Tom Hale"
    for ent in doc.ents:
        if (
            ent.label_ == "PERSON"
            and ent.end == head.right_edge.i + 1
            and head.ent_type_ == "ORG"
            and head.i < ent.start
            and _joins_role(doc[ent.start - 1])
            and doc[ent.start - 1].text[:1].isupper()
            and not art.tok_in_quote(p, ent[0])
        ):
            return ent  # "The Council on Arab-American Relations Executive Director Nadia Awan": one phrase
        if (
            ent.start == j
            and head.pos_ == "NOUN"
            and describes_person(head.lower_)
            and is_given_name(ent[0].text)
            and person_mislabelled(ent)
            and not art.tok_in_quote(p, ent[0])
        ):
            return ent  # "said longtime resident Helen Park": the recogniser called the name a building
        if ent.label_ != "PERSON" or ent.start < j or ent.start > j + 6:
            continue
        between = doc[j : ent.start]
        if all(_joins_role(t) for t in between) and not art.tok_in_quote(p, ent[0]):
            return ent
        return None
    return None


def _titles_joined_to_name(head: Token) -> Token | None:
    """The last token of the name in "Gov. and Committee Chairman Ed Rendell" when head is a title word whose
    only conjunct is a person's name; None otherwise."""
    if head.pos_ != "PROPN" or not is_title_word(head.text) or head.ent_type_:
        return None
    conj = [c for c in head.children if c.dep_ == "conj"]
    if len(conj) != 1 or conj[0].ent_type_ != "PERSON" or not any(c.lower_ == "and" for c in head.children):
        return None
    return conj[0]


def _describes_one_person(head: Token) -> bool:
    """A role noun ("Her campaign manager"), a relative ("Schilling's son") or "one of" people ("One of the
    university's top executives") before a name in apposition."""
    low = head.lower_
    if head.pos_ == "NOUN":
        return describes_person(low) or low in relational_nouns()
    if low == "one":
        of = [g for c in head.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return bool(of) and describes_person(of[0].lower_.removesuffix("s"))
    return False


def _appos_name(art: Article, p: Para, head: Token, t: Token) -> Mention | None:
    """ "Her campaign manager, Tom Berg, said": a role described by a common noun, then a person's name in
    apposition; the name is the speaker, the description one of their titles. None otherwise."""
    lone_given = t.ent_type_ != "PERSON" and t.left_edge.i == t.i and is_given_name(t.text)  # "his son, Grant,"
    if t.pos_ != "PROPN" or (t.ent_type_ != "PERSON" and not lone_given) or not _describes_one_person(head):
        return None
    of = [c for c in head.rights if c.lower_ == "of"] if head.lower_ == "one" else []
    last = of[0].right_edge if of else head  # "One of the university's top executives"
    doc = head.doc
    if doc[last.i + 1].text != ",":
        return None
    ai, aj = np_span(art, p, t)
    first = next((x.i for x in doc[ai:aj] if x.ent_type_ == "PERSON"), t.i) if not lone_given else t.i
    lead = doc[last.i + 2 : first]
    if t.left_edge.i != last.i + 2 and not (
        len(lead) <= 3 and all(x.is_lower for x in lead) and describes_person(lead[-1].lower_)
    ):
        return None  # the name right after the comma ("manager, Tom Berg,"), or after a role ("investor, retired
        # teacher Lorraine Parks,")
    toks = doc[max(ai, first) : aj]
    named = lone_given or all(x.ent_type_ == "PERSON" or x.text == "." for x in toks)
    if not len(toks) or not named or art.tok_in_quote(p, t):
        return None
    i, _ = np_span(art, p, head)
    s, e = art.a(p, toks[0]), art.z(p, toks[-1])
    ds, de = art.a(p, head.doc[i]), art.z(p, last)
    return Mention(s, e, art.text[s:e], "name", label="PERSON", appos=art.text[ds:de], surface=(ds, e))


def make_mention(art: Article, p: Para, head: Token | None) -> Mention | None:
    if head is None:
        return None
    doc = head.doc
    if head.lower_ in ("who", "that", "which") and head.dep_.startswith("nsubj"):
        v = head.head
        if v.dep_ == "relcl":
            surface = (art.a(p, head), art.z(p, head))
            ante = v.head
            in_pp = ante.dep_ == "pobj" and ante.head.head.pos_ in ("NOUN", "PROPN")
            if ante.ent_type_ in PLACES and in_pp:
                ante = ante.head.head  # "Democrats in Vilnius, who said": the Democrats
                in_pp = False
            if in_pp or ante.dep_ == "conj" or any(c.dep_ == "conj" for c in ante.children) or ante.ent_type_ in PLACES:
                # "Oprah Winfrey, Will Smith and Stevie Wonder, who joked", "Democrats on Capitol Hill,
                # who argued", "a spokesman for Clinton, who said": which of them is not sure, and a
                # place says nothing: the speaker stays unknown
                return Mention(surface[0], surface[1], art.text[surface[0] : surface[1]], "generic")
            m = make_mention(art, p, ante)
            if m is not None:
                m.surface = surface
            return m
        return None
    titled = _titles_joined_to_name(head)
    if titled is not None:
        # "said former Pennsylvania Gov. and Democratic National Committee Chairman Ed Rendell": two titles
        # joined by "and" before one name; the parse hangs the name on the first title as its conjunct
        s, e = art.a(p, doc[titled.left_edge.i]), art.z(p, titled)
        return Mention(s, e, art.text[s:e], "name", label="PERSON", surface=(art.a(p, doc[head.left_edge.i]), e))
    i, j = np_span(art, p, head)
    if i >= j:
        return None
    person = None if head.pos_ == "PRON" else _person_after(art, p, head, j)
    if person is not None:
        j = person.end  # "said Blaze co-host Rob Ferris": the name after the role is the speaker
    s, e = art.a(p, doc[i]), art.z(p, doc[j - 1])
    text = art.text[s:e]
    low = head.lower_
    if person is not None:
        return Mention(s, e, text, "name", label="PERSON")
    if head.pos_ == "PRON" or low in PRONOUNS:
        if low in ("i", "we", "you", "me", "us", "it", "this", "that", "these", "those", "what", "which", "there"):
            return Mention(s, e, text, "generic")
        g, pl = PRONOUNS.get(low, (None, False))
        return Mention(s, e, text, "pronoun", gender=g, plural=pl)
    label = head.ent_type_ or None
    appos = None
    for t in head.rights:
        if t.dep_ == "appos":
            ai, aj = t.left_edge.i, t.right_edge.i + 1
            appos = doc[ai:aj].text
            named = _appos_name(art, p, head, t)
            if named is not None:
                return named
            break
    has_propn = any(doc[k].pos_ == "PROPN" or (doc[k].text[:1].isupper() and k > i) for k in range(i, j))
    if head.pos_ == "PROPN" or label in ("PERSON", "ORG", "NORP", "GPE") or has_propn:
        kind = "name"
    elif head.pos_ == "NOUN":
        kind = "description"
    else:
        kind = "generic"
    return Mention(s, e, text, kind, label=label, appos=appos)


def subject_of(art: Article, v: Token, p: Para | None = None) -> Token | None:
    """The speaker token of cue verb v: nsubj, passive agent, or the subject of the verb it hangs from."""
    r = _subject_of(art, v)
    if p is not None and r is not None and art.tok_in_quote(p, r):
        r = None
    if r is None and p is not None and v.tag_ == "VBG" and not art.tok_in_quote(p, v):
        # a participle ("…, asserting, …") takes the sentence's subject
        for t in reversed(list(v.doc[v.sent.start : v.i])):
            if t.dep_ == "nsubj" and t.pos_ in ("PROPN", "PRON", "NOUN") and not art.tok_in_quote(p, t):
                return t
    return r


def _first_subject(subj: list[Token], h: Token) -> Token:
    """Of a verb's subjects (the parser gives two in "in Salem, New Hampshire, Trump went …"), a person's,
    then the one nearest before the verb that names no place."""
    before = [c for c in subj if c.i < h.i] or subj
    person = next((c for c in reversed(before) if c.ent_type_ == "PERSON"), None)
    if person is not None:
        glued = [c for c in before if c.i == person.left_edge.i - 1 and c.ent_type_ == "ORG"]
        return glued[0] if glued else person  # "CPUC President Marybel Batjer": one phrase cut in two
    return next((c for c in reversed(before) if c.ent_type_ not in ("GPE", "LOC")), subj[0])


def _subject_of(art: Article, v: Token) -> Token | None:
    if v.lower_ == "according":
        for c in v.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    h = v
    for _ in range(6):
        if h is not v and h.head.i != h.i and any(c.dep_ == "advmod" and c.tag_ == "WRB" for c in h.children):
            h = h.head  # "… - where the Panthers played - while chanting": not the Panthers' chant
            continue
        passive = [c for c in h.children if c.dep_ == "nsubjpass"]
        if h is not v and v.dep_ == "conj" and v.tag_ != "VBN" and passive and passive[0].lower_ != "it":
            return passive[0]  # "Stein was joined on stage by Franken and joked": Stein joked, not Franken
        for c in h.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        subj = [c for c in h.children if c.dep_ in ("nsubj",)]
        if subj:
            s = _first_subject(subj, h)
            if s.pos_ == "ADP":  # "Of Carson, Levine … said": the preposition taken for the subject
                s = next((g for g in s.children if g.dep_ == "pobj"), s)
            if s.ent_type_ in ("GPE", "LOC"):  # "in Salem, New Hampshire, Senator Ann Hale went": the appos
                s = next((g for g in s.children if g.dep_ == "appos" and g.ent_type_ == "PERSON"), s)
            return s
        if any(c.dep_ == "nsubjpass" for c in h.children):
            return None  # "it was reported that": no source
        if h is v and _shown_speaking(v):
            return v.doc[v.i - 1]
        if h.dep_ in ("advcl", "xcomp", "conj", "pcomp") and h.head.i != h.i:
            h = h.head
            if h.dep_ == "prep" and h.head.i != h.i:  # "by saying that …"
                h = h.head
            if h.dep_ == "ccomp" and art.is_cue(h.head):
                h = h.head  # "X said that A is B, recalling that …": the participle is X's
            continue
        if h.dep_ == "parataxis" and h.head.tag_ == "VBG" and h.head.i < h.i:
            h = h.head  # "Durbin, noting the size of his list, said": the parser made the participle the root
            continue
        if h.dep_ == "acl" and h.tag_ == "VBG" and h.head.pos_ in ("PROPN", "PRON"):
            return h.head  # "Landsbergis, saying that …"
        if (
            h.dep_ == "acl"
            and h.tag_ == "VBD"
            and h.head.dep_ == "ROOT"
            and any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in h.head.rights)
        ):
            return h.head  # "the GOP nominee, Walter Brandt, tweeted": the parser hung the verb on the subject
        break
    prev = v.doc[v.i - 1] if v.i > 0 else None
    if (
        h is v
        and prev is not None
        and prev.ent_type_ == "PERSON"
        and prev.dep_ == "pobj"
        and v.tag_ == "VBD"
        and prev.head.head.i != v.i
        and prev.head.head.i > v.sent.start
    ):
        return prev  # "At its headquarters in Ohio, Chief Executive Sam Lee said": the phrase swallowed the subject
    if h is v:
        for c in v.lefts:
            if c.dep_ not in ("ccomp", "advcl"):
                continue
            subj = [g for g in c.children if g.dep_ == "nsubj"]
            if c.tag_ == "VBG" and subj and subj[0].ent_type_ == "PERSON":
                return subj[0]  # "Penhallow, noting the size of the list, said": the subject hung on the participle
            if len(subj) == 2 and subj[1].lower_ == "who" and subj[0].pos_ in ("PROPN", "NOUN"):
                return subj[0]  # "Sanders, meanwhile, who sits at zero, said": the relative clause taken for a clause
    if h is v and prev is not None and prev.text == "," and v.i >= 2:
        return _swallowed_appositive(v.doc[v.i - 2])
    return None


def _swallowed_appositive(x: Token) -> Token | None:
    """The person whose appositive phrase ends at x, when the parser hung that person on an earlier phrase.

    "on Dec. 2, Col. Ann Hale, a military spokeswoman in Baghdad, said": the parser makes Hale an appositive
    of the date and leaves the verb without a subject; the person phrase ending right before the verb's
    comma is its subject.
    """
    end = x.i
    for _ in range(8):
        if x.ent_type_ == "PERSON" and x.dep_ == "appos" and x.right_edge.i in (end, end + 1):  # the comma too
            return x
        if x.dep_ not in _PHRASE_DEPS or x.head.i >= x.i:
            return None
        x = x.head
    return None


def _shown_speaking(v: Token) -> bool:
    """A participle right after the person it shows speaking ("footage of Ann Hale asking, “…”", "the ad shows
    Hale saying"): the parser hangs it on the main verb, whose subject is the ad, not the speaker. Not after
    "to" ("a letter to Hale asking …" asks Hale)."""
    prev = v.doc[v.i - 1] if v.i > 0 else None
    return (
        v.tag_ == "VBG"
        and v.dep_ in ("xcomp", "advcl", "acl")
        and prev is not None
        and prev.ent_type_ == "PERSON"
        and (prev.dep_ == "dobj" or (prev.dep_ == "pobj" and prev.head.lower_ == "of"))
    )


def issuer_of(art: Article, m: Mention) -> tuple[int, int] | None:
    """The (start, end) of the subject who put out the text "the statement"/"the email" m names: the latest "a
    statement" before it, in its paragraph or the two before, as the object of a verb that issues it ("Obama
    released a statement …") or in "In a statement, the company said"; None when that has no subject."""
    noun = m.text.lower().split()[-1]
    here = art.para_index(m.start)
    for pi in range(here, max(-1, here - ISSUER_PARAS_BACK - 1), -1):
        p = art.paras[pi]
        if p.doc is None or not p.parsed:
            continue
        for t in reversed(p.doc):
            if (
                t.lower_ != noun
                or p.start + t.idx >= m.start
                or not any(c.lower_ in ("a", "an") for c in t.children)
                or art.tok_in_quote(p, t)
            ):
                continue
            v = _issuing_verb(t)
            s = subject_of(art, v, p) if v is not None else None
            if s is None or any(c.dep_ in ("poss", "conj") for c in s.children):
                return None  # "Powell's office said in a statement", "Trump and Ryan issued a statement"
            return p.start + s.left_edge.idx, p.start + s.idx + len(s)
    return None


def _issuing_verb(t: Token) -> Token | None:
    """The verb that puts out the text t names: "released a statement", "In a statement, Hale said"."""
    if t.dep_ == "dobj" and t.head.lower_ in ISSUING_VERBS:
        return t.head
    if t.dep_ == "pobj" and t.head.lower_ == "in" and t.head.head.pos_ in ("VERB", "AUX"):
        return t.head.head
    return None

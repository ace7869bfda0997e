"""Finding quotes and their speaker mentions in one article (spaCy parse + rules).

Works on the *masked* text (noise blanked, same offsets). Each paragraph (line) is its own
spaCy Doc, so a caption or headline can never merge into the next sentence.
Produces `Candidate`s: content spans, kind, cue span and the speaker *mention*; who the mention
denotes is decided afterwards by app.quotes.speakers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from app.quotes.cues import Cues, cue_roles, load_cues
from app.quotes.marks import Quoted, scan
from app.quotes.people_api import describes_person

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

Span = tuple[int, int]
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
SUBJ = ("nsubj", "nsubjpass", "csubj")
PLACES = ("GPE", "LOC", "FAC")  # entity labels of places: a place is no speaker of a relative clause
NP_POS = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART", "PUNCT", "ADP", "CCONJ", "SPACE", "X"}
STOP_AFTER = {".", "!", "?"}
TOLD = cue_roles()["listener"]  # who comes after these verbs is the listener (data/cue_roles.txt)
NO_XCOMP = {"continue", "agree", "ask", "answer", "respond"}  # "continued to …", "agreed to …": not speech
DASHES = {"―", "—", "–", "-", "--"}
DASH_NAME = re.compile(r"\s*(?:―|—|–|--?)\s*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4})\.?\s*")
SENT_TERM_IN_QUOTE = re.compile(r"[.!?…][\"”»’']*\s*$")


@dataclass
class Mention:
    """A speaker mention in the text: "he", "Landsbergis", "the French president", "the Kremlin"."""

    start: int
    end: int
    text: str
    kind: str  # pronoun | name | description | organisation | generic
    label: str | None = None  # NER label of the head, if any
    appos: str | None = None  # apposition text ("the foreign minister")
    gender: str | None = None
    plural: bool = False
    surface: tuple[int, int] | None = None  # what the text says when it differs ("who" for "Smith, who said")
    described: str | None = None  # a pronoun whose antecedent is an unnamed person: their description

    @property
    def span(self) -> tuple[int, int]:
        return self.surface or (self.start, self.end)


# Who a quotation's attribution names, its cue (None: a dash and a name) and the paragraph it stands in; the
# mention is None when the subject found makes no mention (Article.make_mention returns None).
Attribution = tuple[Mention | None, Span | None, int]


@dataclass
class Candidate:
    spans: list[Span]
    kind: str  # direct | indirect | mixed
    mention: Mention | None
    cue: Span | None
    how: str  # after | before | reported | passive | according | floating | none
    para: int = 0
    quotes: list[int] = field(default_factory=list)  # indexes of marks.scan quotes it covers
    speaker: int | None = None  # filled by speakers.resolve
    ref: int | None = None  # floating quote: the candidate whose speaker it inherits
    described: str | None = None  # unresolved: the unnamed person the article means ("a company spokesman")

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass
class Para:
    """One paragraph (line) of the article: its offsets and, once app.quotes.pipeline has read it, its Doc."""

    start: int
    end: int
    doc: Doc | None = None  # spaCy Doc of masked[start:end] (full parse, or entities only), or None
    parsed: bool = False  # True when doc has the dependency parse (then doc is set)
    token_starts: list[int] | None = field(default=None, repr=False, compare=False)  # Article.tokens_between's index

    @property
    def parsed_doc(self) -> Doc | None:
        """The Doc when it holds the dependency parse, else None (not read, or read for entities only)."""
        return self.doc if self.parsed else None


def paragraphs(masked: str) -> list[Para]:
    out, pos = [], 0
    for line in masked.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append(Para(pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


_WORD = re.compile(r"[A-Za-z]+")


def needs_parse(masked: str, para: Para, cues: Cues, words: set[str]) -> bool:
    """Cheap filter: only paragraphs with a quote mark or a cue word go through the parser."""
    s = masked[para.start : para.end]
    if any(c in s for c in '"“”«»„‘') or "''" in s or " '" in s:
        return True
    return any(w.lower() in words for w in _WORD.findall(s))


@lru_cache(maxsize=1)
def _cue_filter() -> tuple[frozenset[str], re.Pattern]:
    cues = load_cues()
    words = frozenset(set(cues.strong) | set(cues.weak) | set(cues.objects))
    phrases = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, ph)) for ph in cues.phrases) + r")\b", re.I)
    return words, phrases


def sentence_needs_parse(s: str) -> bool:
    """A sentence with a quote mark, a reporting verb or a cue phrase needs the dependency parse."""
    if any(c in s for c in '"“”«»„‘') or "''" in s or " '" in s:
        return True
    words, phrases = _cue_filter()
    return any(w.lower() in words for w in _WORD.findall(s)) or phrases.search(s) is not None


def _reports_nothing(v: Token) -> bool:
    """ "did not say whether …", "declined to say how …", "didn't estimate how many …": a negated or
    refused cue whose clause is an open question reports no content ("did not say that …" does)."""
    roles = cue_roles()
    if not (any(c.dep_ == "neg" for c in v.children) or (v.dep_ == "xcomp" and v.head.lower_ in roles["refusal"])):
        return False
    return any(
        c.i > v.i and c.dep_ in ("ccomp", "advcl", "dobj", "xcomp") and c.left_edge.lower_ in roles["open_question"]
        for c in v.children
    )


def _asked_of(v: Token) -> bool:
    """ "Asked whether …", "when asked about …", "he was asked what …": a question put to someone by an
    asker the sentence does not name (no subject of its own, no "by" phrase)."""
    return (
        v.lower_ == "asked"
        and v.tag_ == "VBN"
        and not any(
            c.dep_ in ("nsubj", "agent") or (c.dep_ == "aux" and c.lower_ in ("has", "have", "had")) for c in v.children
        )
    )


_TRAIL_CLAUSE = {
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "while",
    "although",
    "though",
    "whereas",
    "something",
    "according",
    "but",
    "even",
}


def _cut_trailing(doc: Doc, idxs: list[int]) -> list[int]:
    """Drop a trailing ", which …" / " — something …" clause from a reported content."""
    for k, i in enumerate(idxs):
        if k >= 4 and doc[i].text in (",", "—", "–", ";") and i + 1 < len(doc) and doc[i + 1].lower_ in _TRAIL_CLAUSE:
            if _resumes_after(doc, i, idxs[k:]):
                continue  # "Gov. Ray Holt, who must decide, has said nothing": an aside, the content goes on
            return idxs[:k]
    return idxs


def _resumes_after(doc: Doc, i: int, tail: list[int]) -> bool:
    """Whether the content goes on after the clause that starts right after doc[i] (a comma or dash)."""
    c = doc[i + 1]
    while c.head.i != c.i and c.head.i > i:
        c = c.head
    return any(j > c.right_edge.i and not doc[j].is_punct for j in tail)


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


class Article:
    """One article's masked text, paragraphs (parsed) and quote-mark passages."""

    def __init__(self, masked: str, paras: list[Para], cues: Cues | None = None):
        self.text = masked
        self.paras = paras
        self.cues = cues or load_cues()
        self.quotes: list[Quoted] = scan(masked)
        self._pstarts = [p.start for p in paras]
        self.qparts = sorted((s, e, qi) for qi, q in enumerate(self.quotes) for s, e in q.parts)
        self._pairs = {ph for ph in self.cues.phrases if len(ph) == 2}
        self._qstarts = [s for s, _, _ in self.qparts]
        self._qends = sorted((e, s, qi) for s, e, qi in self.qparts)

    # ------------------------------------------------------------------ positions
    def para_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._pstarts, pos) - 1)

    def quote_at(self, pos: int) -> int | None:
        """Index of the quote whose span holds pos (marks included)."""
        i = bisect.bisect_right(self._qstarts, pos) - 1
        if i >= 0:
            s, e, qi = self.qparts[i]
            if s <= pos < e:
                return qi
        return None

    @staticmethod
    def a(p: Para, t: Token) -> int:
        return p.start + t.idx

    @staticmethod
    def z(p: Para, t: Token) -> int:
        return p.start + t.idx + len(t.text)

    @staticmethod
    def _token_starts(p: Para, doc: Doc) -> list[int]:
        """The start offsets of doc's tokens (doc is p.doc), computed once per paragraph."""
        if p.token_starts is None:
            p.token_starts = [t.idx for t in doc]
        return p.token_starts

    def tokens_between(self, p: Para, start: int, end: int) -> list[Token]:
        """Tokens of p (a paragraph with its Doc) whose start offset lies in [start, end)."""
        doc = p.doc
        assert doc is not None, "only paragraphs with a Doc are read token by token"
        starts = self._token_starts(p, doc)
        i = bisect.bisect_left(starts, start - p.start)
        j = bisect.bisect_left(starts, end - p.start)
        return list(doc[i:j])

    def last_token_before(self, p: Para, pos: int) -> Token | None:
        """The last token of p that ends at or before pos, or None (constant work per call, not per token)."""
        doc = p.doc
        assert doc is not None, "only paragraphs with a Doc are read token by token"
        k = bisect.bisect_left(self._token_starts(p, doc), pos - p.start) - 1
        while k >= 0 and self.z(p, doc[k]) > pos:
            k -= 1
        return doc[k] if k >= 0 else None

    def next_quote_start(self, pos: int, qi: int) -> int | None:
        """Start of the first quote part at or after pos that belongs to another quote than qi."""
        k = bisect.bisect_left(self._qstarts, pos)
        while k < len(self.qparts) and self.qparts[k][2] == qi:
            k += 1
        return self.qparts[k][0] if k < len(self.qparts) else None

    def prev_quote_end(self, lo: int, pos: int, qi: int) -> int | None:
        """The largest end <= pos of a quote part (of another quote than qi) that starts at or after lo."""
        k = bisect.bisect_right(self._qends, (pos, float("inf"), float("inf"))) - 1
        while k >= 0 and self._qends[k][0] >= lo:  # parts ending before lo also start before it
            e, s, j = self._qends[k]
            if j != qi and s >= lo:
                return e
            k -= 1
        return None

    def tok_in_quote(self, p: Para, t: Token) -> bool:
        return self.quote_at(self.a(p, t)) is not None

    # ------------------------------------------------------------------ cues
    def is_cue(self, t: Token, strong_only: bool = False) -> bool:
        """A cue verb (strong_only: one that takes direct quotes, not a clause-only or object cue), the first
        verb of a two-word cue phrase, or the "according" of "according to"."""
        w = t.lower_
        if t.pos_ not in ("VERB", "AUX") and not t.tag_.startswith("VB"):
            return w == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
        if w in self.cues.strong:
            return True
        if not strong_only and (w in self.cues.weak or w in self.cues.objects):
            return True
        nxt = t.doc[t.i + 1].lower_ if t.i + 1 < len(t.doc) else ""
        return (w, nxt) in self._pairs

    def cue_span(self, p: Para, t: Token) -> Span:
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and any(
            len(ph) == 2 and ph[0] == t.lower_ and ph[1] == nxt.lower_ for ph in self.cues.phrases
        ):
            return (self.a(p, t), self.z(p, nxt))
        return (self.a(p, t), self.z(p, t))

    # ------------------------------------------------------------------ mentions
    def np_span(self, p: Para, head: Token) -> tuple[int, int]:
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
        while left < right and (doc[left].is_punct or self.tok_in_quote(p, doc[left])):
            left += 1
        while right > left and (doc[right - 1].is_punct and doc[right - 1].text != "."):
            right -= 1
        return left, right

    def _person_after(self, p: Para, head: Token, j: int) -> DocSpan | None:
        """A PERSON entity that a subject's noun phrase runs into, cut short by the parse: "said Blaze
        co-host Rob Ferris", "the Times's senior politics editor Ray Dolan", "the Council on Fair Trade
        Director Omar Bakri". Only capitalised words, role words and hyphens may stand between, and the
        phrase itself must hold no person's name already; None otherwise."""
        doc = head.doc
        if head.ent_type_ == "PERSON" and all(t.text[:1].isupper() and t.text.isalpha() for t in doc[head.i : j]):
            return None  # already a name: "said Tom Hale"
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.start < j or ent.start > j + 6:
                continue
            between = doc[j : ent.start]
            if all(_joins_role(t) for t in between) and not self.tok_in_quote(p, ent[0]):
                return ent
            return None
        return None

    def _appos_name(self, p: Para, head: Token, t: Token) -> Mention | None:
        """ "Her campaign manager, Tom Berg, said": a role described by a common noun, then a person's name in
        apposition; the name is the speaker, the description one of their titles. None otherwise."""
        if head.pos_ != "NOUN" or not describes_person(head.lower_) or t.pos_ != "PROPN" or t.ent_type_ != "PERSON":
            return None
        if t.left_edge.i != head.i + 2 or head.doc[head.i + 1].text != ",":
            return None  # the name right after the comma: "manager, Tom Berg,"
        ai, aj = self.np_span(p, t)
        toks = t.doc[ai:aj]
        if not len(toks) or not all(x.ent_type_ == "PERSON" or x.text == "." for x in toks) or self.tok_in_quote(p, t):
            return None
        i, _ = self.np_span(p, head)
        s, e = self.a(p, toks[0]), self.z(p, toks[-1])
        ds, de = self.a(p, head.doc[i]), self.z(p, head)
        return Mention(s, e, self.text[s:e], "name", label="PERSON", appos=self.text[ds:de], surface=(ds, e))

    def make_mention(self, p: Para, head: Token | None) -> Mention | None:
        if head is None:
            return None
        doc = head.doc
        if head.lower_ in ("who", "that", "which") and head.dep_.startswith("nsubj"):
            v = head.head
            if v.dep_ == "relcl":
                surface = (self.a(p, head), self.z(p, head))
                ante = v.head
                in_pp = ante.dep_ == "pobj" and ante.head.head.pos_ in ("NOUN", "PROPN")
                if ante.ent_type_ in PLACES and in_pp:
                    ante = ante.head.head  # "Democrats in Vilnius, who said": the Democrats
                    in_pp = False
                if (
                    in_pp
                    or ante.dep_ == "conj"
                    or any(c.dep_ == "conj" for c in ante.children)
                    or ante.ent_type_ in PLACES
                ):
                    # "Oprah Winfrey, Will Smith and Stevie Wonder, who joked", "Democrats on Capitol Hill,
                    # who argued", "a spokesman for Clinton, who said": which of them is not sure, and a
                    # place says nothing: the speaker stays unknown
                    return Mention(surface[0], surface[1], self.text[surface[0] : surface[1]], "generic")
                m = self.make_mention(p, ante)
                if m is not None:
                    m.surface = surface
                return m
            return None
        i, j = self.np_span(p, head)
        if i >= j:
            return None
        person = None if head.pos_ == "PRON" else self._person_after(p, head, j)
        if person is not None:
            j = person.end  # "said Blaze co-host Rob Ferris": the name after the role is the speaker
        s, e = self.a(p, doc[i]), self.z(p, doc[j - 1])
        text = self.text[s:e]
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
                named = self._appos_name(p, head, t)
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

    def subject_of(self, v: Token, p: Para | None = None) -> Token | None:
        """The speaker token of cue verb v: nsubj, passive agent, or the subject of the verb it hangs from."""
        r = self._subject_of(v)
        if p is not None and r is not None and self.tok_in_quote(p, r):
            r = None
        if r is None and p is not None and v.tag_ == "VBG" and not self.tok_in_quote(p, v):
            # a participle ("…, asserting, …") takes the sentence's subject
            for t in reversed(list(v.doc[v.sent.start : v.i])):
                if t.dep_ == "nsubj" and t.pos_ in ("PROPN", "PRON", "NOUN") and not self.tok_in_quote(p, t):
                    return t
        return r

    def _subject_of(self, v: Token) -> Token | None:
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
            for c in h.children:
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
            subj = [c for c in h.children if c.dep_ in ("nsubj",)]
            if subj:
                return subj[0]
            if any(c.dep_ == "nsubjpass" for c in h.children):
                return None  # "it was reported that": no source
            if h.dep_ in ("advcl", "xcomp", "conj", "pcomp") and h.head.i != h.i:
                h = h.head
                if h.dep_ == "prep" and h.head.i != h.i:  # "by saying that …"
                    h = h.head
                if h.dep_ == "ccomp" and self.is_cue(h.head):
                    h = h.head  # "X said that A is B, recalling that …": the participle is X's
                continue
            if h.dep_ == "acl" and h.tag_ == "VBG" and h.head.pos_ in ("PROPN", "PRON"):
                return h.head  # "Landsbergis, saying that …"
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
        return None

    # ------------------------------------------------------------------ passes
    def reported(self) -> list[Candidate]:
        """Reported speech: the clause under a cue verb, "according to X, …", passive "stated by X"."""
        out: list[Candidate] = []
        for pi, p in enumerate(self.paras):
            doc = p.parsed_doc
            if doc is None:
                continue
            for t in doc:
                if not self.is_cue(t) or self.tok_in_quote(p, t) or _reports_nothing(t):
                    continue
                content_toks = None
                short_name = False
                how = "reported"
                if t.lower_ == "according":
                    sent = t.sent
                    excl = set(range(t.left_edge.i, t.right_edge.i + 1))
                    to = doc[t.i + 1]
                    excl |= set(range(to.left_edge.i, to.right_edge.i + 1)) | {to.i}
                    content_toks = [x.i for x in sent if x.i not in excl]
                    if content_toks and content_toks[0] < t.i and content_toks[-1] > to.right_edge.i:
                        # "A, according to X, B": keep both sides; "A, according to X." keeps A
                        pass
                else:
                    comps = [c for c in t.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
                    if not comps:
                        comps = self._that_clause(t)
                    xcomps = [
                        c
                        for c in t.children
                        if c.dep_ == "xcomp"
                        and c.i > t.i
                        and c.pos_ == "VERB"
                        and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
                    ]
                    if xcomps and not comps and self.is_cue(xcomps[0]) and _reports_nothing(xcomps[0]):
                        continue  # "declined to say whether …": the refusal reports nothing either
                    objs = [
                        o for o in t.children if o.dep_ in ("dobj", "dative") and xcomps and t.i < o.i < xcomps[0].i
                    ]
                    passive = [c for c in t.children if c.dep_ == "nsubjpass" and c.i < t.i]
                    if not comps and xcomps and passive and not any(c.dep_ == "agent" for c in t.children):
                        # "The plant is expected to close in May": what is expected, said or believed, by nobody
                        # the sentence names (the subject and the infinitive, without the cue)
                        x = xcomps[0]
                        s0 = passive[0]
                        content_toks = list(range(s0.left_edge.i, s0.right_edge.i + 1))
                        content_toks += _cut_trailing(doc, list(range(x.left_edge.i, x.right_edge.i + 1)))
                        how = "passive"
                    elif (
                        not comps
                        and xcomps
                        and t.lower_ not in self.cues.weak
                        and (self.cues.lemma(t.lower_) not in NO_XCOMP or (objs and self.cues.lemma(t.lower_) == "ask"))
                    ):
                        # "urged supporters to vote", "promised to cut taxes", "refused to hand over the files",
                        # "asked the board to resign" (the board is spoken to; the request is the content)
                        x = xcomps[0]
                        lo = objs[0].left_edge.i if objs else x.left_edge.i
                        content_toks = _cut_trailing(doc, list(range(lo, x.right_edge.i + 1)))
                    elif not comps and t.lower_ in self.cues.objects and self._has_subject(t):
                        content_toks = self._object_content(t, to=t.lower_ in self.cues.learnt)
                        if content_toks:
                            content_toks = _cut_trailing(doc, content_toks)
                            short_name = all(doc[k].pos_ == "PROPN" or doc[k].text == "." for k in content_toks)
                    elif comps:
                        c = comps[-1] if any(x.i > t.i for x in comps) else comps[0]
                        lo = c.left_edge.i if c.i < t.i else max(c.left_edge.i, t.i + 1)
                        if c.i > t.i and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children):
                            objs = [x for x in t.children if x.dep_ == "dobj" and t.i < x.i < lo]
                            if objs:  # "think the outreach … was phony": the subject landed on the cue
                                lo = objs[0].left_edge.i
                        content_toks = _cut_trailing(doc, list(range(lo, c.right_edge.i + 1)))
                    elif (
                        t.dep_ == "parataxis"
                        and t.head.pos_ in ("VERB", "AUX")
                        and any(c.dep_ == "nsubj" for c in t.children)
                    ):
                        h = t.head
                        excl = set(range(t.left_edge.i, t.right_edge.i + 1))
                        content_toks = _cut_trailing(doc, [x.i for x in h.subtree if x.i not in excl])
                    elif any(c.dep_ == "nsubjpass" and c.lower_ in ("this", "that", "it") for c in t.children) and any(
                        c.dep_ == "agent" for c in t.children
                    ):
                        # "This was stated by the Prime Minister …": the content is what came before
                        sent = t.sent
                        if sent.start > 0:
                            prev = doc[: sent.start]
                            content_toks = [x.i for x in prev]
                if not content_toks:
                    continue
                if t.lower_ != "according":
                    content_toks = self._cut_next_cue(t, content_toks)
                spans = self._token_spans(p, doc, content_toks)
                if not spans:
                    continue
                if t.lower_ in self.cues.plain and any(
                    qs < e and s < qe for qs, qe, _ in self.qparts for s, e in spans
                ):
                    continue  # quoted words under a cue learnt for plain reported speech only
                words = sum(len(re.findall(r"\w+", self.text[s:e])) for s, e in spans)
                if words < 3 and not short_name:  # "endorsed Trump": a name as the object is enough
                    continue
                if t.lower_ == "according":
                    how = "according"
                subj = self.subject_of(t, p)
                if subj is not None and subj.i > t.i and self.cues.lemma(t.lower_) in TOLD:
                    subj = None  # '"…," told CNN's Dana Cole': who comes after "told" is spoken to
                mention = self.make_mention(p, subj) if subj is not None else None
                if mention and any(s <= mention.start < e for s, e in spans):
                    continue
                if _asked_of(t):  # "Asked whether …, Ryan said": Ryan answered, the asker is unnamed
                    if any(self.is_cue(doc[k], strong_only=True) for k in content_toks):
                        continue  # "Asked why, Ryan replied: …": the answer is no part of the question
                    mention, how = None, "asked"
                out.append(
                    Candidate(spans=spans, kind="indirect", mention=mention, cue=self.cue_span(p, t), how=how, para=pi)
                )
        return out

    def _has_subject(self, v: Token) -> bool:
        """A subject of its own, or that of the cue it is joined to ("condemned the cuts but praised the
        mayor": the praise is the condemner's; "was not there and has opposed the plan" stays no report)."""
        if any(x.dep_ == "nsubj" for x in v.children):
            return True
        h = v.head
        return v.dep_ == "conj" and h.i < v.i and self.is_cue(h) and any(x.dep_ == "nsubj" for x in h.children)

    def _cut_next_cue(self, v: Token, idxs: list[int]) -> list[int]:
        """ "said the plan was dead and predicted that …": a second cue verb joined by "and"/"but" after the
        content, with no subject of its own, starts the same speaker's next statement; the content stops
        before the conjunction."""
        doc = v.doc
        for k, i in enumerate(idxs):
            x = doc[i]
            if k < 3 or i <= v.i or x.dep_ != "cc" or x.lower_ not in ("and", "but") or i + 1 >= len(doc):
                continue
            j = i + 1
            while j < len(doc) and doc[j].pos_ == "ADV":
                j += 1
            y = doc[j] if j < len(doc) else None
            if (
                y is not None
                and y.dep_ == "conj"
                and y.pos_ == "VERB"
                and self.is_cue(y)
                and not any(c.dep_ in SUBJ for c in y.children)
            ):
                return idxs[:k]
        return idxs

    @staticmethod
    def _object_content(v: Token, to: bool = False) -> list[int] | None:
        """ "criticized the plan as costly", "called for talks": the object and what completes it; with `to`
        (object cues learnt from news) a "to" phrase right after the verb too ("referred to the plan as …")."""
        parts: list[Token] = []
        for c in v.children:
            if c.i < v.i:
                continue
            if (
                c.dep_ in ("dobj", "oprd", "xcomp", "ccomp")
                or (c.dep_ == "prep" and c.lower_ in ("for", "as", "of", "on"))
                or (to and not parts and c.dep_ == "prep" and c.lower_ == "to" and c.i == v.i + 1)
            ):
                parts.append(c)
            elif c.dep_ == "prt" and c.lower_ in ("for", "on"):
                continue
            elif parts:
                break
        if not parts:
            return None
        lo = min(p.left_edge.i for p in parts)
        hi = max(p.right_edge.i for p in parts)
        idx = list(range(lo, hi + 1))
        return idx if len(idx) >= 2 or v.doc[lo].pos_ == "PROPN" else None  # "endorsed Trump": a name alone

    @staticmethod
    def _that_clause(v: Token) -> list[Token]:
        """A "that" clause the parser hung under a noun of the cue ("said in a statement that …")."""
        for x in v.subtree:
            if x.i <= v.i or x.pos_ not in ("VERB", "AUX") or x.dep_ not in ("acl", "relcl", "advcl"):
                continue
            if not any(c.dep_ == "mark" and c.lower_ == "that" for c in x.children):
                continue
            h = x.head
            while h.i != v.i and h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
                h = h.head
            if h.i == v.i:
                return [x]
        return []

    def _token_spans(self, p: Para, doc: Doc, idxs: list[int]) -> list[Span]:
        idxs = sorted(set(idxs))
        runs: list[list[int]] = []
        for i in idxs:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        spans = []
        for r in runs:
            while r and ((doc[r[0]].is_punct and doc[r[0]].text not in "\"“«‘'") or doc[r[0]].is_space):
                r = r[1:]
            while r and (
                (doc[r[-1]].is_punct and doc[r[-1]].text in (",", ";", ":", "-", "—", "–"))
                or doc[r[-1]].is_space
                or doc[r[-1]].lower_ in ("and", "but")
            ):
                r = r[:-1]
            if r:
                spans.append((self.a(p, doc[r[0]]), self.z(p, doc[r[-1]])))
        return spans

    def embedded(self, qi: int) -> Candidate | None:
        """A partial quote inside a sentence ("called Trump a “spoiled brat”"): the clause under its cue."""
        q = self.quotes[qi]
        if len(q.parts) != 1 or q.implicit_open:
            return None
        pi = self.para_index(q.start)
        p = self.paras[pi]
        doc = p.parsed_doc
        if doc is None:
            return None
        inside = self.tokens_between(p, q.start, q.end)
        prev = self.last_token_before(p, q.start)
        if not inside or prev is None:
            return None
        if prev.is_punct:
            return None  # the quote opens a clause of its own, not a fragment under a verb
        roots = [t for t in inside if not (q.start <= self.a(p, t.head) < q.end) or t.head.i == t.i]
        if not roots:
            return None
        v = roots[0].head if roots[0].head.i != roots[0].i else None
        for _ in range(6):
            if v is None or self.tok_in_quote(p, v):
                return None
            if self.is_cue(v) and v.pos_ in ("VERB", "AUX") and v.lower_ != "according":
                if v.lower_ in self.cues.plain:
                    return None  # learnt for plain reported speech only (data/cues.txt "%" lines)
                break
            if v.head.i == v.i:
                return None
            v = v.head
        else:
            return None
        if any(c.dep_ == "ccomp" for c in v.children):
            return None  # reported() handles the clause
        right = [t for t in v.subtree if t.i > v.i]
        if not right:
            return None
        lo, hi = right[0].i, right[-1].i
        whats = [
            t for t in v.subtree if t.i < v.i and t.lower_ == "what" and t.dep_ in ("dobj", "oprd", "attr", "nsubj")
        ]
        if whats:
            lo = whats[0].i  # "what she called a “rant”"
        anc = roots[0]
        while anc.head.i != v.i and anc.head.i != anc.i:
            anc = anc.head
        if anc.head.i == v.i:
            hi = max(anc.right_edge.i, max(t.i for t in inside))
        for t in right:  # the clause ends at the first comma after the quote
            if self.a(p, t) >= q.end and t.text in (",", ";", "—", "–", ":"):
                hi = t.i - 1
                break
        after = [t for t in right if self.a(p, t) >= q.end and t.i <= hi]
        if after and after[0].head.i == v.i:
            hi = max(t.i for t in inside)  # "called her a “disgrace” Wednesday on …": the adjunct is not said
        if self.a(p, doc[lo]) > q.start or self.z(p, doc[hi]) < q.end:
            return None
        spans = self._token_spans(p, doc, list(range(lo, hi + 1)))
        subj = self.subject_of(v, p)
        mention = self.make_mention(p, subj) if subj is not None else None
        return Candidate(
            spans=spans, kind="mixed", mention=mention, cue=self.cue_span(p, v), how="embedded", para=pi, quotes=[qi]
        )

    def attribution_after(self, qi: int) -> Attribution | None:
        """`"…," he said` / `"…," said Mr. Smith` / `"…," added the French head of state`."""
        q = self.quotes[qi]
        pi = self.para_index(q.end - 1)
        p = self.paras[pi]
        if not p.parsed:
            return None
        nxt = self.next_quote_start(q.end, qi)
        limit = p.end if nxt is None else min(p.end, nxt)
        toks = self.tokens_between(p, q.end, limit)[:20]
        inner_end = SENT_TERM_IN_QUOTE.search(self.text[q.parts[-1][0] : q.end]) is not None
        m = DASH_NAME.match(self.text, q.end, p.end)
        if m and m.end() == p.end:
            # “…” ― Esther Tapia   (a dash and a name closing the paragraph)
            name = m.group(1)
            if name.endswith(".") and len(name.split()[-1]) > 3:
                name = name[:-1]
            return Mention(m.start(1), m.start(1) + len(name), name, "name"), None, pi
        for k, t in enumerate(toks):
            if t.text in STOP_AFTER:
                return None
            if self.is_cue(t, strong_only=True):
                before = toks[:k]
                if any(b.pos_ in ("VERB", "AUX") and not self.is_cue(b) for b in before):
                    return None
                if any(b.lower_ in ("who", "which", "that", "when", "as", "because", "if") for b in before):
                    return None
                listener = self.cues.lemma(t.lower_) in ("tell", "ask", "inform", "assure", "remind")
                told = self.cues.lemma(t.lower_) in TOLD  # "asked Senator X" asks
                if (
                    inner_end
                    and before
                    and any(
                        (c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and not listener)) and c.i > t.i
                        for c in t.children
                    )
                ):
                    return None  # a new sentence with its own statement
                if (
                    inner_end
                    and not before
                    and t.lower_ != "according"
                    and not (
                        t.text[:1].islower()
                        and self.text[q.parts[-1][0] : q.end].rstrip(" \"”’'»").endswith(("?", "!"))
                    )
                ):
                    return None  # '"…?" asked Senator X' goes on the same sentence; '"…." Asked about …' does not
                subj = self.subject_of(t, p)
                if subj is not None and (self.a(p, subj) < q.end or self.tok_in_quote(p, subj)):
                    subj = None
                if told and not before and (subj is None or subj.i > t.i):
                    return None  # '"…," told CNN's Dana Cole': the one after "told" is spoken to, not the speaker
                if subj is None and before:
                    names = [b for b in before if b.pos_ in ("PROPN", "PRON")]
                    heads = [b for b in before if b.pos_ in ("NOUN",)]
                    subj = self._name_head(names[0]) if names else (heads[-1] if heads else None)
                if subj is None:
                    subj = self._inverted_subject(p, t)
                mention = self.make_mention(p, subj) if subj is not None else None
                if mention is None:
                    return None
                return mention, self.cue_span(p, t), pi
            if t.pos_ not in NP_POS and not t.is_space:
                if t.pos_ in ("ADV",) and k < 3:
                    continue
                return None
        return None

    @staticmethod
    def _name_head(t: Token) -> Token:
        """The last token of a run of proper nouns starting at t ("Ryan" → "Ellis" in "Ryan Ellis")."""
        doc = t.doc
        j = t.i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and t.pos_ == "PROPN":
            j += 1
        return doc[j]

    def _inverted_subject(self, p: Para, v: Token) -> Token | None:
        """`said Mr. Smith`: the noun phrase right after the cue."""
        doc = v.doc
        cands = [
            c
            for c in v.children
            if c.i > v.i and c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "dative", "oprd", "appos", "nsubjpass")
        ]
        if cands:
            return cands[0]
        j = v.i + 1
        while j < len(doc) and doc[j].pos_ == "ADV":
            j += 1
        if j < len(doc) and doc[j].pos_ in ("PROPN", "NOUN", "DET", "ADJ"):
            k = j
            while (
                k + 1 < len(doc)
                and (doc[k + 1].pos_ in ("PROPN", "NOUN", "ADJ") or doc[k + 1].text == "-")
                and not self.tok_in_quote(p, doc[k + 1])
            ):
                k += 1
            return doc[k] if doc[k].pos_ in ("PROPN", "NOUN") else None
        return None

    def attribution_before(self, qi: int) -> Attribution | None:
        """`Šimonite replied: "…"` / `Still, he said, "…"`."""
        q = self.quotes[qi]
        if q.implicit_open:
            return None
        pi = self.para_index(q.start)
        p = self.paras[pi]
        if not p.parsed:
            return None
        if (
            q.start == p.start
            and pi > 0
            and self.paras[pi - 1].parsed
            and self.text[: self.paras[pi - 1].end].rstrip().endswith(":")
        ):
            p = self.paras[pi - 1]  # He said:\n\n"We have a situation …"
            pi -= 1
        prev_end = self.prev_quote_end(p.start, q.start, qi)
        lo = p.start if prev_end is None else max(p.start, prev_end)
        toks = [t for t in self.tokens_between(p, lo, q.start) if self.z(p, t) <= q.start]
        if not toks:
            return None
        last = toks[-1]
        if not (last.text in (":", ",") or self.is_cue(last) or last.lower_ == "that"):
            return None
        # stay within the sentence of the last token
        sent_start = last.sent.start
        toks = [t for t in toks if t.i >= sent_start] or toks[-8:]
        for t in reversed(toks):
            if self.is_cue(t, strong_only=True) or t.lower_ == "according":
                subj = self.subject_of(t, p)
                if subj is None and t.i + 1 < len(t.doc) and self.z(p, t) < q.start:
                    subj = self._inverted_subject(p, t)  # Said Ellis: "…"
                if subj is None or self.tok_in_quote(p, subj):
                    return None
                return self.make_mention(p, subj), self.cue_span(p, t), pi
        return None

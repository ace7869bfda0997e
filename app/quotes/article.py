"""One article as extraction reads it: paragraphs with their spaCy Docs, quote-mark passages, cue words.

Works on the *masked* text (noise blanked, same offsets). Each paragraph (line) is its own spaCy Doc, so a
caption or headline can never merge into the next sentence. `Article` answers where things are (the
paragraph and the quotation at an offset, the tokens between two offsets, token runs as character spans)
and whether a token is a reporting cue. The passes that find quotes and their speaker mentions read it:
app.quotes.reported, app.quotes.attribution (with app.quotes.subjects); what they produce is a
`Candidate` with a speaker `Mention`, whom app.quotes.speakers resolves afterwards.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from app.quotes.cues import Cues, load_cues
from app.quotes.marks import Quoted, scan

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc, Token

Span = tuple[int, int]


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
# mention is None when the subject found makes no mention (app.quotes.subjects.make_mention returns None).
Attribution = tuple[Mention | None, Span | None, int]


@dataclass
class Candidate:
    """A quotation or reported content found in the article: content spans, kind, cue and speaker mention;
    `speaker` and `described` are set once app.quotes.speakers has resolved the mention."""

    spans: list[Span]
    kind: str  # direct | indirect | mixed
    mention: Mention | None
    cue: Span | None
    how: str  # after | before | reported | passive | according | floating | none
    para: int = 0
    quotes: list[int] = field(default_factory=list)  # indexes of marks.scan quotes it covers
    speaker: int | None = None  # filled by app.quotes.speakers (Resolver.run)
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
    """The article's non-blank lines as paragraphs, their surrounding whitespace left out."""
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

    def sentence_key(self, pos: int) -> tuple[int, int]:
        """(paragraph, sentence) of offset pos: the sentence's index in a parsed paragraph, else 0."""
        pi = self.para_index(pos)
        p = self.paras[pi]
        doc = p.parsed_doc
        if doc is None:
            return (pi, 0)
        for k, s in enumerate(doc.sents):
            if p.start + s.start_char <= pos < p.start + s.end_char + 1:
                return (pi, k)
        return (pi, 0)

    def tok_in_quote(self, p: Para, t: Token) -> bool:
        return self.quote_at(self.a(p, t)) is not None

    # ------------------------------------------------------------------ cues
    def is_cue(self, t: Token, strong_only: bool = False) -> bool:
        """A cue verb (strong_only: one that takes direct quotes, not a clause-only or object cue), the first
        verb of a two-word cue phrase, or the "according" of "according to"."""
        w = t.lower_
        if t.pos_ not in ("VERB", "AUX") and not t.tag_.startswith("VB"):
            return w == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
        if t.dep_ == "amod":
            return False  # "in a written statement", "a prepared text": a participle describing a noun
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

    # ------------------------------------------------------------------ spans
    def token_spans(self, p: Para, doc: Doc, idxs: list[int]) -> list[Span]:
        """Character spans of the runs of consecutive tokens among idxs (doc is p's Doc), each without the
        punctuation, space or "and"/"but" at its edges (an opening quote mark stays)."""
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

"""One rule for every surface: only the speaker's verbatim words stand inside quotation marks.

- A direct quote is its words inside “ ”.
- Reported speech (kind "indirect") is shown as reported speech, speaker first, without marks:
  "Jens Stoltenberg clarified that the military bloc …", labelled "paraphrase".
- A mixed quote is reported speech too; only the words the reporter put in marks keep them:
  "Gabrielius Landsbergis said the proposal … is “more practical” than …".

Cards, the permalink page, the share PNG, the embed snippet, citations, Atom entries and the
OpenGraph/Twitter descriptions all build their text from `speech()` / `speech_of()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.quotes.cues import load_cues
from app.sharing.words import quote_words

UNKNOWN = "An unknown speaker"
FALLBACK_VERB = "said"
MAX_VERB_WORDS = 4  # "has long called", "told reporters": longer gaps are a clause of their own
LABELS = {"direct": "quote", "indirect": "paraphrase", "mixed": "paraphrase with quoted words"}
TITLES = {
    "direct": "Direct quotation: the speaker's exact words",
    "indirect": "Paraphrase: the reporter's words, not the speaker's",
    "mixed": "Paraphrase: only the words in quotation marks are the speaker's",
}
_QUOTED = re.compile(r"[\"“„«]([^\"“”„«»]+)[\"”»]|[\"“„«]([^\"“”„«»]+)$")
_BREAK = re.compile(r"[.,;:!?\"“”„«»()\[\]\n]")
_TRAIL = " ,;:"


@dataclass(frozen=True)
class Piece:
    """A run of the quote's words; `verbatim` runs are the speaker's own and go inside marks."""

    text: str
    verbatim: bool


@dataclass(frozen=True)
class Speech:
    """What to show for a quote: who, the reporting verb (reported speech only) and the words."""

    kind: str
    speaker: str
    verb: str
    pieces: tuple[Piece, ...]

    @property
    def paraphrase(self) -> bool:
        """True for reported speech (indirect or mixed): never drawn as a quotation."""
        return self.kind != "direct"

    @property
    def label(self) -> str:
        """ "quote", "paraphrase" or "paraphrase with quoted words"."""
        return LABELS.get(self.kind, "paraphrase")

    @property
    def title(self) -> str:
        """The label's explanation (a tooltip)."""
        return TITLES.get(self.kind, TITLES["indirect"])

    def words(self) -> str:
        """The words with marks around the verbatim runs only."""
        return "".join(f"“{p.text}”" if p.verbatim else p.text for p in self.pieces)

    def lead(self) -> str:
        """ "Jens Stoltenberg clarified" for reported speech, "" for a direct quote."""
        return f"{self.speaker} {self.verb}" if self.paraphrase else ""

    @property
    def joiner(self) -> str:
        """What goes between the lead and the words: ": " before a capital ("said: The bloc …"), else " "."""
        first = self.pieces[0].text[:1] if self.pieces else ""
        return ": " if first.isupper() else " "

    def line(self) -> str:
        """The one-line text: “words” (direct) or "Speaker verb words" (reported)."""
        return f"{self.lead()}{self.joiner}{self.words()}" if self.paraphrase else self.words()


def pieces(text: str | None, kind: str) -> tuple[Piece, ...]:
    """The quote's words split into verbatim runs (inside the article's marks) and reported ones."""
    if kind == "direct":
        words = quote_words(text, kind)
        return (Piece(words, True),) if words else ()
    text = re.sub(r"\s+", " ", text or "").strip().rstrip(_TRAIL)
    out: list[Piece] = []
    pos = 0
    for m in _QUOTED.finditer(text):
        if m.start() > pos:
            out.append(Piece(text[pos : m.start()], False))
        inner = (m.group(1) or m.group(2) or "").strip()
        if inner:
            out.append(Piece(inner, True))
        pos = m.end()
    if pos < len(text):
        out.append(Piece(text[pos:], False))
    return tuple(out)


def reporting_verb(quote, article_text: str | None) -> str:
    """The verb that introduces reported speech: the article's own words between speaker and content
    ("clarified", "has long called") when they are a short run holding the cue, else the cue when it is a
    plain past form ("noted"), else "said"."""
    spans = [s for s in (getattr(quote, "spans", None) or []) if len(s) == 2]
    speaker, cue = getattr(quote, "speaker_span", None), getattr(quote, "cue_span", None)
    text = article_text or ""
    if (
        spans
        and speaker
        and cue
        and len(speaker) == 2
        and len(cue) == 2
        and speaker[1] <= cue[0] < spans[0][0] <= len(text)
    ):
        gap = text[speaker[1] : spans[0][0]]
        words = gap.split()
        if words and not _BREAK.search(gap.strip().rstrip(",")) and len(words) <= MAX_VERB_WORDS:
            return " ".join(words).rstrip(",")
    cue_text = (getattr(quote, "cue_text", None) or "").strip()
    if re.fullmatch(r"[A-Za-z]+ed", cue_text) and load_cues().lemma(cue_text):
        return cue_text.lower()
    return FALLBACK_VERB


def speech(text: str | None, kind: str, speaker: str | None = None, verb: str = FALLBACK_VERB) -> Speech:
    """A Speech from plain values (speaker None: unknown)."""
    return Speech(kind or "direct", (speaker or "").strip() or UNKNOWN, verb, pieces(text, kind or "direct"))


def speech_of(quote, person=None, article=None) -> Speech:
    """The Speech of a stored Quote with its Person (None: unknown speaker) and Article."""
    verb = reporting_verb(quote, getattr(article, "text", None)) if quote.kind != "direct" else ""
    return speech(quote.text, quote.kind, getattr(person, "name", None), verb)

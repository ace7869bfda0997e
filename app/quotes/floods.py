"""Quote-mark floods: stretches too dense in quote marks to hold an attributable quotation.

A quotation worth attributing holds words between its marks, and prose between quotations holds
a speaker and a cue. A stretch where every mark follows the previous one within MAX_GAP_WORDS words,
for MIN_RUN_MARKS marks in a row (`a" a" a" …`, `a b c" a b c" …`, `“a ”b “a”`, `‘x’ ‘y’ …`, one
mark per line over many lines), is neither, yet the parser would read all of it as tiny
quotations, at its own speed. `flood_spans(text)` finds such stretches in one linear pass; `mask_floods(text)` blanks them
like app.text.noise masks noise (same length, offsets unchanged; a flood becomes a paragraph break),
so the stages after it never see them. A mark counts only when few words stand on both its sides, so
the mark of a real quotation next to a flood stays and still pairs. Apostrophes inside words (don't,
it’s) are not marks.
"""

from __future__ import annotations

import re

from app.quotes.marks import MARK_RE
from app.quotes.types import Skipped

# Real quotations and the prose between them mostly hold four words or more between consecutive marks.
# Lists of short scare quotes or titles and quick exchanges ('"No," he said.') hold fewer, but never
# for long: over the 924 PolNeAR articles and the 110 article-extraction bodies the longest run of
# marks at most three words apart is 8 marks. A run of MIN_RUN_MARKS (24 such quotations in a row)
# is six times that.
MAX_GAP_WORDS = 3
MIN_RUN_MARKS = 48
REASON = "quote-mark flood"
_WORD = re.compile(r"\w+")


def _in_word(text: str, i: int, n: int) -> bool:
    """An apostrophe between two letters or digits (don't, it’s, rock'n'roll)."""
    return i > 0 and i + n < len(text) and text[i - 1].isalnum() and text[i + n].isalnum()


def _few_words(text: str, a: int, b: int) -> bool:
    """At most MAX_GAP_WORDS words in text[a:b] (stops reading at the first word too many)."""
    return all(k < MAX_GAP_WORDS for k, _ in enumerate(_WORD.finditer(text, a, b)))


def flood_spans(text: str) -> list[Skipped]:
    """Every run of MIN_RUN_MARKS or more dense marks, from the start of its first to the end of its last;
    in text order, in linear time. A mark is dense when at most MAX_GAP_WORDS words separate it from the
    marks (or the text's ends) on both sides, so a real quotation's mark next to a flood is not."""
    out: list[Skipped] = []
    run_start = run_end = -1
    count = 0

    def feed(i: int, j: int, dense: bool) -> None:
        nonlocal run_start, run_end, count
        if dense:
            run_start, run_end, count = (run_start if count else i), j, count + 1
            return
        if count >= MIN_RUN_MARKS:
            out.append(Skipped(run_start, run_end, REASON))
        count = 0

    prev: tuple[int, int, bool] | None = None  # the previous mark, and whether few words come before it
    for m in MARK_RE.finditer(text):
        i, j = m.span()
        if _in_word(text, i, j - i):
            continue
        close = _few_words(text, prev[1] if prev else 0, i)
        if prev:
            feed(prev[0], prev[1], prev[2] and close)
        prev = (i, j, close)
    if prev:
        feed(prev[0], prev[1], prev[2] and _few_words(text, prev[1], len(text)))
    feed(0, 0, False)
    return out


def mask_floods(text: str) -> tuple[str, list[Skipped]]:
    """text with every flood blanked, and the floods. Same length: each flood becomes a paragraph break
    (its first and last character a newline, the rest spaces, newlines kept), so the words left on
    either side are short paragraphs of their own and no paragraph grows past spaCy's length limit."""
    spans = flood_spans(text)
    if not spans:
        return text, spans
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos : s.start])
        inside = re.sub(r"[^\n]", " ", text[s.start + 1 : s.end - 1])
        parts.append("\n" + inside + "\n")
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts), spans

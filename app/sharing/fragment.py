"""Text-fragment links (`#:~:text=…`) that open the original article at the quoted passage.

Built from the stored exact text of the article (WICG Scroll to Text Fragment): a short quote is
matched whole, a long one by its first and last words (`textStart,textEnd`); a short or ambiguous
quote gets `prefix-,` / `,-suffix` context from the words around it on the same line.
"""
from __future__ import annotations

import re
from urllib.parse import quote as _pct

QUOTE_MARKS = "\"'“”„‟«»‘’‚‛‹›「」『』"
SHORT_WORDS = 4  # fewer words than this: add context
EXACT_MAX_WORDS = 10  # more words than this: textStart,textEnd
EDGE_WORDS = 4  # words in textStart / textEnd
CONTEXT_WORDS = 3  # words in prefix / suffix


def encode(term: str) -> str:
    """Percent-encode a directive term: everything but unreserved characters, and '-' too."""
    return _pct(term, safe="").replace("-", "%2D")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _count(haystack: str, needle: str) -> int:
    """Occurrences of needle in haystack (whitespace-collapsed, case-insensitive, overlapping)."""
    hay, needle = _norm(haystack), _norm(needle)
    if not needle:
        return 0
    count, pos = 0, hay.find(needle)
    while pos != -1:
        count += 1
        pos = hay.find(needle, pos + 1)
    return count


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Move start/end inwards past whitespace and quote marks."""
    start, end = max(0, start), min(len(text), end)
    while start < end and (text[start].isspace() or text[start] in QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTE_MARKS):
        end -= 1
    return start, end


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, pos) + 1
    right = text.find("\n", pos)
    return left, len(text) if right == -1 else right


def _prefix(text: str, start: int) -> str:
    left, _ = _line_bounds(text, start)
    return " ".join(text[left:start].split()[-CONTEXT_WORDS:])


def _suffix(text: str, end: int) -> str:
    _, right = _line_bounds(text, max(end - 1, 0))
    return " ".join(text[end:right].split()[:CONTEXT_WORDS])


def text_directive(text: str, start: int, end: int) -> str:
    """The `text=…` directive (without `#:~:`) for text[start:end]; '' when nothing is left to match."""
    start, end = trim_span(text, start, end)
    exact = text[start:end]
    words = exact.split()
    if not words:
        return ""
    lines = [ln for ln in exact.split("\n") if ln.strip()]
    ranged = len(words) > EXACT_MAX_WORDS or len(lines) > 1
    if ranged:
        head_words = lines[0].split()[:EDGE_WORDS]
        tail_words = lines[-1].split()[-EDGE_WORDS:]
        head, tail = " ".join(head_words), " ".join(tail_words)
        spans = [m.span() for m in re.finditer(r"\S+", exact)]
        head_end = start + spans[len(head_words) - 1][1]
        tail_start = start + spans[-len(tail_words)][0]
        parts = [encode(head), encode(tail)]
        # ambiguous when the first words occur earlier in the text, or the last words occur again
        # between them and the real end (the browser would pick the wrong range)
        ambiguous = _count(text[:head_end], head) > 1 or _count(text[head_end:end], tail) > 1 \
            or tail_start < head_end
    else:
        parts = [encode(" ".join(words))]
        ambiguous = _count(text, exact) > 1
    directive = ",".join(parts)
    if len(words) < SHORT_WORDS or ambiguous:
        prefix, suffix = _prefix(text, start), _suffix(text, end)
        if prefix:
            directive = f"{encode(prefix)}-,{directive}"
        if suffix:
            directive = f"{directive},-{encode(suffix)}"
    return "text=" + directive


def text_fragment_url(url: str, text: str, start: int, end: int) -> str:
    """url with a text fragment that highlights text[start:end] (the stored article text) at the source.

    An existing plain fragment is kept (`#top:~:text=…`); an existing fragment directive is replaced.
    When nothing is left to match, url comes back without a directive.
    """
    directive = text_directive(text, start, end)
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]
    if not directive:
        return base + (f"#{fragment}" if fragment else "")
    return f"{base}#{fragment}:~:{directive}"

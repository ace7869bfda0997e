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
MAX_CONTEXT_WORDS = 8  # grown up to this while the passage is ambiguous


def encode(term: str) -> str:
    """Percent-encode a directive term: everything but unreserved characters, and '-' too."""
    return _pct(term, safe="").replace("-", "%2D")


def _pattern(term: str) -> str:
    return r"\s+".join(re.escape(w) for w in term.split())


def first_match(
    text: str, prefix: str | None, start: str, end: str | None, suffix: str | None
) -> tuple[int, int] | None:
    """Where a browser would land: the first range matching prefix-,start,end,-suffix (case-insensitive).

    Word boundaries are only checked at the outer ends, so this errs towards "ambiguous" (more context).
    """
    body = _pattern(start) + (r".*?" + _pattern(end) if end else "")
    pattern = (
        (_pattern(prefix) + r"\s*" if prefix else "") + f"({body})" + (r"\s*" + _pattern(suffix) if suffix else "")
    )
    if not prefix and start[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    m = re.search(pattern, text, re.IGNORECASE | re.DOTALL)
    return m.span(1) if m else None


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


def _prefix(text: str, start: int, n: int = CONTEXT_WORDS) -> str:
    """Up to n words right before start, on its line (else the end of the line before)."""
    left, _ = _line_bounds(text, start)
    words = text[left:start].split()
    if not words:
        words = text[:left].rstrip().rsplit("\n", 1)[-1].split()  # only a paragraph break in between
    return " ".join(words[-n:])


def _suffix(text: str, end: int, n: int = CONTEXT_WORDS) -> str:
    """Up to n words right after end, on its line (else the start of the next line)."""
    _, right = _line_bounds(text, max(end - 1, 0))
    words = text[end:right].split()
    if not words:
        words = text[right:].lstrip().split("\n", 1)[0].split()
    return " ".join(words[:n])


def text_directive(text: str, start: int, end: int) -> str:
    """The `text=…` directive (without `#:~:`) for text[start:end]; '' when nothing is left to match.

    The terms grow (more start/end words, then more prefix/suffix words) until the first match in the
    stored text is this very passage; a passage repeated word for word may still land on its twin.
    """
    start, end = trim_span(text, start, end)
    exact = text[start:end]
    words = exact.split()
    if not words:
        return ""
    target = (start, end)
    lines = [ln for ln in exact.split("\n") if ln.strip()]
    head, tail = " ".join(words), None
    if len(words) > EXACT_MAX_WORDS or len(lines) > 1:
        first, last = lines[0].split(), lines[-1].split()
        n_head, n_tail = min(EDGE_WORDS, len(first)), min(EDGE_WORDS, len(last))
        while True:
            h, t = " ".join(first[:n_head]), " ".join(last[-n_tail:])
            if first_match(text, None, h, t, None) == target or (n_head >= len(first) and n_tail >= len(last)):
                break
            n_head, n_tail = min(n_head + 1, len(first)), min(n_tail + 1, len(last))
        if len(lines) > 1 or n_head + n_tail < len(words):
            head, tail = h, t
    found = first_match(text, None, head, tail, None)
    prefix = suffix = None
    if len(words) < SHORT_WORDS or found != target:
        for n in range(CONTEXT_WORDS, MAX_CONTEXT_WORDS + 1):
            prefix, suffix = _prefix(text, start, n) or None, _suffix(text, end, n) or None
            if first_match(text, prefix, head, tail, suffix) == target:
                break
    directive = ",".join(encode(t) for t in (head, tail) if t)
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

"""Article text as HTML paragraphs with every quote span marked, built by slicing at span edges.

The text is untrusted: every slice is escaped; only our own tags are added. Overlapping spans
are safe because the text is cut at every boundary and each piece is wrapped on its own.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t\r]*\n))+")


@dataclass
class Annotation:
    """A span of the text to mark: a quote part, a speaker mention or a cue."""

    start: int
    end: int
    kind: str  # quote | speaker | cue
    quote_uid: str
    first: bool = False  # the first part of a quote carries the id="q-…"
    title: str = ""


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text separated by blank lines, trimmed."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _open(a: Annotation, used_ids: set[str]) -> str:
    if a.kind == "quote":
        attrs = f' data-q="{escape(a.quote_uid)}"'
        if a.first and a.quote_uid not in used_ids:
            used_ids.add(a.quote_uid)
            attrs = f' id="q-{escape(a.quote_uid)}"' + attrs
        if a.title:
            attrs += f' title="{escape(a.title)}"'
        return f'<mark class="quote"{attrs}>'
    return f'<span class="{a.kind}" data-q="{escape(a.quote_uid)}">'


def _close(a: Annotation) -> str:
    return "</mark>" if a.kind == "quote" else "</span>"


_ORDER = {"quote": 0, "speaker": 1, "cue": 2}


def highlight(text: str, annotations: list[Annotation]) -> Markup:
    """The whole article as <p> elements with <mark>s; ids go on the first piece of each quote."""
    valid = [a for a in annotations if 0 <= a.start < a.end <= len(text)]
    used_ids: set[str] = set()
    html: list[str] = []
    for pstart, pend in paragraphs(text):
        inside = [a for a in valid if a.start < pend and a.end > pstart]
        cuts = {pstart, pend}
        for a in inside:
            cuts.add(max(a.start, pstart))
            cuts.add(min(a.end, pend))
        points = sorted(cuts)
        parts = ["<p>"]
        for s, e in itertools.pairwise(points):
            active = sorted(
                (a for a in inside if a.start <= s and a.end >= e),
                key=lambda a: (_ORDER.get(a.kind, 9), a.start, -a.end, a.quote_uid),
            )
            piece = str(escape(text[s:e]))
            opened = "".join(_open(a, used_ids) for a in active)
            closed = "".join(_close(a) for a in reversed(active))
            parts.append(opened + piece + closed)
            for a in active:
                if a.kind == "quote" and a.first:
                    a.first = False  # later pieces of the same part only get data-q
        parts.append("</p>")
        html.append("".join(parts))
    return Markup("\n".join(html))


# --- search matches in card text -------------------------------------------------------------

_TERM = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')
_EDGE_PUNCT = "\"'“”‘’„«».,;:!?()[]{}"
MIN_TERM = 2  # one-letter terms would mark half the card


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character, lower-case and without diacritics; apostrophes fold to one (offsets stay 1:1)."""
    if ch in "’‘ʼ`´":
        return "'"
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return base[:1] or ch


def _fold(text: str) -> str:
    if text.isascii():  # most text: one lower-case letter per letter, the backtick the only apostrophe
        return text.lower().replace("`", "'")
    return "".join(map(_fold_char, text))


def _spelling_pattern(term: str) -> str:
    """A regex for the folded term that also finds its British/American spelling (defence/defense,
    organise/organize, colour/color)."""
    out = re.escape(term)
    out = re.sub(r"en[cs]e", "en[cs]e", out)
    out = re.sub(r"i[sz](?=e|ing|ation|ed|es)", "i[sz]", out)
    out = re.sub(r"(?<=\w\w\w)ou?r(?=s?$)", "ou?r", out)
    return out


def search_terms(q: str | None) -> list[str]:
    """The folded words and "quoted phrases" of a search, as highlight_matches looks for them."""
    terms = []
    for m in _TERM.finditer(q or ""):
        term = _fold((m.group(1) or m.group(2) or m.group(3) or "").strip(_EDGE_PUNCT).strip())
        if len(term) >= MIN_TERM and term not in terms:
            terms.append(term)
    return terms


def highlight_matches(text: str | None, q: str | None) -> Markup:
    """text, escaped, with every match of the search q wrapped in <mark class="hit">.

    Matching ignores case, diacritics and apostrophe style, and takes British and American spellings
    as one; a match starts at a word boundary (so "troop" marks "troops"). No search: just escaped.
    """
    text = text or ""
    terms = search_terms(q)
    if not terms or not text:
        return Markup(escape(text))
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(_spelling_pattern(t) for t in sorted(terms, key=len, reverse=True)) + ")"
    )
    folded = _fold(text)
    out, pos = [], 0
    for m in pattern.finditer(folded):
        if m.end() == m.start():
            continue
        out.append(str(escape(text[pos : m.start()])))
        out.append(f'<mark class="hit">{escape(text[m.start() : m.end()])}</mark>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))

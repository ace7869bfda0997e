"""Article text as HTML paragraphs with every quote span marked, built by slicing at span edges.

The text is untrusted: every slice is escaped; only our own tags are added. Overlapping spans
are safe because the text is cut at every boundary and each piece is wrapped on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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
        for s, e in zip(points, points[1:]):
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

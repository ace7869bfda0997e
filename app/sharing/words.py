"""A quote's words as readers see them: the article's own quote marks around each part removed.

Stored direct quotes keep their marks (the content span runs from mark to mark, and a split or
multi-paragraph quote has one part per span, joined by " … "). Pages, citations and share cards
add their own marks, so they use these words. Indirect and mixed quotes are shown as written:
the marks inside a mixed quote are the reporter's and carry meaning.
"""

from __future__ import annotations

import re

SEPARATOR = " … "
DOUBLE_OPENERS = '"“„«'
DOUBLE_CLOSERS = '"”»'
SINGLE_OPENERS = "‘‚‹"
SINGLE_CLOSERS = "’›'"
_REOPENED = re.compile(r"\n\s*[\"“„«‘]")  # a paragraph that reopens the quote


def _part(text: str) -> str:
    text = _REOPENED.sub("\n", text.strip())
    text = re.sub(r"\s+", " ", text).strip()
    single = text[:1] in SINGLE_OPENERS  # a single closing mark is an apostrophe unless one opened
    if text[:1] in DOUBLE_OPENERS + SINGLE_OPENERS:
        text = text[1:].lstrip()
    if text[-1:] in DOUBLE_CLOSERS or (single and text[-1:] in SINGLE_CLOSERS):
        text = text[:-1].rstrip()
    return text.rstrip(" ,;:").strip()


def quote_words(text: str | None, kind: str = "direct") -> str:
    """The words of a quote without the article's quote marks (direct), or as written (other kinds)."""
    text = text or ""
    if kind != "direct":
        return re.sub(r"\s+", " ", text).strip()
    return SEPARATOR.join(p for p in (_part(t) for t in text.split(SEPARATOR)) if p)

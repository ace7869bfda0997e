"""Quotes joined to the one before them in a paragraph: '"A," he said, "B."' and '"A," he said. "B."' are
one quote (`merge_split_quotes`), and a quote continues the reported clause before it (`join_continuations`):
unattributed after the clause's sentence, or taking its speaker from the clause's cue in that sentence. What may stand between the parts: the attribution's own sentence, a show title
in quote marks, and full stops that end no sentence (`ABBREVIATIONS`, data/abbreviations.txt).
"""

from __future__ import annotations

import re
from pathlib import Path

from app.datafiles import word_set
from app.quotes.article import Article, Candidate
from app.quotes.titles import named_work, title_like

ABBREVIATIONS = word_set(Path(__file__).with_name("data") / "abbreviations.txt")


OPEN_END = re.compile(r"[,?!…—–-]\s*[\"”’'»]+\s*$")


def _gap(masked: str, art: Article, start: int, end: int) -> str | None:
    """The text from start to end with show and book titles in quote marks blanked ("he said on “Meet the
    Press.”" keeps no quote mark and no sentence end of the title's); None when it is too long to be an
    attribution or another quotation stands in it."""
    if end - start > 250:
        return None
    gap = masked[start:end]
    for q in art.quotes:
        if start <= q.start and q.end <= end and named_work(masked, q.start, q.inner(masked)):
            gap = gap[: q.start - start] + " " * (q.end - q.start) + gap[q.end - start :]
    return None if any(ch in gap for ch in '"“”«»') else gap


def _sentence_ends(gap: str) -> int:
    """How many sentences end in gap (a full stop after an abbreviation or an initial ends none)."""
    ends = 0
    for m in re.finditer(r"[.!?](?=\s)", gap + " "):
        word = re.findall(r"[\w.]+$", gap[: m.start()])
        if m.group() == "." and word and (word[-1].lower() in ABBREVIATIONS or len(word[-1]) == 1 or "." in word[-1]):
            continue
        ends += 1
    return ends


def _continues(gap: str) -> bool:
    """True when the gap between two quotes holds only the first one's attribution sentence."""
    return _sentence_ends(gap) <= 1  # the attribution's own


def _resumes(gap: str, masked: str, c: Candidate) -> bool:
    """'“A,” Thiel wrote in a statement, “but B.”': c takes up the sentence that the attribution in gap
    interrupted (a comma before it, its first word in lower case, no sentence end between, and no cue of its
    own after it in that sentence)."""
    if (
        not gap.rstrip().endswith(",")
        or _sentence_ends(gap)
        or not re.match(r"[\"“«‘']?\s*[a-z]", masked[c.start : c.end])
    ):
        return False
    if c.cue is None or c.cue[0] < c.start:
        return True
    # a cue after c counts only in c's own sentence: "…,” Smith said, “b,” Jones replied' is Jones's
    return not OPEN_END.search(masked[c.start : c.end]) or _sentence_ends(masked[c.end : c.cue[0]]) > 0


def merge_split_quotes(art: Article, direct: list[Candidate]) -> list[Candidate]:
    """'"A," he said, "B."' share one cue and '"A," he said. "B."' continues A; a title in quote marks
    ("on Fox News's 'Hannity'") is no part of either."""
    masked = art.text
    # split quotes: "A," he said, "B." share one cue; "A," he said. "B." continues A
    merged: list[Candidate] = []
    for c in direct:
        prev = merged[-1] if merged else None
        q = art.quotes[c.quotes[0]]
        if prev is not None and named_work(masked, q.start, q.inner(masked)):
            continue  # "'…,' Hale said on Fox News's 'Hannity.'": the show's title is no part of the quote
        if (
            prev is not None
            and prev.how == "attr"
            and prev.kind == "direct"
            and c.cue is not None
            and prev.cue == c.cue
        ):
            if title_like(q.inner(masked)):
                continue  # "'…,' 'Midnight Train' director Lee Park said": the film's title is no part of the quote
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            continue
        if (
            prev is not None
            and prev.how == "attr"
            and prev.cue is not None
            and art.para_index(c.start) == art.para_index(prev.end - 1)
            and prev.end <= prev.cue[0] < c.start
            and (gap := _gap(masked, art, prev.end, c.start)) is not None
            and (
                (prev.kind == "direct" and _resumes(gap, masked, c))  # '“A,” X wrote …, “but B.”'
                or (c.how == "none" and _continues(gap))  # '“A,” X said. “B.”'
            )
        ):
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            continue
        merged.append(c)
    return merged


def join_continuations(art: Article, cands: list[Candidate]) -> list[Candidate]:
    """Candidates in text order, a quote that continues the reported clause before it joined to it."""
    masked = art.text
    cands.sort(key=lambda c: (c.start, c.end))
    keep: list[Candidate] = []
    for c in cands:
        prev = keep[-1] if keep else None
        if prev is not None and _continues_reported(masked, art, prev, c):
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            prev.kind = "mixed"
            continue
        keep.append(c)
    return keep


def _continues_reported(masked: str, art: Article, prev: Candidate, c: Candidate) -> bool:
    """Whether quote c continues the reported clause prev before it: an unattributed quote after the clause's
    sentence ('A "part," he added. "B."'), or a quotation that takes its speaker from the clause's own cue in
    the same sentence ('He adds that Muslims have two choices: “You either leave or you fight.”')."""
    if prev.how != "reported" or prev.kind not in ("mixed", "indirect") or prev.cue is None:
        return False
    if c.how == "none":
        return (
            prev.end <= prev.cue[0] < c.start
            and art.para_index(c.start) == art.para_index(prev.end - 1)
            and (gap := _gap(masked, art, prev.end, c.start)) is not None
            and _continues(gap)
        )
    return (
        c.kind == "direct"
        and c.cue == prev.cue
        and prev.cue[1] <= prev.start
        and (gap := _gap(masked, art, prev.end, c.start)) is not None
        and not _sentence_ends(gap)
        and "\n" not in gap
    )

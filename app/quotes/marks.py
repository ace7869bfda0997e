"""Quote-mark scanning: straight, curly, « », ‘ ’, NYT '' … '', nested, multi-paragraph, unmatched.

`scan(text)` returns the outermost quoted passages as `Quoted` objects (one content span per
paragraph, each including its marks). It never raises: an unmatched mark ends its quote at the
paragraph end (closed=False) and the scan goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Span = tuple[int, int]

D_OPEN = {"“": "curly", "«": "guil", "„": "low", "``": "tex"}
D_CLOSE = {"”": ("curly", "low", "tex"), "»": ("guil",), "“": ("low",)}
MARK_RE = re.compile(r"''|``|[\"“”«»„‘’']")
MAX_PARAGRAPHS = 8


@dataclass
class Quoted:
    """One outermost quoted passage."""

    parts: list[Span]  # per paragraph, marks included
    family: str  # curly | straight | guil | low | tex | single
    closed: bool = True
    implicit_open: bool = False  # no opening mark: the quote starts at its paragraph's start
    nested: list[Span] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def inner(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.parts)

    def words(self, text: str) -> int:
        return len(re.findall(r"\w+", self.inner(text)))


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _opening_context(text: str, i: int, n: int) -> bool:
    """A mark at i..i+n looks like an opener: space/bracket/dash before, a non-space after."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + n] if i + n < len(text) else ""
    return (before == "" or before.isspace() or before in "([{—–-/:") and not _is_space(after)


def _closing_context(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + n] if i + n < len(text) else ""
    return not _is_space(before) and (after == "" or not after.isalnum())


def _paragraphs(text: str) -> list[Span]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _marks(text: str, s: int, e: int):
    for m in MARK_RE.finditer(text, s, e):
        yield m.start(), m.group()


def _classify(text: str, i: int, mark: str) -> tuple[str, str] | None:
    """(role, family) of a mark out of context: role open | close | either."""
    n = len(mark)
    if mark in ("“",):
        return ("open", "curly")
    if mark == "”":
        if _opening_context(text, i, 1) and not _closing_context(text, i, 1):
            return ("open", "curly")  # ”Fear. I am … ” : a wrong-way opening mark
        return ("close", "curly")
    if mark == "«":
        return ("open", "guil")
    if mark == "»":
        return ("close", "guil")
    if mark == "„":
        return ("open", "low")
    if mark == "``":
        return ("open", "tex")
    if mark in ('"', "''"):
        if i > 0 and text[i - 1].isdigit() and mark == '"' and (i + 1 >= len(text) or not text[i + 1].isalpha()):
            return None  # 6'3": inches
        o, c = _opening_context(text, i, n), _closing_context(text, i, n)
        if o and not c:
            return ("open", "straight")
        if c and not o:
            return ("close", "straight")
        return ("either", "straight")
    if mark == "‘":
        return ("open", "single") if _opening_context(text, i, 1) else None
    if mark == "’":
        return ("close", "single") if _closing_context(text, i, 1) else None
    if mark == "'":
        if _opening_context(text, i, 1):
            return ("open", "single")
        if _closing_context(text, i, 1):
            return ("close", "single")
    return None


def _first_mark_role(text: str, para: Span, family: str) -> str | None:
    """How the next paragraph relates to an open quote: 'reopen', 'close' or None."""
    s, e = para
    for i, mark in _marks(text, s, e):
        c = _classify(text, i, mark)
        if c is None:
            continue
        role, fam = c
        if fam == "single":
            continue
        same = fam == family or (family == "tex" and fam == "straight")
        if i == s and role in ("open", "either") and same:
            return "reopen"
        if role in ("close", "either") and same:
            return "close"
        return None
    return None


def scan(text: str) -> list[Quoted]:
    """Outermost quoted passages of text, in order."""
    paras = _paragraphs(text)
    out: list[Quoted] = []
    cur: Quoted | None = None  # open outer quote
    stack: list[tuple[str, int]] = []  # nested opens inside cur: (family, pos)
    pi = 0
    while pi < len(paras):
        ps, pe = paras[pi]
        skip_first = False
        if cur is not None:  # continuing from the previous paragraph
            role = _first_mark_role(text, (ps, pe), cur.family)
            if role == "reopen" or role == "close":
                skip_first = role == "reopen"
            else:
                # unmatched: the quote ends with its paragraph
                cur.closed = False
                out.append(cur)
                cur, stack = None, []
        first_mark_in_para = True
        for i, mark in _marks(text, ps, pe):
            c = _classify(text, i, mark)
            if c is None:
                continue
            role, fam = c
            if skip_first and cur is not None:  # skip_first is only set while a quote continues
                skip_first = False
                cur.parts.append((ps, ps))  # reopened paragraph; end set later
                first_mark_in_para = False
                continue
            if cur is not None and (not cur.parts or cur.parts[-1][0] < ps) and not stack and cur.parts[-1][0] < ps:
                # continuing paragraph whose first mark closes (no reopening mark)
                cur.parts.append((ps, ps))
            if cur is None:
                if role == "open" or (role == "either" and fam == "straight"):
                    cur = Quoted(parts=[(i, i)], family=fam)
                    stack = []
                elif (
                    role == "close" and fam != "single" and first_mark_in_para and _closing_context(text, i, len(mark))
                ):
                    # closing mark with no opening one: the quote opened at the paragraph start
                    out.append(Quoted(parts=[(ps, i + len(mark))], family=fam, implicit_open=True))
                first_mark_in_para = False
                continue
            first_mark_in_para = False
            # inside a quote
            if fam == "single" and not (cur.family == "single" and role == "close" and not stack):
                if role == "open":
                    stack.append(("single", i))
                elif stack and stack[-1][0] == "single":
                    _, pos = stack.pop()
                    cur.nested.append((pos, i + 1))
                continue
            closes_outer = _closes(cur.family, fam, mark, role)
            nested_open = any(f != "single" for f, _ in stack)
            if (
                nested_open
                and role in ("close", "either")
                and _closes(next(f for f, _ in reversed(stack) if f != "single"), fam, mark, role)
            ):
                while stack:
                    f, pos = stack.pop()
                    if f != "single":
                        cur.nested.append((pos, i + len(mark)))
                        break
                continue
            if closes_outer and (role == "close" or (role == "either")):
                s0 = cur.parts[-1][0]
                cur.parts[-1] = (s0, i + len(mark))
                out.append(cur)
                cur, stack = None, []
                continue
            if role == "open":
                if fam == cur.family and fam == "curly":
                    # “ … “ : the first quote was never closed; drop it, start again
                    cur.closed = False
                    cur = Quoted(parts=[(i, i)], family=fam)
                    stack = []
                else:
                    stack.append((fam, i))
        if cur is not None:
            s0 = cur.parts[-1][0]
            cur.parts[-1] = (s0, pe)
            if len(cur.parts) >= MAX_PARAGRAPHS:
                cur.closed = False
                out.append(cur)
                cur, stack = None, []
        pi += 1
    if cur is not None:
        cur.closed = False
        out.append(cur)
    return [q for q in out if q.closed or q.parts[0][1] > q.parts[0][0]]


def _closes(outer: str, fam: str, mark: str, role: str) -> bool:
    if role == "open":
        return False
    if outer == "straight":
        return fam == "straight" or mark == "”"
    if outer == "curly":
        return mark in ("”",) or (fam == "straight" and mark == '"')
    if outer == "tex":
        return mark in ("''", "”")
    if outer == "guil":
        return mark == "»"
    if outer == "low":
        return mark in ("“", "”")
    if outer == "single":
        return fam == "single"
    return False

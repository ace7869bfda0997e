"""Titles of shows, books and films in quote marks, and other quoted passages that carry no statement.

`named_work` tells a title by the words around it ("on 'Morning Joe'", "Fox News's 'Hannity'", "the
“Avatar” star"), `title_like` by its own Title Case words, and `not_a_quote` also leaves out handles, links,
numbers and short scare quotes. app.quotes.joins and app.quotes.assemble read them.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.datafiles import read_lines
from app.quotes import people_api as people

DATA = Path(__file__).with_name("data")

_SMALL_WORDS = frozenset(read_lines(DATA / "title_small_words.txt"))
_LINK = re.compile(r"\S*(?:https?:|www\.|\.com\b|pic\.twitter|@\w)\S*")
_PRONOUN_START = re.compile(r"^\W*(?:I|I'm|I’m|We|We're|We’re|You|You're|You’re|He|She|It|It's|It’s|They|This|That)\b")


def title_like(inner: str) -> bool:
    """A film, show or book title in quote marks ("Midnight Train", "State of the Union."): a few words in
    Title Case, one phrase (no sentence break inside), not opening on a pronoun ("We're America.")."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", inner)
    return (
        0 < len(words) <= 7
        and all(w[:1].isupper() or w in _SMALL_WORDS for w in words)
        and sum(len(w) > 3 for w in words) >= 2
        and re.search(r"[.!?;:]\s+\S", inner.strip()) is None
        and not _PRONOUN_START.match(inner)
    )


def not_a_quote(inner: str, how: str, family: str) -> bool:
    """Titles, handles, links, numbers and short scare quotes that carry no statement."""
    plain = _LINK.sub(" ", inner)  # "I've invited @realHale for a meeting": the handle is not all it says
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", plain)
    if len(words) < 1 or (plain != inner and len(words) < 4):
        return True
    if title_like(inner):
        return True  # 'Suffering and Delight', ''Make Your Kid a Millionaire''
    if family == "single" and len(words) <= 3:
        return True
    return len(words) <= 2 and how not in ("attr",)


_TITLE_LEADS = frozenset(read_lines(DATA / "title_leads.txt"))
_LEAD_WORD = re.compile(r"([\w’']+)[\s,]*$")
_NEXT_WORD = re.compile(r"\s+([\w’'-]+)")


def named_work(masked: str, start: int, inner: str) -> bool:
    """A show, book or film title in quote marks: a few Title Case words right after "on", "called",
    "his book," or a possessive ("Fox News's 'Hannity,'", "on 'Morning Joe'")."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", inner)
    if not 0 < len(words) <= 6 or not all(w[:1].isupper() or w in _SMALL_WORDS for w in words):
        return False
    after = _NEXT_WORD.match(masked, start + len(inner))
    if after is not None and not re.search(r"[,.!?…]\W*$", inner) and people.describes_person(after.group(1)):
        return True  # "the “Avatar” star posted", "'Midnight Train' director Lee Park": the work's star
    m = _LEAD_WORD.search(masked, max(0, start - 40), start)
    if m is None:
        return False
    lead = m.group(1).lower()
    return lead in _TITLE_LEADS or lead.endswith(("’s", "'s"))

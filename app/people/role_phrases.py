"""Role phrases of a description, word by word: which words make a role and where it is, its party and number."""

from __future__ import annotations

import re
from functools import lru_cache

from app.people.names import title_words, to_ascii
from app.people.roles import normalise_role, role_aliases
from app.people.wordlists import party_words, read_lines, role_modifiers, role_nouns

APOS = "'’‘`ʼ"  # apostrophes of descriptions (APOSTROPHES, for names, also has the acute accent ´)
DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "another", "one", "this", "that"}
LINKS = {"of", "for", "to", "at", "in", "from", "with", "on"}
_ROLE_GLUE = {"of", "for", "the", "and"}  # function words inside role phrases ("head of state")


def is_role_word(w: str) -> bool:
    return w in role_nouns() or w in role_modifiers() or w in title_words() or w in _ROLE_GLUE or w in role_aliases()


def role_head_ok(words: list[str]) -> bool:
    """A role phrase must end in a role noun or be a known role phrase (after normalisation)."""
    if not words or words[-1] in LINKS or words[-1] in ("the", "and"):
        return False
    phrase = normalise_role(" ".join(words))
    if not phrase:
        return False
    if phrase in role_nouns():
        return True
    last = phrase.split()[-1]
    return last in role_nouns() or phrase.endswith(("head of state", "head of government", "secretary of state"))


def party_of(text: str) -> str | None:
    """The party a phrase names, normalised: "Democratic presidential nominee" → "democrat"."""
    for w in (text or "").lower().replace("-", " ").split():
        w = w.strip(",.;:()’'")
        if w in party_words():
            w = w.removesuffix("s")
            return "democrat" if w in ("democratic", "democrat") else w
    return None


def plural_description(text: str) -> bool:
    """A description of several people: its last word is the plural of a role noun ("the senators")."""
    words = (text or "").lower().split()
    if not words:
        return False
    last = words[-1].strip(".,;:")
    return (
        last.endswith("s")
        and not last.endswith("ss")
        and last not in role_nouns()
        and (last[:-1] in role_nouns() or (last.endswith("es") and last[:-2] in role_nouns()))
    )


def find_role(seg: list[tuple[str, int]]):
    """(role, words before it, words after it, the role's own words) in one conjunct of a description.

    The role is the first run of role words that ends in a role head; words before it may be
    unknown adjectives or names ("the Charlotte-Mecklenburg police chief"), but not a link
    ("the wife of the president" names no role of the person described).
    """
    words = [w for w, _ in seg]
    start = 0
    while start < len(words):
        if words[start] in LINKS or words[start] in _CLAUSE:
            return None, [], [], []  # "the wife of the president", "who served as ambassador"
        if not is_role_word(words[start]) or words[start] in ("the", "and", "of", "for"):
            start += 1
            continue
        for j in range(len(words), start, -1):
            cand = words[start:j]
            if all(is_role_word(w) for w in cand) and role_head_ok(cand):
                while cand and cand[-1] in LINKS:
                    cand = cand[:-1]
                return normalise_role(" ".join(cand)), seg[:start], seg[j:], seg[start:j]
        start += 1
    return None, [], [], []


# Function words that start a clause or a relation: a role after them is not the person's own.
_CLAUSE = {
    "who",
    "which",
    "that",
    "whose",
    "whom",
    "as",
    "is",
    "was",
    "were",
    "has",
    "had",
    "have",
    "been",
    "be",
    "will",
    "would",
    "by",
    "than",
    "when",
    "where",
    "while",
    "after",
    "before",
    "since",
    "until",
    "like",
    "against",
    "versus",
    "vs",
}


def plain_role_keep(tok: str) -> str:
    """Lower-case ASCII token keeping apostrophes."""
    return re.sub(r"[.,;:()]", "", to_ascii(tok).lower())


@lru_cache(maxsize=1)
def relational_nouns() -> frozenset[str]:
    return frozenset(read_lines("relational_nouns.txt"))


@lru_cache(maxsize=1)
def role_qualifiers() -> frozenset[str]:
    return frozenset(read_lines("role_qualifiers.txt"))


@lru_cache(maxsize=1)
def referent_nouns() -> frozenset[str]:
    return frozenset(read_lines("referent_nouns.txt"))


def plain_role(tok: str) -> str:
    return re.sub(r"[.,;:()" + APOS + r"]", "", to_ascii(tok).lower())

"""Loading the word lists of `app/people/data/`: lines, lower-case word sets and tab-separated rows.

The bottom of app.people: no app module is imported but app.datafiles (the line reader every stage shares). Lists that need name folding (given names,
titles as plain words) are built from these in app.people.names.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app import datafiles

DATA = Path(__file__).parent / "data"


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    return datafiles.read_lines(DATA / name)


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, comments and blank lines left out."""
    return datafiles.read_tsv(DATA / name)


@cache
def word_set(fname: str) -> frozenset[str]:
    """Lower-case words of a one-word-per-line data file."""
    return datafiles.word_set(DATA / fname)


def role_nouns() -> frozenset[str]:
    """Role nouns (lower-case) from role_nouns.txt."""
    return word_set("role_nouns.txt")


def role_modifiers() -> frozenset[str]:
    """Words that qualify a role ("foreign", "deputy") from role_modifiers.txt."""
    return word_set("role_modifiers.txt")


def party_words() -> frozenset[str]:
    """Party and faction words, lower-case ("republican", "democratic", "labour"), from party_words.txt."""
    return word_set("party_words.txt")


def quantifiers() -> frozenset[str]:
    """Words that start a mention of part of a group ("many", "some", "two"), lower-case."""
    return word_set("quantifiers.txt")

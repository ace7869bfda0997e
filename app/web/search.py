"""Text search for listings: words through the full-text index, names through the people tables.

A search is the words of `q` as a phrase (the last word also as a prefix, so typing finds as you go),
with British/American spellings (data/spelling.txt) and diacritics folded; apostrophes and quote
marks separate words, so "don't" finds "don’t". SQLite matches through FTS5 (quote_fts), PostgreSQL
through the stored tsvector `quote.search` (migration 0003). Names are matched in the people tables
(names typed without diacritics or with a variant spelling, by app.people.names.fold) and become a
set of person ids, so a speaker's quotes are found without scanning quote text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import or_, select, text
from sqlmodel import Session, col

from app.models import PersonName
from app.people.names import fold

_WORD = re.compile(r"[^\W_]+")
MAX_VARIANT_PHRASES = 16
MIN_PREFIX = 3  # a last word this long also matches as a prefix ("defen" finds "defence")
MAX_NAME_PEOPLE = 200
_MARKS = str.maketrans(dict.fromkeys("'’‘`´ʼ\"“”„«»", "_"))


@dataclass(frozen=True)
class Spelling:
    """Word pairs and suffix rules from data/spelling.txt."""

    pairs: dict[str, frozenset[str]]
    suffixes: tuple[tuple[str, str, int], ...]


@lru_cache
def spelling() -> Spelling:
    """The spelling variants, loaded once."""
    pairs: dict[str, set[str]] = {}
    suffixes = []
    for line in (Path(__file__).parent / "data" / "spelling.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            a, b = parts
            pairs.setdefault(a, {a}).add(b)
            pairs.setdefault(b, {b}).add(a)
        elif len(parts) == 4 and parts[0] == "suffix":
            suffixes.append((parts[1], parts[2], int(parts[3])))
    return Spelling({k: frozenset(v) for k, v in pairs.items()}, tuple(suffixes))


def variants(word: str) -> list[str]:
    """word and its other spellings ("defence" → defence, defense), word first."""
    table = spelling()
    out = {word} | set(table.pairs.get(word, ()))
    for british, american, min_len in table.suffixes:
        for a, b in ((british, american), (american, british)):
            if len(word) >= min_len and word.endswith(a):
                out.add(word[: -len(a)] + b)
    return [word] + sorted(out - {word})


def plain(text: str) -> str:
    """Lower case without diacritics, as both indexes store words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(q: str | None) -> list[str]:
    """The searchable words of q (empty when q is only punctuation)."""
    return _WORD.findall(plain(q or ""))


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape "\\") for text anywhere; apostrophes and quote marks match any one
    character, so "don't" finds "don’t" (the /people search and the editors' search use it)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.translate(_MARKS)}%"


MIN_TRIGRAM = 3  # the trigram indexes (migration 0012) find pieces of at least three characters
_MARK_CHARS = re.compile("[" + re.escape("'’‘`´ʼ\"“”„«»") + "]")


def trigram_match(text: str) -> str | None:
    """SQLite: an FTS5 MATCH for the trigram indexes (person_trgm, personname_trgm) that every row containing
    text has, or None when text has no piece long enough to look up. Quote marks stand for any one
    character in contains_pattern, so the pieces between them are looked up and the LIKE checks the rest."""
    pieces = [p for p in _MARK_CHARS.split(text) if len(p) >= MIN_TRIGRAM]
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in pieces) or None


def _phrases(ws: list[str]) -> list[list[str]]:
    options = [variants(w) for w in ws]
    return [list(p) for p in itertools.islice(itertools.product(*options), MAX_VARIANT_PHRASES)]


def _prefix(ws: list[str]) -> bool:
    return len(ws[-1]) >= MIN_PREFIX


def fts5_query(ws: list[str], last: list[str] | None = None) -> str:
    """An FTS5 MATCH expression: the phrase, each spelling variant, last word also as a prefix.

    last: every indexed word that the last word's spellings start with (prefix_words); the prefix is then
    those words, which FTS5 reads newest first, instead of a `*` query, which it must merge whole first
    (none: the `*` query, which then costs nothing).
    """
    if last and _prefix(ws):
        options = [variants(w) for w in ws[:-1]] + [last]
        return " OR ".join('"' + " ".join(p) + '"' for p in itertools.product(*options))
    star = " *" if _prefix(ws) else ""
    return " OR ".join('"' + " ".join(p) + '"' + star for p in _phrases(ws))


MAX_PREFIX_PHRASES = 128  # past this many phrases a prefix stays a `*` query


def prefix_words(session: Session, ws: list[str]) -> list[str] | None:
    """SQLite: the indexed words that the last word (any spelling) starts with (migration 0013), or None when
    there is no prefix or it has too many (with the other words' spellings) to list as phrases."""
    if not ws or not _prefix(ws):
        return None
    room = MAX_PREFIX_PHRASES // max(1, len(_phrases(ws[:-1]))) if len(ws) > 1 else MAX_PREFIX_PHRASES
    found: set[str] = set()
    for start in variants(ws[-1]):
        end = start[:-1] + chr(ord(start[-1]) + 1)
        found.update(
            session.execute(
                text(
                    "SELECT term FROM (SELECT term FROM quote_term WHERE term >= :start AND term < :end LIMIT :n) "
                    "UNION SELECT term FROM quote_term_new_vocab WHERE term >= :start AND term < :end"
                ),
                {"start": start, "end": end, "n": room + 1},
            ).scalars()
        )
        if len(found) > room:
            return None
    return sorted(found)


def fts5_match(session: Session, ws: list[str]) -> str:
    """SQLite: the FTS5 MATCH for ws, its prefix spelt out as the words it stands for where they are few."""
    return fts5_query(ws, prefix_words(session, ws))


def tsquery(ws: list[str]) -> str:
    """A to_tsquery('simple', …) expression with the same meaning as fts5_query."""
    star = ":*" if _prefix(ws) else ""
    parts = []
    for i, w in enumerate(ws):
        alts = [f"'{v}'" + (star if i == len(ws) - 1 else "") for v in variants(w)]
        parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
    return " <-> ".join(parts)


def _name_like(column, key: str):
    """column's words start with key's words: "lands" finds "Gabrielius Landsbergis", not "Highlands"."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(column.like(f"{escaped}%", escape="\\"), column.like(f"% {escaped}%", escape="\\"))


def _key_starts(session: Session, key: str):
    """PersonName.key's words start with key's words. Folded keys hold only a-z, 0-9 and spaces: on
    SQLite that is a phrase with its last word as a prefix in the name index (personname_fts, migration
    0010); on PostgreSQL a LIKE that a trigram index serves (0009)."""
    if session.get_bind().dialect.name == "sqlite" and re.fullmatch(r"[a-z0-9]+(?: [a-z0-9]+)*", key):
        found = text("SELECT rowid FROM personname_fts WHERE personname_fts MATCH :phrase").bindparams(
            phrase=f'"{key}" *'
        )
        return col(PersonName.id).in_(found)
    return _name_like(col(PersonName.key), key)


def name_matches(session: Session, q: str | None, limit: int = MAX_NAME_PEOPLE) -> list[int]:
    """Ids of people (merges not yet followed) one of whose names matches q, at most limit.

    Every name a person is known by, the display name included, is in PersonName with its folded key
    (app.people.resolve and the editors' renames store them).
    """
    key = fold(q or "")
    if len(key) < 2:
        return []
    matched = select(col(PersonName.person_id)).where(_key_starts(session, key))
    if session.get_bind().dialect.name == "postgresql":
        # all matches first (through the trigram index), then the limit: with DISTINCT … LIMIT in one query
        # the planner may instead walk every stored name in person order, hoping to stop early
        found = matched.cte("matched").prefix_with("MATERIALIZED")
        return list(session.execute(select(found.c.person_id).distinct().limit(limit)).scalars())
    return list(session.execute(matched.distinct().limit(limit)).scalars())

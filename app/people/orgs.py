"""Organisations and bodies: "NATO", "the Kremlin", "Lithuania's foreign ministry" → (short name, country).

Below app.people.names and app.people.roles: reads `app/people/data/organisations.tsv` and `bodies.tsv`
(app.people.wordlists) and the places (app.places); knows nothing of people.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.people.wordlists import read_tsv
from app.places import abbr_key as _abbr_key
from app.places import country_adjective, country_code
from app.places import is_abbr_entry as _is_abbr_entry
from app.places import key as _key

_APOS = "'’‘`ʼ"


# ---------------------------------------------------------------- organisations


@lru_cache(maxsize=1)
def _org_tables() -> tuple[dict[str, tuple[str, str | None]], dict[str, tuple[str, str | None]]]:
    words: dict[str, tuple[str, str | None]] = {}
    abbrs: dict[str, tuple[str, str | None]] = {}
    for row in read_tsv("organisations.tsv"):
        name = row[0]
        aliases = [a for a in (row[1].split("|") if len(row) > 1 else []) if a.strip()]
        country = row[2].upper() if len(row) > 2 and row[2] else None
        for entry in [name, *aliases]:
            entry = entry.strip()
            if _is_abbr_entry(entry):
                abbrs[re.sub(r"[.\s]", "", entry)] = (name, country)
            else:
                words[_key(entry)] = (name, country)
    return words, abbrs


@lru_cache(maxsize=1)
def _bodies() -> list[tuple[str, str, re.Pattern]]:
    """(phrase, display form, pattern "[pre] phrase [of|for post]"), longest phrase first."""
    rows = [(r[0].lower(), r[1]) for r in read_tsv("bodies.tsv") if len(r) >= 2]
    rows.sort(key=lambda r: -len(r[0]))
    return [(p, d, re.compile(rf"(?:(?P<pre>.+?) )?{re.escape(p)}(?: (?:of|for) (?P<post>.+))?")) for p, d in rows]


@lru_cache(maxsize=65536)
def organisation(text: str) -> tuple[str, str | None] | None:
    """(short name, country or None) for a known organisation or a generic body.

    "NATO" → ("NATO", None); "the Kremlin" → ("Kremlin", "RU"); "Lithuania's foreign ministry" →
    ("Lithuanian Foreign Ministry", "LT"); "the Ministry of Foreign Affairs of Lithuania" → same.
    """
    if not text or not text.strip():
        return None
    t = re.sub(f"(?<=[A-Za-z])[{_APOS}]s?$", "", text.strip().strip(",;:()"))
    words, abbrs = _org_tables()
    ab = _abbr_key(re.sub(r"^[Tt]he\s+", "", t))
    if ab is not None and ab in abbrs:
        return abbrs[ab]
    k = _key(t)
    if not k:
        return None
    if k in words and any(ch.isupper() for ch in t):
        return words[k]
    # generic bodies: [country adj | X's] body [of X]
    for phrase, display, pattern in _bodies():
        if phrase not in k:
            continue
        m = pattern.fullmatch(k)
        if not m:
            continue
        pre, post = m.group("pre"), m.group("post")
        # recover the original-case fragments for the country test
        code = None
        if pre:
            orig = _orig_fragment(t, pre)
            code = country_code(orig, capitals=False)
            if code is None:
                continue
        if post:
            orig = _orig_fragment(t, post)
            c2 = country_code(orig, capitals=False)
            if c2 is None or (code and c2 != code):
                continue
            code = c2
        if code is None and display in generic_bodies():
            # "the government said" alone names no one in particular; callers use the article's country
            return (display, None)
        adj = country_adjective(code) if code else None
        return (f"{adj} {display}" if adj else display, code)
    return None


def _orig_fragment(text: str, key_fragment: str) -> str:
    """The words of `text` whose key is key_fragment (keeps capitals for country tests)."""
    toks = re.sub(r"^[Tt]he\s+", "", text.strip()).split()
    n = len(key_fragment.split())
    for i in range(len(toks) - n + 1):
        cand = " ".join(toks[i : i + n])
        if _key(cand) == key_fragment or _key(re.sub(f"[{_APOS}]s$", "", cand)) == re.sub(r"s$", "", key_fragment):
            return cand
    return key_fragment


@lru_cache(maxsize=1)
def generic_bodies() -> frozenset[str]:
    """Display forms of bodies.tsv rows marked "generic" ("Government", "Police")."""
    return frozenset(r[1] for r in read_tsv("bodies.tsv") if len(r) > 2 and r[2] == "generic")

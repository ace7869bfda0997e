"""Countries: names, adjectives, demonyms, short forms, capitals and subdivisions → ISO 3166-1 alpha-2.

Below both app.people (names, roles) and app.text (datelines): pure functions over pycountry and the
lists in `app/places/data/` (demonyms.tsv: adjectives, demonyms, short forms; capitals.tsv;
subdivisions.tsv: US states, provinces: "Pennsylvania Gov." → US). Countries are never invented.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pycountry
from anyascii import anyascii

from app.datafiles import read_tsv

DATA = Path(__file__).parent / "data"
_APOS = "'’‘`ʼ"


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Lower-case, ASCII, no dots/apostrophes, single spaces, no leading "the"."""
    s = " ".join(anyascii(text or "").split()).lower()
    s = re.sub(f"[{_APOS}.]", "", s)
    s = re.sub(r"[^a-z0-9&-]+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    return s


@lru_cache(maxsize=65536)
def abbr_key(text: str) -> str | None:
    """For all-capital abbreviations ("U.S.", "UK", "NATO"): the letters; else None."""
    s = re.sub(r"[.\s]", "", (text or "").strip())
    s = re.sub(r"^the", "", s) if s.startswith("the") else s
    return s if s and len(s) <= 6 and s.isalpha() and s.isupper() else None


def is_abbr_entry(entry: str) -> bool:
    s = re.sub(r"[.\s]", "", entry)
    return bool(s) and len(s) <= 6 and s.isalpha() and s.isupper()


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(words → code, abbreviations → code, capitals → code, code → preferred adjective)."""
    words: dict[str, str] = {}
    abbrs: dict[str, str] = {}
    adjective: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                words.setdefault(key(v), c.alpha_2)
                if "," in v:  # "Korea, Republic of" → also "Republic of Korea"
                    a, _, b = v.partition(",")
                    words.setdefault(key(f"{b} {a}"), c.alpha_2)
    for row in read_tsv(DATA / "demonyms.tsv"):
        if len(row) < 2 or not row[1]:
            continue
        entry, code = row[0], row[1].upper()
        if is_abbr_entry(entry):
            abbrs[re.sub(r"[.\s]", "", entry)] = code
            continue
        k = key(entry)
        words[k] = code
        if not k.endswith(("s", "ese", "sh", "ch")) and " " not in k and entry[0].isupper():
            words.setdefault(k + "s", code)  # plural of the people: "Lithuanians", "Ukrainians"
        if code not in adjective and not is_abbr_entry(entry):
            adjective[code] = entry
    capitals = {key(row[0]): row[1].upper() for row in read_tsv(DATA / "capitals.tsv") if len(row) >= 2}
    return words, abbrs, capitals, adjective


@lru_cache(maxsize=65536)
def country_code(text: str, capitals: bool = True) -> str | None:
    """ISO 3166-1 alpha-2 for a country name, adjective, demonym, short form or (optionally) capital.

    "Lithuanian" → "LT"; "Britain"/"UK"/"U.K." → "GB"; "U.S."/"American" → "US"; "Kyiv" → "UA".
    Abbreviations match only in capitals ("us" is a pronoun). A possessive ("Lithuania's") is allowed.
    """
    t = _clean(text)
    if t is None:
        return None
    return _country_word_code(t, capitals) or _subdivision_code(t)


def _clean(text: str) -> str | None:
    """text without a possessive ("Lithuania's") or a leading "the" ("the Netherlands"); None when empty."""
    if not text or not text.strip():
        return None
    t = re.sub(f"[{_APOS}]s?$", "", text.strip().strip(",;:()"))
    return re.sub(r"^(?:the|The|THE)\s+", "", t)  # "the Netherlands", "the U.S."


def _country_word_code(t: str, capitals: bool) -> str | None:
    """The code a country's name, adjective, demonym, abbreviation or (optionally) capital gives."""
    words, abbrs, caps, _ = _country_tables()
    ab = abbr_key(t)
    if ab is not None and ab in abbrs:
        return abbrs[ab]
    k = key(t)
    if not k:
        return None
    if k in words:
        # a lower-case country word in running text ("turkey", "china" as porcelain) is not a country
        if t[:1].islower() and not t[:1].isupper():
            return None
        return words[k]
    if capitals and k in caps and t[:1].isupper():
        return caps[k]
    return None


def _subdivision_code(t: str) -> str | None:
    """The country of a state or province ("Vermont", "Calif." → "US")."""
    exact, subs = _subdivisions()
    if t in exact:
        return exact[t]
    k = key(t)
    return subs[k] if k and k in subs and t[:1].isupper() else None


@lru_cache(maxsize=1)
def _subdivisions() -> tuple[dict[str, str], dict[str, str]]:
    """(abbreviations matched exactly, names by key) from subdivisions.tsv."""
    exact: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in read_tsv(DATA / "subdivisions.tsv"):
        if len(row) < 2 or not row[1]:
            continue
        if "." in row[0]:
            exact[row[0]] = row[1].upper()
        else:
            names[key(row[0])] = row[1].upper()
    return exact, names


def is_subdivision(text: str) -> bool:
    """True when text names a state or province and no country ("Vermont", "Calif."; not "Georgia")."""
    t = _clean(text)
    return t is not None and t[:1].isupper() and _country_word_code(t, False) is None and bool(_subdivision_code(t))


def country_adjective(code: str) -> str | None:
    """Preferred English adjective for a country code ("LT" → "Lithuanian")."""
    return _country_tables()[3].get((code or "").upper())


def country_name(code: str) -> str | None:
    """Common English name of a country code ("GB" → "United Kingdom")."""
    c = pycountry.countries.get(alpha_2=(code or "").upper())
    if c is None:
        return "Kosovo" if (code or "").upper() == "XK" else None
    return getattr(c, "common_name", None) or c.name

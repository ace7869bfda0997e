"""Personal names as strings: matching keys, the name and title word lists, gender words, slugs.

Pure functions over strings (no database, no spaCy); word lists live in `app/people/data/`. Reading
a whole mention ("French President Emmanuel Macron") is app.people.mentions; comparing two names is
app.people.matching.

Matching key (`fold`) rules, applied in this order:
1. transliterate to ASCII with anyascii (NFKD + script transliteration: Š→S, ė→e, ā→a, ņ→n,
   ß→ss, Cyrillic/Greek/CJK→Latin; CJK characters are kept as separate syllables);
2. lower-case; apostrophes vanish ("O'Brien" → "obrien", "Zelens'kiy" → "zelenskiy");
3. every other non-alphanumeric run (hyphens, dots, commas) becomes one space; whitespace collapsed;
4. spelling normalisation inside each word: sh→s, zh→z, ch→c, kh→h, ph→f, th→t, x→ks, y→i
   (so "Shimonite", "Šimonite" and "Šimonytė" → "simonite"; "Zelensky"/"Zelenskyy"/"Зеленський"
   → "zelenski");
5. runs of the same letter collapse to one ("Emmanuel" and "Emanuel" → "emanuel").
The key is for matching only; never show it.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from anyascii import anyascii

from app.people.wordlists import read_lines, read_tsv, role_nouns, word_set

# Bumped whenever `fold` changes its output: keys stored in the database (PersonName.key) made
# with another version must be recomputed.
FOLD_VERSION = "1"


# Letter-pair rewrites of step 4 of `fold` (order matters: digraphs before single letters).
_DIGRAPHS = (("sh", "s"), ("zh", "z"), ("ch", "c"), ("kh", "h"), ("ph", "f"), ("th", "t"), ("x", "ks"), ("y", "i"))
APOSTROPHES = "'’‘`´ʼ"
SUFFIXES = frozenset(read_lines("name_suffixes.txt"))  # Jr., Sr., III
PARTICLES = frozenset(read_lines("name_particles.txt"))  # von, de, bin: part of the surname
_CJK = re.compile(r"([\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")


@lru_cache(maxsize=65536)
def to_ascii(text: str) -> str:
    """Transliterate to ASCII, keeping case; CJK syllables become separate words."""
    if text.isascii():
        return " ".join(text.split())
    text = _CJK.sub(r" \1 ", text)
    return " ".join(anyascii(text).split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key for a name (rules in the module docstring)."""
    s = to_ascii(text or "").lower()
    s = re.sub(f"[{APOSTROPHES}]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    words = []
    for w in s.split():
        for a, b in _DIGRAPHS:
            w = w.replace(a, b)
        w = re.sub(r"(.)\1+", r"\1", w)
        words.append(w)
    return " ".join(words)


@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """Matching key of an organisation's name without a company suffix: "Globex Corp." and "Globex" → "globex"."""
    words = fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I)).split()
    while len(words) > 1 and words[-1] in word_set("company_suffixes.txt"):
        words = words[:-1]
    return " ".join(words)


def plain_word(word: str) -> str:
    """A word lower-cased, transliterated, without dots/apostrophes (for word-list lookups)."""
    s = to_ascii(word).lower()
    s = re.sub(f"[{APOSTROPHES}.]", "", s)
    return s.strip(',;:()[]"')


# ---------------------------------------------------------------- word lists


@lru_cache(maxsize=1)
def _title_phrases() -> frozenset[tuple[str, ...]]:
    """Titles from titles.txt as tuples of plain words ("prime", "minister")."""
    out = set()
    for line in read_lines("titles.txt"):
        words = tuple(plain_word(w) for w in re.split(r"[\s]+", line.replace("-", " - ")) if w != "-")
        out.add(tuple(w for w in words if w))
        out.add(tuple(plain_word(w) for w in line.split()))  # hyphenated form kept whole too
    return frozenset(out)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every single-word title and each word of multi-word titles (plain, lower-case)."""
    words: set[str] = set()
    for phrase in _title_phrases():
        words.update(phrase)
    return frozenset(words)


@lru_cache(maxsize=1)
def title_heads() -> frozenset[str]:
    """Words that can end a title: last words of titles.txt entries plus role nouns."""
    heads = set()
    for p in _title_phrases():
        if p:
            # "Secretary of State": the head is the word before "of"
            heads.add(p[p.index("of") - 1] if "of" in p[1:] else p[-1])
    heads.update(w for w in role_nouns() if " " not in w)
    heads.update(read_lines("relational_nouns.txt"))
    return frozenset(heads)


@lru_cache(maxsize=1)
def non_name_words() -> frozenset[str]:
    return frozenset(plain_word(w) for w in read_lines("non_name_words.txt"))


@lru_cache(maxsize=1)
def given_gender() -> dict[str, str]:
    out: dict[str, str] = {}
    for fname, g in (("given_names_female.txt", "f"), ("given_names_male.txt", "m")):
        for name in read_lines(fname):
            k = fold(name)
            out[k] = "?" if out.get(k, g) != g else g  # a name in both lists is ambiguous
    return out


@lru_cache(maxsize=1)
def census_gender() -> dict[str, str]:
    """Plain word → "f"/"m" for the census given names (data/given_names_census.tsv): gender only."""
    return {plain_word(row[0]): row[1] for row in read_tsv("given_names_census.tsv") if len(row) >= 2}


def is_given_name(word: str) -> bool:
    """True for a given name in the lists (data/given_names_*.txt): "Donald", "Ingrida"."""
    return fold(plain_word(word)) in given_gender()


@lru_cache(maxsize=1)
def family_first() -> frozenset[str]:
    return frozenset(fold(w) for w in read_lines("family_name_first.txt"))


def is_title_word(word: str) -> bool:
    """True for a title or honorific word ("Mr.", "Sen", "President", "Minister")."""
    return plain_word(word) in title_words()


@lru_cache(maxsize=1)
def gendered_titles() -> tuple[dict[str, str], frozenset[str]]:
    """(title word → 'f'/'m', courtesy honorifics) from gendered_titles.tsv."""
    gender: dict[str, str] = {}
    honorifics: set[str] = set()
    for line in read_lines("gendered_titles.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        word = parts[0].lower()
        if len(parts) > 1 and parts[1] in ("f", "m"):
            gender[word] = parts[1]
        if len(parts) > 2 and parts[2] == "yes":
            honorifics.add(word)
    return gender, frozenset(honorifics)


def is_honorific(word: str) -> bool:
    """A courtesy title that is not a role: Mr, Mrs, Ms, Dr, Sir, Dame, Lady, Lord …"""
    return plain_word(word) in gendered_titles()[1]


@lru_cache(maxsize=1)
def _gender_word_endings() -> tuple[tuple[str, str, str, int], ...]:
    """(ending, gender, 'given'|'surname', minimum length) from gender_endings.tsv, longest first
    (a woman's surname: Lithuanian -ytė/-aitė/-ienė, Slavic -ova/-eva/-ská/-skaya)."""
    rows = []
    for line in read_lines("gender_endings.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) >= 4:
            rows.append((parts[0].lower(), parts[1], parts[2], int(parts[3])))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def ending_gender(word: str, kind: str) -> str | None:
    low, folded = word.lower(), fold(word)
    for ending, g, k, minlen in _gender_word_endings():
        if k != kind:
            continue
        target = low if not ending.isascii() else folded
        if len(target) >= minlen and target.endswith(ending):
            return g
    return None


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    return frozenset(fold(w) for w in read_lines("place_words.txt"))


# ---------------------------------------------------------------- slugs


def slugify(name: str) -> str:
    """URL slug: ASCII, lower-case, hyphen-separated ("Ingrida Šimonytė" → "ingrida-simonyte").

    Never empty: text with nothing transliterable gets "n-" plus a short hash.
    """
    s = to_ascii(name or "").lower()
    s = re.sub(f"[{APOSTROPHES}]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    s = s[:80].rstrip("-")
    if not s:
        s = "n-" + hashlib.sha1((name or "").encode("utf-8")).hexdigest()[:10]
    return s

"""Name matching: how likely two mentions name one person, the best of several, one display name.

"Emanuel Macron" and "Emmanuel Macron", "Šimonite" and "Ingrida Šimonytė" may be one person;
"Bill Clinton" and "Hillary Clinton" are not; "Zakharov" and "Zakharova" are a family, not one
person. Pure functions over the parts app.people.mentions reads from a mention (titles ignored);
word lists in `app/people/data/` (given_name_variants.txt, surname_gender_endings.tsv).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from app.people.mentions import gender_hint, looks_like_person_name, split_name, split_parts
from app.people.names import PARTICLES, fold
from app.people.wordlists import read_lines


def _given_score(a: str, b: str) -> float:
    """How well two single given names (or initials) agree, 0..1."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.8
    if fa == fb:
        return 1.0
    ia, ib = len(fa) == 1 or a.endswith("."), len(fb) == 1 or b.endswith(".")
    if ia or ib:  # initial vs name or initial
        return 0.85 if fa[0] == fb[0] else 0.0
    ga, gb = _variant_groups().get(fa, frozenset()), _variant_groups().get(fb, frozenset())
    if ga & gb:
        return 0.9
    # a hyphenated given name and its first part: "Jean-Claude" / "Jean"
    pa, pb = fa.split(), fb.split()
    if (len(pa) == 1) != (len(pb) == 1) and pa[0] == pb[0]:
        return 0.85  # but "Jean-Claude"/"Jean-Pierre" and "Jong Un"/"Jong-il" stay apart
    # feminine/grammatical endings: Ingrid/Ingrida, Gabriel/Gabrielius, Jonas/Jon
    short, long_ = sorted((fa, fb), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return 0.92
    r = fuzz.ratio(fa, fb) / 100
    if r >= 0.85 and min(len(fa), len(fb)) >= 5 and fa[0] == fb[0]:
        return r
    return 0.2


@lru_cache(maxsize=1)
def _variant_groups() -> dict[str, frozenset[int]]:
    """Folded given name → ids of the variant groups it belongs to."""
    out: dict[str, set[int]] = {}
    for i, line in enumerate(read_lines("given_name_variants.txt")):
        for name in line.split(","):
            k = fold(name.strip())
            if k:
                out.setdefault(k, set()).add(i)
    return {k: frozenset(v) for k, v in out.items()}


def _expand_initials(given: list[str]) -> list[str]:
    """ "J.D." and "JD" → ["J.", "D."]: run-together initials become one initial per name."""
    out: list[str] = []
    for g in given:
        letters = g.replace(".", "")
        if (re.fullmatch(r"(?:[A-Z]\.){2,4}", g) or re.fullmatch(r"[A-Z]{2,3}", g)) and letters.isalpha():
            out.extend(f"{c}." for c in letters)
        else:
            out.append(g)
    return out


def _given_list_score(ga: list[str], gb: list[str]) -> float:
    if not ga or not gb:
        return 0.8  # one side is a bare surname: compatible, not proof
    ga, gb = _expand_initials(ga), _expand_initials(gb)
    first = _given_score(ga[0], gb[0])
    if first < 0.5 and len(ga) + len(gb) > 2:
        # "John F. Kennedy" vs "F. Kennedy"? compare every pair, take the best first-name match
        first = max(_given_score(x, y) for x in ga for y in gb) * 0.9
    elif len(ga) > 1 and len(gb) > 1:
        # both give middle names: they must agree ("George W. Bush" is not "George H. W. Bush")
        ma, mb = ga[1:], gb[1:]
        if len(ma) != len(mb) or any(_given_score(x, y) < 0.5 for x, y in zip(ma, mb, strict=True)):
            return min(first, 0.3)
    elif len(ga) != len(gb) and first >= 1.0:
        first = 0.95  # "John F. Kennedy" vs "John Kennedy": very likely, not the same string
    return first


@lru_cache(maxsize=1)
def _gender_endings() -> tuple[tuple[str, str], ...]:
    rows = []
    for line in read_lines("surname_gender_endings.tsv"):
        parts = line.split("\t")
        if len(parts) >= 2:
            rows.append((parts[0].strip(), parts[1].strip()))
    return tuple(rows)


def gendered_surname_pair(a: str, b: str) -> bool:
    """True when two surnames are the masculine and feminine forms of one family name
    ("Zakharov"/"Zakharova", "Landsbergis"/"Landsbergienė", "Kowalski"/"Kowalska")."""
    fa, fb = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    if fa == fb:
        return False
    for m, f in _gender_endings():
        for x, y in ((fa, fb), (fb, fa)):
            if x.endswith(m) and y.endswith(f):
                stem = x[: len(x) - len(m)]
                if len(stem) >= 3 and stem == y[: len(y) - len(f)]:
                    return True
    return False


def _surname_score(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    if gendered_surname_pair(a, b):
        return 0.3
    # compound/double-barrelled surnames: "Kennedy" vs "Bouvier Kennedy"
    wa, wb = set(fa.split()), set(fb.split())
    if (wa < wb or wb < wa) and (wa & wb):
        extra = wa ^ wb
        # "Leyen"/"von der Leyen" differ by particles only; "Kennedy"/"Bouvier Kennedy" by a name
        return 0.95 if all(x in PARTICLES for x in extra) else 0.9
    ca, cb = fa.replace(" ", ""), fb.replace(" ", "")
    if ca == cb:
        return 1.0
    r = fuzz.ratio(ca, cb) / 100
    if min(len(ca), len(cb)) >= 5 and r >= 0.85:
        return r
    return r * 0.5


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """How likely two name mentions denote the same person, from the names alone (0..1).

    1.0 same key; ≥0.9 spelling/transliteration/given-name-form variants; 0.8 for a bare surname
    against a full name with that surname (compatible: the caller decides from context); low for
    different given names with one surname, or different surnames. Titles are ignored.
    """
    ka, kb = fold(split_name(a)[1]), fold(split_name(b)[1])
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    ga, sa, xa = split_parts(a)
    gb, sb, xb = split_parts(b)
    if xa and xb and [fold(x) for x in xa] != [fold(x) for x in xb]:
        return 0.2  # "King Jr." vs "King Sr."
    s = _surname_score(sa, sb)
    if s < 0.85:
        # maybe one is written family-name-first or the surname alone is a given name; no match
        return round(s * 0.5, 3)
    g = _given_list_score(ga, gb)
    score = min(1.0, s * g if g < 1.0 else s)
    if score < 0.8:
        # the last words of a long name: "López Obrador" for "Andrés Manuel López Obrador"
        wa, wb = ka.split(), kb.split()
        short, long_ = sorted((wa, wb), key=len)
        if len(short) >= 2 and len(long_) >= 3 and long_[-len(short) :] == short:
            score = 0.8
    return round(score, 3)


def is_compatible(a: str, b: str, threshold: float = 0.75) -> bool:
    """True when the two names may denote one person (bare surname vs full name included)."""
    return name_similarity(a, b) >= threshold


def best_match(mention: str, known: list[str], threshold: float = 0.75) -> int | None:
    """Index of the one known name that `mention` most likely denotes, or None when none fits or
    when two different people fit equally well ("Clinton" with "Hillary Clinton" and "Bill Clinton").

    A gender from the mention's honorific ("Mrs. Clinton") or given name rules out known names of
    the other gender. `known` lists one name per person (e.g. each person's canonical name).
    """
    g = gender_hint(mention)
    scored = []
    for i, name in enumerate(known):
        s = name_similarity(mention, name)
        if s < threshold:
            continue
        kg = gender_hint(name)
        if g and kg and g != kg:
            continue
        scored.append((s, i))
    if not scored:
        return None
    scored.sort(reverse=True)
    if (
        len(scored) > 1
        and scored[1][0] >= scored[0][0] - 0.05
        and not is_compatible(known[scored[0][1]], known[scored[1][1]])
    ):
        return None  # ambiguous between two different people
    return scored[0][1]


# ---------------------------------------------------------------- display form


def _has_diacritics(s: str) -> bool:
    return any(ord(c) > 127 and c.isalpha() for c in s)


def canonical_name(variants: list[str]) -> str:
    """The display name for a set of variants of one person's name.

    Rule: strip titles and junk; prefer, in this order,
    (1) a full name (given name + surname) over a bare surname;
    (2) normal capitalisation over ALL CAPS or all lower case;
    (3) spelled-out given names over initials only ("John Smith" over "J. Smith");
    (4) forms with diacritics or non-Latin letters (the original spelling over a transliteration:
        "Šimonytė" over "Shimonite");
    (5) the most frequent form ("Emmanuel Macron" ×3 over "Emanuel Macron" ×1; "Joe Biden" ×9
        over "Joseph R. Biden Jr." ×1);
    (6) more name words, then longer given names ("Ingrida" over "Ingrid": short forms are more
        often clipped than lengthened);
    (7) the first seen.
    """
    names = [split_name(v)[1] for v in variants if v and split_name(v)[1]]
    if not names:
        return ""
    good = [n for n in names if looks_like_person_name(n)]
    names = good or names  # junk forms ("Said Macron", "UNN") only when nothing better exists
    counts = Counter(names)
    first_seen = {n: i for i, n in reversed(list(enumerate(names)))}

    def key(n: str):
        given, sur, _ = split_parts(n)
        odd_case = n.isupper() or n.islower()  # "SIMONITE", "simonite": shouting or sloppy forms
        initials_only = bool(given) and all(
            len(fold(g).replace(" ", "")) <= 1 or g.endswith(".") for g in _expand_initials(given)
        )
        return (
            not (given and sur),
            odd_case,
            initials_only,
            not _has_diacritics(n),
            -counts[n],
            -(len(given) + (1 if sur else 0)),
            -sum(len(g) for g in given),
            first_seen[n],
        )

    return sorted(counts, key=key)[0]

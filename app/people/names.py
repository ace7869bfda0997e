"""Personal names: matching keys, titles, name parts, similarity, display form and slugs.

Pure functions over strings (no database, no spaCy); word lists live in `app/people/data/`.

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

Titles: `split_name` strips leading honorifics and role titles, including "Sir"/"Dame"/"Lord"
(they are titles, not names: "Sir Vince Cable" → (["Sir"], "Vince Cable"); the title is returned so
callers can keep it for display or gender). Generational suffixes (Jr., Sr., II, III) stay in the name.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from app.people.orgs import organisation
from app.people.wordlists import party_words, quantifiers, role_modifiers, role_nouns  # noqa: F401 - re-exported
from app.people.wordlists import read_lines as _read_lines
from app.people.wordlists import word_set as _word_set
from app.places import country_code

# Bumped whenever `fold` changes its output: keys stored in the database (PersonName.key) made
# with another version must be recomputed.
FOLD_VERSION = "1"

# Letter-pair rewrites of step 4 of `fold` (order matters: digraphs before single letters).
_DIGRAPHS = (("sh", "s"), ("zh", "z"), ("ch", "c"), ("kh", "h"), ("ph", "f"), ("th", "t"), ("x", "ks"), ("y", "i"))
_APOSTROPHES = "'’‘`´ʼ"


_SUFFIXES = frozenset(_read_lines("name_suffixes.txt"))  # Jr., Sr., III
_PARTICLES = frozenset(_read_lines("name_particles.txt"))  # von, de, bin: part of the surname


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
    s = re.sub(f"[{_APOSTROPHES}]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    words = []
    for w in s.split():
        for a, b in _DIGRAPHS:
            w = w.replace(a, b)
        w = re.sub(r"(.)\1+", r"\1", w)
        words.append(w)
    return " ".join(words)


@lru_cache(maxsize=65536)
@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """Matching key of an organisation's name without a company suffix: "Globex Corp." and "Globex" → "globex"."""
    words = fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I)).split()
    while len(words) > 1 and words[-1] in _word_set("company_suffixes.txt"):
        words = words[:-1]
    return " ".join(words)


def _plain(word: str) -> str:
    """A word lower-cased, transliterated, without dots/apostrophes (for word-list lookups)."""
    s = to_ascii(word).lower()
    s = re.sub(f"[{_APOSTROPHES}.]", "", s)
    return s.strip(",;:()[]\"")


# ---------------------------------------------------------------- word lists

@lru_cache(maxsize=1)
def _title_phrases() -> frozenset[tuple[str, ...]]:
    """Titles from titles.txt as tuples of plain words ("prime", "minister")."""
    out = set()
    for line in _read_lines("titles.txt"):
        words = tuple(_plain(w) for w in re.split(r"[\s]+", line.replace("-", " - ")) if w != "-")
        out.add(tuple(w for w in words if w))
        out.add(tuple(_plain(w) for w in line.split()))  # hyphenated form kept whole too
    return frozenset(out)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every single-word title and each word of multi-word titles (plain, lower-case)."""
    words = set()
    for phrase in _title_phrases():
        words.update(phrase)
    return frozenset(words)


@lru_cache(maxsize=1)
def _title_heads() -> frozenset[str]:
    """Words that can end a title: last words of titles.txt entries plus role nouns."""
    heads = set()
    for p in _title_phrases():
        if p:
            # "Secretary of State": the head is the word before "of"
            heads.add(p[p.index("of") - 1] if "of" in p[1:] else p[-1])
    heads.update(w for w in role_nouns() if " " not in w)
    heads.update(_read_lines("relational_nouns.txt"))
    return frozenset(heads)


@lru_cache(maxsize=1)
def _non_name_words() -> frozenset[str]:
    return frozenset(_plain(w) for w in _read_lines("non_name_words.txt"))


@lru_cache(maxsize=1)
def _given_gender() -> dict[str, str]:
    out: dict[str, str] = {}
    for fname, g in (("given_names_female.txt", "f"), ("given_names_male.txt", "m")):
        for name in _read_lines(fname):
            k = fold(name)
            out[k] = "?" if out.get(k, g) != g else g  # a name in both lists is ambiguous
    return out


def is_given_name(word: str) -> bool:
    """True for a given name in the lists (data/given_names_*.txt): "Donald", "Ingrida"."""
    return fold(_plain(word)) in _given_gender()


@lru_cache(maxsize=1)
def _variant_groups() -> dict[str, frozenset[int]]:
    """Folded given name → ids of the variant groups it belongs to."""
    out: dict[str, set[int]] = {}
    for i, line in enumerate(_read_lines("given_name_variants.txt")):
        for name in line.split(","):
            k = fold(name.strip())
            if k:
                out.setdefault(k, set()).add(i)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _family_first() -> frozenset[str]:
    return frozenset(fold(w) for w in _read_lines("family_name_first.txt"))


_RANK = re.compile(r"^(?:no\.?|\d+(?:st|nd|rd|th)?-(?:ranked|seeded|placed)|top-(?:ranked|seeded)|\d+-year-old)$")


def _nounlike(word: str) -> bool:
    """A lower-case word that may end a description (not "said", "meeting", "only", "says")."""
    return re.search(r"(?:ed|id|ing|ly|ays|ells|ds|ts|old)$", _plain(word)) is None and not any(c.isdigit() for c in word)


def describes_person(word: str) -> bool:
    """True for a word that, right before a name, says the name is a person's: a title or role noun
    ("senator", "spokesman"), an occupation ("psychologist", "actress", "editor-in-chief" through its
    first part) or a rank or age ("14th-ranked", "32-year-old")."""
    p = _plain(word)
    if not p or _title_token(word) == "link":
        return False
    if p in title_words() or p in role_nouns() or p in _word_set("professions.txt") or _RANK.match(p):
        return True
    parts = [x for x in p.split("-") if x]
    return len(parts) > 1 and (parts[0] in role_nouns() or parts[0] in _word_set("professions.txt")
                               or parts[-1] in role_nouns() or parts[-1] in _word_set("professions.txt"))


def is_title_word(word: str) -> bool:
    """True for a title or honorific word ("Mr.", "Sen", "President", "Minister")."""
    return _plain(word) in title_words()


# ---------------------------------------------------------------- splitting

def _strip_possessive(s: str) -> str:
    s = s.strip()
    s = re.sub(r"(?<=\w)[" + _APOSTROPHES + r"]s$", "", s)
    s = re.sub(r"(?<=s)[" + _APOSTROPHES + r"]$", "", s)
    return s.strip()


def _title_token(word: str) -> str | None:
    """Classify a token of a mention prefix: 'head', 'mod', 'link', 'place' or None (name-like)."""
    p = _plain(word)
    if not p:
        return "link"
    if p in ("of", "for", "from", "the", "and", "-", "&"):
        return "link"
    parts = [x for x in re.split(r"-", p) if x]
    if len(p) > 4 and p.endswith("s") and p[:-1] in _title_heads() and word[:1].isupper():
        return "head"  # plural titles: "Senators Charles E. Grassley and …"
    if p in _title_heads() or (parts and parts[-1] in _title_heads() and all(
            x in title_words() or x in role_modifiers() or x in role_nouns() for x in parts)):
        return "head"
    if p in title_words() or p in role_modifiers() or p in party_words():
        return "mod"
    return None


def _place_len(toks: list[str], i: int) -> int:
    """Length of a country/organisation phrase starting at toks[i] (0 if none), up to 5 words."""
    if not toks[i][:1].isupper():
        return 0  # places and bodies are capitalised
    for n in (5, 4, 3, 2, 1):
        if i + n > len(toks):
            continue
        phrase = " ".join(toks[i:i + n]).strip(",;:()")
        phrase = re.sub(r"[" + _APOSTROPHES + r"]s?$", "", phrase)
        if phrase and (country_code(phrase, capitals=False) is not None or organisation(phrase) is not None):
            return n
    return 0


def _title_prefix_len(toks: list[str], allow_unknown: bool = True) -> int:
    """Number of leading tokens that form a title phrase; at least one token is left for the name.

    A title phrase is made of title words, role modifiers, places (countries, demonyms,
    organisations) and links (of, for, the); it must contain a head (a title or role noun) and
    ends after a head or after "of/for <place>" ("President of France"). Up to two unknown
    capitalised words may start it when a full name follows ("NYPD Commissioner James O'Neill",
    "Charlotte Mayor Jennifer Roberts"); a leading possessive place or body may stand alone before
    a full name ("CNN's Jake Tapper").
    """
    best, has_head, i, prev, in_portfolio, poss_end = 0, False, 0, "", False, 0
    while i < len(toks) - 1:
        k = _title_token(toks[i])
        if k in ("mod", "link", None) and k != "head" and _place_len(toks, i) > 1:
            k = None  # "European Council President", "President of the European Commission"
        elif k in ("mod", "link") and prev in ("of", "for", "from", "the") and _place_len(toks, i) > 0 \
                and _plain(toks[i]) not in ("of", "for", "from", "the", "and"):
            k = None
        if k in ("head", "mod", "link"):
            if k == "head":
                has_head = True
                best = i + 1
                in_portfolio = False
            elif k == "link" and has_head and _plain(toks[i]) in ("of", "for"):
                in_portfolio = True
            elif k == "mod" and in_portfolio:
                best = i + 1  # "Minister of Foreign Affairs", "Secretary of State", "Minister for Trade"
            prev = _plain(toks[i])
            i += 1
            continue
        n = _place_len(toks, i)
        if n and i + n < len(toks):
            i += n
            if has_head and prev in ("of", "for", "from", "the"):
                best = i
            if not has_head and re.search(f"[{_APOSTROPHES}]s?$", toks[i - 1]):
                poss_end = i  # "CNN's", "Lithuania's"
            prev = "<place>"
            continue
        break
    if not best and poss_end and len(toks) - poss_end >= 2 and _name_shape(" ".join(toks[poss_end:])):
        return poss_end
    if not best and allow_unknown:
        for u in (1, 2, 3):
            lead = toks[:u]
            if len(toks) - u < 3:
                break
            kinds = [_title_token(t) for t in lead]
            unknown = [t for t, k in zip(lead, kinds) if k is None]
            if not 0 < len(unknown) <= 2 or any(k in ("head", "link") for k in kinds):
                continue
            if not all(t[:1].isupper() for t in lead) or any(is_honorific(t) for t in lead):
                continue
            # "Mary Smith President …" is a name, not a title: two unknown words that look like a
            # given name and a surname do not start a title (acronyms and places may)
            if len(unknown) == 2 and fold(unknown[0]) in _given_gender() and not (
                    re.fullmatch(r"[A-Z][A-Z0-9&-]+", unknown[1]) or _place_len([unknown[1]], 0)):
                continue
            sub = _title_prefix_len(toks[u:], allow_unknown=False)
            if sub and _title_token(toks[u + sub - 1]) == "head" and len(toks) - (u + sub) >= 2 \
                    and _name_shape(" ".join(toks[u + sub:])):
                return u + sub
    return best


_DET = re.compile(r"^(?:the|a|an|his|her|their|its|our|my|your)\s+", re.I)


def split_name(mention: str) -> tuple[list[str], str]:
    """Split a mention into (title phrases, name).

    "Mr. Smith" → (["Mr."], "Smith"); "French President Emmanuel Macron" → (["French President"],
    "Emmanuel Macron"); "President of France Emmanuel Macron" → (["President of France"], ...);
    "Minister for Foreign Affairs of Latvia, Krišjānis Kariņš" → (["Minister for Foreign Affairs of
    Latvia"], "Krišjānis Kariņš"); "Dmitro Kuleba, the foreign minister" → (["foreign minister"],
    "Dmitro Kuleba"); a pure description ("the French president") → (["French president"], "").
    Leading determiners (the, his, …) are dropped; a trailing possessive ('s) is removed; Jr./III
    are kept. Each title is a contiguous phrase as written.
    """
    titles, name = _split_name(mention or "")
    return list(titles), name


_EDNOTE = re.compile(r"\s*[-–—]\s*(?:ed|eds|editor'?s?(?: note)?)\.?(?=[\s)\]]|$)", re.I)
_PAREN = re.compile(r"\s*\(([^()]*)\)(?=\s*(\S?))")


def _paren_repl(m: re.Match) -> str:
    """Drop a parenthetical, except an editor's insertion that continues the name:
    "(French President Emanuel) Macron" keeps its words."""
    inner, nxt = m.group(1).strip(), m.group(2)
    if len(inner.split()) >= 2 and inner[:1].isupper() and nxt[:1].isupper():
        return " " + inner + " "
    return " "
_PARTY_TAG = re.compile(r"^[RDI](?:-[A-Z][A-Za-z.]*)?\.?$")  # "R", "D-Wis.", "R-S.C."
_SUFFIX_RE = re.compile(r"(?i)(jr|sr|ii|iii|iv)\.?")


def _has_name_part(text: str) -> bool:
    """Some capitalised non-title words remain after the leading title phrase."""

    toks = text.split()
    best = _title_prefix_len(toks)
    lead, rest = toks[:best], toks[best:]
    if not rest or not all(t[:1].isupper() or _plain(t) in _PARTICLES for t in rest):
        return False
    if lead and all(is_honorific(t) for t in lead):
        return True  # "Mr. King"
    return not all(_plain(t) in title_words() or _plain(t) in role_modifiers() for t in rest) and (
        country_code(" ".join(rest)) is None)


def _coordinated(text: str) -> bool:
    """Two names joined by "and"/"&": "Mr. King and Mr. Schultz", "Obama and Hillary Clinton"."""
    parts = re.split(r"\s+(?:and|&)\s+", text, maxsplit=1)
    return len(parts) == 2 and _has_name_part(parts[0]) and _has_name_part(parts[1])


def _name_shape(text: str) -> bool:
    """Capitalised words (particles allowed), no digits, 1–5 words, not only title words."""
    toks = text.split()
    if not 0 < len(toks) <= 5:
        return False
    for t in toks:
        if _plain(t) in _PARTICLES:
            continue
        if not t[:1].isupper() or any(c.isdigit() for c in t):
            return False
    return not all(is_title_word(t) or _plain(t) in _non_name_words() for t in toks)


@lru_cache(maxsize=65536)
def _split_name(mention: str) -> tuple[tuple[str, ...], str]:
    from app.people.roles import parse_descriptor  # late: roles imports names

    s = _EDNOTE.sub(" ", mention)  # "(French President Emanuel - ed.) Macron"
    s = re.sub(r"\[([^\[\]]*)\]", r"\1", s)  # "Emanuel [Macron]": editorial brackets keep their words
    s = " ".join(_PAREN.sub(_paren_repl, s).split())  # "(R-S.C.)", "(L)", "(pictured)" go
    s = s.replace("(", " ").replace(")", " ")  # unbalanced leftovers
    s = " ".join(s.split()).strip("\"“”„«»‹›‚ ")
    s = _strip_possessive(s.strip(" ,"))
    had_det = bool(_DET.match(s))
    s = _DET.sub("", s).strip(" ,")
    titles: list[str] = []
    if _coordinated(re.sub(r"\s*,\s*(?:[RDI](?:-[A-Z][A-Za-z.]*)?\.?\s*(?:,|$))?", " ", s)):
        return (), s
    if "," in s:
        parts = [p.strip() for p in s.split(",")]
        parts = [p for p in parts if p and not _PARTY_TAG.match(p)]  # "Mitch McConnell, R-Ky."
        if len(parts) >= 2 and _SUFFIX_RE.fullmatch(parts[-1]):
            parts = [*parts[:-2], f"{parts[-2]} {parts[-1]}"]  # "Martin Luther King, Jr."
        s = ", ".join(parts)
        if len(parts) >= 2:
            head, tail = ", ".join(parts[:-1]), parts[-1]
            htoks = head.split()
            hd = None
            if htoks and _title_prefix_len(htoks + ["X"]) == len(htoks):
                titles.append(head)  # "Minister for Foreign Affairs of Latvia, Krišjānis Kariņš"
                s = tail
            elif _name_shape(tail) and not _name_shape(head) and (hd := parse_descriptor(head)) is not None and hd.role:
                titles.append(head)  # "A lawyer for the news outlets, David Schulz"
                s = tail
            else:
                # "Name, the foreign minister" / "Name, who …" / "Name, 41"
                rest = ", ".join(parts[1:])
                desc = parse_descriptor(rest)
                if rest[:1].islower() or rest[:1].isdigit() or (desc is not None and desc.role):
                    if desc is not None:
                        titles.append(_DET.sub("", rest))
                    s = parts[0]
    if _coordinated(s):
        return tuple(titles), s  # two people: "Mr. King and Mr. Schultz" (looks_like_person_name says no)
    toks = s.split()
    if toks and (had_det or toks[-1][:1].islower()) and _title_prefix_len(toks + ["X"]) == len(toks):
        # a description without a name: "the French president", "the Lithuanian prime minister"
        return tuple([*titles, " ".join(toks)]), ""
    whole = list(toks)
    best = _title_prefix_len(toks)
    lead = []
    if best:
        lead = [" ".join(toks[:best]).rstrip(",")]
        toks = toks[best:]
    # trailing "of <place>": "Charles B. Rangel of New York"; "of <something>" after a name is
    # what the person spoke of, not part of the name: "Stone of her role"
    for j in range(1, len(toks)):
        if _plain(toks[j]) in ("of", "from") and j + 1 < len(toks):
            place = " ".join(toks[j + 1:])
            if country_code(place) is not None:
                titles.append(" ".join(toks[j:]))
                toks = toks[:j]
                break
            if _plain(toks[j]) == "of" and toks[j + 1][:1].islower() and toks[j - 1][:1].isupper():
                toks = toks[:j]
                break
            if j >= 2 and is_given_name(toks[0]) and _name_shape(" ".join(toks[:j])) and toks[j + 1][:1].isupper() \
                    and not any(is_title_word(t) for t in toks[:j]):
                titles.append(" ".join(toks[j:]))  # "Glen Zorn of The Nation": where the person works or lives
                toks = toks[:j]
                break
    # a lower-case description before a full name: "port director Karl Novak", "union leader Jan Kos"
    k = 0
    while k < len(toks) and (toks[k][:1].islower() or toks[k][:1].isdigit()) and _plain(toks[k]) not in _PARTICLES:
        k += 1
    if 0 < k <= 4 and len(toks) - k >= 2 and _name_shape(" ".join(toks[k:])) \
            and _title_token(toks[k - 1]) != "link" and (describes_person(toks[k - 1]) or (is_given_name(toks[k]) and _nounlike(toks[k - 1]))) \
            and not any(_plain(t) in _non_name_words() for t in toks[k:]):
        # "psychologist Jane Roe", "actress Mia Stone": an occupation, or a known given name after it
        return tuple([" ".join(whole[:best + k]), *titles]), " ".join(toks[k:]).strip(" ,")
    if 0 < k <= 3 and len(toks) - k == 1 and (had_det or best) and describes_person(toks[k - 1]) \
            and _name_shape(toks[k]) and _plain(toks[k]) not in _non_name_words() \
            and _plain(toks[k]) not in _word_set("non_person_nouns.txt"):
        # "the 14th-ranked Novak", "the veteran actress Stone": a surname after a description of a person
        return tuple([" ".join(whole[:best + k]), *titles]), toks[k].strip(" ,")
    # a description with capitalised words in it before a full name: "Trump campaign spokesman Jason Miller"
    low = [i for i, t in enumerate(toks[:6]) if t[:1].islower() and _plain(t) not in _PARTICLES]
    if low and 0 < low[0] and len(toks) - (low[-1] + 1) >= 2:
        k = low[-1] + 1
        if _title_token(toks[k - 1]) != "link" and (describes_person(toks[k - 1]) or (is_given_name(toks[k]) and _nounlike(toks[k - 1]))) \
                and _name_shape(" ".join(toks[k:])) \
                and not any(t[:1].islower() for t in toks[k:]) and not any(_plain(t) in _non_name_words() for t in toks[k:]):
            return tuple([" ".join(whole[:best + k]), *titles]), " ".join(toks[k:]).strip(" ,")
    after_head = best > 0 and _title_token(whole[best - 1]) == "head"
    if toks and (toks[0][:1].islower() and _plain(toks[0]) not in _PARTICLES
                 or not after_head and all(_plain(t) in _non_name_words() for t in toks)) and (best or had_det):
        # what follows the title is no name: "Senator from Texas", "the head of Sony Pictures …"
        return tuple([*titles, " ".join(whole)]), ""
    given = _given_gender()
    if len(toks) >= 3 and fold(_plain(toks[1])) in given and fold(_plain(toks[0])) not in given and (
            (best and is_honorific(whole[best - 1])) or _plain(toks[0]) in role_modifiers()
            or _plain(toks[0]) in _non_name_words()):
        # a word of the title left before a full name: "Miss Universe Alicia Machado", "(Speaker of the)
        # House Newt Gingrich"; the name starts at the known given name ("Cornell William Brooks" stays whole)
        lead = [" ".join(whole[:best + 1]).rstrip(",")]
        toks = toks[1:]
    k = _name_after_last_title(toks)
    if k:
        # "Council on Fair Trade Executive Director Omar Bakri", "Air Force 1st Lt. Kyle Dunn": an
        # organisation or unit, then a title, then the name: the name is the person's
        return tuple([" ".join([*lead, *toks[:k]]).rstrip(","), *titles]), " ".join(toks[k:]).strip(" ,")
    name = " ".join(toks).strip(" ,")
    return tuple(lead + titles), name


def _name_after_last_title(toks: list[str]) -> int:
    """Index where a name starts after the last title word of toks (0 when there is none): at least two
    capitalised words after it with no title or digit among them, or one after an honorific."""
    for k in range(len(toks) - 1, 0, -1):
        if describes_person(toks[k - 1]):
            rest = toks[k:]
            if (len(rest) >= 2 or is_honorific(toks[k - 1])) and len(rest) <= 3 and _name_shape(" ".join(rest)) \
                    and not any(is_title_word(t) or _plain(t) in _non_name_words()
                                or _plain(t) in _word_set("non_person_nouns.txt") for t in rest):
                return k
            return 0
    return 0


def _name_tokens(name: str) -> list[str]:
    """Words of a name without titles and possessive; hyphenated names stay one word."""
    _, n = split_name(name)
    return [t.strip(",") for t in n.split() if t.strip(",")]


def _split_parts(name: str) -> tuple[list[str], str, list[str]]:
    """(given names, surname, suffixes) of a name as written."""
    toks = _name_tokens(name)
    suffixes = []
    while len(toks) > 1 and _plain(toks[-1]) in _SUFFIXES:
        suffixes.insert(0, toks.pop())
    if not toks:
        return [], "", suffixes
    if len(toks) == 1:
        return [], toks[0], suffixes
    # family name first (Chinese, Korean, Vietnamese): "Xi Jinping", "Kim Jong Un"
    fam = fold(toks[0])
    if (len(toks) <= 3 and fam in _family_first() and not any(fold(t) in _given_gender() for t in toks[1:])
            and not any("." in t for t in toks)):
        return [" ".join(toks[1:])], toks[0], suffixes
    j = len(toks) - 1
    while j > 1 and _plain(toks[j - 1]) in _PARTICLES:
        j -= 1
    # a particle directly before the surname starts it ("Charles de Gaulle", "Ursula von der Leyen");
    # a name that starts with one is all surname when the particle is lower-case or doubled
    # ("de Gaulle", "von der Leyen", "Von der Leyen"), not "Al Gore" or "Van Morrison"
    if j == 1 and _plain(toks[0]) in _PARTICLES and (toks[0][:1].islower() or (
            len(toks) > 2 and _plain(toks[1]) in _PARTICLES)):
        j = 0
    return toks[:j], " ".join(toks[j:]), suffixes


def surname(name: str) -> str:
    """The family name as written ("Ingrid Šimonite" → "Šimonite"; "Xi Jinping" → "Xi")."""
    return _split_parts(name)[1]


def given_names(name: str) -> list[str]:
    """Given names and initials as written ("John F. Kennedy" → ["John", "F."])."""
    return _split_parts(name)[0]


# ---------------------------------------------------------------- similarity

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


def _expand_initials(given: list[str]) -> list[str]:
    """"J.D." and "JD" → ["J.", "D."]: run-together initials become one initial per name."""
    out = []
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
        if len(ma) != len(mb) or any(_given_score(x, y) < 0.5 for x, y in zip(ma, mb)):
            return min(first, 0.3)
    elif len(ga) != len(gb) and first >= 1.0:
        first = 0.95  # "John F. Kennedy" vs "John Kennedy": very likely, not the same string
    return first


@lru_cache(maxsize=1)
def _gender_endings() -> tuple[tuple[str, str], ...]:
    rows = []
    for line in _read_lines("surname_gender_endings.tsv"):
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
        extra = (wa ^ wb)
        # "Leyen"/"von der Leyen" differ by particles only; "Kennedy"/"Bouvier Kennedy" by a name
        return 0.95 if all(x in _PARTICLES for x in extra) else 0.9
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
    ga, sa, xa = _split_parts(a)
    gb, sb, xb = _split_parts(b)
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
        if len(short) >= 2 and len(long_) >= 3 and long_[-len(short):] == short:
            score = 0.8
    return round(score, 3)


def is_compatible(a: str, b: str, threshold: float = 0.75) -> bool:
    """True when the two names may denote one person (bare surname vs full name included)."""
    return name_similarity(a, b) >= threshold


# ---------------------------------------------------------------- gender, display, slug

@lru_cache(maxsize=1)
def _gendered_titles() -> tuple[dict[str, str], frozenset[str]]:
    """(title word → 'f'/'m', courtesy honorifics) from gendered_titles.tsv."""
    gender: dict[str, str] = {}
    honorifics: set[str] = set()
    for line in _read_lines("gendered_titles.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        word = parts[0].lower()
        if len(parts) > 1 and parts[1] in ("f", "m"):
            gender[word] = parts[1]
        if len(parts) > 2 and parts[2] == "yes":
            honorifics.add(word)
    return gender, frozenset(honorifics)


def is_honorific(word: str) -> bool:
    """A courtesy title that is not a role: Mr, Mrs, Ms, Dr, Sir, Dame, Lady, Lord …"""
    return _plain(word) in _gendered_titles()[1]
# Surname endings that mark a woman (Lithuanian -ytė/-aitė/-ienė, Slavic -ova/-eva/-ská/-skaya).
@lru_cache(maxsize=1)
def _gender_word_endings() -> tuple[tuple[str, str, str, int], ...]:
    """(ending, gender, 'given'|'surname', minimum length) from gender_endings.tsv, longest first."""
    rows = []
    for line in _read_lines("gender_endings.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) >= 4:
            rows.append((parts[0].lower(), parts[1], parts[2], int(parts[3])))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _ending_gender(word: str, kind: str) -> str | None:
    low, folded = word.lower(), fold(word)
    for ending, g, k, minlen in _gender_word_endings():
        if k != kind:
            continue
        target = low if not ending.isascii() else folded
        if len(target) >= minlen and target.endswith(ending):
            return g
    return None


def gender_hint(name_or_titles: str) -> str | None:
    """'f' or 'm' from honorifics/titles or a well-known given name; None when unsure."""
    text = (name_or_titles or "").strip()
    if not text:
        return None
    titles, name = split_name(text)
    words = [w for t in titles for w in t.split()]
    name_words = name.split()
    if name_words and all(is_title_word(w) or _plain(w) in _gendered_titles()[0] for w in name_words):
        words += name_words  # only titles were given ("Mrs.", "the spokeswoman")
        name = ""
    genders = {_gendered_titles()[0].get(_plain(w)) for w in words} - {None}
    if len(genders) == 1:
        return genders.pop()
    if len(genders) > 1:
        return None
    given, sur, _ = _split_parts(name)
    for gname in given[:1]:
        g = _given_gender().get(fold(gname))
        if g in ("f", "m"):
            return g
        if g is None and not gname.endswith("."):
            g = _ending_gender(gname, "given")
            if g:
                return g
    if sur:
        return _ending_gender(sur.split()[-1], "surname")
    return None


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
        given, sur, _ = _split_parts(n)
        odd_case = n.isupper() or n.islower()  # "SIMONITE", "simonite": shouting or sloppy forms
        initials_only = bool(given) and all(len(fold(g).replace(" ", "")) <= 1 or g.endswith(".")
                                            for g in _expand_initials(given))
        return (not (given and sur), odd_case, initials_only, not _has_diacritics(n), -counts[n],
                -(len(given) + (1 if sur else 0)), -sum(len(g) for g in given), first_seen[n])

    return sorted(counts, key=key)[0]


def slugify(name: str) -> str:
    """URL slug: ASCII, lower-case, hyphen-separated ("Ingrida Šimonytė" → "ingrida-simonyte").

    Never empty: text with nothing transliterable gets "n-" plus a short hash.
    """
    s = to_ascii(name or "").lower()
    s = re.sub(f"[{_APOSTROPHES}]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    s = s[:80].rstrip("-")
    if not s:
        s = "n-" + hashlib.sha1((name or "").encode("utf-8")).hexdigest()[:10]
    return s


# ---------------------------------------------------------------- cheap person-name test

@lru_cache(maxsize=65536)
def looks_like_person_name(text: str) -> bool:
    """Cheap check that a mention could be a person's name (not a pronoun, place, organisation, title)."""
    if not text or not text.strip():
        return False
    titles, name = split_name(text)
    toks = [t.strip(",") for t in name.split() if t.strip(",")]
    if not toks or len(toks) > 6 or any(t.lower() in ("and", "&", "or") for t in toks):
        return False
    words = [t for t in toks if _plain(t) not in _PARTICLES and _plain(t) not in _SUFFIXES]
    if not words:
        return False
    for t in words:
        first = t.lstrip("\"'(")[:1]
        if not first or not (first.isupper() or (first.isalpha() and not first.islower())):
            return False
        if any(c.isdigit() for c in t):
            return False
    plain = [_plain(t) for t in words]
    has_honorific = any(_gendered_titles()[0].get(_plain(w)) or _plain(w) in title_words()
                        for t in titles for w in t.split())
    if all(p in _non_name_words() for p in plain) and not has_honorific:
        return False
    if all(p in title_words() or p in role_nouns() or p in role_modifiers() for p in plain):
        return False
    for t in titles:
        for w in t.split():
            pw = _plain(w)
            if len(pw) > 4 and pw.endswith("s") and pw[:-1] in _title_heads():
                return False  # a plural title names a group: "Senators Charles E. Grassley and …"
    npn = _word_set("non_person_nouns.txt")
    if not has_honorific and (plain[0] in _word_set("quantifiers.txt") or plain[-1] in npn
                              or any(p in npn and p.endswith("s") for p in plain)):
        return False  # "Many Democrats", "Protesters", "Yahoo News", "New Poll", "Black Lawmakers Rip …"
    if len(words) == 1 and len(words[0].strip(".")) < 2:
        return False  # "D"
    if len(words) > 1 and not has_honorific and len(plain[0]) >= 6 and plain[0].endswith("ing") \
            and fold(words[0]) not in _given_gender():
        return False  # a participle before a name: "Injecting Clinton", "Following Macron"
    if not has_honorific and re.match(r"(?i)(the|a|an)\s", text.strip()):
        return False  # "The Guardian", "the Kremlin": people are not named with an article
    if all(len(w) >= 2 and w.isupper() for w in words) and not has_honorific:
        return False  # acronyms: "UNN", "MENAFN"
    if organisation(name) is not None:
        return False
    if not has_honorific and (fold(name) in _place_words() or country_code(name) is not None):
        return False
    if not has_honorific and all(country_code(w) is not None or fold(w) in _place_words()
                                 or _plain(w) in role_modifiers() or _plain(w) in party_words() for w in words):
        return False
    if all(_plain(w) in title_words() or _plain(w) in role_nouns() or _plain(w) in role_modifiers()
           or country_code(w) is not None or organisation(w) is not None
           or all(x in title_words() or x in role_nouns() or x in role_modifiers() for x in _plain(w).split("-"))
           for w in words):
        return False  # "NATO Secretary-General"
    if _title_prefix_len(toks + ["X"], allow_unknown=False) == len(toks) and _title_token(toks[-1]) == "head":
        return False  # "Former White House Doctor"
    if len(toks) > 1 and _title_token(toks[-1]) == "head" and not _title_token(toks[-1]) == "mod" and any(
            _title_token(t) in ("mod", "head") or re.fullmatch(r"[A-Z][A-Z0-9&-]+", t) for t in toks[:-1]):
        return False  # "Interim DNC Chairwoman", "DNC Chairwoman" (but "Larry King", "Julie Bishop" are names)
    return True


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return frozenset(fold(w) for w in _read_lines("place_words.txt"))


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
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.05 and not is_compatible(known[scored[0][1]], known[scored[1][1]]):
        return None  # ambiguous between two different people
    return scored[0][1]


def __getattr__(name: str):
    """TITLE_WORDS: every title word from titles.txt (plain, lower-case), loaded on first use."""
    if name == "TITLE_WORDS":
        return title_words()
    raise AttributeError(name)

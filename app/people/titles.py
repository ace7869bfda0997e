"""Title phrases of a mention, word by word: which words are titles, how far a leading title phrase reaches, what a name looks like."""

from __future__ import annotations

import re

from app.people.names import (
    APOSTROPHES,
    PARTICLES,
    fold,
    given_gender,
    is_honorific,
    is_title_word,
    non_name_words,
    plain_word,
    title_heads,
    title_words,
)
from app.people.orgs import organisation
from app.people.wordlists import party_words, role_modifiers, role_nouns, word_set
from app.places import country_code

_PLURAL_POSSESSIVE = re.compile(r"s[’']$")  # "Nurses’", "Veterans'"
_RANK = re.compile(r"^(?:no\.?|\d+(?:st|nd|rd|th)?-(?:ranked|seeded|placed)|top-(?:ranked|seeded)|\d+-year-old)$")


def nounlike(word: str) -> bool:
    """A lower-case word that may end a description (not "said", "meeting", "only", "says")."""
    return re.search(r"(?:ed|id|ing|ly|ays|ells|ds|ts|old)$", plain_word(word)) is None and not any(
        c.isdigit() for c in word
    )


def describes_person(word: str) -> bool:
    """True for a word that, right before a name, says the name is a person's: a title or role noun
    ("senator", "spokesman"), an occupation ("psychologist", "actress", "editor-in-chief" through its
    first part) or a rank or age ("14th-ranked", "32-year-old")."""
    p = plain_word(word)
    if not p or title_token(word) == "link":
        return False
    if p in title_words() or p in role_nouns() or p in word_set("professions.txt") or _RANK.match(p):
        return True
    parts = [x for x in p.split("-") if x]
    return len(parts) > 1 and (
        parts[0] in role_nouns()
        or parts[0] in word_set("professions.txt")
        or parts[-1] in role_nouns()
        or parts[-1] in word_set("professions.txt")
    )


def strip_possessive(s: str) -> str:
    s = s.strip()
    s = re.sub(r"(?<=\w)[" + APOSTROPHES + r"]s$", "", s)
    s = re.sub(r"(?<=s)[" + APOSTROPHES + r"]$", "", s)
    return s.strip()


def title_token(word: str) -> str | None:
    """Classify a token of a mention prefix: 'head', 'mod', 'link', 'place' or None (name-like)."""
    p = plain_word(word)
    if not p:
        return "link"
    if p in ("of", "for", "from", "the", "and", "-", "&"):
        return "link"
    parts = [x for x in re.split(r"-", p) if x]
    if len(p) > 4 and p.endswith("s") and p[:-1] in title_heads() and word[:1].isupper():
        return "head"  # plural titles: "Senators Charles E. Grassley and …"
    if p in title_heads() or (
        parts
        and parts[-1] in title_heads()
        and all(x in title_words() or x in role_modifiers() or x in role_nouns() for x in parts)
    ):
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
        phrase = " ".join(toks[i : i + n]).strip(",;:()")
        phrase = re.sub(r"[" + APOSTROPHES + r"]s?$", "", phrase)
        if phrase and (country_code(phrase, capitals=False) is not None or organisation(phrase) is not None):
            return n
    return 0


def title_prefix_len(toks: list[str], allow_unknown: bool = True) -> int:
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
        k = title_token(toks[i])
        if k == "head" and _PLURAL_POSSESSIVE.search(toks[i]):
            k = None  # "Ontario Nurses’ Association": a body named for its members, no title
        if k in ("mod", "link", None) and k != "head" and _place_len(toks, i) > 1:
            k = None  # "European Council President", "President of the European Commission"
        elif (
            k in ("mod", "link")
            and prev in ("of", "for", "from", "the")
            and _place_len(toks, i) > 0
            and plain_word(toks[i]) not in ("of", "for", "from", "the", "and")
        ):
            k = None
        if k in ("head", "mod", "link"):
            if k == "head":
                has_head = True
                best = i + 1
                in_portfolio = False
            elif k == "link" and has_head and plain_word(toks[i]) in ("of", "for"):
                in_portfolio = True
            elif k == "mod" and in_portfolio:
                best = i + 1  # "Minister of Foreign Affairs", "Secretary of State", "Minister for Trade"
            prev = plain_word(toks[i])
            i += 1
            continue
        n = _place_len(toks, i)
        if n and i + n < len(toks):
            i += n
            if has_head and prev in ("of", "for", "from", "the"):
                best = i
            if not has_head and re.search(f"[{APOSTROPHES}]s?$", toks[i - 1]):
                poss_end = i  # "CNN's", "Lithuania's"
            prev = "<place>"
            continue
        break
    if not best and poss_end and len(toks) - poss_end >= 2 and name_shape(" ".join(toks[poss_end:])):
        return poss_end
    if (
        not best
        and len(toks) >= 3
        and toks[0][:1].isupper()
        and re.search(f"[{APOSTROPHES}]s?$", toks[0])
        and fold(plain_word(toks[1])) in given_gender()
        and name_shape(" ".join(toks[1:]))
    ):
        return 1  # "CBC's Mike Crawley": a body the lists lack, then a full name opening on a given name
    if not best and allow_unknown:
        for u in (1, 2, 3):
            lead = toks[:u]
            if len(toks) - u < 3:
                break
            kinds = [title_token(t) for t in lead]
            unknown = [t for t, k in zip(lead, kinds, strict=True) if k is None]
            if not 0 < len(unknown) <= 2 or any(k in ("head", "link") for k in kinds):
                continue
            if not all(t[:1].isupper() for t in lead) or any(is_honorific(t) for t in lead):
                continue
            # "Mary Smith President …" is a name, not a title: two unknown words that look like a
            # given name and a surname do not start a title (acronyms and places may)
            if (
                len(unknown) == 2
                and fold(unknown[0]) in given_gender()
                and not (re.fullmatch(r"[A-Z][A-Z0-9&-]+", unknown[1]) or _place_len([unknown[1]], 0))
            ):
                continue
            sub = title_prefix_len(toks[u:], allow_unknown=False)
            if (
                sub
                and (title_token(toks[u + sub - 1]) == "head" or "link" in (title_token(t) for t in toks[u : u + sub]))
                and len(toks) - (u + sub) >= 2
                and name_shape(" ".join(toks[u + sub :]))
            ):
                return u + sub
    return best


def _has_name_part(text: str) -> bool:
    """Some capitalised non-title words remain after the leading title phrase."""

    toks = text.split()
    best = title_prefix_len(toks)
    lead, rest = toks[:best], toks[best:]
    if not rest or not all(t[:1].isupper() or plain_word(t) in PARTICLES for t in rest):
        return False
    if lead and all(is_honorific(t) for t in lead):
        return True  # "Mr. King"
    return not all(plain_word(t) in title_words() or plain_word(t) in role_modifiers() for t in rest) and (
        country_code(" ".join(rest)) is None
    )


def coordinated(text: str) -> bool:
    """Two names joined by "and"/"&": "Mr. King and Mr. Schultz", "Obama and Hillary Clinton"."""
    parts = re.split(r"\s+(?:and|&)\s+", text, maxsplit=1)
    return len(parts) == 2 and _has_name_part(parts[0]) and _has_name_part(parts[1])


def name_shape(text: str) -> bool:
    """Capitalised words (particles allowed), no digits, 1–5 words, not only title words."""
    toks = text.split()
    if not 0 < len(toks) <= 5:
        return False
    for t in toks:
        if plain_word(t) in PARTICLES:
            continue
        if not t[:1].isupper() or any(c.isdigit() for c in t):
            return False
    return not all(is_title_word(t) or plain_word(t) in non_name_words() for t in toks)


def name_after_last_title(toks: list[str]) -> int:
    """Index where a name starts after the last title word of toks (0 when there is none): at least two
    capitalised words after it with no title or digit among them, or one after an honorific."""
    for k in range(len(toks) - 1, 0, -1):
        if describes_person(toks[k - 1]):
            rest = toks[k:]
            if (
                (len(rest) >= 2 or is_honorific(toks[k - 1]))
                and len(rest) <= 3
                and name_shape(" ".join(rest))
                and not any(
                    is_title_word(t)
                    or plain_word(t) in non_name_words()
                    or plain_word(t) in word_set("non_person_nouns.txt")
                    for t in rest
                )
            ):
                return k
            return 0
    return 0

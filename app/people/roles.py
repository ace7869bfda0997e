"""Roles: their normal form, which ones name the same office, and whether a description fits a person.

"Spokesman" → "spokesperson"; "foreign minister" ~ "foreign secretary" ~ "top diplomat"; "the French
president" (Descriptor(role="president", country="FR")) fits someone who is president of France.
Reading the descriptor out of a phrase is app.people.mentions (`parse_descriptor`). Pure functions;
word lists in `app/people/data/`: role_nouns.txt (heads), role_modifiers.txt, role_aliases.tsv
(spelling → normal form), role_equivalents.txt (classes, generic roles, narrowing words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.people.names import to_ascii
from app.people.wordlists import read_lines, read_tsv, role_modifiers, role_nouns
from app.places import key


@dataclass
class Descriptor:
    """What a phrase says about a speaker: role, country (ISO alpha-2), organisation, kind."""

    role: str | None = None
    country: str | None = None
    organisation: str | None = None
    kind: str = "person"  # person | organisation
    party: str | None = None  # "democrat", "republican", "labour": the party word the phrase carries
    plural: bool = False  # "the senators", "Democratic lawmakers": several people, never one speaker


_key = key  # the places' lookup key (app.places) serves organisations too


# ---------------------------------------------------------------- roles


@lru_cache(maxsize=1)
def role_aliases() -> dict[str, str]:
    return {r[0].lower(): r[1].lower() for r in read_tsv("role_aliases.tsv") if len(r) >= 2}


@lru_cache(maxsize=1)
def _role_classes() -> tuple[list[frozenset[str]], dict[str, frozenset[str]]]:
    """(equivalence classes, generic role → roles it can stand for)."""
    classes: list[frozenset[str]] = []
    generic: dict[str, frozenset[str]] = {}
    for line in read_lines("role_equivalents.txt"):
        if line.startswith("!"):
            continue
        if "=>" in line:
            left, _, right = line.partition("=>")
            targets = frozenset(normalise_role(x) for x in right.split("|") if x.strip())
            for g in left.split("|"):
                if g.strip():
                    generic[normalise_role(g)] = targets
            continue
        classes.append(frozenset(normalise_role(x) for x in line.split("|") if x.strip()))
    return classes, generic


def normalise_role(role: str) -> str:
    """Lower-case role with spelling variants unified ("Spokesman" → "spokesperson", "Sen." → "senator")."""
    k = re.sub(r"\s+", " ", re.sub(r"[.,]", "", to_ascii(role or "").lower())).strip()
    k = re.sub(r"^(the|a|an) ", "", k)
    aliases = role_aliases()
    if k in aliases:
        return aliases[k]
    # hyphenated qualifiers: "then-president", "ex-president" → "former president"
    words = []
    for w in k.split():
        parts = w.split("-")
        if len(parts) > 1 and w not in aliases and w not in role_nouns() and parts[0] in ("ex", "then", "former"):
            words.extend(parts)
        else:
            words.append(w)
    words = [aliases[w] if w in aliases and " " not in aliases[w] else w for w in words]
    k = " ".join(words)
    if k in aliases:
        return aliases[k]
    # "former foreign affairs minister": normalise the role after the qualifiers too
    for i in range(1, len(words)):
        rest = " ".join(words[i:])
        if rest in aliases and all(w in role_modifiers() for w in words[:i]):
            return " ".join(words[:i] + [aliases[rest]])
    return k


def role_equivalent(a: str | None, b: str | None, one_way: bool = False) -> bool:
    """True when two roles name the same function (president ~ head of state; foreign minister ~
    foreign secretary ~ top diplomat; prime minister ~ premier; a generic "leader"/"chief" ~ any top role).
    one_way: the generic role may only be a's ("the NATO chief" may be the secretary-general; "the president"
    is not someone known only as "the fire chief")."""
    if not a or not b:
        return False
    na, nb = normalise_role(a), normalise_role(b)
    if na == nb:
        return True
    classes, generic = _role_classes()
    if any(na in c and nb in c for c in classes):
        return True
    return (na in generic and nb in generic[na]) or (not one_way and nb in generic and na in generic[nb])


@lru_cache(maxsize=1)
def _narrowing_words() -> frozenset[str]:
    out: set[str] = set()
    for line in read_lines("role_equivalents.txt"):
        if line.startswith("!"):
            out.update(w.strip() for w in line[1:].split("|") if w.strip())
    return frozenset(out)


def role_covers(description_role: str | None, profile_role: str | None) -> bool:
    """Can a description with this role refer to someone holding profile_role? Equivalent roles,
    or a bare head noun for a narrower office: "minister" covers "foreign minister" and "defence
    minister", not "prime minister"; "spokesperson" covers "press spokesperson"."""
    if role_equivalent(description_role, profile_role, one_way=True):
        return True
    if not description_role or not profile_role:
        return False
    d, p = normalise_role(description_role), normalise_role(profile_role)
    dw, pw = d.split(), p.split()
    if len(pw) > len(dw) and pw[-len(dw) :] == dw:
        extra = pw[: len(pw) - len(dw)]
        return not any(w in _narrowing_words() or w.split("-")[0] in _narrowing_words() for w in extra)
    return False


def descriptor_matches(description: Descriptor, profile: Descriptor) -> bool:
    """Can `description` ("the French president") refer to someone with `profile` (president, FR)?

    Kinds must agree; a plural description fits no one; parties, when both have one, must agree;
    a country or organisation in the description must be the profile's (a
    description with a country does not match a profile without one); roles must be equivalent.
    A description without a country matches any country (the caller picks the one the article
    introduced).
    """
    if description is None or profile is None:
        return False
    if description.kind != profile.kind or description.plural:
        return False  # "the senators" is not one of them
    if description.party and profile.party and description.party != profile.party:
        return False  # "the Democratic senator" is not the Republican one
    if description.country and description.country != profile.country:
        return False
    if description.organisation and (
        not profile.organisation or _key(description.organisation) != _key(profile.organisation)
    ):
        return False
    if description.kind == "organisation":
        return bool(description.organisation or description.country) and (
            description.role is None or role_covers(description.role, profile.role)
        )
    return role_covers(description.role, profile.role)

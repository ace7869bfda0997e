"""The name and role functions extraction uses, from app.people, under the names extraction reads best."""

from __future__ import annotations

from app.people import orgs as _orgs
from app.people import roles as _roles
from app.people.matching import canonical_name as _canonical
from app.people.matching import is_compatible
from app.people.mentions import (
    gender_hint,
    looks_like_person_name,
    parse_descriptor,
    split_name,
    surname,
    titles_gender,
)
from app.people.names import fold, is_given_name, is_title_word, non_name_words, org_key, plain_word
from app.people.role_phrases import party_of, plural_description, relational_nouns, role_qualifiers
from app.people.roles import Descriptor
from app.people.titles import describes_person
from app.people.wordlists import party_words, quantifiers, role_nouns
from app.places import country_code as _country_code
from app.places import is_subdivision

# What extraction (app.quotes.assemble, .speakers, .entities, .pronouns, .descriptions) reads as people.<name>:
# the imports above, and the functions below.
__all__ = [
    "Descriptor",
    "canonical_name",
    "country_code",
    "describes_person",
    "descriptor_matches",
    "fold",
    "gender_hint",
    "is_compatible",
    "is_given_name",
    "is_title_word",
    "looks_like_person_name",
    "non_name_word",
    "org_key",
    "organisation",
    "parse_descriptor",
    "party_of",
    "party_words",
    "plural_description",
    "quantifiers",
    "relational_nouns",
    "role_nouns",
    "role_qualifiers",
    "split_name",
    "surname",
    "titles_gender",
    "without_states",
]


def canonical_name(variants: list[str]) -> str:
    """The display name of a person's variants (app.people.matching.canonical_name), else the first variant."""
    return _canonical(variants) or variants[0]


def non_name_word(word: str) -> bool:
    """True for a capitalised word that is no part of a name ("Like", "Monday", "The"; data/non_name_words.txt)."""
    return plain_word(word) in non_name_words()


def descriptor_matches(description: str, desc: Descriptor | None) -> bool:
    """True when a description ("the French president") fits a person's descriptor."""
    if desc is None:
        return False
    d = parse_descriptor(description)
    return d is not None and bool(_roles.descriptor_matches(d, desc))


def without_states(description: str) -> str | None:
    """The description without the state or province it names ("the California congressman" → "the
    congressman"), None when it names none: a constituency, which the person's own titles seldom give."""
    words = description.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        n = next((n for n in (3, 2, 1) if i + n <= len(words) and is_subdivision(" ".join(words[i : i + n]))), 0)
        if n:
            i += n
            continue
        out.append(words[i])
        i += 1
    return " ".join(out) if len(out) < len(words) else None


def organisation(text: str) -> str | None:
    """Short name of a known organisation or body named by text ("the Kremlin" → "Kremlin")."""
    o = _orgs.organisation(text)
    return o[0] if o else None


def country_code(text: str) -> str | None:
    """ISO code when text names a country or capital ("Lithuania", "WASHINGTON"), else None."""
    return _country_code(text.title() if text.isupper() else text)

"""The name and role functions extraction uses, from app.people, under the names extraction reads best."""
from __future__ import annotations

from app.people import orgs as _orgs
from app.people import roles as _roles
from app.people.names import canonical_name as _canonical
from app.people.names import (  # noqa: F401 - re-exported
    describes_person, fold, gender_hint, org_key, is_compatible, is_given_name, is_title_word, looks_like_person_name, party_words, quantifiers,
    role_nouns, split_name, surname,
)
from app.people.roles import plural_description  # noqa: F401 - re-exported
from app.people.roles import parse_descriptor, party_of  # noqa: F401 - re-exported


def canonical_name(variants: list[str]) -> str:
    """The display name of a person's variants (app.people.names.canonical_name), else the first variant."""
    return _canonical(variants) or variants[0]


def descriptor_matches(description: str, desc) -> bool:
    """True when a description ("the French president") fits a person's descriptor."""
    if desc is None:
        return False
    d = _roles.parse_descriptor(description)
    return d is not None and bool(_roles.descriptor_matches(d, desc))


def organisation(text: str) -> str | None:
    """Short name of a known organisation or body named by text ("the Kremlin" → "Kremlin")."""
    o = _orgs.organisation(text)
    return o[0] if o else None


def country_code(text: str) -> str | None:
    """ISO code when text names a country or capital ("Lithuania", "WASHINGTON"), else None."""
    return _roles.country_code(text.title() if text.isupper() else text)

"""The few name/role functions extraction needs, from app.people (names engineer).

Thin adapter: when app.people.names / roles are importable they are used; otherwise minimal
stand-ins keep extraction running (diacritics folding, surname match, no roles).
"""
from __future__ import annotations

import re
import unicodedata

try:  # pragma: no cover - depends on what has landed
    from app.people import names as _names
except Exception:  # noqa: BLE001
    _names = None
try:  # pragma: no cover
    from app.people import roles as _roles
except Exception:  # noqa: BLE001
    _roles = None


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def fold(s: str) -> str:
    return _names.fold(s) if _names else _fold(s)


def split_name(mention: str) -> tuple[list[str], str]:
    """(titles, name) of a mention."""
    if _names:
        return _names.split_name(mention)
    return [], re.sub(r"^(?:the|a|an)\s+", "", mention.strip(), flags=re.I)


def surname(name: str) -> str:
    if _names:
        return _names.surname(name)
    parts = name.split()
    return parts[-1] if parts else ""


def is_compatible(a: str, b: str) -> bool:
    if _names:
        return _names.is_compatible(a, b)
    return bool(a and b) and fold(surname(a)) == fold(surname(b))


def gender_hint(s: str) -> str | None:
    return _names.gender_hint(s) if _names else None


def canonical_name(variants: list[str]) -> str:
    if _names:
        return _names.canonical_name(variants) or variants[0]
    return max(variants, key=lambda v: (len(v.split()), len(v)))


def looks_like_person_name(s: str) -> bool:
    if _names:
        return _names.looks_like_person_name(s)
    toks = s.split()
    return 0 < len(toks) <= 4 and all(t[:1].isupper() for t in toks)


def is_title_word(w: str) -> bool:
    if _roles and hasattr(_roles, "is_title_word"):
        return _roles.is_title_word(w)
    if _names:
        return _names.is_title_word(w)
    return False


def parse_descriptor(text: str):
    """A roles.Descriptor (role, country, organisation) of a title/description, or None."""
    if _roles:
        try:
            return _roles.parse_descriptor(text)
        except Exception:  # noqa: BLE001
            return None
    return None


def descriptor_matches(description: str, desc) -> bool:
    """True when a description ("the French president") fits a person's descriptor."""
    if not _roles or desc is None:
        return False
    try:
        d = _roles.parse_descriptor(description)
        return d is not None and bool(_roles.descriptor_matches(d, desc))
    except Exception:  # noqa: BLE001
        return False


def organisation(text: str) -> str | None:
    """Short name of a known organisation or body named by text ("the Kremlin" → "Kremlin")."""
    if _roles and hasattr(_roles, "organisation"):
        try:
            o = _roles.organisation(text)
            return o[0] if o else None
        except Exception:  # noqa: BLE001
            return None
    return None


def have_roles() -> bool:
    return _roles is not None


def country_code(text: str) -> str | None:
    """ISO code when text names a country or capital ("Lithuania", "WASHINGTON"), else None."""
    if _roles and hasattr(_roles, "country_code"):
        try:
            return _roles.country_code(text.title() if text.isupper() else text)
        except Exception:  # noqa: BLE001
            return None
    return None

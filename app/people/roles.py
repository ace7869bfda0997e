"""Roles, countries and organisations in the phrases news puts around names.

"Lithuanian Foreign Minister" → Descriptor(role="foreign minister", country="LT");
"a spokesman for the Kremlin" → Descriptor(role="spokesperson", country="RU", organisation="Kremlin").
Pure functions; word lists in `app/people/data/`:
- countries: app.places (pycountry names, demonyms, capitals, subdivisions), re-exported here;
- bodies: organisations.tsv (NATO, the Kremlin, outlets …) and bodies.tsv (generic "X's foreign ministry");
- roles: role_nouns.txt (heads), role_modifiers.txt, role_qualifiers.txt (former, acting …),
  role_aliases.tsv (spelling → normal form), role_equivalents.txt (classes, generic roles,
  narrowing words), relational_nouns.txt (counterpart: no office), referent_nouns.txt ("the
  country's"), party_words.txt (party and regional adjectives: never a country).
Countries are never invented: only what the phrase says (or a body's own country) is returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from app.people.names import (
    gender_hint,
    is_honorific,
    is_title_word,
    looks_like_person_name,
    split_name,
    title_words,
    to_ascii,
)
from app.people.orgs import generic_bodies as _generic_bodies
from app.people.orgs import organisation  # noqa: F401 - re-exported
from app.people.wordlists import role_modifiers, role_nouns
from app.people.wordlists import party_words as _party_words
from app.people.wordlists import read_lines as _read_lines
from app.people.wordlists import read_tsv as _read_tsv
from app.people.wordlists import word_set as _word_set
from app.places import abbr_key as _abbr_key
from app.places import country_adjective, country_code, country_name, key  # noqa: F401 - re-exported


_APOS = "'’‘`ʼ"
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "another", "one", "this", "that"}
_LINKS = {"of", "for", "to", "at", "in", "from", "with", "on"}
_ROLE_GLUE = {"of", "for", "the", "and"}  # function words inside role phrases ("head of state")


@dataclass
class Descriptor:
    """What a phrase says about a speaker: role, country (ISO alpha-2), organisation, kind."""

    role: str | None = None
    country: str | None = None
    organisation: str | None = None
    kind: str = "person"  # person | organisation
    party: str | None = None  # "democrat", "republican", "labour": the party word the phrase carries
    plural: bool = False  # "the senators", "Democratic lawmakers": several people, never one speaker


# ---------------------------------------------------------------- lookup keys

_key = key  # the places' lookup key (app.places) serves organisations too


# ---------------------------------------------------------------- roles

@lru_cache(maxsize=1)
def _role_aliases() -> dict[str, str]:
    return {r[0].lower(): r[1].lower() for r in _read_tsv("role_aliases.tsv") if len(r) >= 2}


@lru_cache(maxsize=1)
def _role_classes() -> tuple[list[frozenset[str]], dict[str, frozenset[str]]]:
    """(equivalence classes, generic role → roles it can stand for)."""
    classes: list[frozenset[str]] = []
    generic: dict[str, frozenset[str]] = {}
    for line in _read_lines("role_equivalents.txt"):
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
    aliases = _role_aliases()
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


def role_equivalent(a: str | None, b: str | None) -> bool:
    """True when two roles name the same function (president ~ head of state; foreign minister ~
    foreign secretary ~ top diplomat; prime minister ~ premier; a generic "leader"/"chief" ~ any top role)."""
    if not a or not b:
        return False
    na, nb = normalise_role(a), normalise_role(b)
    if na == nb:
        return True
    classes, generic = _role_classes()
    if any(na in c and nb in c for c in classes):
        return True
    if na in generic and nb in generic[na]:
        return True
    if nb in generic and na in generic[nb]:
        return True
    return False


def _is_role_word(w: str) -> bool:
    return (w in role_nouns() or w in role_modifiers() or w in title_words() or w in _ROLE_GLUE
            or w in _role_aliases())


def _role_head_ok(words: list[str]) -> bool:
    """A role phrase must end in a role noun or be a known role phrase (after normalisation)."""
    if not words or words[-1] in _LINKS or words[-1] in ("the", "and"):
        return False
    phrase = normalise_role(" ".join(words))
    if not phrase:
        return False
    if phrase in role_nouns():
        return True
    last = phrase.split()[-1]
    return last in role_nouns() or phrase.endswith(("head of state", "head of government", "secretary of state"))


def parse_descriptor(text: str) -> Descriptor | None:
    """Role, country, organisation, party and number in a descriptive phrase (see _parse_descriptor);
    a fresh object."""
    d = _parse_descriptor(text or "")
    if d is None:
        return None
    return replace(d, party=party_of(text), plural=plural_description(text))


def party_of(text: str) -> str | None:
    """The party a phrase names, normalised: "Democratic presidential nominee" → "democrat"."""
    for w in (text or "").lower().replace("-", " ").split():
        w = w.strip(",.;:()’'")
        if w in _party_words():
            w = w.removesuffix("s")
            return "democrat" if w in ("democratic", "democrat") else w
    return None


def plural_description(text: str) -> bool:
    """A description of several people: its last word is the plural of a role noun ("the senators")."""
    words = (text or "").lower().split()
    if not words:
        return False
    last = words[-1].strip(".,;:")
    return (last.endswith("s") and not last.endswith("ss") and last not in role_nouns()
            and (last[:-1] in role_nouns() or (last.endswith("es") and last[:-2] in role_nouns())))


@lru_cache(maxsize=65536)
def _parse_descriptor(text: str) -> Descriptor | None:
    """Role, country and organisation in a descriptive phrase; None when it describes no role or body.

    Countries are taken only from the phrase (never invented): "Republican presidential nominee" →
    role "presidential nominee", country None. A phrase naming only a body ("the Kremlin") gives
    kind="organisation".
    """
    if not text or not text.strip():
        return None
    raw = re.sub(r"\s+", " ", text.strip().strip(",;:"))
    raw = re.sub(f"(?<=[A-Za-z])[{_APOS}]s?$", "", raw)  # "the British foreign minister's"
    # a mention with a name: only its titles describe ("Mr. King" has no role "king")
    titles, name = split_name(raw)
    if name and (looks_like_person_name(name) or titles and all(is_honorific(w) for t in titles for w in t.split())):
        if not titles:
            return None
        raw = " ".join(titles)
    toks = raw.split()
    # drop leading determiners
    while toks and toks[0].lower() in _DETERMINERS:
        toks = toks[1:]
    if not toks:
        return None
    whole_org = organisation(" ".join(toks))
    if whole_org and not _role_head_ok([_plain_role(t) for t in toks]):
        oname, code = whole_org
        return Descriptor(role=None, country=code, organisation=oname, kind="organisation")

    country: str | None = None
    org: str | None = None
    kept: list[str] = []
    where: list[int] = []  # index in toks of each kept word
    i = 0
    while i < len(toks):
        matched = 0
        # places and bodies are capitalised; one right after an unknown capitalised word is the end of
        # a longer name ("National Security Council", "Federal Election Commission"), not that body
        prev_unknown = bool(kept) and where[-1] == i - 1 and toks[i - 1][:1].isupper() and (
            not _is_role_word(kept[-1]) or kept[-1] in role_modifiers() and kept[-1] not in _qualifiers()
            and kept[-1] not in title_words())
        for n in (5, 4, 3, 2, 1) if toks[i][:1].isupper() and not prev_unknown else ():
            if i + n > len(toks):
                continue
            frag = " ".join(toks[i:i + n]).strip(",;:()")
            if not frag:
                continue
            if n == 1 and (_plain_role(frag) in _role_aliases() or is_honorific(frag)):
                continue  # "Sen." is a role, "Miss" a courtesy title, not places
            o = organisation(frag)
            if o is not None and not (n == 1 and _plain_role(frag) in role_nouns()):
                # a generic body ("Government") inside a role phrase is role glue, not an organisation
                if o[0] in _generic_bodies() and o[1] is None:
                    continue
                org = org or o[0]
                country = country or o[1]
                matched = n
                break
            c = country_code(frag, capitals=True) if frag[:1].isupper() or _abbr_key(frag) else None
            if c is not None:
                country = country or c
                matched = n
                break
        if matched:
            # drop a dangling link/determiner before a place that ends the phrase ("President of
            # France", "a spokesman for the Kremlin"); "the wife of the French president" keeps it
            ends = i + matched >= len(toks) or _plain_role(toks[i + matched]) in _LINKS | {"and"} or \
                toks[i + matched - 1].endswith((",", ";"))
            while ends and kept and kept[-1] in _LINKS | {"the"}:
                kept.pop()
                where.pop()
            i += matched
            continue
        tok = toks[i]
        if is_honorific(tok):
            i += 1
            continue
        if re.search(f"[{_APOS}]s?$", tok):
            base = re.sub(f"[{_APOS}]s?$", "", _plain_role_keep(tok))
            if base in _referents() or i < len(toks) - 1:
                if _find_role(list(zip(kept, where)))[0]:
                    # "an economist at the Tax Foundation's policy center": the role came first
                    kept.append(base)
                    where.append(i)
                    i += 1
                    continue
                # "the country's president", "the campaign's press secretary": the possessor is
                # someone else; the role is what follows
                kept, where = [], []
                i += 1
                continue
        w = _plain_role(re.sub(f"(?<=[A-Za-z])[{_APOS}]s?$", "", tok))
        parts = w.split("-")
        if len(parts) > 1 and parts[0] in ("ex", "then", "former") and w not in role_nouns():
            kept.extend(parts)
            where.extend([i] * len(parts))
        else:
            kept.append(w)
            where.append(i)
        i += 1
    pairs = [(w, k) for w, k in zip(kept, where) if w and w not in _party_words() and w not in _DETERMINERS]
    # coordinated roles ("former first lady and senator"): the last conjunct that names a role
    segments: list[list[tuple[str, int]]] = [[]]
    for w, k in pairs:
        if w in ("and", "&"):
            segments.append([])
        else:
            segments[-1].append((w, k))
    role = None
    rest: list[tuple[str, int]] = []
    pre: list[tuple[str, int]] = []
    run: list[tuple[str, int]] = []
    for seg in reversed(segments):
        role, pre, rest, run = _find_role(seg)
        if role:
            break
    if role and org is None:
        # capitalised body words swallowed by the role: "National Security Council spokesman"
        def bodyish(w: str, k: int) -> bool:
            return toks[k][:1].isupper() and w not in title_words() and w not in _qualifiers() and w not in role_nouns()

        before = []
        for w, k in reversed(pre):
            if bodyish(w, k):
                before.insert(0, k)
            else:
                break
        inside = []
        for w, k in run[:-1]:
            if bodyish(w, k):
                inside.append(k)
            else:
                break
        if inside and before and before[-1] != inside[0] - 1:
            before = []
        body = before + inside
        if len(body) >= 2 and body == list(range(body[0], body[0] + len(body))):
            org = " ".join(toks[k].strip(",;:()") for k in body)
            role = normalise_role(" ".join(w for w, k in run if k not in body))
    if role is None and not pairs and org:
        return Descriptor(role=None, country=country, organisation=org, kind="organisation")
    if role is None and pairs and pairs[-1][0] in _relational() and (country or org):
        # "his British counterpart": a person from that country, with no office of their own named
        return Descriptor(role=None, country=country, organisation=org)
    if role is None:
        return None
    if org is None and rest and rest[0][0] in ("at", "for", "of", "with"):
        org = _named_body(toks, rest[0][1] + 1)
    if org is None and pre:
        # an acronym right before the role names its body: "NYPD Commissioner", "DNC Chairwoman"
        acr = [toks[k].strip(",;:()") for _, k in pre[-2:]]
        acr = [a for a in acr if re.fullmatch(r"[A-Z][A-Z0-9&-]{1,9}", a)]
        if acr:
            org = acr[-1]

    return Descriptor(role=role, country=country, organisation=org)


def _find_role(seg: list[tuple[str, int]]):
    """(role, words before it, words after it, the role's own words) in one conjunct of a description.

    The role is the first run of role words that ends in a role head; words before it may be
    unknown adjectives or names ("the Charlotte-Mecklenburg police chief"), but not a link
    ("the wife of the president" names no role of the person described).
    """
    words = [w for w, _ in seg]
    start = 0
    while start < len(words):
        if words[start] in _LINKS or words[start] in _CLAUSE:
            return None, [], [], []  # "the wife of the president", "who served as ambassador"
        if not _is_role_word(words[start]) or words[start] in ("the", "and", "of", "for"):
            start += 1
            continue
        for j in range(len(words), start, -1):
            cand = words[start:j]
            if all(_is_role_word(w) for w in cand) and _role_head_ok(cand):
                while cand and cand[-1] in _LINKS:
                    cand = cand[:-1]
                return normalise_role(" ".join(cand)), seg[:start], seg[j:], seg[start:j]
        start += 1
    return None, [], [], []


# Function words that start a clause or a relation: a role after them is not the person's own.
_CLAUSE = {"who", "which", "that", "whose", "whom", "as", "is", "was", "were", "has", "had", "have", "been",
           "be", "will", "would", "by", "than", "when", "where", "while", "after", "before", "since", "until",
           "like", "against", "versus", "vs"}


def _named_body(toks: list[str], start: int) -> str | None:
    """The capitalised name after "at/for/of" in a description ("an analyst at the libertarian Cato
    Institute" → "Cato Institute"), or None."""
    out: list[str] = []
    for tok in toks[start:]:
        clean = tok.strip(",;:()")
        if not out:
            if clean[:1].islower():
                continue  # determiners and adjectives before the name
            if not clean:
                break
        if clean[:1].isupper() or (out and clean.lower() in ("of", "for", "and", "the", "on", "&")):
            out.append(clean)
            if tok.endswith((",", ";", ":")):
                break
            continue
        if out and clean.lower() in _word_set("non_person_nouns.txt") and out[-1][:1].isupper() and not re.search(
                f"[{_APOS}]s?$", out[-1]):
            out.append(clean)  # "the Clinton campaign", "the Trump administration"
        break
    while out and out[-1].lower() in ("of", "for", "and", "the", "on", "&"):
        out.pop()
    if not out:
        return None
    body = re.sub(f"[{_APOS}]s?$", "", " ".join(out))
    if gender_hint(body) and len(out) <= 4:
        return None  # "a spokesman for Hillary Clinton": a person, not a body
    known = organisation(body)
    return known[0] if known else body


def _plain_role_keep(tok: str) -> str:
    """Lower-case ASCII token keeping apostrophes."""
    return re.sub(r"[.,;:()]", "", to_ascii(tok).lower())


@lru_cache(maxsize=1)
def _relational() -> frozenset[str]:
    return frozenset(_read_lines("relational_nouns.txt"))


@lru_cache(maxsize=1)
def _qualifiers() -> frozenset[str]:
    return frozenset(_read_lines("role_qualifiers.txt"))


@lru_cache(maxsize=1)
def _referents() -> frozenset[str]:
    return frozenset(_read_lines("referent_nouns.txt"))


def _plain_role(tok: str) -> str:
    return re.sub(r"[.,;:()" + _APOS + r"]", "", to_ascii(tok).lower())


@lru_cache(maxsize=1)
def _narrowing_words() -> frozenset[str]:
    out: set[str] = set()
    for line in _read_lines("role_equivalents.txt"):
        if line.startswith("!"):
            out.update(w.strip() for w in line[1:].split("|") if w.strip())
    return frozenset(out)


def role_covers(description_role: str | None, profile_role: str | None) -> bool:
    """Can a description with this role refer to someone holding profile_role? Equivalent roles,
    or a bare head noun for a narrower office: "minister" covers "foreign minister" and "defence
    minister", not "prime minister"; "spokesperson" covers "press spokesperson"."""
    if role_equivalent(description_role, profile_role):
        return True
    if not description_role or not profile_role:
        return False
    d, p = normalise_role(description_role), normalise_role(profile_role)
    dw, pw = d.split(), p.split()
    if len(pw) > len(dw) and pw[-len(dw):] == dw:
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
    if description.organisation:
        if not profile.organisation or _key(description.organisation) != _key(profile.organisation):
            return False
    if description.kind == "organisation":
        return bool(description.organisation or description.country) and (
            description.role is None or role_covers(description.role, profile.role))
    return role_covers(description.role, profile.role)


def mention_profile(mention: str) -> tuple[str, Descriptor | None]:
    """(name, what its titles say) for a mention: "Lithuanian Foreign Minister Gabrielius Landsbergis" →
    ("Gabrielius Landsbergis", Descriptor("foreign minister", "LT")); "the Kremlin" → ("Kremlin",
    Descriptor(kind="organisation", organisation="Kremlin", country="RU")); "the French president" →
    ("", Descriptor("president", "FR")). Several title phrases are merged (first role wins)."""
    org = organisation(mention or "")
    if org is not None:
        return org[0], Descriptor(role=None, country=org[1], organisation=org[0], kind="organisation")
    titles, name = split_name(mention or "")
    merged: Descriptor | None = None
    for t in titles:
        d = parse_descriptor(t)
        if d is None:
            continue
        if merged is None:
            merged = d
            continue
        merged.role = merged.role or d.role
        merged.country = merged.country or d.country
        merged.organisation = merged.organisation or d.organisation
    return name, merged


def __getattr__(name: str):
    if name == "TITLE_WORDS":
        return title_words()
    raise AttributeError(name)


__all__ = ["Descriptor", "parse_descriptor", "role_equivalent", "descriptor_matches", "country_code",
           "country_adjective", "country_name", "organisation", "normalise_role", "is_title_word",
           "TITLE_WORDS", "title_words", "role_nouns", "mention_profile", "role_covers"]

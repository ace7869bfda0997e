"""Mention parsing: a mention's titles and name, and what a description says (role, country, body).

"French President Emmanuel Macron" → (["French President"], "Emmanuel Macron") (`split_name`);
"Lithuanian Foreign Minister" → Descriptor(role="foreign minister", country="LT") (`parse_descriptor`);
"a spokesman for the Kremlin" → Descriptor(role="spokesperson", country="RU", organisation="Kremlin").
The two read each other: a name is what is left after its title phrase, and a description with a
name in it describes only through its titles. Also here: the person-name test
(`looks_like_person_name`), given names and surname of a name, and its gender hint. Below this
module: the words of a title phrase and a name's shape (app.people.titles), the words of a role
phrase, its party and number (app.people.role_phrases).

Titles: `split_name` strips leading honorifics and role titles, including "Sir"/"Dame"/"Lord"
(they are titles, not names: "Sir Vince Cable" → (["Sir"], "Vince Cable"); the title is returned so
callers can keep it for display or gender). Generational suffixes (Jr., Sr., II, III) stay in the name.

Descriptions: countries are never invented: only what the phrase says (or a body's own country) is
returned. Word lists in `app/people/data/` (read by app.people.role_phrases): role_qualifiers.txt (former, acting …),
relational_nouns.txt (counterpart: no office), referent_nouns.txt ("the country's"), party_words.txt
(party and regional adjectives: never a country); role words and their normal forms are app.people.roles.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from app.people.names import (
    PARTICLES,
    SUFFIXES,
    census_gender,
    ending_gender,
    family_first,
    fold,
    gendered_titles,
    given_gender,
    is_given_name,
    is_honorific,
    is_title_word,
    non_name_words,
    place_words,
    plain_word,
    title_heads,
    title_words,
)
from app.people.orgs import generic_bodies, organisation
from app.people.role_phrases import (
    APOS,
    DETERMINERS,
    LINKS,
    find_role,
    is_role_word,
    party_of,
    plain_role,
    plain_role_keep,
    plural_description,
    referent_nouns,
    relational_nouns,
    role_head_ok,
    role_qualifiers,
)
from app.people.roles import Descriptor, normalise_role, role_aliases
from app.people.titles import (
    coordinated,
    describes_person,
    name_after_last_title,
    name_shape,
    nounlike,
    strip_possessive,
    title_prefix_len,
    title_token,
)
from app.people.wordlists import party_words, role_modifiers, role_nouns, word_set
from app.places import abbr_key, country_code

# ---------------------------------------------------------------- splitting

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


_LEAD_PREPOSITION = re.compile(
    rf"^(?:{'|'.join(sorted(word_set('name_lead_words.txt')))})\s+(?=[A-Z])", re.I
)  # data/name_lead_words.txt
_EDNOTE = re.compile(r"\s*[-–—]\s*(?:ed|eds|editor'?s?(?: note)?)\.?(?=[\s)\]]|$)", re.I)
_PAREN = re.compile(r"\s*\(([^()]*)\)(?=\s*(\S?))")


def _paren_repl(m: re.Match) -> str:
    """Drop a parenthetical, except an editor's insertion that continues the name:
    "(French President Emanuel) Macron" keeps its words."""
    inner, nxt = m.group(1).strip(), m.group(2)
    if len(inner.split()) >= 2 and inner[:1].isupper() and nxt[:1].isupper():
        return " " + inner + " "
    return " "


# "… Given Surname of Town, St." — a full name, then where the person lives (a town and its state or country)
_HOME_TOWN = re.compile(
    r"^(.*?\b(([A-Z][\w'’-]+)(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+))\s+((?:of|from)\s+[A-Z][\w.'’ -]*,\s*[A-Z][\w.]*)$"
)
_PARTY_TAG = re.compile(r"^[RDI](?:-[A-Z][A-Za-z.]*)?\.?$")  # "R", "D-Wis.", "R-S.C."
_SUFFIX_RE = re.compile(r"(?i)(jr|sr|ii|iii|iv)\.?")


@lru_cache(maxsize=65536)
def _split_name(mention: str) -> tuple[tuple[str, ...], str]:
    s = _EDNOTE.sub(" ", mention)  # "(French President Emanuel - ed.) Macron"
    s = re.sub(r"\[([^\[\]]*)\]", r"\1", s)  # "Emanuel [Macron]": editorial brackets keep their words
    s = " ".join(_PAREN.sub(_paren_repl, s).split())  # "(R-S.C.)", "(L)", "(pictured)" go
    s = s.replace("(", " ").replace(")", " ")  # unbalanced leftovers
    s = " ".join(s.split()).strip('"“”„«»‹›‚ ')
    s = strip_possessive(s.strip(" ,"))
    had_det = bool(_DET.match(s))
    s = _DET.sub("", s).strip(" ,")
    s = _LEAD_PREPOSITION.sub("", s)  # "Like Makaeff, … Roffman" (the recogniser took the sentence's first word)
    titles: list[str] = []
    home = _HOME_TOWN.match(s)
    if home is not None and is_given_name(home.group(3)):
        titles.append(home.group(4))  # "voter Stephanie Hooton of Derry, N.H.": where she lives, not her name
        s = home.group(1)
    if coordinated(re.sub(r"\s*,\s*(?:[RDI](?:-[A-Z][A-Za-z.]*)?\.?\s*(?:,|$))?", " ", s)):
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
            if htoks and title_prefix_len(htoks + ["X"]) == len(htoks):
                titles.append(head)  # "Minister for Foreign Affairs of Latvia, Krišjānis Kariņš"
                s = tail
            elif name_shape(tail) and not name_shape(head) and (hd := parse_descriptor(head)) is not None and hd.role:
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
    if coordinated(s):
        return tuple(titles), s  # two people: "Mr. King and Mr. Schultz" (looks_like_person_name says no)
    toks = s.split()
    if toks and (had_det or toks[-1][:1].islower()) and title_prefix_len(toks + ["X"]) == len(toks):
        # a description without a name: "the French president", "the Lithuanian prime minister"
        return (*titles, " ".join(toks)), ""
    whole = list(toks)
    best = title_prefix_len(toks)
    lead = []
    if best:
        lead = [" ".join(toks[:best]).rstrip(",")]
        toks = toks[best:]
    # trailing "of <place>": "Charles B. Rangel of New York"; "of <something>" after a name is
    # what the person spoke of, not part of the name: "Stone of her role"
    for j in range(1, len(toks)):
        if plain_word(toks[j]) in ("of", "from") and j + 1 < len(toks):
            place = " ".join(toks[j + 1 :])
            if country_code(place) is not None:
                titles.append(" ".join(toks[j:]))
                toks = toks[:j]
                break
            if plain_word(toks[j]) == "of" and toks[j + 1][:1].islower() and toks[j - 1][:1].isupper():
                toks = toks[:j]
                break
            if (
                j >= 2
                and (is_given_name(toks[0]) or (lead and describes_person(lead[-1].split()[-1])))
                and name_shape(" ".join(toks[:j]))
                and toks[j + 1][:1].isupper()
                and not any(is_title_word(t) for t in toks[:j])
            ):
                # "Glen Zorn of The Nation", "analyst Priya Raman of Bernstein": where the person works or lives
                titles.append(" ".join(toks[j:]))
                toks = toks[:j]
                break
    # a lower-case description before a full name: "port director Karl Novak", "union leader Jan Kos"
    k = 0
    while k < len(toks) and (toks[k][:1].islower() or toks[k][:1].isdigit()) and plain_word(toks[k]) not in PARTICLES:
        k += 1
    if (
        0 < k <= 4
        and len(toks) - k >= 2
        and name_shape(" ".join(toks[k:]))
        and title_token(toks[k - 1]) != "link"
        and (describes_person(toks[k - 1]) or (is_given_name(toks[k]) and nounlike(toks[k - 1])))
        and not any(plain_word(t) in non_name_words() for t in toks[k:])
    ):
        # "psychologist Jane Roe", "actress Mia Stone": an occupation, or a known given name after it
        return (" ".join(whole[: best + k]), *titles), " ".join(toks[k:]).strip(" ,")
    if (
        0 < k <= 3
        and len(toks) - k == 1
        and (had_det or best)
        and describes_person(toks[k - 1])
        and name_shape(toks[k])
        and plain_word(toks[k]) not in non_name_words()
        and plain_word(toks[k]) not in word_set("non_person_nouns.txt")
    ):
        # "the 14th-ranked Novak", "the veteran actress Stone": a surname after a description of a person
        return (" ".join(whole[: best + k]), *titles), toks[k].strip(" ,")
    # a description with capitalised words in it before a full name: "Trump campaign spokesman Jason Miller",
    # "former FBI agent Tom Gill" (lower-case first when no title word opens it)
    low = [i for i, t in enumerate(toks[:6]) if t[:1].islower() and plain_word(t) not in PARTICLES]
    if low and (low[0] > 0 or not best) and len(toks) - (low[-1] + 1) >= 2:
        k = low[-1] + 1
        if (
            title_token(toks[k - 1]) != "link"
            and (describes_person(toks[k - 1]) or (is_given_name(toks[k]) and nounlike(toks[k - 1])))
            and name_shape(" ".join(toks[k:]))
            and not any(t[:1].islower() for t in toks[k:])
            and not any(plain_word(t) in non_name_words() for t in toks[k:])
        ):
            return (" ".join(whole[: best + k]), *titles), " ".join(toks[k:]).strip(" ,")
    after_head = best > 0 and title_token(whole[best - 1]) == "head"
    if (
        toks
        and (
            (toks[0][:1].islower() and plain_word(toks[0]) not in PARTICLES)
            or (not after_head and all(plain_word(t) in non_name_words() for t in toks))
        )
        and (best or had_det)
    ):
        # what follows the title is no name: "Senator from Texas", "the head of Sony Pictures …"
        return (*titles, " ".join(whole)), ""
    given = given_gender()
    if (
        len(toks) >= 3
        and fold(plain_word(toks[1])) in given
        and fold(plain_word(toks[0])) not in given
        and (
            (best and is_honorific(whole[best - 1]))
            or plain_word(toks[0]) in role_modifiers()
            or plain_word(toks[0]) in non_name_words()
        )
    ):
        # a word of the title left before a full name: "Miss Universe Alicia Machado", "(Speaker of the)
        # House Newt Gingrich"; the name starts at the known given name ("Cornell William Brooks" stays whole)
        lead = [" ".join(whole[: best + 1]).rstrip(",")]
        toks = toks[1:]
    k = name_after_last_title(toks)
    if k:
        # "Council on Fair Trade Executive Director Omar Bakri", "Air Force 1st Lt. Kyle Dunn": an
        # organisation or unit, then a title, then the name: the name is the person's
        return (" ".join([*lead, *toks[:k]]).rstrip(","), *titles), " ".join(toks[k:]).strip(" ,")
    name = " ".join(toks).strip(" ,")
    return tuple(lead + titles), name


def _name_tokens(name: str) -> list[str]:
    """Words of a name without titles and possessive; hyphenated names stay one word."""
    _, n = split_name(name)
    return [t.strip(",") for t in n.split() if t.strip(",")]


def split_parts(name: str) -> tuple[list[str], str, list[str]]:
    """(given names, surname, suffixes) of a name as written."""
    toks = _name_tokens(name)
    suffixes: list[str] = []
    while len(toks) > 1 and plain_word(toks[-1]) in SUFFIXES:
        suffixes.insert(0, toks.pop())
    if not toks:
        return [], "", suffixes
    if len(toks) == 1:
        return [], toks[0], suffixes
    # family name first (Chinese, Korean, Vietnamese): "Xi Jinping", "Kim Jong Un"
    fam = fold(toks[0])
    if (
        len(toks) <= 3
        and fam in family_first()
        and not any(fold(t) in given_gender() for t in toks[1:])
        and not any("." in t for t in toks)
    ):
        return [" ".join(toks[1:])], toks[0], suffixes
    j = len(toks) - 1
    while j > 1 and plain_word(toks[j - 1]) in PARTICLES:
        j -= 1
    # a particle directly before the surname starts it ("Charles de Gaulle", "Ursula von der Leyen");
    # a name that starts with one is all surname when the particle is lower-case or doubled
    # ("de Gaulle", "von der Leyen", "Von der Leyen"), not "Al Gore" or "Van Morrison"
    if (
        j == 1
        and plain_word(toks[0]) in PARTICLES
        and (toks[0][:1].islower() or (len(toks) > 2 and plain_word(toks[1]) in PARTICLES))
    ):
        j = 0
    return toks[:j], " ".join(toks[j:]), suffixes


def surname(name: str) -> str:
    """The family name as written ("Ingrid Šimonite" → "Šimonite"; "Xi Jinping" → "Xi")."""
    return split_parts(name)[1]


def given_names(name: str) -> list[str]:
    """Given names and initials as written ("John F. Kennedy" → ["John", "F."])."""
    return split_parts(name)[0]


# ---------------------------------------------------------------- gender


def _title_genders(words: list[str]) -> set[str]:
    """The genders the gendered title words among words give ("the spokeswoman" → {"f"})."""
    return {g for w in words if (g := gendered_titles()[0].get(plain_word(w))) is not None}


def _head_words(title: str) -> list[str]:
    """A title's words before its first link word: "the MLA for Prince George" → the, MLA (the place's
    "Prince" is no title of the person's)."""
    words = title.split()
    k = next((i for i, w in enumerate(words) if i and plain_word(w) in LINKS), len(words))
    return words[:k]


def titles_gender(titles: list[str]) -> str | None:
    """'f' or 'm' when the gendered title words in titles ("the spokeswoman", "his wife") agree; None else.
    Given names among them count for nothing ("the Georgia committeeman"), nor do the words after a link
    ("the MLA for Prince George", "the owner of the Miss Universe pageant")."""
    genders = _title_genders([w for t in titles for w in _head_words(t)])
    return genders.pop() if len(genders) == 1 else None


def gender_hint(name_or_titles: str) -> str | None:
    """'f' or 'm' from honorifics/titles or a well-known given name; None when unsure."""
    text = (name_or_titles or "").strip()
    if not text:
        return None
    titles, name = split_name(text)
    words = [w for t in titles for w in _head_words(t)]
    name_words = name.split()
    if name_words and all(is_title_word(w) or plain_word(w) in gendered_titles()[0] for w in name_words):
        words += name_words  # only titles were given ("Mrs.", "the spokeswoman")
        name = ""
    genders = _title_genders(words)
    if len(genders) == 1:
        return genders.pop()
    if len(genders) > 1:
        return None
    given, sur, _ = split_parts(name)
    for gname in given[:1]:
        g = given_gender().get(fold(gname)) or census_gender().get(plain_word(gname))
        if g in ("f", "m"):
            return g
        if g is None and not gname.endswith("."):
            g = ending_gender(gname, "given")
            if g:
                return g
    if sur:
        return ending_gender(sur.split()[-1], "surname")
    return None


# ---------------------------------------------------------------- cheap person-name test


@lru_cache(maxsize=65536)
def looks_like_person_name(text: str, tagged_person: bool = False) -> bool:
    """Cheap check that a mention could be a person's name (not a pronoun, place, organisation, title).

    tagged_person: the entity recogniser called it a PERSON; then a known given name before a surname that
    is also a common noun ("Steven Law", "Mark Price") is a name, as it is not in "Yahoo News"."""
    if not text or not text.strip():
        return False
    titles, name = split_name(text)
    toks = [t.strip(",") for t in name.split() if t.strip(",")]
    if not toks or len(toks) > 6 or any(t.lower() in ("and", "&", "or") for t in toks):
        return False
    words = [t for t in toks if plain_word(t) not in PARTICLES and plain_word(t) not in SUFFIXES]
    if not words:
        return False
    for t in words:
        first = t.lstrip("\"'(")[:1]
        if not first or not (first.isupper() or (first.isalpha() and not first.islower())):
            return False
        if any(c.isdigit() for c in t):
            return False
    plain = [plain_word(t) for t in words]
    has_honorific = any(
        gendered_titles()[0].get(plain_word(w)) or plain_word(w) in title_words() for t in titles for w in t.split()
    )
    if all(p in non_name_words() for p in plain) and not has_honorific:
        return False
    if all(p in title_words() or p in role_nouns() or p in role_modifiers() for p in plain):
        return False
    for t in titles:
        for w in t.split():
            pw = plain_word(w)
            if len(pw) > 4 and pw.endswith("s") and pw[:-1] in title_heads():
                return False  # a plural title names a group: "Senators Charles E. Grassley and …"
    npn = word_set("non_person_nouns.txt")
    given_first = tagged_person and len(words) > 1 and is_given_name(words[0])
    if not has_honorific and (
        plain[0] in word_set("quantifiers.txt")
        or (plain[-1] in npn and not given_first)
        or any(p in npn and p.endswith("s") for p in plain)
    ):
        return False  # "Many Democrats", "Protesters", "Yahoo News", "New Poll", "Black Lawmakers Rip …"
    if len(words) == 1 and len(words[0].strip(".")) < 2:
        return False  # "D"
    if (
        len(words) > 1
        and not has_honorific
        and len(plain[0]) >= 6
        and plain[0].endswith("ing")
        and fold(words[0]) not in given_gender()
    ):
        return False  # a participle before a name: "Injecting Clinton", "Following Macron"
    if not has_honorific and re.match(r"(?i)(the|a|an)\s", text.strip()):
        return False  # "The Guardian", "the Kremlin": people are not named with an article
    if all(len(w) >= 2 and w.isupper() for w in words) and not has_honorific:
        return False  # acronyms: "UNN", "MENAFN"
    if organisation(name) is not None:
        return False
    if not has_honorific and (fold(name) in place_words() or country_code(name) is not None):
        return False
    if not has_honorific and all(
        country_code(w) is not None
        or fold(w) in place_words()
        or plain_word(w) in role_modifiers()
        or plain_word(w) in party_words()
        for w in words
    ):
        return False
    if all(
        plain_word(w) in title_words()
        or plain_word(w) in role_nouns()
        or plain_word(w) in role_modifiers()
        or country_code(w) is not None
        or organisation(w) is not None
        or all(x in title_words() or x in role_nouns() or x in role_modifiers() for x in plain_word(w).split("-"))
        for w in words
    ):
        return False  # "NATO Secretary-General"
    if title_prefix_len(toks + ["X"], allow_unknown=False) == len(toks) and title_token(toks[-1]) == "head":
        return False  # "Former White House Doctor"
    # "Interim DNC Chairwoman", "DNC Chairwoman" (but "Larry King", "Julie Bishop" are names)
    return not (
        len(toks) > 1
        and title_token(toks[-1]) == "head"
        and any(title_token(t) in ("mod", "head") or re.fullmatch(r"[A-Z][A-Z0-9&-]+", t) for t in toks[:-1])
    )


# ---------------------------------------------------------------- descriptions: role, country, organisation


def parse_descriptor(text: str) -> Descriptor | None:
    """Role, country, organisation, party and number in a descriptive phrase (see _parse_descriptor);
    a fresh object."""
    d = _parse_descriptor(text or "")
    if d is None:
        return None
    return replace(d, party=party_of(text), plural=plural_description(text))


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
    raw = re.sub(f"(?<=[A-Za-z])[{APOS}]s?$", "", raw)  # "the British foreign minister's"
    # a mention with a name: only its titles describe ("Mr. King" has no role "king")
    titles, name = split_name(raw)
    if name and (looks_like_person_name(name) or (titles and all(is_honorific(w) for t in titles for w in t.split()))):
        if not titles:
            return None
        raw = " ".join(titles)
    toks = raw.split()
    # drop leading determiners
    while toks and toks[0].lower() in DETERMINERS:
        toks = toks[1:]
    if not toks:
        return None
    whole_org = organisation(" ".join(toks))
    if whole_org and not role_head_ok([plain_role(t) for t in toks]):
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
        prev_unknown = (
            bool(kept)
            and where[-1] == i - 1
            and toks[i - 1][:1].isupper()
            and (
                not is_role_word(kept[-1])
                or (
                    kept[-1] in role_modifiers() and kept[-1] not in role_qualifiers() and kept[-1] not in title_words()
                )
            )
        )
        for n in (5, 4, 3, 2, 1) if toks[i][:1].isupper() and not prev_unknown else ():
            if i + n > len(toks):
                continue
            frag = " ".join(toks[i : i + n]).strip(",;:()")
            if not frag:
                continue
            if n == 1 and (plain_role(frag) in role_aliases() or is_honorific(frag)):
                continue  # "Sen." is a role, "Miss" a courtesy title, not places
            o = organisation(frag)
            if o is not None and not (n == 1 and plain_role(frag) in role_nouns()):
                # a generic body ("Government") inside a role phrase is role glue, not an organisation
                if o[0] in generic_bodies() and o[1] is None:
                    continue
                org = org or o[0]
                country = country or o[1]
                matched = n
                break
            c = country_code(frag, capitals=True) if frag[:1].isupper() or abbr_key(frag) else None
            if c is not None:
                country = country or c
                matched = n
                break
        if matched:
            # drop a dangling link/determiner before a place that ends the phrase ("President of
            # France", "a spokesman for the Kremlin"); "the wife of the French president" keeps it
            ends = (
                i + matched >= len(toks)
                or plain_role(toks[i + matched]) in LINKS | {"and"}
                or toks[i + matched - 1].endswith((",", ";"))
            )
            while ends and kept and kept[-1] in LINKS | {"the"}:
                kept.pop()
                where.pop()
            i += matched
            continue
        tok = toks[i]
        if is_honorific(tok):
            i += 1
            continue
        if re.search(f"[{APOS}]s?$", tok):
            base = re.sub(f"[{APOS}]s?$", "", plain_role_keep(tok))
            if base in referent_nouns() or i < len(toks) - 1:
                if find_role(list(zip(kept, where, strict=True)))[0]:
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
        w = plain_role(re.sub(f"(?<=[A-Za-z])[{APOS}]s?$", "", tok))
        parts = w.split("-")
        if len(parts) > 1 and parts[0] in ("ex", "then", "former") and w not in role_nouns():
            kept.extend(parts)
            where.extend([i] * len(parts))
        else:
            kept.append(w)
            where.append(i)
        i += 1
    pairs = [(w, k) for w, k in zip(kept, where, strict=True) if w and w not in party_words() and w not in DETERMINERS]
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
        role, pre, rest, run = find_role(seg)
        if role:
            break
    if role and org is None:
        # capitalised body words swallowed by the role: "National Security Council spokesman"
        def bodyish(w: str, k: int) -> bool:
            return (
                toks[k][:1].isupper()
                and w not in title_words()
                and w not in role_qualifiers()
                and w not in role_nouns()
            )

        before: list[int] = []
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
    if role is None and pairs and pairs[-1][0] in relational_nouns() and (country or org):
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
        if (
            out
            and clean.lower() in word_set("non_person_nouns.txt")
            and out[-1][:1].isupper()
            and not re.search(f"[{APOS}]s?$", out[-1])
        ):
            out.append(clean)  # "the Clinton campaign", "the Trump administration"
        break
    while out and out[-1].lower() in ("of", "for", "and", "the", "on", "&"):
        out.pop()
    if not out:
        return None
    body = re.sub(f"[{APOS}]s?$", "", " ".join(out))
    if gender_hint(body) and len(out) <= 4 and out[-1].lower() not in word_set("non_person_nouns.txt"):
        return None  # "a spokesman for Hillary Clinton": a person, not a body
    known = organisation(body)
    return known[0] if known else body


# ---------------------------------------------------------------- a mention's titles, parsed


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

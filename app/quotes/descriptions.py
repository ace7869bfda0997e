"""What a speaker mention's own words say, before anyone is looked up: an unnamed person ("a company
spokesman"), a surname with an adjective ("an angry Kemper"), a name that is only a possessor ("Obama's
former campaign strategist"), the name set after a description ("his wife, Maria Lenz"), a body in Title
Case ("the Orlando Courier"), a person's name the recogniser labelled a thing, a plural role.

Functions of text (and one of an entity span), no state; app.quotes.speakers decides with them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.datafiles import word_set
from app.quotes import people_api as people
from app.quotes.article import Mention

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc
    from spacy.tokens import Span as DocSpan


DATA = Path(__file__).with_name("data")
STATEMENT_NOUNS = word_set(DATA / "statement_nouns.txt")  # "the statement said": its organisation
AUTHORED_NOUNS = STATEMENT_NOUNS | word_set(DATA / "authored_nouns.txt")  # "a letter signed by …": its author

MISLABELS = ("ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT")  # labels a person's full name gets wrongly


def person_mislabelled(ent: DocSpan) -> bool:
    """A person's full name the recogniser took for an organisation or a thing: "Karen Doctor" (ORG),
    "Ivanka Trump" (PRODUCT), "candidate Sukh Dhaliwal" (ORG): a known given name or a word for a person
    before it, then one or two capitalised words, no company suffix or known body."""
    words = ent.text.split()
    prev = ent.doc[ent.start - 1] if ent.start else None
    # "Liberal candidate Sukh Dhaliwal" (ORG): a lower-case word for a person right before vouches for the name
    titled = prev is not None and prev.is_lower and people.describes_person(prev.text)
    return (
        ent.label_ in MISLABELS
        and 2 <= len(words) <= 3
        and (people.is_given_name(words[0]) or titled)
        and all(w[:1].isupper() for w in words)
        and people.org_key(ent.text) == people.fold(ent.text)
        and people.organisation(ent.text) is None
        and people.looks_like_person_name(ent.text)
    )


def titled_names(doc: Doc) -> list[DocSpan]:
    """Full names the recogniser missed after a title: "Prime Minister Ingrida Šimonytė backed him" (no entity
    at all): a title word, a known given name and one capitalised word, none of them in an entity."""
    out = []
    for t in doc[1:-1]:
        i = t.i
        nxt = doc[i + 1]
        if (
            t.ent_type_
            or nxt.ent_type_
            or not people.is_given_name(t.text)
            or not people.is_title_word(doc[i - 1].text)
        ):
            continue
        if not (nxt.text[:1].isupper() and nxt.is_alpha) or people.is_title_word(nxt.text):
            continue
        if i + 2 < len(doc) and doc[i + 2].text[:1].isupper():
            continue  # a longer run of capitals: no telling where the name ends
        out.append(doc[i : i + 2])
    return out


def unnamed_person(text: str) -> bool:
    """Someone new, described without a name: "a company spokesman", "another voter", "one teacher"."""
    words = text.split()
    if not words or plural_role(text) or any(w[:1].isupper() for w in words[1:]):
        return False
    if words[0].lower() not in ("a", "an", "another", "one"):
        return False  # "the former first lady" is most often someone named before; "his lawyer" someone's
    return people.describes_person(words[-1])


_OPENER = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s))(?:An?|Another|One|(My|His|Her|Their|Our))((?:\s+[a-z][\w-]*){1,4})", re.M
)


_LOWER_WORD = re.compile(r"[a-z][\w-]*")


def unnamed_openers(text: str, start: int, end: int) -> list[Mention]:
    """Sentences opening on one unnamed person: "A retired teacher in the crowd was not sure." gives
    "A retired teacher"; the description ends at its first word that describes a person."""
    out = []
    for m in _OPENER.finditer(text, start, end):
        words = list(_LOWER_WORD.finditer(text, m.start(2), m.end(2)))
        for k, w in enumerate(words):
            # "My mother has softened …", "His wife was not sure": a relative, after a possessive
            kin = m.group(1) is not None and w.group() in people.relational_nouns()
            if (kin or people.describes_person(w.group())) and not (
                k + 1 < len(words) and people.describes_person(words[k + 1].group())
            ):
                out.append(Mention(m.start(), w.end(), text[m.start() : w.end()], "description"))
                break  # "a company spokesman": the last word of the run that describes a person
    return out


# a description opening on these means someone new ("a spokeswoman") or someone's ("his lawyer"), not one seen
NEW_OR_OTHERS = {"a", "an", "another", "one", "his", "her", "their", "its", "my", "our", "your"}


INDEFINITE = {"a", "an", "another", "one", "some"}


def someone_unnamed(text: str) -> bool:
    """A capitalised description that names no one: "another Ohio Democrat", "Another Muslim", "one GOP
    strategist" ("Republicans", "the GOP" stay speakers: a group or a party)."""
    words = text.split()
    return bool(words) and words[0].lower() in INDEFINITE


def described_surname(text: str) -> str | None:
    """The surname after an article and lower-case words that describe no one: "an angry Kemper", "a
    tearful Hale", "the more cautious Brandt" → the surname; None otherwise ("another Ohio Democrat",
    "a spokeswoman for Calder": someone else, described by a relation to Calder)."""
    words = text.split()
    if (
        len(words) >= 3
        and words[0].lower() in ("a", "an", "the")
        and words[-1][:1].isupper()
        and words[-1].isalpha()
        and all(
            w[:1].islower() and w.isascii() and not people.describes_person(w) and w not in _LINKS for w in words[1:-1]
        )
    ):
        return words[-1]
    return None


_LINKS = frozenset({"of", "for", "at", "in", "from", "to", "with", "by", "on", "and", "or"})


def plural_role(text: str) -> bool:
    """A description of several people: "the senators", "the ministers", "both governors"."""
    return people.plural_description(text)


_APPOS_NAME = re.compile(
    r"([^,;:.!?\"“”\n]{0,40}?),\s+((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]+)"  # not ending on an initial
    r"(?=\s*(?:[,.;]|$|\s+(?:said|says|wrote|writes|told|tells|added|adds|of|from)\b))"
)


def appositive_name(text: str, end: int) -> tuple[int, str] | None:
    """The name set after a description that names no one: "his wife, Maria Lenz, said", "said the city
    clerk at the time, Jon E. Harbin." → (offset, name). None when the words in between mention another
    person ("a spokesman for the governor, Jo Marks": whose name is it?) or the name is no person's."""
    m = _APPOS_NAME.match(text, end)
    if m is None:
        return None
    between = _LOWER_WORD.findall(m.group(1))
    if any(people.describes_person(w) or w in ("and", "or") for w in between):
        return None
    name = m.group(2)
    words = name.split()
    if people.organisation(name) or people.country_code(name) or any(people.is_title_word(w) for w in words):
        return None
    if not (people.looks_like_person_name(name) if len(words) > 1 else people.is_given_name(name)):
        return None
    return m.start(2), name


_AUTHORED_BY = re.compile(
    r",?\s+(?:filed|issued|released|signed|sent|written|published|posted|submitted)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday))?"
    r"\s+by\s+([^,.;:()\n“”\"]{2,80})"
)


def authored_by(text: str, m: Mention) -> tuple[int, str] | None:
    """The author a "by" phrase names after a written text's description: "according to a court document
    filed by state attorney Ann Hale" → (offset, "state attorney Ann Hale"); None otherwise."""
    words = m.text.lower().split()
    if not words or words[-1] not in AUTHORED_NOUNS:
        return None
    found = _AUTHORED_BY.match(text, m.end)
    if found is None:
        return None
    by = found.group(1).rstrip()
    if not any(w[:1].isupper() for w in by.split()):
        return None  # "filed by lawyers for the city": no one named
    return found.start(1), by


_POSSESSOR = re.compile(r"[’']s?$")
_OWNED = re.compile(r"((?:\s+[a-z][\w-]*){1,4})")


def possessor_of_description(text: str, m: Mention) -> str | None:
    """The whole description when a name is only its possessor: "Obama's former campaign strategist said"
    (the parse took "Obama's" for the subject) → "Obama's former campaign strategist"; None otherwise."""
    if not _POSSESSOR.search(m.text):
        return None
    run = _OWNED.match(text, m.end)
    if run is None:
        return None
    words = run.group(1).split()
    for k in range(len(words), 0, -1):
        if people.describes_person(words[k - 1]):
            return m.text + " " + " ".join(words[:k])
    return None


_OWNED_ROLE = re.compile(r"[’']s\s+((?:[a-z][\w-]*\s+){0,4}[a-z][\w-]*)$")


def owned_role(text: str) -> bool:
    """True when a mention is someone's role, not that someone: "Rep. Dan Hunter’s chief of staff",
    "Obama's former campaign strategist" (the words after the possessive end on a person noun)."""
    m = _OWNED_ROLE.search(text)
    if m is None or not any(people.describes_person(w) for w in m.group(1).split()):
        return False
    owner = text[: m.start()].split()
    return people.looks_like_person_name(" ".join(owner[-2:])) and not people.country_code(owner[-1])


def titled_body(text: str, label: str | None) -> bool:
    """ "the Orlando Courier", "The Harbor Gazette": "the" and capitalised words the recogniser took for a
    work's title (or left unlabelled) name a body, not a person ("the Wisconsin Republican" describes one)."""
    words = text.split()
    return (
        label in (None, "WORK_OF_ART", "PRODUCT")
        and len(words) >= 3
        and words[0].lower() == "the"
        and all(w[:1].isupper() and w.isalpha() for w in words[1:])
        and not people.describes_person(words[-1])
        and words[-1].lower() not in people.party_words()
        and not people.is_given_name(words[1])
    )

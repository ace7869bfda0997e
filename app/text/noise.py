"""Article furniture that no quote may come from: captions, credits, bylines, datelines, headlines.

Noise is *masked*, never deleted: `mask(text)` returns a string of the same length where every
noise character is a space (newlines kept), so offsets into it are offsets into the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.datafiles import word_set
from app.places import country_code

DATA = Path(__file__).with_name("data") / "noise_patterns.txt"

# " date 2024-05-12 (MENAFN) In a recent interview ..." : a metadata prefix, then prose.
DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(?:\(([^)]{1,40})\))?\s*", re.I)
# "WASHINGTON -- President Obama said …", "LOS ANGELES, Sept. 28 (UPI) — …", "VILNIUS (Reuters) - …": a
# place in capitals (region, date, agency optional) and a dash open the paragraph; the place is no speaker.
PLACE_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’]{2,}(?:[ -][A-Z][A-Z.'’]+){0,3})"  # WASHINGTON, LOS ANGELES, ST. PETERSBURG
    r"(?P<more>(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2})?"  # , Ukraine / , Calif.
    r"(?:,?\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"  # , Sept. 28
    r"(?:\s*\([A-Za-z][\w .-]{0,20}\))?)"  # (UPI)
    r"\s*(?:--|—|–|-)\s+(?=\S)"
)


# "Washington (AFP) – Democrat Hillary Clinton has …", "Berea, Ohio (AP) — …": a place in Title Case, an
# agency in parentheses and a dash; the agency is what makes it a dateline ("Ann Hale (D-Ore.) – …" is none).
TITLE_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2})?"
    r"\s*\((?P<agency>[A-Za-z][\w .-]{0,20})\)\s*(?:--|—|–|-)\s+(?=\S)"
)
_AGENCY_CAPS = re.compile(r"(?!GOP)[A-Z]{2,5}")  # "(GOP)" is a party, not an agency


@lru_cache(maxsize=1)
def _caps_non_places() -> frozenset[str]:
    return word_set(DATA.with_name("caps_non_places.txt"))


@lru_cache(maxsize=1)
def _wire_services() -> frozenset[str]:
    return word_set(DATA.with_name("wire_services.txt"))


def _place_dateline(line: str) -> re.Match | None:
    """A place dateline opening line; a lone word in capitals counts when it names a country or capital, or has
    six letters or more and is no organisation's ("ROME —", "TORONTO —" are datelines, "NATO —", "UNICEF —" not). In Title Case, the agency in parentheses must be a news
    agency's name, or the place a country, capital or state."""
    m = PLACE_DATELINE.match(line)
    if m is None:
        m = TITLE_DATELINE.match(line)
        if m is None:
            return None
        agency = m.group("agency").strip()
        wire = _AGENCY_CAPS.fullmatch(agency) or agency.lower() in _wire_services()
        return m if wire or country_code(m.group("place")) else None
    place = m.group("place")
    if m.group("more") or " " in place or country_code(place.title()):
        return m
    # "TORONTO — A man is in hospital …": a lone word in capitals long enough to be no acronym ("NATO —")
    return m if len(place) >= 6 and place.isalpha() and place.lower() not in _caps_non_places() else None


# Runs that are no prose and that make the tokenizer's work grow with the square of their length: eight or more
# punctuation characters with only spaces between ('""""""""', "........", "=====") and whitespace-free stretches
# of 300 characters or more (blobs, minified code, endless URLs).
PUNCT_RUN = re.compile(r"(?<!\w)[^\w\s](?:[ \t]*[^\w\s]){7,}")  # not the full stop ending a word
LONG_TOKEN = re.compile(r"\S{300,}")
_TERMINAL = tuple(".!?…\"”’»)']:;")
_QUOTE_CHARS = set('"“”«»„')


@dataclass(frozen=True)
class Noise:
    """One masked stretch of the text and why it is noise."""

    start: int
    end: int
    kind: str  # caption | byline | dateline | related | footer | headline | flood


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, rx = line.split(None, 1)
        out.append((kind, re.compile(rx, re.I)))
    return out


def lines(text: str):
    """(start, end) of every line, end excluding the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def classify_line(line: str) -> str | None:
    """The noise kind of one stripped line, or None for prose."""
    s = line.strip()
    if not s:
        return None
    for kind, rx in _patterns():
        if rx.search(s):
            return kind
    if not s.endswith(_TERMINAL) and not (_QUOTE_CHARS & set(s)):
        return "headline"  # titles, subtitles, tag lists: no full stop, no quote mark
    return None


def floods(text: str) -> list[Noise]:
    """Runs of punctuation and overlong tokens (PUNCT_RUN, LONG_TOKEN), found in one linear pass each."""
    out = [Noise(m.start(), m.end(), "flood") for m in PUNCT_RUN.finditer(text)]
    out += [Noise(m.start(), m.end(), "flood") for m in LONG_TOKEN.finditer(text)]
    return out


# "-Craig Fehrman explains why …", "• Ann Hale says …": a list item's bullet, which the tokenizer would glue
# to the first word ("-Craig") and the entity recogniser read as part of a name
_BULLET = re.compile(r"^\s*[-–•*·]\s*(?=[A-Z])")


def noise_spans(text: str) -> list[Noise]:
    """Every noise stretch in text (whole lines, or a dateline prefix or list bullet, and floods of marks)."""
    out: list[Noise] = floods(text)
    for start, end in lines(text):
        line = text[start:end]
        bullet = _BULLET.match(line)
        if bullet:
            out.append(Noise(start, start + bullet.end(), "bullet"))
        m = DATELINE.match(line) or _place_dateline(line)
        if m:
            out.append(Noise(start, start + m.end(), "dateline"))
            continue
        kind = classify_line(line)
        if kind:
            lead = len(line) - len(line.lstrip())
            out.append(Noise(start + lead, start + len(line.rstrip()), kind))
    return out


_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " "})


def mask(text: str, spans: list[Noise] | None = None) -> str:
    """text with every noise character replaced by a space (same length, newlines kept), and no-break
    and thin spaces made plain ones ("Gov.\u00a0Tom Hale" is read like "Gov. Tom Hale")."""
    chars = list(text.translate(_ODD_SPACES))
    for n in noise_spans(text) if spans is None else spans:
        for i in range(n.start, n.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def byline(text: str) -> str | None:
    """The author named on a "by Sededin Dedovic" line, if any."""
    for start, end in lines(text):
        s = text[start:end].strip()
        if classify_line(s) == "byline" and s.lower().startswith("by "):
            return s[3:].strip()
    return None


def dateline(text: str) -> tuple[str, str | None] | None:
    """(ISO date, publisher) from a " date 2024-05-12 (MENAFN)" metadata prefix, if any."""
    for start, end in lines(text):
        m = DATELINE.match(text[start:end])
        if m:
            return m.group(1), (m.group(2) or None)
    return None

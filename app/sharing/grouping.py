"""The same words in many outlets: group quotes that are the same or nearly the same.

Two quotes are one when, after normalising case, punctuation, quote marks and whitespace:
- their texts are equal (`quote_fingerprint` gives the same hash: usable in SQL);
- one is a trimmed copy of the other: it has at least MIN_CONTAINED_WORDS words and appears whole,
  word for word, inside the other (and is not a tiny part of it);
- or they differ only a little (rapidfuzz similarity ≥ FUZZY_MIN with similar lengths, or a long
  trimmed copy that was also re-worded a little: partial similarity ≥ PARTIAL_MIN).
Sentences that merely share a phrase stay apart: a shared 5-word phrase is neither containment of a
whole quote nor ≥ 90 % similarity. When the key gives a speaker as well, different speakers never merge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz

T = TypeVar("T")

MIN_CONTAINED_WORDS = 8
MIN_CONTAINED_SHARE = 0.25
MIN_FUZZY_WORDS = 4
FUZZY_MIN = 90.0
PARTIAL_MIN = 95.0
MIN_LENGTH_RATIO = 0.8

_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3}\]|\[…\]|\(…\)|\.\s*\.\s*\.|…")
_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")


def normalise_quote(text: str | None) -> str:
    """Lower-case words separated by single spaces: no punctuation, quote marks or ellipses."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _APOSTROPHE.sub("", text)  # don't / don’t / dont
    text = _ELLIPSIS.sub(" ", text)
    text = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
    return " ".join(text.casefold().split())


def quote_fingerprint(text: str | None) -> str:
    """32 hex characters identifying the normalised text (store it in a column to match in SQL)."""
    return hashlib.sha256(normalise_quote(text).encode("utf-8")).hexdigest()[:32]


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """shorter appears in longer as a contiguous run of whole words."""
    if not shorter or len(shorter) > len(longer):
        return False
    return f" {' '.join(shorter)} " in f" {' '.join(longer)} "


def same_quote(a: str, b: str) -> bool:
    """True when a and b are the same quote as printed by two outlets (trimmed or re-punctuated)."""
    na, nb = normalise_quote(a), normalise_quote(b)
    return _same_normalised(na, nb, na.split(), nb.split())


def _same_normalised(na: str, nb: str, wa: list[str], wb: list[str]) -> bool:
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) >= MIN_CONTAINED_WORDS and len(short) >= MIN_CONTAINED_SHARE * len(long_):
        if _contains(long_, short):
            return True
        s_text, l_text = " ".join(short), " ".join(long_)
        if fuzz.partial_ratio(s_text, l_text, score_cutoff=PARTIAL_MIN) and _contains_mostly(long_, short):
            return True
    return bool(
        len(short) >= MIN_FUZZY_WORDS
        and len(short) >= MIN_LENGTH_RATIO * len(long_)
        and fuzz.ratio(na, nb, score_cutoff=FUZZY_MIN)
    )


def same_normalised(
    na: str, nb: str, wa, wb, va: frozenset | set | None = None, vb: frozenset | set | None = None
) -> bool:
    """same_quote for texts already normalised (normalise_quote) and split into words (wa, wb; sets va, vb)."""
    va = set(wa) if va is None else va
    vb = set(wb) if vb is None else vb
    return bool(va) and len(va & vb) >= 0.5 * min(len(va), len(vb)) and _same_normalised(na, nb, list(wa), list(wb))


def _contains_mostly(longer: list[str], shorter: list[str]) -> bool:
    """At least 90 % of the shorter quote's words occur in the longer (guards partial_ratio)."""
    pool = set(longer)
    return sum(w in pool for w in shorter) >= 0.9 * len(shorter)


@dataclass
class Group(Generic[T]):
    """Quotes that are the same words; `items` are sorted first-published first."""

    items: list[T] = field(default_factory=list)
    dates: list[dt.date | None] = field(default_factory=list)

    @property
    def first(self) -> T:
        """The earliest-published member (the card shows this one)."""
        return self.items[0]

    @property
    def count(self) -> int:
        """How many quotes (sources) the group holds."""
        return len(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


def _default_key(item: Any) -> tuple:
    """(text, date[, speaker]) of a dict, a Quote, or a row with .quote/.article/.person."""
    if isinstance(item, dict):
        return item.get("text", ""), item.get("date"), item.get("speaker")
    quote = getattr(item, "quote", None)
    if quote is not None and hasattr(quote, "text"):  # a listing row: quote + article + person
        person = getattr(item, "person", None)
        date = getattr(item, "date", None) or quote.date
        return quote.text, date, getattr(person, "id", None)
    return getattr(item, "text", ""), getattr(item, "date", None), getattr(item, "person_id", None)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def group_quotes(
    items: Iterable[T], key: Callable[[T], tuple] = _default_key, window_days: int | None = None
) -> list[Group[T]]:
    """Group items whose texts are the same quote.

    key(item) gives (text, date) or (text, date, speaker); with a speaker, only quotes with an equal
    speaker (None included) merge. With window_days, two dated quotes further apart than that never merge
    directly (a line repeated months later is another occasion). Groups come in the order of their first item in the input (keep
    your listing's order); inside a group, the first to publish comes first (undated last).
    """
    items = list(items)
    infos = []
    for idx, item in enumerate(items):
        k = tuple(key(item))
        text, date = k[0], _as_date(k[1] if len(k) > 1 else None)
        speaker = k[2] if len(k) > 2 else None
        norm = normalise_quote(text)
        infos.append((idx, norm, norm.split(), date, speaker))

    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    def near(i: int, j: int) -> bool:
        di, dj = infos[i][3], infos[j][3]
        return window_days is None or di is None or dj is None or abs((di - dj).days) <= window_days

    exact: dict[tuple, list[int]] = {}
    reps: list[int] = []
    for idx, norm, _words, _date, speaker in infos:
        slot = (norm, speaker)
        same = next((r for r in exact.get(slot, ()) if near(r, idx)), None) if norm else None
        if same is not None:
            union(same, idx)
        else:
            exact.setdefault(slot, []).append(idx)
            reps.append(idx)
    vocab = [set(infos[i][2]) for i in range(len(infos))]
    for x, i in enumerate(reps):
        _, ni, wi, _, si = infos[i]
        if not wi:
            continue
        for j in reps[x + 1 :]:
            _, nj, wj, _, sj = infos[j]
            if si != sj or not wj or find(i) == find(j) or not near(i, j):
                continue
            shorter = min(len(wi), len(wj))
            if len(vocab[i] & vocab[j]) < 0.5 * min(len(vocab[i]), len(vocab[j])) or shorter < 1:
                continue
            if _same_normalised(ni, nj, wi, wj):
                union(i, j)

    groups: dict[int, list[int]] = {}
    for idx in range(len(items)):
        groups.setdefault(find(idx), []).append(idx)
    out: list[Group[T]] = []
    for members in sorted(groups.values(), key=lambda m: m[0]):
        members.sort(key=lambda i: (infos[i][3] is None, infos[i][3] or dt.date.min, i))
        out.append(Group([items[i] for i in members], [infos[i][3] for i in members]))
    return out


def one_per_article(items: Iterable[T]) -> list[T]:
    """The items of a group, the first of each article only: "reported by N sources" counts articles, not spans."""
    seen: set = set()
    out = []
    for item in items:
        article = getattr(item, "article", None)
        key = getattr(article, "id", None) if article is not None else id(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out

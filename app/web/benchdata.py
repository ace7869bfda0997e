"""A realistic archive for `make bench-serve`: articles, people and quotes written through the app's schema.

Zipf-distributed speakers (a few people are quoted very often, most rarely), English words drawn at
their real frequencies (wordfreq), dates over five years (a few articles undated), about 12 % unknown
speakers, name variants (diacritics and misspellings), some outlets reprinting the same words, a few
hidden quotes. The rows are written at schema revision 0002 (the schema before the listing work), so
that `upgrade()` afterwards measures the in-place migration of an existing archive; or, with
at_head=True (archives past 1M quotes, where the migration would take most of an hour), straight at the
newest schema, listing keys included.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import json
import random
import time
import uuid
from dataclasses import dataclass, field

import numpy as np  # spaCy's own dependency: draws millions of words at once
from sqlalchemy import text
from sqlalchemy.engine import Engine
from wordfreq import top_n_list, word_frequency  # bench-only (requirements-dev.txt)

from app.models import listing_key
from app.people.names import fold
from app.web.urls import slugify

BASE_REVISION = "0002_quote_successors"
LAST_DAY = dt.date(2026, 11, 30)
YEARS = 5
UNKNOWN_SHARE = 0.12
UNDATED_SHARE = 0.03
REPRINT_SHARE = 0.03
HIDDEN_SHARE = 0.0005
VARIANT_SHARE = 0.15
QUOTES_PER_ARTICLE = 10
QUOTES_PER_PERSON = 50

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "lan",
    "ter",
    "vi",
    "sa",
    "don",
    "el",
    "na",
    "gor",
    "bel",
    "tis",
    "ul",
    "ber",
    "ro",
    "mi",
    "dra",
    "sen",
    "ko",
    "ja",
    "nas",
    "li",
    "var",
    "to",
    "ne",
    "is",
    "ha",
]
ROLES = [
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Defence Minister",
    "spokeswoman",
    "spokesman",
    "senator",
    "mayor",
    "economist",
    "chief executive",
    "union leader",
    "professor",
    None,
    None,
]
COUNTRIES = (
    ["US"] * 30
    + ["GB"] * 10
    + ["FR"] * 6
    + ["DE"] * 6
    + ["UA"] * 5
    + ["RU"] * 5
    + ["LT"] * 2
    + ["PL"] * 3
    + ["CN"] * 4
    + ["IN"] * 3
    + ["BR"] * 2
    + ["JP"] * 2
    + ["CA"] * 3
    + ["AU"] * 2
    + ["EE", "LV", "FI", "SE", "NO", "IT", "ES", "NL", "BE", "TR", "IL", "EG", "ZA", "NG", "KE", "MX", "AR", "KR", "ID"]
    + [None] * 15
)
OUTLETS = [
    f"{a} {b}"
    for a, b in itertools.product(
        ["Daily", "Evening", "Morning", "National", "Baltic", "Global"], ["Herald", "Post", "Times", "Courier", "Wire"]
    )
]
VERBS = ["said", "told reporters", "added", "noted", "explained", "warned"]
DIACRITICS = str.maketrans({"s": "š", "e": "ė", "c": "č", "z": "ž", "a": "ą", "o": "ó"})


@dataclass
class Spec:
    """How big the archive is."""

    quotes: int = 1_000_000
    seed: int = 11
    articles: int = field(init=False)
    people: int = field(init=False)

    def __post_init__(self) -> None:
        self.articles = max(1, self.quotes // QUOTES_PER_ARTICLE)
        self.people = max(10, self.quotes // QUOTES_PER_PERSON)


class Words:
    """English words sampled at their frequency in real text."""

    BLOCK = 1 << 20  # words drawn per numpy call

    def __init__(self, rng: random.Random, n: int = 30000):
        self.words = [w for w in top_n_list("en", n) if w.isalpha()]
        weights = np.array([word_frequency(w, "en") for w in self.words])
        self.cumulative = np.cumsum(weights)
        self.draw = np.random.default_rng(rng.getrandbits(64))
        self.drawn: list[int] = []
        self.next = 0

    def sample(self, k: int) -> list[str]:
        """k words, drawn independently at their frequencies."""
        if self.next + k > len(self.drawn):
            picks = np.searchsorted(self.cumulative, self.draw.random(self.BLOCK) * self.cumulative[-1], side="right")
            self.drawn, self.next = np.minimum(picks, len(self.words) - 1).tolist(), 0
        start, self.next = self.next, self.next + k
        return [self.words[i] for i in self.drawn[start : self.next]]

    def rare(self, rank: int) -> str:
        """The word at this frequency rank (for a rare-word search)."""
        return self.words[min(rank, len(self.words) - 1)]


def _name(rng: random.Random) -> tuple[str, str]:
    def part(n: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()

    return part(rng.randint(1, 2)), part(rng.randint(2, 3))


def _sentence(words: Words, rng: random.Random) -> str:
    ws = words.sample(rng.randint(8, 40))
    return " ".join(ws).capitalize() + "."


def generate(engine: Engine, spec: Spec, progress=print, at_head: bool = False) -> dict:
    """Write the archive into a database migrated to BASE_REVISION (or, at_head, to the newest revision);
    returns facts the benchmark needs."""
    rng = random.Random(spec.seed)
    words = Words(rng)
    t0 = time.monotonic()
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    people: list[dict] = []
    names: list[dict] = []
    slugs: set[str] = set()
    for pid in range(1, spec.people + 1):
        first, last = _name(rng)
        full = f"{first} {last}"
        slug = slugify(full)
        while slug in slugs:
            slug = f"{slug}-{pid}"
        slugs.add(slug)
        people.append(
            {
                "id": pid,
                "slug": slug,
                "name": full,
                "kind": "person",
                "role": rng.choice(ROLES),
                "country": rng.choice(COUNTRIES),
                "organisation": None,
                "merged_into_id": None,
                "created_at": now,
            }
        )
        variants = {full, last}
        if rng.random() < VARIANT_SHARE:
            variants.add(full.translate(DIACRITICS))
        if rng.random() < VARIANT_SHARE:
            variants.add(f"{first[0]}. {last}")
        names.extend({"person_id": pid, "name": v, "key": fold(v)} for v in sorted(variants))
    # Zipf: the person at rank r is quoted in proportion to 1/r.
    pending_people = list(people)  # written with the first batch; `people` stays for names
    zipf = list(itertools.accumulate(1.0 / r for r in range(1, spec.people + 1)))

    def speaker() -> int | None:
        if rng.random() < UNKNOWN_SHARE:
            return None
        return bisect.bisect(zipf, rng.random() * zipf[-1]) + 1

    first_day = LAST_DAY - dt.timedelta(days=365 * YEARS)
    span_days = (LAST_DAY - first_day).days
    articles, quotes = [], []
    recent: dict[int, list[tuple[str, dt.date | None]]] = {}
    qid = 0
    per_article = [QUOTES_PER_ARTICLE] * spec.articles
    for extra in range(spec.quotes - QUOTES_PER_ARTICLE * spec.articles):
        per_article[extra % spec.articles] += 1
    order = sorted(range(spec.articles), key=lambda _i: rng.random())  # ingest order is not date order
    dates = sorted(
        (
            (None if rng.random() < UNDATED_SHARE else first_day + dt.timedelta(days=rng.randrange(span_days)))
            for _ in range(spec.articles)
        ),
        key=lambda d: (d is None, d or first_day),
    )
    for aid, slot in enumerate(order, 1):
        published = dates[slot]
        buf, spans = io.StringIO(), []
        for position in range(per_article[aid - 1]):
            speaker_id = speaker()
            earlier = recent.get(speaker_id or 0)
            reprint = speaker_id and earlier and rng.random() < REPRINT_SHARE  # another outlet printing the same words
            body = earlier[-1][0] if reprint and earlier else _sentence(words, rng)
            if speaker_id:
                recent.setdefault(speaker_id, []).append((body, published))
                del recent[speaker_id][:-3]
            who = people[speaker_id - 1]["name"] if speaker_id else "an official"
            buf.write("“")
            start = buf.tell()
            buf.write(body)
            end = buf.tell()
            buf.write(f"” {who} {rng.choice(VERBS)}. {_sentence(words, rng)}\n\n")
            kind = rng.choices(["direct", "indirect", "mixed"], [55, 35, 10])[0]
            hidden = rng.random() < HIDDEN_SHARE
            qid += 1
            spans.append(start)
            quotes.append(
                {
                    "uid": uuid.UUID(int=rng.getrandbits(128)).hex[:16],
                    "article_id": aid,
                    "person_id": speaker_id,
                    "kind": kind,
                    "text": body,
                    "spans": json.dumps([[start, end]]),
                    "speaker_span": None,
                    "cue_span": None,
                    "speaker_text": who,
                    "cue_text": "said",
                    "context_span": None,
                    "date": published,
                    "hidden": hidden,
                    "hidden_reason": "bench: hidden" if hidden else None,
                    "position": position,
                }
            )
            if at_head:
                quotes[-1]["listing_key"] = listing_key(published, aid, position)
        title = " ".join(words.sample(rng.randint(5, 9))).capitalize()
        articles.append(
            {
                "id": aid,
                "uid": uuid.UUID(int=rng.getrandbits(128)).hex[:16],
                "title": title,
                "publisher": rng.choice(OUTLETS),
                "author": None,
                "published": published,
                "url": f"https://news.example/{aid}",
                "canonical_url": f"https://news.example/{aid}",
                "source_path": None,
                "text": buf.getvalue(),
                "content_hash": uuid.UUID(int=rng.getrandbits(128)).hex,
                "language": "en",
                "status": "ok",
                "extractor_version": "bench",
                "ingested_at": now,
            }
        )
        if len(quotes) >= 50_000:
            _flush(engine, pending_people, names, articles, quotes)
            pending_people, names, articles, quotes = [], [], [], []
            progress(f"  {qid:,} quotes written ({time.monotonic() - t0:.0f} s)")
    _flush(engine, pending_people, names, articles, quotes)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("person", "article"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    progress(f"  {qid:,} quotes, {spec.articles:,} articles, {spec.people:,} people in {time.monotonic() - t0:.0f} s")
    return {"quotes": qid, "rare_word": words.rare(20000), "seconds": time.monotonic() - t0}


def _flush(engine: Engine, people, names, articles, quotes) -> None:
    with engine.begin() as conn:
        for table, rows in (("person", people), ("personname", names), ("article", articles), ("quote", quotes)):
            if not rows:
                continue
            cols = list(rows[0])
            if engine.dialect.name == "postgresql":
                raw = conn.connection.driver_connection
                assert raw is not None  # an open connection's psycopg connection
                with raw.cursor().copy(f'COPY "{table}" ({", ".join(cols)}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in cols])
            else:
                conn.execute(
                    text(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join(":" + c for c in cols)})'), rows
                )

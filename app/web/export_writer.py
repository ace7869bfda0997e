"""The full-export writer: /quotes.json and /quotes.csv at tens of thousands of rows a second, in constant memory.

The listing reads the quotes a page at a time (queries.iter_quote_pages: one query along the listing
index, or the page's ids then their rows) with exactly the QUOTE_COLUMNS an export writes; this module
turns each page into one block of bytes:
- dates and spans arrive as the database holds them (ISO text on SQLite, JSON text), so no ORM object,
  Python date or parsed list is built per row;
- article and speaker parts (their JSON object, their CSV cells, their URLs) are built once per id and
  reused by every quote that shares them; merged people are read as their survivor;
- URL prefixes are built once per export, and a quote's slug reuses its speaker's part;
- JSON goes through orjson, one quote per line; CSV lines are joined here (csv.writer costs more than
  all the rest), quoting exactly as csv.writer's default dialect does.

Every field keeps the format app.web.exports.quote_record gives it (tests/test_web_exports.py
compares the two), and CSV cells are neutralised like exports.safe_cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as urlquote

import orjson
from anyascii import anyascii
from sqlalchemy import BindParameter, Integer, String, Text, any_, bindparam, cast, select, type_coerce
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col

from app.models import Article, Person, Quote
from app.web.merges import canonical_person
from app.web.streaming import read_ahead

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula
CSV_COLUMNS = [
    "uid",
    "date",
    "kind",
    "text",
    "speaker",
    "speaker_slug",
    "role",
    "country",
    "organisation",
    "article_title",
    "publisher",
    "published",
    "source_url",
    "permalink",
    "in_context",
]
SLUG_WORDS, SLUG_MAX = 6, 80  # as app.web.urls.quote_slug and slugify
EXPORT_PAGE = 2000  # quotes read and written at a time: the memory a page holds, in three places at once
JOIN_EVERY = 200  # JSON lines joined in groups: orjson gives each a 4 KiB buffer until then
CACHE_LIMIT = 20_000  # cached speakers, and articles: past this a cache starts afresh (about 10 MB at most)

_WORD = re.compile(r"\w+")
_FIRST_WORDS = re.compile(rf"\w+(?:\W+\w+){{0,{SLUG_WORDS - 1}}}")  # from the first word to the sixth
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")  # what urllib.parse.quote leaves as it is
_CSV_SPECIAL = re.compile(r'[,"\r\n]')  # what makes csv.writer (excel dialect) quote a field

QUOTE_COLUMNS = (
    col(Quote.person_id),
    col(Quote.article_id),
    col(Quote.uid),
    col(Quote.text),
    col(Quote.kind),
    type_coerce(Quote.date, String),
    cast(Quote.spans, Text),
    col(Quote.speaker_text),
    col(Quote.cue_text),
)  # after (listing_key, id); what JSON writes
CSV_QUOTE_COLUMNS = QUOTE_COLUMNS[:6]  # CSV writes neither spans, nor the speaker's mention, nor the cue
_ARTICLE_COLUMNS = (
    col(Article.id),
    col(Article.uid),
    col(Article.title),
    col(Article.publisher),
    col(Article.author),
    type_coerce(Article.published, String),
    col(Article.canonical_url),
    col(Article.url),
)
_PERSON_COLUMNS = (
    col(Person.id),
    col(Person.name),
    col(Person.slug),
    col(Person.kind),
    col(Person.role),
    col(Person.country),
    col(Person.organisation),
    col(Person.merged_into_id),
)
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
ARTICLES_BY_ID = select(*_ARTICLE_COLUMNS).where(col(Article.id).in_(_IDS))
PEOPLE_BY_ID = select(*_PERSON_COLUMNS).where(col(Person.id).in_(_IDS))
# PostgreSQL takes the ids as one array parameter: an IN list of a page's 2,000 ids is 2,000 parameters,
# which the driver parses and binds one by one on every call (a tenth of a PostgreSQL export's time).
_ID_ARRAY = bindparam("ids", type_=postgresql.ARRAY(Integer))
PG_ARTICLES_BY_ID = select(*_ARTICLE_COLUMNS).where(col(Article.id) == any_(_ID_ARRAY))
PG_PEOPLE_BY_ID = select(*_PERSON_COLUMNS).where(col(Person.id) == any_(_ID_ARRAY))


def cell(value: str | None) -> str:
    """A CSV field as csv.writer writes exports.safe_cell(value): neutralised, then quoted if it must be."""
    if value is None:
        return ""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return '"' + value.replace('"', '""') + '"' if _CSV_SPECIAL.search(value) else value


def iso(value) -> str | None:
    """A date column as ISO text: SQLite hands over its stored text, PostgreSQL a date."""
    if value is None or value.__class__ is str:
        return value
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def fragment(record: dict) -> orjson.Fragment:
    """record as JSON to embed in many quotes; copied, as orjson's own buffer holds 4 KiB whatever its length."""
    return orjson.Fragment(bytes(memoryview(orjson.dumps(record))))


def url_part(value: str) -> str:
    """urllib.parse.quote(value), without its cost for the usual all-safe ids."""
    return value if (value.isascii() and value.isalnum()) or _URL_SAFE.fullmatch(value) else urlquote(value)


def slug_part(text: str) -> str:
    """text as slug words: ASCII, lower-case, hyphenated, no hyphen at either end."""
    return _NOT_SLUG.sub("-", anyascii(text).lower()).strip("-")


def words_part(text: str) -> str:
    """slug_part of the text's first SLUG_WORDS words joined by spaces.

    In ASCII text whatever separates two words is already non-alphanumeric, so the slug of the stretch
    from the first word to the sixth is the same, read in one regex match.
    """
    first = _FIRST_WORDS.search(text)
    if first is None:
        return ""
    if text.isascii():
        return _NOT_SLUG.sub("-", first.group().lower()).strip("-")
    return slug_part(" ".join(_WORD.findall(first.group())))


def quote_slug(name_part: str, text: str) -> str:
    """urls.quote_slug(name, text) given name_part = slug_part(name or "unknown speaker").

    slugify of "name first-words" is the two parts' slugs joined by one hyphen (the space and any
    non-alphanumerics around it collapse to one), so the speaker's part is made once per speaker.
    """
    words = words_part(text or "")
    slug = f"{name_part}-{words}" if name_part and words else name_part or words
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
    return slug or "quote"


UNKNOWN_SLUG = slug_part("unknown speaker")


@dataclass(slots=True)
class Speaker:
    """A speaker's export parts, made once: its JSON object, CSV cells and slug words."""

    json: orjson.Fragment
    csv: str
    slug_part: str


@dataclass(slots=True)
class Source:
    """An article's export parts, made once: its JSON object, CSV cells, publication date and page URL."""

    json: orjson.Fragment
    csv: str
    published: str | None
    page: str


@dataclass(slots=True)
class Page:
    """A page of quote rows (listing_key, id, *QUOTE_COLUMNS or CSV_QUOTE_COLUMNS) with their speakers and sources."""

    rows: list
    speakers: dict[int, Speaker | None]
    sources: dict[int, Source]


class ExportWriter:
    """Formats pages of quote rows as JSON lines or CSV rows; base is the absolute URL prefix ("http://host")."""

    def __init__(self, session: Session, base: str):
        self.session = session
        self.base = base
        self.plain_base = cell(base) == base  # then every URL it starts is a plain CSV field (ids are URL-safe)
        self.speakers: dict[int, Speaker | None] = {}
        self.sources: dict[int, Source] = {}
        pg = session.get_bind().dialect.name == "postgresql"
        self.people_by_id = PG_PEOPLE_BY_ID if pg else PEOPLE_BY_ID
        self.articles_by_id = PG_ARTICLES_BY_ID if pg else ARTICLES_BY_ID

    # --- reading ------------------------------------------------------------------------------------

    def _load_speakers(self, ids: set[int]) -> None:
        if len(self.speakers) + len(ids) > CACHE_LIMIT:
            self.speakers = {}  # a new dict: a page still being written keeps the one it was loaded with
        missing = [i for i in ids if i not in self.speakers]
        if not missing:
            return
        found = {r[0]: r for r in self.session.connection().execute(self.people_by_id, {"ids": missing}).fetchall()}
        for pid in missing:
            row: Sequence[Any] | None = found.get(pid)
            if row is not None and row[7]:  # merged: shown as the person that survived the merge
                survivor = canonical_person(self.session, self.session.get(Person, pid))
                assert survivor is not None  # its row was just read
                row = (
                    survivor.id,
                    survivor.name,
                    survivor.slug,
                    survivor.kind,
                    survivor.role,
                    survivor.country,
                    survivor.organisation,
                    None,
                )
            self.speakers[pid] = None if row is None else self._speaker(row)  # None: no such person (unknown)

    def _speaker(self, row: Sequence[Any]) -> Speaker:
        _pid, name, slug, kind, role, country, organisation, _merged = row
        record = {
            "name": name,
            "slug": slug,
            "kind": kind,
            "role": role,
            "country": country,
            "organisation": organisation,
            "url": f"{self.base}/people/{url_part(slug)}",
        }
        cells = ",".join(map(cell, (name, slug, role, country, organisation)))
        return Speaker(fragment(record), cells, slug_part(name or "unknown speaker"))

    def _load_sources(self, ids: set[int]) -> None:
        if len(self.sources) + len(ids) > CACHE_LIMIT:
            self.sources = {}
        missing = [i for i in ids if i not in self.sources]
        if not missing:
            return
        rows = self.session.connection().execute(self.articles_by_id, {"ids": missing}).fetchall()
        for aid, uid, title, publisher, author, published_text, canonical_url, url in rows:
            assert aid is not None  # a stored article's id
            published = iso(published_text)
            source_url = canonical_url or url
            page = f"{self.base}/articles/{url_part(uid)}"
            record = {
                "uid": uid,
                "title": title,
                "publisher": publisher,
                "author": author,
                "published": published,
                "source_url": source_url,
                "url": page,
            }
            cells = ",".join(map(cell, (title, publisher, published, source_url)))
            self.sources[aid] = Source(fragment(record), cells, published, page)

    def load(self, pages: Iterable[list]) -> Generator[Page, None, None]:
        """Each page of rows with its speakers and sources read: all the database reading an export does."""
        for rows in pages:
            self._load_speakers({r[2] for r in rows if r[2] is not None})
            self._load_sources({r[3] for r in rows})
            yield Page(rows, self.speakers, self.sources)

    # --- writing (one loop per format: per-row calls are what an export costs) -------------------

    def json_block(self, page: Page) -> bytes:
        """One JSON object per quote (exports.quote_record's keys, in its order), one per line, comma-separated.

        Lines are joined every JOIN_EVERY rows: each orjson result holds 4 KiB until then.
        """
        speakers, sources, base, dumps, raw = page.speakers, page.sources, self.base, orjson.dumps, orjson.Fragment
        out: list[bytes] = []
        done: list[bytes] = []
        for _key, _id, person_id, article_id, uid, text, kind, date, spans, mention, cue in page.rows:
            if len(out) == JOIN_EVERY:
                done.append(b",\n".join(out))
                out.clear()
            speaker = speakers[person_id] if person_id is not None else None
            source = sources[article_id]
            path_uid = url_part(uid)
            slug = quote_slug(speaker.slug_part if speaker else UNKNOWN_SLUG, text)
            out.append(
                dumps(
                    {
                        "uid": uid,
                        "url": f"{base}/q/{path_uid}/{slug}",
                        "text": text,
                        "kind": kind,
                        "date": iso(date) or source.published,
                        "speaker": speaker.json if speaker else None,
                        "speaker_mention": mention,
                        "cue": cue,
                        "spans": raw(spans),
                        "article": source.json,
                        "in_context": f"{source.page}#q-{path_uid}",
                    }
                )
            )
        if out:
            done.append(b",\n".join(out))
        return b",\n".join(done)

    def csv_lines(self, page: Page) -> list[str]:
        """One CSV line per quote, in CSV_COLUMNS order, every cell neutralised."""
        speakers, sources, base, plain, nobody = page.speakers, page.sources, self.base, self.plain_base, ",,,,"
        out = []
        for _key, _id, person_id, article_id, uid, text, kind, date in page.rows:
            speaker = speakers[person_id] if person_id is not None else None
            source = sources[article_id]
            path_uid = url_part(uid)
            permalink = f"{base}/q/{path_uid}/{quote_slug(speaker.slug_part if speaker else UNKNOWN_SLUG, text)}"
            in_context = f"{source.page}#q-{path_uid}"
            if not plain:
                permalink, in_context = cell(permalink), cell(in_context)
            out.append(
                f"{cell(uid)},{cell(iso(date) or source.published)},{cell(kind)},{cell(text)},"
                f"{speaker.csv if speaker else nobody},{source.csv},{permalink},{in_context}\r\n"
            )
        return out


def json_blocks(writer: ExportWriter, pages: Iterable[list], head: str) -> Generator[bytes, None, None]:
    """{head "quotes": [ … ]} as one bytes block per page: the quotes one per line, comma-separated.

    The next page is read (streaming.read_ahead) while this one is written."""
    opening = (head + '"quotes": [').encode()
    first = True
    for page in read_ahead(writer.load(pages)):
        block = writer.json_block(page)
        if not block:
            continue
        yield (opening if first else b",\n") + block
        first = False
    yield (opening if first else b"") + b"]}\n"


def csv_blocks(writer: ExportWriter, pages: Iterable[list]) -> Generator[bytes, None, None]:
    """A header row, then one bytes block of CSV rows per page; the next page is read while this one is written."""
    yield (",".join(CSV_COLUMNS) + "\r\n").encode()
    for page in read_ahead(writer.load(pages)):
        yield "".join(writer.csv_lines(page)).encode()

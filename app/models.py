"""Tables: articles, people (and their name variants), quotes, editors, corrections.

Changing a table means a new Alembic migration in migrations/versions (one head only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, FetchedValue, Index, String, Text, UniqueConstraint, event, select
from sqlmodel import Field, SQLModel, col


def utcnow() -> dt.datetime:
    """Now, timezone-aware in UTC (SQLModel stores aware datetimes)."""
    return dt.datetime.now(dt.UTC)


class Article(SQLModel, table=True):
    """One news article as ingested; `text` is what every quote offset points into."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True, unique=True, max_length=32)  # stable public id
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = Field(default=None, index=True)
    url: str | None = Field(default=None, sa_column=Column(Text))  # the address it was fetched from
    canonical_url: str | None = Field(default=None, sa_column=Column(Text, unique=True))
    source_path: str | None = Field(default=None, sa_column=Column(Text))  # file it came from
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(index=True, unique=True, max_length=64)  # sha256 of text
    language: str | None = Field(default="en", max_length=16)
    status: str = Field(default="ok", max_length=32)  # ok | skipped-language | failed-extraction
    status_reason: str | None = Field(default=None, sa_column=Column(Text))  # why the status is not ok
    extractor_version: str | None = Field(default=None, max_length=32)
    ingested_at: dt.datetime = Field(default_factory=utcnow)


class Person(SQLModel, table=True):
    """A speaker: a real person or an organisation ("the Kremlin")."""

    __table_args__ = (Index("ix_person_country_merged", "country", "merged_into_id"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=200)
    name: str = Field(max_length=300, index=True)  # canonical display name
    kind: str = Field(default="person", max_length=16)  # person | organisation
    role: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2, index=True)  # ISO 3166-1 alpha-2
    organisation: str | None = Field(default=None, max_length=200)
    merged_into_id: int | None = Field(default=None, foreign_key="person.id", index=True)  # set by a merge correction
    created_at: dt.datetime = Field(default_factory=utcnow)


class PersonName(SQLModel, table=True):
    """A name variant seen for a person; `key` is its folded form for matching."""

    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str = Field(max_length=300)
    key: str = Field(index=True, max_length=300)


class Quote(SQLModel, table=True):
    """A quotation (direct, indirect or mixed) in an article, with its speaker.

    `person_id` None means "unknown speaker": kept, never guessed.
    Spans are [start, end) character offsets into Article.text. `listing_key` orders every listing
    (see listing_key below); it is set from date, article and position whenever the row is written.
    """

    __table_args__ = (
        Index("ix_quote_listing", "hidden", "listing_key", "id"),
        Index("ix_quote_person_listing", "person_id", "hidden", "listing_key", "id"),
        Index("ix_quote_country_listing", "country", "hidden", "listing_key", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True, unique=True, max_length=32)  # stable public id: article uid + spans
    article_id: int = Field(foreign_key="article.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=16)  # direct | indirect | mixed
    text: str = Field(sa_column=Column(Text, nullable=False))  # the content spans joined with " … "
    spans: list[list[int]] = Field(sa_column=Column(JSON, nullable=False))
    speaker_span: list[int] | None = Field(default=None, sa_column=Column(JSON))
    cue_span: list[int] | None = Field(default=None, sa_column=Column(JSON))
    speaker_text: str | None = Field(default=None, max_length=300)  # the mention as written ("he")
    cue_text: str | None = Field(default=None, max_length=100)
    context_span: list[int] | None = Field(default=None, sa_column=Column(JSON))  # surrounding sentence(s)
    date: dt.date | None = None
    date_precision: str | None = Field(
        default=None, max_length=8
    )  # "month": only the month is known ("said in May 2024")
    hidden: bool = False
    hidden_reason: str | None = Field(default=None, sa_column=Column(Text))
    position: int = 0  # order in the article
    listing_key: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    # The country the quote counts under (its speaker's, or that of the person they were merged into),
    # written only by the database's triggers (migration 0011), never by the app.
    country: str | None = Field(
        default=None, sa_column=Column(String(2), FetchedValue(), FetchedValue(for_update=True))
    )


EPOCH = dt.date(1900, 1, 1)
DAY_BITS, ARTICLE_BITS, POSITION_BITS = 20, 26, 16


def listing_day(date: dt.date | None) -> int:
    """The date as a day number from 1 (1900-01-01) on; 0 for an undated quote (sorts last)."""
    if date is None:
        return 0
    return max(1, min((1 << DAY_BITS) - 1, (date - EPOCH).days + 1))


def listing_key(date: dt.date | None, article_id: int | None, position: int | None) -> int:
    """One integer that orders listings: newest date first, then newest article, then article order.

    Bits: day (20) | article id (26) | 65535 - position (16). Date filters are ranges of it
    (key_range), so one index serves order and filter; migration 0003 computes the same in SQL.
    """
    article = min(max(article_id or 0, 0), (1 << ARTICLE_BITS) - 1)
    pos = (1 << POSITION_BITS) - 1 - min(max(position or 0, 0), (1 << POSITION_BITS) - 1)
    return (listing_day(date) << (ARTICLE_BITS + POSITION_BITS)) | (article << POSITION_BITS) | pos


DAY_SHIFT = ARTICLE_BITS + POSITION_BITS


def listing_date(day: int) -> dt.date | None:
    """The date of a listing day number (listing_key >> DAY_SHIFT); None for 0, the undated."""
    return EPOCH + dt.timedelta(days=day - 1) if day > 0 else None


def key_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[int | None, int | None]:
    """(lowest key, first key past the end) of the quotes dated within [date_from, date_to]; None = open."""
    shift = ARTICLE_BITS + POSITION_BITS
    low = listing_day(date_from) << shift if date_from else None
    high = (listing_day(date_to) + 1) << shift if date_to else None
    if high is not None and low is None:
        low = 1 << shift  # an upper bound alone still leaves out the undated
    return low, high


@event.listens_for(Quote, "before_insert")
@event.listens_for(Quote, "before_update")
def _set_listing_key(_mapper, connection, quote: Quote) -> None:
    date = quote.date
    if date is None and quote.article_id is not None:  # undated quote: listed under its article's date
        date = connection.execute(select(col(Article.published)).where(col(Article.id) == quote.article_id)).scalar()
    quote.listing_key = listing_key(date, quote.article_id, quote.position)


class User(SQLModel, table=True):
    """An editor who may correct data; readers need no account."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=100)
    password_hash: str = Field(max_length=300)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Correction(SQLModel, table=True):
    """One editorial correction (merge, split, rename, set fields, reassign, hide), undoable."""

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=32, index=True)
    target: str = Field(max_length=200, index=True)  # quote uid or person slug it applies to
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    user_id: int = Field(foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)
    undone_at: dt.datetime | None = None
    undone_by_id: int | None = Field(default=None, foreign_key="user.id")


class ArchiveChange(SQLModel, table=True):
    """One storing of an article's quotes (ingest or extraction again, which may keep, change or drop quote
    rows without a new id): its id is part of the archive's version (app.web.cache), so cached counts follow."""

    __tablename__ = "archive_change"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int | None = Field(default=None)  # the article whose quotes changed
    at: dt.datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """Small key/value store (for example the generated cookie-signing key)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


class LoginFailure(SQLModel, table=True):
    """One failed sign-in: the login throttle (app.corrections.throttle) counts these across every worker."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, max_length=100)  # lower-case, as typed (may name no account)
    client: str = Field(index=True, max_length=64)  # the client's IP address
    at: dt.datetime = Field(default_factory=utcnow, index=True)


class QuoteSuccessor(SQLModel, table=True):
    """A quote id that re-extraction replaced, and the quote that took its place (old permalinks follow it)."""

    old_uid: str = Field(primary_key=True, max_length=32)
    new_uid: str = Field(index=True, max_length=32)
    article_id: int = Field(foreign_key="article.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)


class FollowedFeed(SQLModel, table=True):
    """An RSS/Atom feed `whosaid watch` polls every `every` seconds (app.feeds).

    `next_poll` is when it is due; a watcher claims a due feed by moving next_poll forward in one
    conditional UPDATE (so two watchers never poll it at once), then sets it from the outcome:
    `every` after a success, an exponential back-off after `failures` failures in a row.
    """

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    every: int = 900  # seconds between polls
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(Text))  # the server's Last-Modified, verbatim
    next_poll: dt.datetime = Field(default_factory=utcnow, index=True)
    last_poll: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    failures: int = 0  # in a row
    last_status: str | None = Field(default=None, max_length=100)  # "304 not modified", "3 new of 20 entries"
    created_at: dt.datetime = Field(default_factory=utcnow)


class JobError(SQLModel, table=True):
    """The latest error of a queued job (procrastinate keeps status and attempts, not the error text)."""

    job_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))  # procrastinate_jobs.id
    task: str = Field(max_length=128)
    error: str = Field(sa_column=Column(Text, nullable=False))
    at: dt.datetime = Field(default_factory=utcnow)

"""The job queue on PostgreSQL (procrastinate): the app, the tasks, and deferring jobs.

Jobs live in the same PostgreSQL database as everything else (procrastinate's tables, created by
migration 0005). With SQLite there is no queue: queue_enabled() is False and callers work in-process.

Tasks (all idempotent, since the store is: an article is stored once whatever runs twice):
- ingest_url(url, meta): fetch a page and store its quotes; a feed fans out to one job per new entry;
- ingest_articles(items): extract and store a few articles read already (files, archive rows), so
  that the queue's own cost per job (fetch, lock, finish: a few ms of CPU) is shared among them;
- ingest_article(article, label): the same for one article (an article of ingest_articles that failed);
- reextract_article(article_id): re-run extraction on a stored article, keeping corrections;
- poll_feed(feed_id): poll one followed feed (conditional GET), queueing its new entries.
Each failure's error is kept in the joberror table (`whosaid jobs failed` lists it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
import traceback
from collections.abc import Iterable
from typing import cast
from urllib.parse import parse_qs, urlsplit

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.types import JSONDict, JSONValue
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col

from app.config import get_settings
from app.db import get_engine, normalise_url
from app.feeds.poll import poll_feed as poll
from app.ingest import store
from app.ingest.ids import content_hash
from app.ingest.pipeline import ingest_items
from app.ingest.work import extract_text
from app.models import Article, JobError, utcnow
from app.sources import ArticleInput, SourceError
from app.sources.feeds import feed_entries, is_feed
from app.sources.fetch import fetch
from app.sources.inputs import Job, expand, load_job, plan, url_jobs

QUEUE = "ingest"
log = logging.getLogger("whosaid.jobs")
# max_attempts counts the retries after the first run
RETRY = procrastinate.RetryStrategy(
    max_attempts=max(0, get_settings().job_attempts - 1),
    wait=max(0, get_settings().job_retry_wait),
    linear_wait=max(0, get_settings().job_retry_wait),
)


def queue_enabled(url: str | None = None) -> bool:
    """Whether the database at url (default: configured) carries the job queue: PostgreSQL does, SQLite not."""
    return normalise_url(url or get_settings().database_url).startswith("postgresql")


def conninfo(url: str) -> str:
    """A libpq connection string for a SQLAlchemy database URL."""
    return normalise_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def _autocommit(conn):
    """Each of procrastinate's queries is one statement (a function call): in autocommit it needs no
    BEGIN and COMMIT round trips, which halves the round trips of fetching and finishing a job.
    The async pool (workers) awaits what this returns; the sync one (queueing from the CLI) does not."""
    if isinstance(conn, psycopg.AsyncConnection):
        return conn.set_autocommit(True)
    conn.autocommit = True
    return None


def queue_connection_name(url: str) -> str:
    """The application_name of the queue's connections (pg_stat_activity tells them from the store's):
    the URL's own application_name, or "whosaid", followed by "-queue"."""
    return parse_qs(urlsplit(url).query).get("application_name", ["whosaid"])[0] + "-queue"


def _connector(url: str) -> procrastinate.PsycopgConnector:
    return procrastinate.PsycopgConnector(
        conninfo=conninfo(url),
        min_size=1,
        max_size=4,
        configure=_autocommit,
        kwargs={"application_name": queue_connection_name(url)},
    )


# One app per process: its tasks point back to it. get_app() points it at the configured database.
jobs_app = procrastinate.App(connector=_connector("postgresql:///whosaid"))
_connected_to: list[str] = []


def get_app(url: str | None = None) -> procrastinate.App:
    """The procrastinate app with Whosaid's tasks, on the configured (or given) PostgreSQL database."""
    url = url or get_settings().database_url
    if not queue_enabled(url):
        raise RuntimeError("the job queue needs PostgreSQL (DATABASE_URL=postgresql://…); SQLite works in-process")
    if _connected_to != [url]:
        connector = _connector(url)
        jobs_app.connector = connector
        jobs_app.job_manager.connector = connector
        _connected_to[:] = [url]
    return jobs_app


# --- payloads: JSON in, dataclasses out --------------------------------------------------------


def _jsonable(value):
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def article_payload(inp: ArticleInput) -> dict:
    """An ArticleInput as job arguments (JSON)."""
    return {k: _jsonable(v) for k, v in dataclasses.asdict(inp).items()}


def _article(payload: dict) -> ArticleInput:
    fields = dict(payload)
    if fields.get("published"):
        fields["published"] = dt.date.fromisoformat(fields["published"][:10])
    return ArticleInput(**fields)


def _meta(meta: dict | None) -> dict:
    meta = dict(meta or {})
    if meta.get("published"):
        meta["published"] = dt.date.fromisoformat(str(meta["published"])[:10])
    return meta


# --- tasks --------------------------------------------------------------------------------------


class JobFailed(Exception):
    """A job whose input could not be ingested; the message names the input."""


def _keeps_error(func):
    """Record a task's error (with its job id) before procrastinate retries or fails the job."""

    @functools.wraps(func)
    def wrapper(context: procrastinate.JobContext, *args, **kwargs):
        started, cpu = time.monotonic(), time.thread_time()
        job_id = context.job.id
        assert job_id is not None  # a job taken from the queue has its id
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            text = str(exc) if isinstance(exc, JobFailed | SourceError) else traceback.format_exc(limit=5)
            _store_error(job_id, context.job.task_name, text)
            raise
        if context.job.attempts:  # a retry that worked: its earlier error is history
            with get_engine().begin() as conn:
                conn.execute(delete(JobError).where(col(JobError.job_id) == job_id))
        log.info(
            "job %s %s done in %.0f ms (%.1f ms CPU)",
            context.job.id,
            func.__name__,
            1000 * (time.monotonic() - started),
            1000 * (time.thread_time() - cpu),
        )
        return result

    return wrapper


def _store_error(job_id: int, task: str, error: str) -> None:
    values = {"job_id": job_id, "task": task, "error": error[:5000], "at": utcnow()}
    stmt = insert(JobError).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["job_id"], set_={k: values[k] for k in ("error", "at")})
    with get_engine().begin() as conn:
        conn.execute(stmt)


def _known(url: str) -> bool:
    with Session(get_engine()) as session:
        return store.known_url(session, url)


def _ingest(items: Iterable) -> None:
    summary = ingest_items(get_engine(), items)
    if summary.errors and summary.ok == 0:
        raise JobFailed(summary.errors[0])


@jobs_app.task(name="whosaid:ingest_url", queue=QUEUE, retry=RETRY, pass_context=True)
@_keeps_error
def ingest_url(url: str, meta: dict | None = None) -> None:
    """Fetch url and store its article; a feed's new entries become jobs of their own."""
    if meta is not None and _known(url):  # a feed entry stored since it was queued
        return
    fetched = fetch(url)
    if is_feed(fetched.content_type, fetched.content):
        defer_entries(url, feed_entries(fetched.content, url))
        return
    jobs = list(url_jobs(url, _known, lambda _u: fetched))
    for job in jobs:
        if meta and not isinstance(job, SourceError):
            job.meta = _meta(meta)
    _ingest(jobs)


@jobs_app.task(name="whosaid:ingest_article", queue=QUEUE, retry=RETRY, pass_context=True)
@_keeps_error
def ingest_article(article: dict, label: str) -> None:
    """Extract and store one article read on the machine that queued it."""
    _ingest([Job(label=label, kind="input", article=_article(article))])


def _stored_hashes(texts: Iterable[str]) -> frozenset[str]:
    hashes = {content_hash(t) for t in texts}
    with get_engine().connect() as conn:
        return frozenset(
            conn.execute(select(col(Article.content_hash)).where(col(Article.content_hash).in_(hashes))).scalars()
        )


@jobs_app.task(name="whosaid:ingest_articles", queue=QUEUE, retry=RETRY, pass_context=True)
@_keeps_error
def ingest_articles(items: list[dict]) -> None:
    """Extract and store several articles read on the machine that queued them ({"article", "label"} each).

    A run that was cut short (worker killed) and runs again does not extract the articles it stored
    already. An article that could not be stored becomes an ingest_article job of its own, so that it is
    retried and, failing for good, kept with its own error; the others are not held up by it.
    """
    articles = [_article(item["article"]) for item in items]
    jobs = [Job(label=item["label"], kind="input", article=a) for item, a in zip(items, articles, strict=True)]
    summary = ingest_items(get_engine(), jobs, known_hashes=_stored_hashes(a.text for a in articles))
    lost = set(summary.lost)
    for item, job, article in zip(items, jobs, articles, strict=True):
        if job.label in lost:
            _defer(ingest_article, lock=f"article:{content_hash(article.text)}", **item)


@jobs_app.task(name="whosaid:reextract_article", queue=QUEUE, retry=RETRY, pass_context=True)
@_keeps_error
def reextract_article(article_id: int) -> None:
    """Re-run extraction on one stored article (editors' corrections are re-applied)."""
    with Session(get_engine()) as session:
        article = session.get(Article, article_id)
        if article is None:
            return
        store.restore_quotes(session, article, extract_text(article.text))


@jobs_app.task(name="whosaid:poll_feed", queue=QUEUE, retry=RETRY, pass_context=True)
@_keeps_error
def poll_feed(feed_id: int) -> None:
    """Poll one followed feed; its new entries become ingest_url jobs."""
    poll(get_engine(), feed_id, enqueue=defer_entry)


# --- deferring ----------------------------------------------------------------------------------


def _defer(task, lock: str | None = None, **kwargs) -> bool:
    """Queue one job; False when a job with the same queueing lock is waiting already."""
    try:
        task.configure(queueing_lock=lock, lock=lock).defer(**kwargs)
        return True
    except AlreadyEnqueued:
        return False


def defer_entry(link: str, meta: dict) -> None:
    """Queue the fetch of one feed entry (once: a second one for the same link waits for the first)."""
    _defer(ingest_url, lock=f"url:{link}", url=link, meta={k: _jsonable(v) for k, v in meta.items()})


def defer_entries(feed_url: str, entries) -> None:
    for entry in entries:
        if entry.link and not _known(entry.link):
            defer_entry(
                entry.link,
                {
                    "title": entry.title,
                    "published": entry.published,
                    "author": entry.author,
                    "publisher": entry.publisher,
                },
            )


def defer_poll(feed_id: int) -> None:
    """Queue a poll of a followed feed; never two polls of one feed waiting or running at once."""
    with get_app().open():
        _defer(poll_feed, lock=f"feed:{feed_id}", feed_id=feed_id)


@dataclasses.dataclass
class Queued:
    """What `whosaid ingest --queue` queued: inputs (URLs and articles), in how many jobs, and the errors."""

    inputs: int = 0
    jobs: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)


def defer_articles(items: list[dict], per_job: int | None = None, per_insert: int = 200) -> int:
    """Queue articles ({"article": article_payload(…), "label"}) as ingest_articles jobs of per_job
    (default WHOSAID_QUEUE_BATCH) articles each, per_insert jobs per database round trip; returns the jobs."""
    per_job = max(1, per_job or get_settings().queue_batch)
    chunks = (cast("list[JSONValue]", items[i : i + per_job]) for i in range(0, len(items), per_job))  # JSON payloads
    jobs: list[JSONDict] = [{"items": chunk} for chunk in chunks]
    for start in range(0, len(jobs), per_insert):
        ingest_articles.batch_defer(*jobs[start : start + per_insert])
    return len(jobs)


def enqueue_targets(targets: list[str], batch: int = 1000) -> Queued:
    """`whosaid ingest --queue`: URLs become ingest_url jobs, files and archives are read here and queued
    as ingest_articles jobs (defer_articles), `batch` articles at a time."""
    queued = Queued()
    pending: list[dict] = []

    def flush():
        if pending:
            queued.jobs += defer_articles(pending)
            queued.inputs += len(pending)
            pending.clear()

    with get_app().open():
        units = expand(targets)
        local = []
        for unit in units:
            if isinstance(unit, str) and unit.lower().startswith(("http://", "https://")):
                added = _defer(ingest_url, lock=f"url:{unit}", url=unit)
                queued.inputs += added
                queued.jobs += added
            else:
                local.append(unit)
        for job in plan(local):
            if isinstance(job, SourceError):
                queued.errors.append(str(job))
                continue
            try:
                pending.append({"article": article_payload(load_job(job)), "label": job.label})
            except SourceError as exc:
                queued.errors.append(str(exc))
            if len(pending) >= batch:
                flush()
        flush()
    return queued


def enqueue_reextract(article_ids: list[int]) -> int:
    """`whosaid reextract --queue`: one job per article."""
    with get_app().open():
        for start in range(0, len(article_ids), 500):
            batch: list[JSONDict] = [{"article_id": i} for i in article_ids[start : start + 500]]
            reextract_article.batch_defer(*batch)
    return len(article_ids)

"""`whosaid ingest` and `whosaid reextract`: sources → extraction (worker processes) → store (main process).

One transaction per article; a broken input is reported and the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import get_settings
from app.corrections.apply import unmatched_report
from app.db import fold_search_words, get_engine, make_engine, upgrade
from app.ingest import store
from app.ingest.work import Result, init_pool_worker, init_worker, process, reextract
from app.models import Article, Person
from app.quotes.pipeline import EXTRACTOR_VERSION
from app.sources import SourceError
from app.sources.inputs import HTML_SUFFIXES, TEXT_SUFFIXES, expand, plan


@dataclass
class Summary:
    """Counts of one run; `errors` holds one line per failed input."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # not English
    failed: int = 0  # failed extraction: stored with status failed-extraction, no quotes (also in errors)
    quotes: int = 0
    people_before: int = 0
    people_after: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    controls: int = 0  # NUL and other control characters stripped from stored texts
    interrupted: int | None = None  # the signal (SIGINT, SIGTERM) that stopped the run early
    unmatched: list[str] = field(default_factory=list)  # corrections that no longer match a quote
    lost: list[str] = field(default_factory=list)  # labels of the inputs not stored at all (read or store failed)

    @property
    def ok(self) -> int:
        return self.new + self.updated + self.unchanged + self.skipped

    def line(self) -> str:
        rate = self.ok / self.seconds if self.seconds else 0.0
        stopped = ""
        if self.interrupted:
            stopped = (
                f"interrupted by {signal.Signals(self.interrupted).name}: the summary so far; "
                "run the same command again to finish (nothing is stored twice)\n"
            )
        controls = f"control characters stripped: {self.controls}; " if self.controls else ""
        return stopped + (
            f"articles: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped (not English), {self.failed} failed extraction; quotes stored: {self.quotes}; "
            f"people: {self.people_after} ({self.people_after - self.people_before} new); "
            f"{controls}errors: {len(self.errors)}; {self.seconds:.1f} s ({rate:.1f} articles/s)"
        )


class Reporter:
    """A rich progress bar (rate, ETA) on a terminal, plain log lines otherwise."""

    def __init__(self, total: int, label: str = "ingest", quiet: bool = False, stream=None):
        self.console = Console(file=stream or sys.stderr)
        self.quiet = quiet
        self.done = 0
        self.total = total
        self.progress = None
        if self.console.is_terminal and not quiet:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self.task = self.progress.add_task(label, total=total or None, rate="")
            self.start = time.monotonic()
            self.progress.start()

    def grow(self, total: int) -> None:
        """The number of inputs became known to be larger (feed entries, archive rows)."""
        if total > self.total:
            self.total = total
            if self.progress:
                self.progress.update(self.task, total=total)

    def step(self, message: str, error: bool = False) -> None:
        """One input done."""
        self.done += 1
        if self.progress:
            elapsed = max(time.monotonic() - self.start, 1e-6)
            self.progress.update(self.task, advance=1, rate=f"{self.done / elapsed:.1f}/s")
            if error:
                self.progress.console.print(
                    f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True
                )
        elif error:
            print(f"error: {message}", file=sys.stderr, flush=True)
        elif not self.quiet:
            width = len(str(self.total or 0))
            print(f"[{self.done:>{width}}/{self.total}] {message}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.progress:
            self.progress.stop()


def default_jobs() -> int:
    """Worker processes by default: every core."""
    return os.cpu_count() or 1


class _Pool:
    """A process pool that is started again when a worker dies (killed, out of memory, crashed)."""

    def __init__(self, jobs: int, initargs: tuple):
        self.jobs, self.initargs = jobs, initargs
        self.executor: ProcessPoolExecutor | None = None
        self.start()

    def start(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        ctx = multiprocessing.get_context("spawn")  # no fork: the main process holds threads and DB connections
        self.executor = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=ctx, initializer=init_pool_worker, initargs=self.initargs
        )

    def submit(self, fn, item) -> Future:
        assert self.executor is not None  # started in __init__
        try:
            return self.executor.submit(fn, item)
        except BrokenProcessPool:
            self.start()
            return self.executor.submit(fn, item)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def kill(self) -> None:
        """Stop now: terminate the workers (their current articles are not stored), drop the queued work."""
        if self.executor is None:
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())  # no public API for this
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join(timeout=1.0)
            if proc.is_alive():
                proc.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None


def _run_pool(
    items: Iterable,
    fn: Callable,
    jobs: int,
    initargs: tuple = (),
    on_crash: Callable | None = None,
) -> Generator:
    """(item, fn(item)) over items, in order: in this process for jobs == 1, else in `jobs` worker processes.

    SourceError items pass through with None. When a worker dies, the items it took down are tried
    once more in a fresh pool; an item that kills a worker twice gets on_crash(item, reason).
    """
    if jobs <= 1:
        init_worker(*initargs)
        for item in items:
            yield item, (None if isinstance(item, SourceError) else fn(item))
        return
    pool = _Pool(jobs, initargs)
    pending: deque[list] = deque()  # [item, future or None, (result,) once known]
    crash_reason = "worker process died while reading or extracting it (out of memory or a crash)"

    def succeeded(fut: Future) -> bool:
        return fut.done() and not fut.cancelled() and fut.exception() is None

    def isolate(entries) -> None:
        """After a crash: run the unfinished entries one by one, so only the one that kills a worker fails."""
        pool.start()
        for entry in entries:
            if entry[1] is None or len(entry) > 2 or succeeded(entry[1]):
                continue
            try:
                entry.append(pool.submit(fn, entry[0]).result())
            except BrokenProcessPool:
                entry.append(on_crash(entry[0], crash_reason) if on_crash else None)
                pool.start()

    def result_of(entry):
        if len(entry) > 2:
            return entry[2]
        try:
            return entry[1].result()
        except (BrokenProcessPool, CancelledError):
            isolate([entry, *pending])
            return entry[2]

    try:
        for item in items:
            pending.append([item, None if isinstance(item, SourceError) else pool.submit(fn, item)])
            while len(pending) >= jobs * 4:
                entry = pending.popleft()
                yield entry[0], (result_of(entry) if entry[1] else None)
        while pending:
            entry = pending.popleft()
            yield entry[0], (result_of(entry) if entry[1] else None)
    except BaseException:  # a signal, or the consumer stopped early (GeneratorExit): do not wait for running work
        pool.kill()
        raise
    pool.close()


def _plain_file(unit: str) -> bool:
    return Path(unit).suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES


def _count_people(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Person)).one()


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived during an ingest."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGINT/SIGTERM raise Interrupted, except inside `held()`: there the signal waits for the block to end.

    A store runs held, so an article is committed or rolled back whole. A signal raised at an arbitrary point
    inside the database driver's bookkeeping could leave a connection holding SQLite's write lock, and the
    statistics refresh after the summary then timed out on "database is locked" (1 run in 20).
    """

    def __init__(self) -> None:
        self.depth = 0
        self.pending: int | None = None

    def on_signal(self, signum, frame) -> None:
        if self.depth:
            self.pending = signum
            return
        raise Interrupted(signum)

    @contextmanager
    def held(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending is not None:
            signum, self.pending = self.pending, None
            raise Interrupted(signum)


_signals = _Signals()


def _stop_on_signals():
    """Install the SIGINT/SIGTERM handlers (main thread only); returns a function restoring the previous ones."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.signal(sig, _signals.on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    return lambda: [signal.signal(sig, handler) for sig, handler in previous.items()]


def run_ingest(
    targets: list[str],
    jobs: int | None = None,
    database_url: str | None = None,
    errors_path: str | None = None,
    fetcher: Callable | None = None,
    quiet: bool = False,
    max_bytes: int | None = None,
    article_seconds: float | None = None,
) -> Summary:
    """Ingest every target (files, folders, URLs, feeds, archives) into the database; never raises for bad input.

    max_bytes caps each local file (as fetching caps each URL); article_seconds is each article's time budget
    (defaults: WHOSAID_MAX_BYTES, WHOSAID_ARTICLE_SECONDS). SIGINT or SIGTERM stops the workers at once and
    returns the summary so far with `interrupted` set; every stored article was committed whole.
    """
    settings = get_settings()
    url = database_url or settings.database_url
    max_bytes = max_bytes or settings.max_bytes
    budget = settings.article_seconds if article_seconds is None else article_seconds
    upgrade(url)
    engine = make_engine(url)
    jobs = max(1, jobs or default_jobs())
    summary = Summary()
    started = time.monotonic()
    units = expand(targets)
    if len(units) <= 2 * jobs and all(isinstance(u, str) and _plain_file(u) for u in units):
        jobs = 1  # a handful of files: starting workers (each loads the model) costs more than it saves
    if not units:
        print(
            "nothing to ingest: no .txt, .html, .jsonl, .csv, .rss, .atom or .xml files in " + ", ".join(targets),
            file=sys.stderr,
        )
    reporter = Reporter(total=len(units), quiet=quiet)
    errors_file = open(errors_path, "w", encoding="utf-8") if errors_path else None  # noqa: SIM115 - closed in the finally below
    written = 0

    def flush_errors() -> None:  # as they happen: a killed run still leaves its list
        nonlocal written
        if errors_file is not None:
            for line in summary.errors[written:]:
                errors_file.write(line.replace("\n", " ") + "\n")
            errors_file.flush()
        written = len(summary.errors)

    restore_signals = _stop_on_signals()
    work: Generator | None = None
    try:
        with Session(engine) as session:
            summary.people_before = _count_people(session)
            known_hashes = frozenset(session.exec(select(Article.content_hash)).all())

            def known_url(u: str) -> bool:
                with Session(engine) as s:
                    return store.known_url(s, u)

            planned = 0

            def counted(stream):
                nonlocal planned
                for item in stream:
                    planned += 1
                    reporter.grow(planned)
                    yield item

            work_items = counted(plan(units, known_url=known_url, fetcher=fetcher, max_bytes=max_bytes))
            crash = lambda job, reason: Result(job.label, error=f"{job.label}: {reason}")  # noqa: E731 - a one-line callback
            work = _run_pool(work_items, process, jobs, (known_hashes, budget), on_crash=crash)
            try:
                for item, result in work:
                    if isinstance(item, SourceError):
                        summary.errors.append(str(item))
                        reporter.step(str(item), error=True)
                        flush_errors()
                        continue
                    with _signals.held():
                        _handle(session, item, result, summary, reporter)
                    flush_errors()
            except Interrupted as stop:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
                summary.interrupted = stop.signum
                work.close()  # terminates the workers
            summary.people_after = _count_people(session)
    except Interrupted as stop:  # before the work started, or while counting people
        summary.interrupted = stop.signum
        if work is not None:
            work.close()
    finally:
        restore_signals()
        reporter.close()
        engine.dispose()
        summary.seconds = time.monotonic() - started
        flush_errors()
        if errors_file is not None:
            errors_file.close()
    return summary


def ingest_items(engine, items: Iterable, quiet: bool = True, known_hashes: frozenset[str] = frozenset()) -> Summary:
    """Read, extract and store planned jobs (app.sources.inputs) in this process; never raises for bad input.

    For callers that plan their own jobs, such as the feed watcher (app.feeds) and queued jobs (app.jobs.queue).
    An article whose content hash is in known_hashes is not extracted again (it is stored already). Each
    article has WHOSAID_ARTICLE_SECONDS, kept in a worker's task thread too (app.quotes.budget).
    """
    summary = Summary()
    started = time.monotonic()
    reporter = Reporter(total=0, quiet=quiet)
    crash = lambda job, reason: Result(job.label, error=f"{job.label}: {reason}")  # noqa: E731 - a one-line callback
    try:
        with Session(engine) as session:
            budget = get_settings().article_seconds
            for item, result in _run_pool(items, process, 1, (known_hashes, budget), on_crash=crash):
                if isinstance(item, SourceError):
                    summary.errors.append(str(item))
                    reporter.step(str(item), error=True)
                    continue
                _handle(session, item, result, summary, reporter)
        if summary.new:  # a feed's new quotes: their words join the search's word table (SQLite)
            with engine.begin() as conn:
                fold_search_words(conn)
    finally:
        reporter.close()
        summary.seconds = time.monotonic() - started
    return summary


def _handle(session: Session, job, result: Result, summary: Summary, reporter: Reporter) -> None:
    if result.error and result.article is None:
        summary.errors.append(result.error)
        summary.lost.append(result.label)
        reporter.step(result.error, error=True)
        return
    if result.status == "known":
        summary.unchanged += 1
        reporter.step(f"unchanged  {result.label} (already ingested)")
        return
    try:
        assert result.article is not None  # only an error or a known article comes without one (above)
        outcome, article, n = store.store_article(session, result.article, result.extraction, status=result.status)
    except Exception as exc:  # noqa: BLE001 - a storage failure for one article must not stop the batch
        message = f"{result.label}: could not store ({store.describe_error(exc)})"
        summary.errors.append(message)
        summary.lost.append(result.label)
        reporter.step(message, error=True)
        return
    if outcome != store.UNCHANGED:
        summary.controls += result.article.controls
    if result.status == "failed-extraction":
        assert result.error is not None  # the reason always comes with this status (app.ingest.work)
        summary.errors.append(result.error)
        summary.failed += outcome != store.UNCHANGED
        summary.unchanged += outcome == store.UNCHANGED
        reporter.step(result.error, error=True)
        return
    if result.error:  # stored, but its extraction failed
        summary.errors.append(result.error)
        summary.new += outcome == store.NEW
        summary.updated += outcome == store.UPDATED
        summary.unchanged += outcome == store.UNCHANGED
        reporter.step(result.error, error=True)
        return
    if result.status == "skipped-language" and outcome != store.UNCHANGED:
        summary.skipped += 1
        reporter.step(
            f"skipped    {result.label}: language '{result.article.language}', not English; recorded, no quotes extracted"
        )
        return
    if outcome == store.NEW:
        summary.new += 1
    elif outcome == store.UPDATED:
        summary.updated += 1
    else:
        summary.unchanged += 1
    summary.quotes += n
    detail = f" ({n} quotes)" if outcome != store.UNCHANGED else ""
    reporter.step(f"{outcome:<10} {result.label} — {article.title[:60]}{detail}")


def reextract_ids(mode: str = "outdated", session: Session | None = None) -> list[int]:
    """Ids of the stored articles to re-extract: every one ("all"), or those of another extractor version."""
    stmt = select(col(Article.id)).where(Article.status == "ok").order_by(col(Article.id))
    if mode != "all":
        stmt = stmt.where(
            (col(Article.extractor_version) != EXTRACTOR_VERSION) | (col(Article.extractor_version).is_(None))
        )
    if session is not None:
        return [i for i in session.exec(stmt).all() if i is not None]  # (a stored article's id is never None)
    with Session(get_engine()) as own:
        return [i for i in own.exec(stmt).all() if i is not None]


def run_reextract(
    mode: str = "outdated",
    jobs: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
) -> Summary:
    """Re-run extraction on stored articles (outdated extractor version, or all); corrections are kept."""
    url = database_url or get_settings().database_url
    upgrade(url)
    engine = make_engine(url)
    jobs = max(1, jobs or default_jobs())
    summary = Summary()
    started = time.monotonic()
    with Session(engine) as session:
        summary.people_before = _count_people(session)
        ids = reextract_ids(mode, session)
        if len(ids) <= 2 * jobs:
            jobs = 1  # a handful of articles: not worth starting workers that each load the model
        reporter = Reporter(total=len(ids), label="reextract", quiet=quiet)

        def texts():
            for article_id in ids:
                with Session(engine) as s:
                    article = s.get(Article, article_id)
                    if article is not None:
                        yield article_id, article.text

        try:
            crash = lambda item, reason: (item[0], None, reason)  # noqa: E731 - a one-line callback
            for _item, (article_id, extraction, error) in _run_pool(texts(), reextract, jobs, on_crash=crash):
                article = session.get(Article, article_id)
                if error or extraction is None:
                    message = f"article {article.uid if article else article_id}: extraction failed ({error})"
                    summary.errors.append(message)
                    reporter.step(message, error=True)
                    continue
                assert article is not None  # being re-extracted: stored
                try:
                    n = store.restore_quotes(session, article, extraction)
                except Exception as exc:  # noqa: BLE001 - a storage failure for one article must not stop the batch
                    message = f"article {article.uid}: could not store ({store.describe_error(exc)})"
                    summary.errors.append(message)
                    reporter.step(message, error=True)
                    continue
                summary.updated += 1
                summary.quotes += n
                reporter.step(f"reextracted {article.uid} — {article.title[:60]} ({n} quotes)")
        finally:
            reporter.close()
        summary.people_after = _count_people(session)
        summary.unmatched = unmatched_report(session)
    if summary.unmatched or not quiet:
        print(f"corrections that no longer match a quote: {len(summary.unmatched)}", file=sys.stderr)
        for line in summary.unmatched:
            print(f"  {line}", file=sys.stderr)
    engine.dispose()
    summary.seconds = time.monotonic() - started
    return summary

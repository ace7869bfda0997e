"""What runs in a worker process: read a job, detect the language, extract the quotes.

The extractor (and its spaCy model) loads once per worker; extraction is skipped for articles
whose content hash is already stored (passed in at worker start).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from app.ingest.ids import content_hash
from app.quotes import budget
from app.quotes.pipeline import extract
from app.quotes.types import Extraction
from app.sources import ArticleInput, SourceError
from app.sources.inputs import load_job
from app.sources.language import detect_language

_KNOWN: frozenset[str] = frozenset()
_BUDGET = 0.0  # seconds one article may take in a worker (reading, language, extraction); 0 = no limit


class ArticleTimeout(BaseException):
    """An article went over its time budget."""


@dataclass
class Result:
    """A job's outcome, sent back to the main process."""

    label: str
    article: ArticleInput | None = None
    extraction: Extraction | None = None
    status: str = "ok"  # ok | skipped-language | failed-extraction | known
    error: str | None = None  # with `article` set: stored, but something failed (reported as an error)


def init_worker(known_hashes: frozenset[str] = frozenset(), budget: float = 0.0) -> None:
    """Worker start: remember the stored content hashes and the per-article time budget."""
    global _KNOWN, _BUDGET
    _KNOWN = frozenset(known_hashes)
    _BUDGET = float(budget or 0.0)


def init_pool_worker(*initargs) -> None:
    """A pool worker's start: Ctrl-C reaches the whole process group, but only the main process acts on it
    (it stops the workers); then init_worker(*initargs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(*initargs)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ArticleTimeout in this thread after `seconds`: SIGALRM in the main thread; elsewhere (a queue
    worker's task thread) extraction checks the budget itself between parsed windows and stages."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        try:
            with budget.deadline(seconds):
                yield
        except budget.OverBudget:
            raise ArticleTimeout() from None
        return

    def on_alarm(signum, frame):
        raise ArticleTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(job) -> Result:
    """Read, detect language, extract within the time budget; a broken input becomes Result.error (never an exception)."""
    if job.kind == "known":
        return Result(job.label, status="known")
    try:
        with time_budget(_BUDGET):
            return _process(job)
    except ArticleTimeout:
        return Result(
            job.label,
            error=f"{job.label}: over the time budget of {_BUDGET:g} s per article, not stored "
            "(--article-timeout or WHOSAID_ARTICLE_SECONDS raise it)",
        )


def _process(job) -> Result:
    try:
        inp = load_job(job)
        if inp.problem:  # stored for the record, no quotes: its text is not the article
            return Result(
                job.label, inp, status="failed-extraction", error=f"{job.label}: failed extraction, {inp.problem}"
            )
        language = detect_language(inp.text)
        inp = replace(inp, language=language)
        if language != "en":
            return Result(job.label, inp, status="skipped-language")
        if content_hash(inp.text) in _KNOWN:
            return Result(job.label, inp)
        try:
            extraction = extract_text(inp.text)
        except Exception as exc:  # noqa: BLE001 - keep the article; `whosaid reextract` retries it later
            return Result(
                job.label,
                inp,
                None,
                error=f"{job.label}: stored without quotes, extraction failed ({type(exc).__name__}: {exc}); "
                "`whosaid reextract` retries it",
            )
        return Result(job.label, inp, extraction)
    except SourceError as exc:
        return Result(job.label, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken article never aborts the batch
        return Result(job.label, error=f"{job.label}: unexpected error ({type(exc).__name__}: {exc})")


def extract_text(text: str) -> Extraction:
    """The quotes of one article's text."""
    return extract(text)


def reextract(item: tuple[int, str]) -> tuple[int, Extraction | None, str | None]:
    """(article id, extraction, error) for a stored article's text."""
    article_id, text = item
    try:
        return article_id, extract_text(text), None
    except Exception as exc:  # noqa: BLE001 - one broken article never aborts the re-extraction
        return article_id, None, f"{type(exc).__name__}: {exc}"

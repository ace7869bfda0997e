"""The PostgreSQL job queue with real worker processes: a SIGKILLed worker's job lands once via another
worker; queued feed polls, files and URLs; failed jobs listed and retried. SQLite keeps no queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import _migrated_engine
from tests.news_site import NewsSite

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    """(engine, url) of a migrated throw-away PostgreSQL schema with procrastinate's tables."""
    engine, url, drop = _migrated_engine("postgres", tmp_path_factory)
    yield engine, url
    engine.dispose()
    drop()


@pytest.fixture
def site():
    s = NewsSite()
    yield s
    s.close()


def _env(url: str) -> dict:
    env = {
        **os.environ,
        "WHOSAID_DATABASE_URL": url,
        "WHOSAID_ALLOW_PRIVATE_URLS": "1",
        "WHOSAID_WORKER_HEARTBEAT": "0.5",
        "WHOSAID_WORKER_STALLED_AFTER": "3",
        "WHOSAID_JOB_RETRY_WAIT": "0",
    }
    env.pop("DATABASE_URL", None)
    return env


def _whosaid(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=_env(url), capture_output=True, text=True, timeout=300
    )


def _worker(url: str, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker", "--concurrency", "1", "--name", name],
        cwd=ROOT,
        env=_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _wait(predicate, what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _clear(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM procrastinate_jobs"))
        for table in (
            "joberror",
            "followedfeed",
            "quotesuccessor",
            "correction",
            "quote",
            "personname",
            "person",
            "article",
        ):
            conn.execute(text(f'DELETE FROM "{table}"'))


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            p.kill()


def test_sigkilled_worker_job_lands_once_through_another_worker(pg, site):
    engine, url = pg
    _clear(engine)
    site.add("kappa")
    release = site.hold("/news/kappa.html")
    a = _worker(url, "a")
    b = None
    try:
        queued = _whosaid(url, "ingest", "--queue", site.url("kappa"))
        assert queued.returncode == 0 and "queued 1 input(s) in 1 job(s)" in queued.stdout, queued.stderr
        _wait(lambda: site.hits["/news/kappa.html"] >= 1, "worker a to start the job")
        assert _scalar(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'") == 1
        b = _worker(url, "b")
        a.send_signal(signal.SIGKILL)  # mid-job: its fetch is still waiting for the page
        a.wait(30)
        release.set()
        _wait(lambda: _scalar(engine, "SELECT count(*) FROM article") == 1, "the job to be retried by worker b")
        _wait(
            lambda: _scalar(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')") == 0,
            "the queue to drain",
        )
        assert _scalar(engine, "SELECT count(*) FROM article") == 1
        assert _scalar(engine, "SELECT count(*) FROM quote") > 0
        assert _scalar(engine, "SELECT count(*) - count(DISTINCT uid) FROM quote") == 0
        assert site.hits["/news/kappa.html"] == 2, "fetched by a (killed) and once more by b"
        assert _scalar(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'") == 0
    finally:
        release.set()
        _stop(*(p for p in (a, b) if p is not None))


def test_queued_feeds_files_and_failed_jobs(pg, site, tmp_path):
    engine, url = pg
    _clear(engine)
    site.add("lambda", "mu")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(
            f'Harbour story {i}\n\n"The ferry to island {i} will run again in May," '
            f"Minister Karin Sund said on Monday.\n",
            encoding="utf-8",
        )
    worker = _worker(url, "solo")
    try:
        assert _whosaid(url, "feeds", "add", site.feed_url, "--every", "1m").returncode == 0
        watched = _whosaid(url, "watch", "--once")
        assert watched.returncode == 0 and "1 feed(s) polled (queued)" in watched.stdout, watched.stderr
        queued = _whosaid(url, "ingest", "--queue", str(folder), site.url("missing"))
        assert "queued 4 input(s) in 2 job(s)" in queued.stdout, queued.stdout + queued.stderr
        _wait(
            lambda: (
                _scalar(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')") == 0
                and _scalar(engine, "SELECT count(*) FROM article") == 5
            ),
            "feed entries and files to be stored",
        )
        assert _scalar(engine, "SELECT failures FROM followedfeed") == 0
        assert _scalar(engine, "SELECT last_success IS NOT NULL FROM followedfeed")

        failed = _whosaid(url, "jobs", "failed")
        assert "ingest_url" in failed.stdout and "HTTP 404" in failed.stdout and "attempts: 3" in failed.stdout
        job_id = _scalar(engine, "SELECT id FROM procrastinate_jobs WHERE status = 'failed'")
        site.add("missing")  # the page appears: retrying now works
        retried = _whosaid(url, "jobs", "retry", str(job_id))
        assert retried.returncode == 0 and f"job {job_id} queued again" in retried.stdout
        _wait(lambda: _scalar(engine, "SELECT count(*) FROM article") == 6, "the retried job to store its article")
        assert "no failed jobs" in _whosaid(url, "jobs", "failed").stdout
        again = _whosaid(url, "jobs", "retry", str(job_id))
        assert again.returncode == 2 and f"no failed job {job_id}" in again.stderr
        assert _scalar(engine, "SELECT count(*) FROM joberror") == 0, "a retry that worked leaves no error behind"

        quotes = _scalar(engine, "SELECT string_agg(uid, ',' ORDER BY uid) FROM quote")
        with engine.begin() as conn:
            conn.execute(text("UPDATE article SET extractor_version = 'old'"))
        requeued = _whosaid(url, "reextract", "--queue")
        assert "queued 6 re-extraction job(s)" in requeued.stdout, requeued.stdout + requeued.stderr
        _wait(
            lambda: _scalar(engine, "SELECT count(*) FROM article WHERE extractor_version = 'old'") == 0,
            "the re-extraction jobs to run",
        )
        assert _scalar(engine, "SELECT string_agg(uid, ',' ORDER BY uid) FROM quote") == quotes
    finally:
        _stop(worker)


def test_sqlite_has_no_queue(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    out = _whosaid(url, "ingest", "--queue", "seeds/")
    assert out.returncode == 2 and "--queue needs PostgreSQL" in out.stderr
    assert "needs PostgreSQL" in _whosaid(url, "worker").stderr
    assert "needs PostgreSQL" in _whosaid(url, "jobs", "failed").stderr

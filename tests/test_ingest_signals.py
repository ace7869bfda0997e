"""Ctrl-C (SIGINT) or SIGTERM during an ingest with worker processes: the workers stop, the summary so far is
printed, the exit status is 130 or 143, and running the same command again finishes the job without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.ingest import store
from app.ingest.pipeline import run_ingest

ROOT = Path(__file__).resolve().parent.parent
N = 40


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("select count(*) from article").fetchone()[0]
    except sqlite3.OperationalError:  # schema not there yet
        return 0


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (the workers and multiprocessing's resource tracker)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_workers_prints_summary_and_rerun_finishes(tmp_path, sig, status):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(N):
        (folder / f"a{i:03d}.txt").write_text(
            f'Council story {i}\n\n"The new library will open in spring {2030 + i}," Mayor Anna Berg said on Friday.\n',
            encoding="utf-8",
        )
    db = tmp_path / "stopped.db"
    env = {**os.environ, "WHOSAID_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "app.cli", "ingest", str(folder), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while _count(db) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert proc.poll() is None and workers, "the run should still be going, with its workers"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)  # a guard against hanging, not a speed test (make bench-ingest times it)
    assert proc.returncode == status, err
    assert f"interrupted by {sig.name}" in out and "articles:" in out and "run the same command again" in out
    time.sleep(0.5)
    assert not [pid for pid in workers if _running(pid)], "workers or the resource tracker outlived the run"
    stored = _count(db)
    assert stored < N

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N - stored} new" in rerun.stdout and f"{stored} unchanged" in rerun.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct content_hash) from article").fetchone() == (N, N)


def test_a_signal_while_an_article_is_stored_lets_that_article_finish_and_frees_the_database(tmp_path, monkeypatch):
    """SIGTERM in the middle of storing: that article is kept whole, the run stops, and nothing holds the lock."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(
            f'Story {i}\n\n"We will build {i + 2} bridges," Mayor Anna Berg said on Friday.\n', encoding="utf-8"
        )
    db = tmp_path / "held.db"
    real_store_quotes = store.store_quotes

    def store_quotes_then_signal(session, article, extraction):
        n = real_store_quotes(session, article, extraction)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives before this article is committed
        return n

    monkeypatch.setattr(store, "store_quotes", store_quotes_then_signal)
    summary = run_ingest([str(folder)], jobs=1, database_url=f"sqlite:///{db}", quiet=True)

    assert summary.interrupted == signal.SIGTERM
    with sqlite3.connect(db, timeout=0) as conn:
        rows = conn.execute(
            "select a.title, count(q.id) from article a left join quote q on q.article_id = a.id group by a.id"
        ).fetchall()
        assert rows == [("Story 0", 1)], "the article being stored when the signal came is kept, with its quote"
        conn.execute("BEGIN IMMEDIATE")  # nothing in this process still holds the write lock
        conn.rollback()

"""A run killed half way (SIGKILL) and run again ends with every article and quote exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.ingest.pipeline import run_ingest

ROOT = Path(__file__).resolve().parent.parent
N = 30


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not there yet
        return 0


def _rows(db: Path):
    with sqlite3.connect(db, timeout=30) as conn:
        arts = sorted(conn.execute("select uid, content_hash, title from article").fetchall())
        quotes = sorted(
            conn.execute("select q.uid, a.uid, q.text from quote q join article a on a.id = q.article_id").fetchall()
        )
    return arts, quotes


def test_sigkill_then_rerun_stores_everything_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(N):
        (folder / f"a{i:03d}.txt").write_text(
            f'Council story {i}\n\n"The new library will open in spring {2030 + i}," Mayor Anna Berg said on Friday.\n'
            f"She added that the budget for project {i} was approved.\n",
            encoding="utf-8",
        )
    db = tmp_path / "killed.db"
    env = {**os.environ, "WHOSAID_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "app.cli", "ingest", str(folder), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _count(db, "select count(*) from article") < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_before = _count(db, "select count(*) from article")
    assert 0 < stored_before < N, "the run should have been killed half way"

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N - stored_before} new" in rerun.stdout and f"{stored_before} unchanged" in rerun.stdout

    reference = tmp_path / "reference.db"
    run_ingest([str(folder)], jobs=1, database_url=f"sqlite:///{reference}", quiet=True)
    killed_arts, killed_quotes = _rows(db)
    ref_arts, ref_quotes = _rows(reference)
    assert len(killed_arts) == N
    assert killed_arts == ref_arts and killed_quotes == ref_quotes

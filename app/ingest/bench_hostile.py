"""`make bench-ingest`, second part: hostile input and signals, timed from outside like a user would.

- a 20 MB text file (over the 5 MB default size cap): seconds until ingest has refused it and exited;
- a run of `--jobs 2` stopped by SIGINT or SIGTERM once a few articles are stored: seconds from the
  signal to the exit, the exit status, and how many of its child processes (workers, resource
  tracker) were still running half a second later.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BIG_BYTES = 20 * 1024 * 1024


def _env(db: Path) -> dict:
    env = {**os.environ, "WHOSAID_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DATABASE_URL", None)
    return env


def _articles(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("select count(*) from article").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def big_file(workdir: Path) -> tuple[float, str]:
    """(seconds, error line) for ingesting one 20 MB text file."""
    path = workdir / "huge.txt"
    line = b'"Quote" he said. ' * 60 + b"\n"
    with path.open("wb") as f:
        while f.tell() < BIG_BYTES:
            f.write(line)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(path), "--jobs", "1", "--quiet"],
        env=_env(workdir / "big.db"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.monotonic() - start
    error = next((ln for ln in done.stderr.splitlines() if "too large" in ln), done.stderr.strip()[-200:])
    return seconds, error


def stop(folder: Path, workdir: Path, sig: signal.Signals) -> tuple[float, int, int, int]:
    """(seconds from signal to exit, exit status, children still running, articles stored) for one stopped run."""
    db = workdir / f"stop_{sig.name}.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder), "--jobs", "2", "--quiet"],
        env=_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while _articles(db) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    children = _children(proc.pid)
    sent = time.monotonic()
    proc.send_signal(sig)
    proc.communicate()
    seconds = time.monotonic() - sent
    time.sleep(0.5)
    return seconds, proc.returncode, sum(_running(pid) for pid in children), _articles(db)


def report(folder: Path, workdir: Path) -> None:
    """Print the hostile-input and signal figures."""
    seconds, error = big_file(workdir)
    print(f"20 MB text file (default 5 MB cap): refused in {seconds:.1f} s, start-up included: {error}")
    for sig in (signal.SIGINT, signal.SIGTERM):
        seconds, status, left, stored = stop(folder, workdir, sig)
        print(
            f"{sig.name} to `ingest --jobs 2` after {stored} articles: exited in {seconds:.2f} s with status {status}; "
            f"child processes still running: {left}"
        )

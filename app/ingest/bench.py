"""Ingest speed: generated HTML articles from disk into a fresh SQLite database, --jobs 1 and --jobs 2.

`python -m app.ingest.bench [--articles N] [--jobs 1,2]` prints articles per second and the peak
memory of the ingest process tree (the main process plus its extraction workers, sampled from /proc),
then the hostile-input and signal figures of app/ingest/bench_hostile.py (`--hostile` alone).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from app.ingest.bench_hostile import report

FIRST = ["Anna", "Peter", "Maria", "Jonas", "Laura", "Tomas", "Elena", "Karl", "Ruta", "David"]
LAST = ["Berg", "Holm", "Petraitis", "Lind", "Novak", "Kowalski", "Meyer", "Dubois", "Rossi", "Jensen"]
ROLES = ["Foreign Minister", "Mayor", "Prime Minister", "spokeswoman", "Defence Minister", "President"]
TOPICS = ["the new bridge", "the budget", "the border", "school reform", "energy prices", "the harbour", "air defence"]
VERBS = ["said", "told reporters", "added", "noted", "explained"]


def _article(i: int, rng: random.Random) -> str:
    paras = []
    people = [(rng.choice(FIRST), rng.choice(LAST), rng.choice(ROLES)) for _ in range(3)]
    for j in range(8):
        first, last, role = people[j % 3]
        topic = rng.choice(TOPICS)
        kind = j % 4
        if kind == 0:
            paras.append(
                f"{role} {first} {last} said on Monday that {topic} would be discussed again next week, "
                f"after talks in the capital ended without agreement on article {i}."
            )
        elif kind == 1:
            paras.append(
                f"\u201cWe will not give up on {topic}, and we expect our partners to do the same,\u201d "
                f"{last} {rng.choice(VERBS)}. \u201cThere is no other way.\u201d"
            )
        elif kind == 2:
            paras.append(
                f"According to {first} {last}, the plan for {topic} is \u201cmore practical\u201d than the "
                f"previous one, which was dropped in {2000 + i % 24}."
            )
        else:
            paras.append(
                f"Officials declined to comment on {topic}. The committee will meet again on "
                f"Thursday, when a vote is expected on amendment number {i * 7 + j}."
            )
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    day = 1 + i % 28
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Article {i}: talks on {rng.choice(TOPICS)} | Bench Times</title>
<link rel="canonical" href="https://bench.example/news/{i}">
<meta name="author" content="{rng.choice(FIRST)} {rng.choice(LAST)}">
<meta property="og:site_name" content="Bench Times">
<meta property="article:published_time" content="2024-03-{day:02d}T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Article {i}</h1>{body}
<figure><img src="x.jpg"><figcaption>A photo caption. Photo: Agency</figcaption></figure></article>
<footer>&copy; Bench Times</footer></body></html>
"""


def generate(folder: Path, n: int, seed: int = 7) -> None:
    """n HTML articles in folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"article_{i:05d}.html").write_text(_article(i, rng), encoding="utf-8")


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of root and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * page
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(folder: Path, jobs: int, workdir: Path) -> tuple[float, int, str]:
    """(seconds, peak tree RSS in bytes, summary line) for one ingest run into a fresh database."""
    db = workdir / f"bench_jobs{jobs}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "WHOSAID_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DATABASE_URL", None)
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder), "--jobs", str(jobs), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"ingest --jobs {jobs} failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, peak, out.strip().splitlines()[-1] if out.strip() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts to compare")
    parser.add_argument("--hostile", action="store_true", help="only the size-cap and signal figures")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="whosaid-bench-") as tmp:
        tmpdir = Path(tmp)
        folder = tmpdir / "html"
        generate(folder, args.articles)
        if args.hostile:
            report(folder, tmpdir)
            return 0
        print(
            f"ingest benchmark: {args.articles} generated HTML articles from disk into SQLite "
            f"({os.cpu_count()} cores; start-up, model loading and migrations included)"
        )
        for jobs in (int(j) for j in args.jobs.split(",")):
            seconds, peak, summary = run(folder, jobs, tmpdir)
            print(
                f"--jobs {jobs}: {args.articles / seconds:7.1f} articles/s  ({seconds:.1f} s)  "
                f"peak memory {peak / 2**20:.0f} MiB (main process + workers)"
            )
            print(f"    {summary}")
        report(folder, tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

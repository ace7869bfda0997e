"""Queue throughput: generated articles through the PostgreSQL job queue with 1 and 2 worker processes.

`python -m app.jobs.bench [--articles 500] [--workers 1,2]` (needs PostgreSQL; WHOSAID_BENCH_PG_URL,
default the test database at 127.0.0.1:5432, in a throw-away schema). Prints articles/s in-process
(extract + store, one process) and through the queue with each number of workers, the speed-up
of 2 workers over 1, and the queue's overhead per article: wall time x workers minus the time spent
inside the tasks (from the workers' logs), which machine load does not blur the way a comparison
with the in-process run does.
Workers are started and warmed up (spaCy loaded) before the clock starts.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from app.db import ROOT, make_engine, upgrade
from app.ingest.bench import _article
from app.ingest.pipeline import ingest_items
from app.jobs.queue import article_payload, get_app, ingest_article
from app.sources.html import parse_html
from app.sources.inputs import Job

PG_URL = os.environ.get("WHOSAID_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _inputs(n: int, offset: int = 0):
    rng = random.Random(7 + offset)
    return [parse_html(_article(offset + i, rng).encode(), f"bench-{offset + i}") for i in range(n)]


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM article")).scalar()


def _clear(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM procrastinate_jobs"))
        for table in ("quotesuccessor", "correction", "quote", "personname", "person", "article"):
            conn.execute(text(f'DELETE FROM "{table}"'))


def _wait_for(engine, n: int, timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    while _count(engine) < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {_count(engine)} of {n} articles stored")
        time.sleep(0.05)


def in_process(engine, inputs) -> float:
    _clear(engine)
    ingest_items(engine, [Job(label="warm-up", kind="input", article=_inputs(1, 10_000)[0])])  # loads spaCy
    started = time.monotonic()
    summary = ingest_items(engine, [Job(label=f"a{i}", kind="input", article=a) for i, a in enumerate(inputs)])
    seconds = time.monotonic() - started
    assert summary.new == len(inputs), summary.line()
    return seconds


def queued(engine, url: str, inputs, workers: int, logs: Path) -> tuple[float, float, float]:
    """(seconds until every article is stored, seconds spent queueing them, seconds inside the tasks).

    Time inside the tasks is the sum of the workers' "job N … done in X ms" log lines (app.jobs.queue).
    """
    _clear(engine)
    env = {**os.environ, "WHOSAID_DATABASE_URL": url}
    env.pop("DATABASE_URL", None)
    files = [(logs / f"worker-{workers}-{i}.log").open("w") for i in range(workers)]
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "worker", "--concurrency", "1", "--name", f"bench-{i}"],
                              cwd=ROOT, env=env, stderr=f) for i, f in enumerate(files)]
    try:
        app = get_app(url)
        with app.open():
            warm = _inputs(workers * 2, 20_000)  # every worker loads spaCy before the clock starts
            warm_ids = ingest_article.batch_defer(*({"article": article_payload(a), "label": f"warm-{i}"}
                                                    for i, a in enumerate(warm)))
            _wait_for(engine, len(warm))
            time.sleep(1)
            base = _count(engine)
            started = time.monotonic()
            payloads = [{"article": article_payload(a), "label": f"a{i}"} for i, a in enumerate(inputs)]
            for start in range(0, len(payloads), 100):
                ingest_article.batch_defer(*payloads[start:start + 100])
            queueing = time.monotonic() - started
            _wait_for(engine, base + len(inputs))
            seconds = time.monotonic() - started
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(120)
        for f in files:
            f.close()
    inside = 0.0
    for i in range(workers):
        for match in _DONE.finditer((logs / f"worker-{workers}-{i}.log").read_text(encoding="utf-8")):
            if int(match.group(1)) > max(warm_ids):
                inside += int(match.group(2)) / 1000
    return seconds, queueing, inside


_DONE = re.compile(r"job (\d+) ingest_article done in (\d+) ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",")]

    schema = f"whosaid_bench_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        engine = make_engine(url)
        inputs = _inputs(args.articles)
        print(f"{args.articles} generated articles, PostgreSQL, {os.cpu_count()} cores")
        local = in_process(engine, inputs)
        print(f"in-process (1 process, no queue): {args.articles / local:6.1f} articles/s ({local:.1f} s)")
        rates = {}
        with tempfile.TemporaryDirectory() as logs:
            for n in counts:
                seconds, queueing, inside = queued(engine, url, inputs, n, Path(logs))
                rates[n] = args.articles / seconds
                overhead = (n * seconds - inside) / args.articles
                print(f"queue, {n} worker process(es): {rates[n]:6.1f} articles/s ({seconds:.1f} s); per article: "
                      f"{1000 * queueing / args.articles:.2f} ms to queue, {1000 * overhead:.1f} ms in the queue "
                      f"outside the task (fetch, finish, idle)")
                if n == 1:
                    print(f"1 worker vs in-process: {1000 * (seconds - local) / args.articles:+.1f} ms per article "
                          "(includes any change in machine load between the two runs)")
        if 1 in rates and 2 in rates:
            print(f"speed-up, 2 workers over 1: {rates[2] / rates[1]:.2f}x (target >= 1.8x; needs 2 idle cores)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

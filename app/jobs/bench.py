"""Queue throughput: generated articles through the PostgreSQL job queue with 1 and 2 worker processes.

`python -m app.jobs.bench [--articles 500] [--workers 1,2] [--per-job 5] [--repeat 1]` (needs PostgreSQL;
WHOSAID_BENCH_PG_URL, default the test database at 127.0.0.1:5432, in a throw-away schema). For each
round: articles/s in-process (extract + store, one process, no queue), then through the queue (queued
as `whosaid ingest --queue` does, per-job articles to a job) with each number of worker processes,
started and warmed up (spaCy loaded) before the clock starts.

Wall time on a shared machine measures the other users as much as the queue, so every run also counts
CPU seconds (app.jobs.cputime, from /proc) and splits them:
- the article's own work: extraction and storing (in-process: the ingesting process; queued: the
  workers' time inside their tasks, which they log), and the PostgreSQL backends of those connections;
- the queue's own work: the workers' CPU outside their tasks (fetching, locking, finishing jobs, the
  hand-over to the task thread, heartbeats), the PostgreSQL backends of the queue's connections (told
  apart by application_name, app.jobs.queue.queue_connection_name), and the queueing process.
The queue's overhead per article is the second sum divided by the articles. The speed-up of 2 workers
over 1 comes with the cores each run got and the articles per CPU second, which load moves far less.
With --repeat N the runs alternate N times and a last block gives each figure's median and range.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from app.config import get_settings
from app.db import ROOT, make_engine, upgrade
from app.ingest.bench import _article
from app.ingest.pipeline import ingest_items
from app.jobs import cputime
from app.jobs.queue import article_payload, defer_articles, get_app, queue_connection_name
from app.sources.html import parse_html
from app.sources.inputs import Job

PG_URL = os.environ.get("WHOSAID_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
POLL_SECONDS = 0.2  # how often the bench counts stored articles (its own queries are not counted as work)
_DONE = re.compile(r"job \d+ ingest_articles? done in \d+ ms \(([\d.]+) ms CPU\)")


@dataclass
class Cpu:
    """CPU seconds of one run's processes, from /proc."""

    python: float  # the ingesting process, or the worker processes
    pg_store: float  # PostgreSQL backends of the store's connections
    pg_queue: float  # PostgreSQL backends of the queue's connections (workers' and the queueing process's)
    machine: float  # every process of the machine
    queueing: float = 0.0  # the queueing process, while it queued
    inside_tasks: float | None = None  # of the workers' CPU, inside their tasks (None in-process: all of it)

    @property
    def article_python(self) -> float:
        """The article's own work in Python: the ingesting process, or the workers inside their tasks."""
        return self.python if self.inside_tasks is None else self.inside_tasks

    @property
    def queue(self) -> float:
        """CPU seconds spent on the queue rather than on the articles."""
        return self.python - self.article_python + self.pg_queue + self.queueing

    @property
    def total(self) -> float:
        return self.python + self.pg_store + self.pg_queue + self.queueing


@dataclass
class Run:
    """One timed run: wall seconds, and CPU seconds where /proc has them."""

    label: str
    workers: int  # 0: in-process
    articles: int
    wall: float
    cpu: Cpu | None = None  # None without /proc

    @property
    def rate(self) -> float:
        return self.articles / self.wall

    def ms(self, seconds: float) -> float:
        """Milliseconds per article."""
        return 1000 * seconds / self.articles

    def cores(self, cpu: Cpu) -> tuple[float, float]:
        """(cores used by this run's work, cores used by every other process), averaged over the run."""
        return cpu.total / self.wall, max(0.0, cpu.machine - cpu.total) / self.wall


class Meter:
    """CPU clocks for one run: given processes, the PostgreSQL backends of the store's and the queue's
    connections (by application_name), and the machine."""

    def __init__(self, observer, app_name: str):
        self.observer, self.names = (
            observer,
            {"store": app_name, "queue": queue_connection_name(f"?application_name={app_name}")},
        )
        self.python = cputime.Clock()
        self.postgres = {kind: cputime.Clock() for kind in self.names}
        self.machine_at_start: float | None = None

    def backends(self, kind: str) -> list[int]:
        with self.observer.connect() as conn:
            return list(
                conn.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": self.names[kind]}
                ).scalars()
            )

    def start(self, pids: list[int]) -> None:
        self.pids = pids
        self.python.start(pids)
        for kind, clock in self.postgres.items():
            clock.start(self.backends(kind))
        self.machine_at_start = cputime.machine_busy_seconds()

    def stop(self, run: Run, queueing: float = 0.0) -> Run:
        """The run with its CPU seconds (queueing: the queueing process's, measured by the caller)."""
        machine = cputime.machine_busy_seconds()
        self.python.read(self.pids)
        for kind, clock in self.postgres.items():
            clock.read(self.backends(kind))
        if cputime.available() and machine is not None and self.machine_at_start is not None:
            run.cpu = Cpu(
                python=self.python.total(),
                pg_store=self.postgres["store"].total(),
                pg_queue=self.postgres["queue"].total(),
                machine=machine - self.machine_at_start,
                queueing=queueing,
            )
        return run


def _inputs(n: int, offset: int = 0):
    rng = random.Random(7 + offset)
    return [parse_html(_article(offset + i, rng).encode(), f"bench-{offset + i}") for i in range(n)]


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM article")).scalar()


def _clear(engine) -> None:
    """Empty the tables. TRUNCATE, not DELETE: every run starts on tables without the dead rows of the
    one before (they cost the next run PostgreSQL CPU until a vacuum, which would blur the comparison)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE procrastinate_jobs, joberror, quotesuccessor, correction, quote, personname, "
                "person, article CASCADE"
            )
        )


def _wait_for(engine, n: int, timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    while _count(engine) < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {_count(engine)} of {n} articles stored")
        time.sleep(POLL_SECONDS)


def in_process(observer, url: str, app_name: str, inputs) -> Run:
    """Extract and store every input in this process (ingest_items, as `whosaid ingest --jobs 1`)."""
    _clear(observer)
    engine = make_engine(url)
    ingest_items(engine, [Job(label="warm-up", kind="input", article=_inputs(1, 10_000)[0])])  # loads spaCy
    meter = Meter(observer, app_name)
    meter.start([os.getpid()])
    started = time.monotonic()
    summary = ingest_items(engine, [Job(label=f"a{i}", kind="input", article=a) for i, a in enumerate(inputs)])
    run = meter.stop(Run("in-process, no queue", 0, len(inputs), time.monotonic() - started))
    engine.dispose()
    assert summary.new == len(inputs), summary.line()
    return run


def queued(observer, url: str, app_name: str, inputs, workers: int, per_job: int, logs: Path) -> Run:
    """Queue the inputs as ingest_articles jobs of per_job articles for `workers` warmed-up worker processes;
    time until all are stored."""
    _clear(observer)
    env = {**os.environ, "WHOSAID_DATABASE_URL": url}
    env.pop("DATABASE_URL", None)
    files = [(logs / f"worker-{workers}-{i}.log").open("w") for i in range(workers)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--concurrency", "1", "--name", f"bench-{i}"],
            cwd=ROOT,
            env=env,
            stderr=f,
        )
        for i, f in enumerate(files)
    ]
    label = f"queue, {workers} worker{'s' if workers > 1 else ''}, {per_job}/job"
    try:
        app = get_app(url)
        with app.open():
            warm = _inputs(workers * 2, 20_000)  # every worker loads spaCy before the clock starts
            defer_articles([{"article": article_payload(a), "label": f"warm-{i}"} for i, a in enumerate(warm)], 1)
            _wait_for(observer, len(warm))
            time.sleep(1)
            base = _count(observer)
            payloads = [{"article": article_payload(a), "label": f"a{i}"} for i, a in enumerate(inputs)]
            meter = Meter(observer, app_name)
            meter.start([p.pid for p in procs])
            log_starts = [f.tell() for f in files]
            started, queueing_from = time.monotonic(), cputime.process_seconds(os.getpid())
            defer_articles(payloads, per_job)  # as `whosaid ingest --queue` does
            queueing_to = cputime.process_seconds(os.getpid())
            queueing = 0.0 if queueing_from is None or queueing_to is None else queueing_to - queueing_from
            _wait_for(observer, base + len(inputs))
            run = meter.stop(Run(label, workers, len(inputs), time.monotonic() - started), queueing)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(120)
        for f in files:
            f.close()
    if run.cpu is not None:
        run.cpu.inside_tasks = 0.0
        for i in range(workers):
            with (logs / f"worker-{workers}-{i}.log").open(encoding="utf-8") as log:
                log.seek(log_starts[i])
                run.cpu.inside_tasks += sum(float(m.group(1)) / 1000 for m in _DONE.finditer(log.read()))
    return run


def describe(run: Run) -> str:
    line = f"{run.label:<22} {run.rate:6.1f} articles/s ({run.wall:6.1f} s)"
    cpu = run.cpu
    if cpu is None:
        return line
    article = run.ms(cpu.article_python) + run.ms(cpu.pg_store)
    line += (
        f" | CPU ms per article: the article {article:5.1f} (python {run.ms(cpu.article_python):.1f}"
        f" + PostgreSQL {run.ms(cpu.pg_store):.1f})"
    )
    if run.workers:
        line += (
            f", the queue {run.ms(cpu.queue):.1f} (workers {run.ms(cpu.python - cpu.article_python):.1f} + "
            f"PostgreSQL {run.ms(cpu.pg_queue):.1f} + queueing {run.ms(cpu.queueing):.1f})"
        )
    ours, others = run.cores(cpu)
    return line + f" | cores: {ours:.2f} this run, {others:.2f} other processes"


def compare(local: Run, runs: dict[tuple[int, int], Run]) -> list[str]:
    """The queue's overhead per article, and the speed-up of 2 workers over 1; runs keyed by (workers, per job)."""
    lines = []
    for (n, size), run in runs.items():
        if run.cpu is not None and local.cpu is not None:
            python = run.ms(run.cpu.article_python) - local.ms(local.cpu.python)
            postgres = run.ms(run.cpu.pg_store) - local.ms(local.cpu.pg_store)
            all_cpu = run.ms(run.cpu.total) - local.ms(local.cpu.total)
            lines.append(
                f"queue overhead, {n} worker(s), {size}/job: {run.ms(run.cpu.queue):.1f} ms CPU per article "
                f"(target <= 5 ms); all CPU against in-process: {all_cpu:+.1f} ms "
                f"(the article's own work in a worker: python {python:+.1f}, PostgreSQL {postgres:+.1f})"
            )
        if n == 1:
            lines.append(
                f"queue, 1 worker, {size}/job, against in-process: {1000 * (run.wall - local.wall) / local.articles:+.1f} "
                "ms wall time per article (moves with the machine's other load)"
            )
    for size in sorted({size for _, size in runs}):
        if (1, size) in runs and (2, size) in runs:
            one, two = runs[1, size], runs[2, size]
            line = f"speed-up, 2 workers over 1, {size}/job: {two.rate / one.rate:.2f}x (target >= 1.8x)"
            if one.cpu is not None and two.cpu is not None:
                (c1, o1), (c2, o2) = one.cores(one.cpu), two.cores(two.cpu)
                line += (
                    f"; the runs got {c1:.2f} and {c2:.2f} cores (other processes used {o1:.2f} and {o2:.2f} "
                    f"of {os.cpu_count()}); articles per CPU second {one.articles / one.cpu.total:.2f} and "
                    f"{two.articles / two.cpu.total:.2f}"
                )
            lines.append(line)
    return lines


def _spread(name: str, values: list[float], unit: str = "") -> str:
    if len(values) < 2:
        return f"{name}: {values[0]:.2f}{unit}" if values else f"{name}: n/a"
    return f"{name}: median {statistics.median(values):.2f}{unit}, range {min(values):.2f}–{max(values):.2f}{unit}"


def summary(rounds: list[tuple[Run, dict[tuple[int, int], Run]]]) -> list[str]:
    """Each figure's median and range over the rounds."""
    lines = [f"over {len(rounds)} rounds:", _spread("  in-process articles/s", [r.rate for r, _ in rounds])]
    for n, size in rounds[0][1]:
        runs = [q[n, size] for _, q in rounds]
        lines.append(_spread(f"  {n} worker(s), {size}/job, articles/s", [r.rate for r in runs]))
        measured: list[tuple[Run, Cpu, Run, Cpu]] = []  # (the run, its CPU, the round's in-process run, its CPU)
        for local, queued_runs in rounds:
            run = queued_runs[n, size]
            if run.cpu is not None and local.cpu is not None:
                measured.append((run, run.cpu, local, local.cpu))
        if measured:
            lines.append(
                _spread(
                    f"  {n} worker(s), {size}/job, queue overhead per article",
                    [r.ms(c.queue) for r, c, _, _ in measured],
                    " ms",
                )
            )
            lines.append(
                _spread(
                    f"  {n} worker(s), {size}/job, all CPU per article against in-process",
                    [r.ms(c.total) - local.ms(lc.total) for r, c, local, lc in measured],
                    " ms",
                )
            )
            lines.append(
                _spread(f"  {n} worker(s), {size}/job, cores of this run", [r.cores(c)[0] for r, c, _, _ in measured])
            )
    for size in sorted({size for _, size in rounds[0][1]}):
        if (1, size) in rounds[0][1] and (2, size) in rounds[0][1]:
            lines.append(
                _spread(f"  speed-up 2 over 1, {size}/job", [q[2, size].rate / q[1, size].rate for _, q in rounds], "x")
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--per-job",
        default=str(get_settings().queue_batch),
        help="articles per queued job, or several (1,5): each is measured (default WHOSAID_QUEUE_BATCH)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (in-process, each worker count)")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",")]
    sizes = [int(x) for x in args.per_job.split(",")]

    token = secrets.token_hex(4)
    schema, app_name = f"whosaid_bench_{token}", f"whosaid-bench-{token}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    observer_url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    url = f"{observer_url}&application_name={app_name}"
    try:
        upgrade(observer_url)
        observer = make_engine(observer_url)
        inputs = _inputs(args.articles)
        cpu = "CPU seconds from /proc" if cputime.available() else "no /proc: wall time only"
        print(
            f"{args.articles} generated articles, PostgreSQL, {os.cpu_count()} cores ({cpu}); "
            f"load average at the start: {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        rounds = []
        with tempfile.TemporaryDirectory() as logs:
            for _ in range(args.repeat):
                local = in_process(observer, url, app_name, inputs)
                print(describe(local), flush=True)
                runs = {}
                for size in sizes:
                    for n in counts:
                        runs[n, size] = queued(observer, url, app_name, inputs, n, size, Path(logs))
                        print(describe(runs[n, size]), flush=True)
                for line in compare(local, runs):
                    print(line, flush=True)
                rounds.append((local, runs))
        if args.repeat > 1:
            print("\n".join(summary(rounds)))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        observer.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

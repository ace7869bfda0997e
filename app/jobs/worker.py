"""`whosaid worker`: run queued jobs (PostgreSQL), on as many machines as you like.

Each worker process runs one job at a time (extraction is CPU-bound: processes, not threads, use
the cores) and sends a heartbeat every WHOSAID_WORKER_HEARTBEAT seconds. Every worker also looks
for jobs whose worker went silent for WHOSAID_WORKER_STALLED_AFTER seconds (killed, machine gone)
and puts them back in the queue, so a job of a SIGKILLed worker runs again elsewhere within about
stalled_after + heartbeat seconds. Jobs are idempotent (the store is), so a job run twice stores once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time

from app.config import get_settings
from app.jobs.queue import QUEUE, get_app

log = logging.getLogger("whosaid.worker")


async def retry_stalled(app, stalled_after: float, every: float) -> None:
    """Forever: put the running jobs of workers silent for stalled_after seconds back in the queue."""
    while True:
        await asyncio.sleep(every)
        try:
            jobs = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
            for job in jobs:
                try:
                    await app.job_manager.retry_job(job)
                    log.warning("job %s (%s) of a silent worker put back in the queue", job.id, job.task_name)
                except Exception:  # noqa: BLE001 - another worker retried it first
                    continue
        except Exception as exc:  # noqa: BLE001 - a database hiccup must not stop the worker
            log.warning("could not look for stalled jobs: %s", exc)


async def _run_one(name: str) -> None:
    settings = get_settings()
    app = get_app()
    async with app.open_async():
        sweeper = asyncio.create_task(retry_stalled(app, settings.worker_stalled_after, settings.worker_heartbeat))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                name=name,
                concurrency=1,
                update_heartbeat_interval=settings.worker_heartbeat,
                stalled_worker_timeout=settings.worker_stalled_after,
                fetch_job_polling_interval=2.0,
                delete_jobs="successful",
            )
        finally:
            sweeper.cancel()


def run_worker(name: str = "worker") -> None:
    """One worker process: run jobs until SIGINT/SIGTERM (the running job finishes first)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    asyncio.run(_run_one(name))


def supervise(concurrency: int) -> int:
    """Run `concurrency` worker processes; restart one that dies, stop them all on SIGINT/SIGTERM."""
    cmd = [sys.executable, "-m", "app.cli", "worker", "--concurrency", "1"]
    stopping = False

    def start(i: int) -> subprocess.Popen:
        return subprocess.Popen([*cmd, "--name", f"worker-{os.getpid()}-{i}"])

    children = {i: start(i) for i in range(concurrency)}

    def stop(*_):
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        time.sleep(1)
        for i, child in list(children.items()):
            if child.poll() is not None and not stopping:
                print(f"worker {i} exited ({child.returncode}); starting another", file=sys.stderr, flush=True)
                children[i] = start(i)
    for child in children.values():
        child.wait()
    return 0

"""Failed jobs: list them with their error, queue one again."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text

from app.db import get_engine
from app.jobs.queue import get_app
from app.models import utcnow


class JobNotFound(LookupError):
    """No failed job with that id."""


@dataclass
class FailedJob:
    id: int
    task: str
    args: str
    attempts: int
    error: str | None
    at: object


_FAILED = text("""
SELECT j.id, j.task_name, j.args, j.attempts, e.error, e.at
  FROM procrastinate_jobs j LEFT JOIN joberror e ON e.job_id = j.id
 WHERE j.status = 'failed'
 ORDER BY j.id
 LIMIT :limit
""")


def failed_jobs(limit: int = 1000) -> list[FailedJob]:
    """The jobs that failed for good (all attempts used), oldest first, with their last error."""
    with get_engine().connect() as conn:
        rows = conn.execute(_FAILED, {"limit": limit}).all()
    return [
        FailedJob(r[0], r[1].removeprefix("whosaid:"), json.dumps(r[2], ensure_ascii=False)[:300], r[3], r[4], r[5])
        for r in rows
    ]


def retry_job(job_id: int) -> None:
    """Queue a failed job again, now; JobNotFound when job_id is not a failed job."""
    with get_engine().connect() as conn:
        status = conn.execute(text("SELECT status FROM procrastinate_jobs WHERE id = :id"), {"id": job_id}).scalar()
    if status != "failed":
        raise JobNotFound(
            f"no failed job {job_id}" + (f" (it is {status})" if status else "") + "; `whosaid jobs failed` lists them"
        )
    app = get_app()
    with app.open():
        app.job_manager.retry_job_by_id(job_id, retry_at=utcnow())

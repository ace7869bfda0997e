"""Extraction workers: a worker that dies takes only its own input down; the rest of the batch is processed."""

from __future__ import annotations

import os

from app.ingest.pipeline import _run_pool
from app.sources import SourceError


def _work(x):
    if x == "boom":
        os._exit(3)  # a worker killed mid-article (crash, out of memory)
    return x * 10


def test_a_dying_worker_fails_only_its_own_input():
    items = [1, 2, SourceError("bad.txt: empty file"), 3, "boom", 4, 5, 6, 7, 8, 9, 10, 11, 12]
    out = list(_run_pool(iter(items), _work, jobs=2, on_crash=lambda item, reason: f"failed {item}: {reason}"))
    assert [item for item, _ in out] == items  # in order, nothing lost
    results = {str(item): result for item, result in out}
    assert results["boom"].startswith("failed boom: worker process died")
    assert results["bad.txt: empty file"] is None
    assert [results[str(i)] for i in range(1, 13)] == [i * 10 for i in range(1, 13)]

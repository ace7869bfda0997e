"""CPU seconds from /proc for the queue bench: a busy process's clock moves, an idle one's hardly, and the
bench's clock counts processes that join midway from zero."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from app.jobs import cputime

pytestmark = pytest.mark.skipif(not cputime.available(), reason="no /proc (not Linux)")

BUSY = (
    "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\nimport sys; sys.stdin.read()"
)


def test_a_busy_process_shows_its_cpu_seconds_and_a_sleeping_one_almost_none():
    machine = cputime.machine_busy_seconds()
    busy = subprocess.Popen([sys.executable, "-c", BUSY], stdin=subprocess.PIPE)
    idle = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        clock = cputime.Clock()
        clock.start([idle.pid])  # the busy one joins later: counted from zero
        while (cputime.process_seconds(busy.pid) or 0) < 0.5:
            time.sleep(0.05)
        clock.read([busy.pid, idle.pid])
        assert cputime.process_seconds(busy.pid) >= 0.5
        assert cputime.process_seconds(idle.pid) < 0.5
        assert 0.5 <= clock.total() < 1.0 + cputime.process_seconds(idle.pid)
        assert cputime.machine_busy_seconds() - machine >= 0.5  # the busy loop ran on one of its cores
    finally:
        for proc in (busy, idle):
            proc.communicate(b"")


def test_a_process_that_is_gone_has_no_figure():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert cputime.process_seconds(proc.pid) is None
    assert cputime.process_seconds(os.getpid()) > 0

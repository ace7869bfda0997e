"""CPU seconds from Linux's /proc, for the queue bench (app.jobs.bench): per process and for the machine.

Wall time on a shared machine mostly measures the other users; CPU seconds measure the work. A
process's CPU time (user + system) counts while it runs on a core and not while it waits for one.
Ticks are 1/100 s (USER_HZ), so sums over hundreds of articles are good to well under a millisecond
per article. Where /proc is missing (not Linux) every figure is None and the bench prints wall time only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    """Whether this system has the /proc files the figures come from."""
    return (PROC / "stat").is_file() and (PROC / "self" / "stat").is_file()


def process_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far (its threads included); None once it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) ": the comm may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15 of proc(5)


def machine_busy_seconds() -> float | None:
    """CPU seconds every core of the machine spent busy since boot (all but idle and iowait)."""
    try:
        first = (PROC / "stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    ticks = [int(x) for x in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS


@dataclass
class Clock:
    """CPU seconds of a set of processes between start() and stop(); processes may join midway.

    A process seen only at stop() counts from zero (a connection opened during the run: its start-up is
    part of the run's work); one gone by stop() counts up to its last reading (read() refreshes it).
    """

    seconds_at_start: dict[int, float] = field(default_factory=dict)
    last: dict[int, float] = field(default_factory=dict)

    def read(self, pids: Iterable[int]) -> None:
        for pid in pids:
            seconds = process_seconds(pid)
            if seconds is not None:
                self.last[pid] = seconds

    def start(self, pids: Iterable[int]) -> None:
        self.read(pids)
        self.seconds_at_start = dict(self.last)

    def total(self) -> float:
        return sum(seconds - self.seconds_at_start.get(pid, 0.0) for pid, seconds in self.last.items())

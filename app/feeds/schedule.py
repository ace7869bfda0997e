"""Poll intervals: "15m"-style durations, and the exponential back-off of a failing feed."""

from __future__ import annotations

import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY = 30  # seconds: politeness floor for --every
MAX_BACKOFF = 86400  # a broken feed is still tried once a day
_PART = re.compile(r"(\d+)\s*([smhd])")


def parse_every(text: str, field: str = "--every") -> int:
    """Seconds in a duration such as "15m", "1h30m", "90s" or "2h"; ValueError naming field when unreadable."""
    value = text.strip().lower().replace(" ", "")
    if value.isdigit():
        seconds = int(value)
    else:
        parts = _PART.findall(value)
        if not parts or "".join(n + u for n, u in parts) != value:
            raise ValueError(f"{field}: {text!r} is not a duration like 15m, 1h or 90s")
        seconds = sum(int(n) * UNITS[u] for n, u in parts)
    if seconds < MIN_EVERY:
        raise ValueError(f"{field}: {text!r} is too often; at least {MIN_EVERY}s between polls")
    return seconds


def format_every(seconds: int) -> str:
    """15m, 1h30m, 45s: the short form parse_every reads."""
    out = []
    for unit in ("d", "h", "m", "s"):
        n, seconds = divmod(seconds, UNITS[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out) or "0s"


def backoff(every: int, failures: int) -> int:
    """Seconds to the next poll: `every` after a success, doubled for each failure in a row, at most a day."""
    if failures <= 0:
        return every
    return max(every, min(every * 2 ** min(failures, 20), MAX_BACKOFF))

"""Dates as they appear in metadata: ISO dates/datetimes, RFC 2822 (feeds), struct_time."""

from __future__ import annotations

import datetime as dt
import email.utils
import time


def parse_date(value) -> dt.date | None:
    """A date from value (str, date, datetime, struct_time); None when empty; ValueError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    s = str(value).strip()
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    raise ValueError(f"not a date: {s!r}")

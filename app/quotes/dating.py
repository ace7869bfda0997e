"""When a quote was said: a date the text attaches to the statement itself, with its precision.

Only a date written in the attribution, next to the reporting verb, counts ("Šimonytė said in May 2024
that …" gives May 2024 at month precision; "…, he said on 12 May 2024." gives the day). A date
elsewhere in the sentence may date something else ("the troops sent in 2022"), and a weekday or a
month without a year ("on Monday", "at the end of May") dates nothing without guessing, so they are
left alone. The caller falls back to the article's date (its metadata or its dateline), else undated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence

DAY, MONTH = "day", "month"
REACH = 40  # characters after the cue that may still hold its date ("said on Thursday, 12 May 2024,")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    (
        re.compile(rf"^\s*,?\s*on\s+(?:\w+day,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}\b", re.I),
        DAY,
    ),
    (
        re.compile(rf"^\s*,?\s*on\s+(?:\w+day,?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),
        DAY,
    ),
    (re.compile(r"^\s*,?\s*on\s+(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"), DAY),
    (re.compile(rf"^\s*,?\s*in\s+(?:early\s+|mid-|late\s+)?{_MONTH}\s+{_YEAR}\b", re.I), MONTH),
)


def _match(fragment: str) -> tuple[dt.date, str] | None:
    for pattern, precision in _PATTERNS:
        m = pattern.match(fragment)
        if m is None:
            continue
        month = m.group("month")
        number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        try:
            day = int(m.group("day")) if precision == DAY else 1
            return dt.date(int(m.group("year")), number, day), precision
        except (ValueError, IndexError):
            return None
    return None


def statement_date(
    text: str, spans: Sequence[Sequence[int]], cue_span: Sequence[int] | None
) -> tuple[dt.date, str] | None:
    """(date, "day" | "month") when the words right after the reporting cue date the statement, else None."""
    if not cue_span or len(cue_span) != 2 or not spans:
        return None
    start = cue_span[1]
    first = min(s for s, _ in spans)
    end = first if start <= first else min(len(text), start + REACH)
    fragment = text[start:end]
    if "\n" in fragment:
        fragment = fragment.split("\n", 1)[0]
    return _match(fragment)

"""A person's timeline: an accessible, server-rendered SVG bar chart of quotes per day, week, month or year.

The unit follows the span of the data: up to DAILY_MAX_DAYS per day, up to WEEKLY_MAX_DAYS per week
(labelled with the week's real first and last day), then per month, beyond MAX_MONTHS per year. A date
known only to the month ("said in May 2024") makes the chart monthly at least: it has no day to sit on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

DAILY_MAX_DAYS = 31  # up to a month of data is shown per day
WEEKLY_MAX_DAYS = 92  # ranges up to about three months are shown per week
MAX_BAR_WIDTH = 40  # a single bar is a bar, not a full-width block
MAX_MONTHS = 120  # longer ranges are shown per year


@dataclass(frozen=True)
class Bin:
    """One bar: its first day, label, long label and count."""

    start: dt.date
    label: str
    long_label: str
    count: int


def _month_add(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def day_counts(dates: Iterable[dt.date | dt.datetime | None]) -> Counter:
    """How many dates fall on each day (None left out)."""
    return Counter(d.date() if isinstance(d, dt.datetime) else d for d in dates if d is not None)


def bins(
    dates: Iterable[dt.date | dt.datetime | None] | Mapping[dt.date, int], monthly: bool = False
) -> tuple[str, list[Bin]]:
    """(unit, bins) with every empty period between the first and last date filled in.

    dates is a list of dates or a mapping of day → count (a much-quoted person's days, counted in SQL).
    monthly=True when some dates are known only to the month: then no unit finer than a month is used.
    """
    per_day = dates if isinstance(dates, Mapping) else day_counts(dates)
    days = sorted(d for d, n in per_day.items() if n)
    if not days:
        return "month", []
    first, last = days[0], days[-1]

    def tally(period) -> Counter:
        out: Counter = Counter()
        for d in days:
            out[period(d)] += per_day[d]
        return out

    if not monthly and (last - first).days <= DAILY_MAX_DAYS:
        counts = tally(lambda d: d)
        out, cur = [], first
        while cur <= last:
            out.append(Bin(cur, f"{cur.day} {cur:%b}", f"{cur.day} {cur:%B %Y}", counts.get(cur, 0)))
            cur += dt.timedelta(days=1)
        return "day", out
    if not monthly and (last - first).days <= WEEKLY_MAX_DAYS:
        start = first - dt.timedelta(days=first.weekday())
        counts = tally(lambda d: d - dt.timedelta(days=d.weekday()))
        out, cur = [], start
        while cur <= last:
            end = cur + dt.timedelta(days=6)
            short = (
                f"{cur.day}–{end.day} {end:%b}" if cur.month == end.month else f"{cur.day} {cur:%b}–{end.day} {end:%b}"
            )
            out.append(Bin(cur, short, f"{cur.day} {cur:%B} to {end.day} {end:%B %Y}", counts.get(cur, 0)))
            cur += dt.timedelta(days=7)
        return "week", out
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        per_year = tally(lambda d: d.year)
        return "year", [
            Bin(dt.date(y, 1, 1), str(y), str(y), per_year.get(y, 0)) for y in range(first.year, last.year + 1)
        ]
    per_month = tally(lambda d: (d.year, d.month))
    out, cur = [], dt.date(first.year, first.month, 1)
    for _ in range(months):
        out.append(
            Bin(
                cur,
                f"{cur:%b %Y}" if cur.month == 1 or not out else f"{cur:%b}",
                f"{cur:%B %Y}",
                per_month.get((cur.year, cur.month), 0),
            )
        )
        cur = _month_add(cur, 1)
    return "month", out


def _plural(n: int) -> str:
    return f"{n} quote" if n == 1 else f"{n} quotes"


def timeline_svg(
    dates: list[dt.date] | Mapping[dt.date, int],
    width: int = 640,
    height: int = 180,
    *,
    id_prefix: str = "timeline",
    subject: str | None = None,
    monthly: bool = False,
) -> str:
    """An SVG bar chart (inline-able in HTML) with <title>/<desc>, labelled axes and one <title> per bar."""
    unit, data = bins(dates, monthly)
    who = f" of {subject}" if subject else ""
    tid, did = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="{tid} {did}">'
    )
    if not data:
        return (
            f'{head}<title id="{tid}">Quotes{escape(who)} over time</title>'
            f'<desc id="{did}">No dated quotes yet.</desc>'
            f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" class="timeline-empty" '
            f'fill="#666" font-size="14" font-family="sans-serif">No dated quotes yet</text></svg>'
        )
    total = sum(b.count for b in data)
    peak = max(b.count for b in data)
    busiest = max(data, key=lambda b: b.count)
    left, right, top, bottom = 36, 8, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(data)
    bar_w = min(MAX_BAR_WIDTH, max(1.0, slot * 0.8))
    title = (
        f"Quotes{who} {'on' if unit == 'day' else 'in'} {data[0].long_label}"
        if len(data) == 1
        else f"Quotes{who} per {unit}, {data[0].long_label} to {data[-1].long_label}"
    )
    desc = f"{_plural(total)} in {len(data)} {unit}{'' if len(data) == 1 else 's'}; the most, {peak}, in {busiest.long_label}."
    parts = [
        head,
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        '<g class="axis" fill="#555" font-size="11" font-family="sans-serif">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, round(len(data) / max(1, plot_w // 56)))  # about one label per 56 px
    for i, b in enumerate(data):
        if i % every == 0:
            x = left + slot * i + slot / 2
            parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{escape(b.label)}</text>')
    parts.append("</g>")
    parts.append('<g class="bars" fill="#c8102e">')
    show_counts = slot >= 16
    for i, b in enumerate(data):
        h = plot_h * b.count / peak if peak else 0
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        label = f"{b.long_label}: {_plural(b.count)}"
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'data-start="{b.start.isoformat()}" data-count="{b.count}"><title>{escape(label)}</title></rect>'
        )
        if show_counts and b.count:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{max(y - 3, 10):.1f}" text-anchor="middle" '
                f'fill="#333" font-size="10" font-family="sans-serif" aria-hidden="true">{b.count}</text>'
            )
    parts.append("</g></svg>")
    return "".join(parts)

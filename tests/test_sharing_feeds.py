"""Timeline SVG (quotes per day/week/month/year, picked from the span of the data) and Atom feeds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from app.sharing.atom import atom_feed
from app.sharing.timeline import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
ATOM = "{http://www.w3.org/2005/Atom}"


def _bars(svg: str):
    root = ET.fromstring(svg)
    return root, [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def test_timeline_has_one_bar_per_month_with_counts_and_empty_months():
    dates = [
        dt.date(2024, 1, 3),
        dt.date(2024, 1, 30),
        dt.date(2024, 1, 31),
        dt.date(2024, 3, 9),
        dt.datetime(2024, 6, 1, 12, 0),
        None,
    ]
    root, bars = _bars(timeline_svg(dates))
    assert [b.get("data-start") for b in bars] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
        "2024-04-01",
        "2024-05-01",
        "2024-06-01",
    ]
    assert [int(b.get("data-count")) for b in bars] == [3, 0, 1, 0, 0, 1]
    assert bars[0].find(f"{SVG}title").text == "January 2024: 3 quotes"
    assert bars[2].find(f"{SVG}title").text == "March 2024: 1 quote"
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] > heights[2] > heights[1] == 0
    # accessible: role=img labelled by its title and description
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    titles = {el.get("id"): el.text for el in root if el.get("id")}
    assert "per month" in titles[ids[0]] and "5 quotes" in titles[ids[1]]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Jan 2024" in labels and "3" in labels  # x-axis label and the y-axis maximum


def test_a_timeline_from_counts_per_day_draws_the_same_chart_as_the_dates():
    """A much-quoted person's page counts quotes per day in SQL instead of listing every date."""
    dates = [dt.date(2023, 1, 3)] * 40 + [dt.date(2024, 7, 9)] * 3 + [dt.date(2026, 2, 1)]
    counts = {dt.date(2023, 1, 3): 40, dt.date(2024, 7, 9): 3, dt.date(2026, 2, 1): 1, dt.date(2025, 1, 1): 0}
    assert timeline_svg(counts) == timeline_svg(dates)
    _root, bars = _bars(timeline_svg(counts))
    assert [int(b.get("data-count")) for b in bars if int(b.get("data-count"))] == [40, 3, 1]


def test_ranges_up_to_three_months_are_shown_per_week_labelled_with_real_days():
    dates = [dt.date(2024, 5, 6), dt.date(2024, 5, 8), dt.date(2024, 6, 20)]
    root, bars = _bars(timeline_svg(dates, id_prefix="p1"))
    assert [int(b.get("data-count")) for b in bars] == [2, 0, 0, 0, 0, 0, 1]
    assert "per week" in root.find(f"{SVG}title").text
    assert root.find(f"{SVG}title").get("id") == "p1-title"
    assert bars[0].find(f"{SVG}title").text == "6 May to 12 May 2024: 2 quotes"
    assert "6–12 May" in [t.text for t in root.iter(f"{SVG}text")]


def test_one_day_of_quotes_is_one_narrow_bar_labelled_with_that_day():
    root, bars = _bars(timeline_svg([dt.date(2024, 5, 12)] * 4))
    assert len(bars) == 1 and bars[0].get("data-start") == "2024-05-12"
    assert float(bars[0].get("width")) <= 40  # not one full-width block
    assert "12 May" in [t.text for t in root.iter(f"{SVG}text")]
    assert root.find(f"{SVG}title").text == "Quotes on 12 May 2024"


def test_a_short_span_is_shown_per_day():
    root, bars = _bars(timeline_svg([dt.date(2024, 5, 10), dt.date(2024, 5, 12), dt.date(2024, 5, 12)]))
    assert [(b.get("data-start"), b.get("data-count")) for b in bars] == [
        ("2024-05-10", "1"),
        ("2024-05-11", "0"),
        ("2024-05-12", "2"),
    ]
    assert "per day" in root.find(f"{SVG}title").text


def test_a_date_known_only_to_the_month_makes_the_chart_monthly():
    root, bars = _bars(timeline_svg([dt.date(2024, 5, 1), dt.date(2024, 5, 12)], monthly=True))
    assert [(b.get("data-start"), b.get("data-count")) for b in bars] == [("2024-05-01", "2")]
    assert bars[0].find(f"{SVG}title").text == "May 2024: 2 quotes"
    assert root.find(f"{SVG}title").text == "Quotes in May 2024"


def test_timeline_empty_state():
    root, bars = _bars(timeline_svg([]))
    assert bars == [] and root.get("role") == "img"
    assert "No dated quotes" in "".join(root.itertext())


def test_atom_feed_is_valid_atom_with_escaped_content():
    entries = [
        {
            "id": "https://w.example/q/a1",
            "title": "Šimonytė: “There is such an option.”",
            "url": "https://w.example/q/a1",
            "updated": dt.date(2024, 5, 12),
            "published": dt.date(2024, 5, 12),
            "author": "Ingrida Šimonytė",
            "content": "<script>alert(1)</script> & \x0b more",
        },
        {
            "id": "https://w.example/q/a2",
            "title": "Unknown speaker",
            "url": "https://w.example/q/a2",
            "updated": dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "author": None,
            "content": "Second",
        },
    ]
    xml = atom_feed(
        "https://w.example/quotes.atom?person=ingrida-simonyte",
        "Quotes by Ingrida Šimonytė",
        "https://w.example/quotes.atom?person=ingrida-simonyte&x=1",
        "https://w.example/quotes?person=ingrida-simonyte",
        entries,
    )
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    assert root.find(f"{ATOM}updated").text == "2024-06-01T07:30:00Z"  # newest entry, in UTC
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("person=ingrida-simonyte&x=1")
    got = root.findall(f"{ATOM}entry")
    assert len(got) == 2
    for entry in got:
        for tag in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
    first = got[0]
    assert first.find(f"{ATOM}updated").text == "2024-05-12T00:00:00Z"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Ingrida Šimonytė"
    assert first.find(f"{ATOM}content").text == "<script>alert(1)</script> &  more"
    assert first.find(f"{ATOM}content").get("type") == "text"


def test_atom_feed_without_entries_still_has_updated():
    root = ET.fromstring(
        atom_feed(
            "tag:w.example,2024:empty",
            "Nothing",
            "https://w.example/a.atom",
            "https://w.example/a",
            [],
            updated=dt.date(2024, 1, 1),
        )
    )
    assert root.find(f"{ATOM}updated").text == "2024-01-01T00:00:00Z"
    assert root.findall(f"{ATOM}entry") == []

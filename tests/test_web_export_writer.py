"""The export writer's shortcuts give exactly what the slower general code gives (slugs, URLs, CSV cells)."""

from __future__ import annotations

import csv
import io
import threading
from urllib.parse import quote

import pytest
import web_factories as wf
from hypothesis import given, settings
from hypothesis import strategies as st

from app.web import export_writer, urls
from app.web.export_writer import (
    CSV_QUOTE_COLUMNS,
    QUOTE_COLUMNS,
    ExportWriter,
    cell,
    csv_blocks,
    json_blocks,
    quote_slug,
    slug_part,
    url_part,
)
from app.web.exports import safe_row
from app.web.filters import QuoteFilters
from app.web.queries import iter_quote_pages
from app.web.streaming import accepts_gzip, read_ahead

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
WORDY = st.lists(
    st.sampled_from(
        [
            "Ça",
            "va",
            "très",
            "bien",
            "don't",
            "_x_",
            "©",
            "½",
            "Straße",
            "日本",
            "42",
            "—",
            " ",
            "  ",
            "'",
            "-",
            "ǅ",
            "İstanbul",
            "a" * 30,
            "\n",
            "x_y",
        ]
    ),
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(st.none(), TEXT, WORDY.map("".join)), text=st.one_of(TEXT, WORDY.map(" ".join)))
def test_permalink_slug_is_the_sites_slug(name, text):
    assert quote_slug(slug_part(name or "unknown speaker"), text) == urls.quote_slug(name, text)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), TEXT, st.sampled_from(["a,b", '"q"', "=1", "-", "\r\n", "x\ny", ""])),
        min_size=2,
        max_size=6,
    )
)
def test_csv_cells_are_what_csv_writer_writes_of_safe_cells(values):
    buf = io.StringIO()
    csv.writer(buf).writerow(safe_row(values))
    assert ",".join(cell(v) for v in values) + "\r\n" == buf.getvalue()


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(TEXT, st.sampled_from(["q0123abcdef", "a b", "ä", "a/b", "~x_y.z-"])))
def test_url_parts_are_quoted_as_urllib_quotes_them(value):
    assert url_part(value) == quote(value)


@pytest.mark.parametrize(
    "header, gzip",
    [
        ("gzip, deflate", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("deflate, br", False),
        ("gzip;q=nope", False),
    ],
)
def test_exports_are_gzipped_only_for_clients_that_take_gzip(header, gzip):
    assert accepts_gzip(header) is gzip


def test_pages_read_with_caches_starting_afresh_give_the_same_export(session, monkeypatch):
    people = [wf.person(session, "Anna Berg"), wf.person(session, "Jonas Vale")]
    for n in range(2):
        said = [f"Words number {n}{k} here," for k in range(3)]
        art = wf.article(session, f"Story {n}\n\n" + " ".join(f'"{w}" said someone.' for w in said), title=f"Story {n}")
        for k, w in enumerate(said):
            wf.quote(session, art, w, people[k % 2] if k else None)

    def export(chunk, limit):
        monkeypatch.setattr(export_writer, "CACHE_LIMIT", limit)
        writer = ExportWriter(session, "http://testserver")
        pages = list(iter_quote_pages(session, QuoteFilters(), QUOTE_COLUMNS, chunk))
        csv_pages = iter_quote_pages(session, QuoteFilters(), CSV_QUOTE_COLUMNS, chunk)
        return len(pages), b"".join(csv_blocks(writer, csv_pages)), b"".join(json_blocks(writer, pages, "{"))

    whole = export(5000, 1000)
    assert whole[0] == 1 and export(2, 0) == (3,) + whole[1:]  # each page shares an article and a speaker with the last
    assert whole[1].count(b"Anna Berg") == 2 and whole[1].count(b"\r\n") == 7 and whole[2].count(b"\n") == 6


def test_read_ahead_keeps_the_order_and_closes_the_pages_where_they_are_read_when_the_client_leaves():
    """Exports read the next page in a thread while writing this one: same rows, same order; a client
    that leaves half way closes the page reader (its database cursor) in that thread, after its last read."""
    closed_in = []

    def pages():
        try:
            yield from range(10)
        finally:
            closed_in.append(threading.current_thread().name)

    assert list(read_ahead(pages())) == list(range(10))
    reader = read_ahead(pages())
    assert [next(reader) for _ in range(3)] == [0, 1, 2]
    reader.close()
    assert len(closed_in) == 2 and closed_in[1].startswith("read-ahead")

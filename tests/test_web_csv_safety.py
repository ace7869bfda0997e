"""CSV exports never hand a spreadsheet a live formula (OWASP "CSV injection"), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest

from app.web.exports import safe_cell
from tests import web_factories as wf

HOSTILE = '=HYPERLINK("http://evil.example","t")'


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_safe_cell_prefixes_only_formula_starts(value, expected):
    assert safe_cell(value) == expected


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_titles_publishers_quotes_and_names_starting_with_formula_marks_are_neutralised(client, session):
    art = wf.article(session, '"@everyone look" said the man.\n-- and more', title=HOSTILE, publisher="+Daily")
    who = wf.person(session, "=cmd|' /C calc'!A0", slug="cmd", role="-minister", organisation="@org")
    wf.quote(session, art, "@everyone look", who=who)
    rows = _rows(client.get("/quotes.csv").text)
    assert len(rows) == 1
    row = rows[0]
    assert row["article_title"] == "'" + HOSTILE
    assert row["publisher"] == "'+Daily"
    assert row["text"] == "'@everyone look"
    assert row["speaker"] == "'=cmd|' /C calc'!A0"
    assert row["role"] == "'-minister" and row["organisation"] == "'@org"
    assert row["uid"] and not row["uid"].startswith("'")
    person_rows = _rows(client.get("/people/cmd.csv").text)
    assert person_rows[0]["article_title"] == "'" + HOSTILE
    people = _rows(client.get("/people.csv").text)
    assert people and all(not v.startswith(("=", "+", "-", "@")) for r in people for v in r.values() if v)
    assert any(v == "'=cmd|' /C calc'!A0" for r in people for v in r.values())
    assert client.get("/quotes.json").json()["quotes"][0]["article"]["title"] == HOSTILE  # JSON is data: unchanged

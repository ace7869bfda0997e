"""Full exports (/quotes.json, /quotes.csv): every field, in the format a quote's own /q/{uid}.json gives it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import web_factories as wf

NOTES = "Notes\n\n"


@pytest.fixture
def varied(session):
    """Quotes that exercise every field: known, merged and unknown speakers, undated quotes, odd text, URLs."""
    text = (
        NOTES + '"Ça va très bien," said Åsa Öberg.\n'
        '"A line\twith a tab, a \\ backslash and ""quotes""," he said.\n'
        '"=SUM(A1)" was typed, she said.\n'
        '"First part" and "second part," they said.\n'
        '"Nobody signed this," the letter said.\n'
    )
    art = wf.article(
        session,
        text,
        title="Über «Zölle»",
        publisher=None,
        published=dt.date(2024, 2, 29),
        url="https://news.example/a?b=1&c=2",
    )
    art.canonical_url = "https://news.example/canonical/über"
    art.author = "Jo Ann"
    session.add(art)
    undated_art = wf.article(
        session, 'Undated\n\n"No date at all," said Ned.', title="Undated", published=None, url=None
    )
    asa = wf.person(session, "Åsa Öberg", slug="asa-oberg", role="minister", country="SE", organisation="Riksdag")
    old = wf.person(session, "A. Oberg", slug="a-oberg")
    old.merged_into_id = asa.id
    session.add(old)
    ned = wf.person(session, "Ned", slug="ned")
    ned.kind = "organisation"
    session.add(ned)
    session.commit()
    quotes = [
        wf.quote(session, art, "Ça va très bien,", asa, cue="said", speaker="Åsa Öberg"),
        wf.quote(
            session,
            art,
            'A line\twith a tab, a \\ backslash and ""quotes"",',
            old,
            date=dt.date(2023, 12, 31),
            speaker="he",
        ),
        wf.quote(session, art, "=SUM(A1)", None, kind="indirect"),
        wf.quote(session, art, ["First part", "second part,"], None, kind="mixed", speaker="they"),
        wf.quote(session, undated_art, "No date at all,", ned),
    ]
    quotes[4].date = None
    session.add(quotes[4])
    session.commit()
    return quotes


def _json_export(client, url: str = "/quotes.json") -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return r.json()["quotes"]


def test_each_exported_quote_is_exactly_its_permalink_json(client, varied):
    exported = _json_export(client)
    assert {q["uid"] for q in exported} == {q.uid for q in varied}
    for record in exported:
        assert record == client.get(f"/q/{record['uid']}.json").json()


def test_export_fields_carry_dates_urls_and_speakers_in_their_documented_form(client, varied):
    by_uid = {q["uid"]: q for q in _json_export(client)}
    asa, merged, formula, mixed, undated = (by_uid[q.uid] for q in varied)
    assert asa["date"] == "2024-02-29" and asa["article"]["published"] == "2024-02-29"
    assert asa["url"] == f"http://testserver/q/{varied[0].uid}/asa-oberg-ca-va-tres-bien"
    assert asa["in_context"] == f"http://testserver/articles/{asa['article']['uid']}#q-{varied[0].uid}"
    assert asa["article"]["url"] == f"http://testserver/articles/{asa['article']['uid']}"
    assert asa["article"]["source_url"] == "https://news.example/canonical/über"
    assert asa["article"]["author"] == "Jo Ann" and asa["article"]["publisher"] is None
    assert asa["speaker"] == {
        "name": "Åsa Öberg",
        "slug": "asa-oberg",
        "kind": "person",
        "role": "minister",
        "country": "SE",
        "organisation": "Riksdag",
        "url": "http://testserver/people/asa-oberg",
    }
    assert asa["cue"] == "said" and asa["speaker_mention"] == "Åsa Öberg" and asa["kind"] == "direct"
    assert merged["speaker"]["slug"] == "asa-oberg" and merged["date"] == "2023-12-31"
    assert merged["text"] == 'A line\twith a tab, a \\ backslash and ""quotes"",'
    assert formula["speaker"] is None and formula["text"] == "=SUM(A1)" and "/unknown-speaker-sum-a1" in formula["url"]
    assert mixed["text"] == "First part … second part," and len(mixed["spans"]) == 2 and mixed["kind"] == "mixed"
    assert undated["date"] is None and undated["article"]["published"] is None
    assert undated["article"]["source_url"] is None and undated["speaker"]["kind"] == "organisation"


def test_csv_row_holds_the_json_fields_with_formulas_neutralised(client, varied):
    records = {q["uid"]: q for q in _json_export(client)}
    r = client.get("/quotes.csv")
    assert r.headers["content-disposition"] == 'attachment; filename="quotes.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["uid"] for row in rows] == list(records)
    for row in rows:
        j = records[row["uid"]]
        sp = j["speaker"] or {}
        expected = {
            "uid": j["uid"],
            "date": j["date"] or "",
            "kind": j["kind"],
            "text": j["text"],
            "speaker": sp.get("name") or "",
            "speaker_slug": sp.get("slug") or "",
            "role": sp.get("role") or "",
            "country": sp.get("country") or "",
            "organisation": sp.get("organisation") or "",
            "article_title": j["article"]["title"],
            "publisher": j["article"]["publisher"] or "",
            "published": j["article"]["published"] or "",
            "source_url": j["article"]["source_url"] or "",
            "permalink": j["url"],
            "in_context": j["in_context"],
        }
        if expected["text"].startswith("="):
            expected["text"] = "'" + expected["text"]
        assert row == expected


def test_json_export_puts_each_quote_on_its_own_line(client, varied):
    lines = client.get("/quotes.json").text.splitlines()
    assert len(lines) == len(varied)  # the first line opens the object and holds the first quote


def test_exports_leave_out_hidden_quotes_and_keep_filters(client, session, varied):
    hidden_art = wf.article(session, 'Hidden\n\n"Take this back," said Åsa.', title="Hidden")
    hidden = wf.quote(session, hidden_art, "Take this back,", None, hidden=True, reason="duplicate")
    assert hidden.uid not in {q["uid"] for q in _json_export(client)}
    assert hidden.uid not in client.get("/quotes.csv").text
    by_asa = _json_export(client, "/quotes.json?person=asa-oberg")
    assert sorted(q["uid"] for q in by_asa) == sorted([varied[0].uid, varied[1].uid])
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/quotes.csv?kind=mixed").text)))
    assert [row["uid"] for row in csv_rows] == [varied[3].uid]


@pytest.mark.parametrize("path", ["/quotes.json", "/quotes.csv"])
def test_exports_are_gzipped_for_clients_that_take_it_and_plain_for_others(client, varied, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert packed.content == plain.content  # the client decodes it to the same bytes

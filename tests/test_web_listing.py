"""Web: the quote listing /quotes (and /), its filters, paging, htmx fragment and .json/.csv/.atom mirrors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
import web_factories as wf

ATOM = "{http://www.w3.org/2005/Atom}"


def card_ids(html: str) -> list[str]:
    """Quote uids of the cards on a page, in order."""
    return re.findall(r'<article class="card[^"]*" id="card-([^"]+)"', html)


def json_ids(client, url: str) -> list[str]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return [q["uid"] for q in r.json()["quotes"]]


@pytest.fixture
def dated(session):
    """Five quotes by two people on five different dates, in different articles (no grouping)."""
    a = wf.person(session, "Anna Berg", role="minister", country="SE")
    b = wf.person(session, "Jonas Vale", country="LT")
    out = []
    words = [
        "Harbour tariffs will rise next spring,",
        "Our farmers cannot wait another decade,",
        "The bridge opens on time and under budget,",
        "Nobody voted for a tax on bicycles,",
        "Schools stay open through the winter storms,",
    ]
    for i, (who, day) in enumerate([(a, 3), (b, 10), (a, 1), (b, 20), (a, 15)]):
        text = f'Story {i}\n\n"{words[i]}" the speaker said.'
        art = wf.article(session, text, title=f"Story {i}", published=dt.date(2024, 4, day))
        out.append(wf.quote(session, art, words[i], who))
    return {"a": a, "b": b, "quotes": out}


def newest_first(d) -> list[str]:
    return [q.uid for q in sorted(d["quotes"], key=lambda q: q.date, reverse=True)]


def test_cards_newest_first_on_quotes_and_root(client, dated):
    expected = newest_first(dated)
    assert card_ids(client.get("/quotes").text) == expected
    assert card_ids(client.get("/").text) == expected


def test_person_filter_narrows(client, dated):
    ids = card_ids(client.get("/quotes", params={"person": "anna-berg"}).text)
    assert ids and set(ids) == {q.uid for q in dated["quotes"] if q.person_id == dated["a"].id}


def test_country_filter_narrows_case_insensitive(client, dated):
    ids = card_ids(client.get("/quotes", params={"country": "lt"}).text)
    assert set(ids) == {q.uid for q in dated["quotes"] if q.person_id == dated["b"].id}


def test_date_range_inclusive(client, dated):
    ids = card_ids(client.get("/quotes", params={"from": "2024-04-03", "to": "2024-04-15"}).text)
    expected = [q.uid for q in dated["quotes"] if dt.date(2024, 4, 3) <= q.date <= dt.date(2024, 4, 15)]
    assert len(expected) == 3
    assert sorted(ids) == sorted(expected)


def test_text_search_matches_quote_words_and_speaker_names(client, dated):
    ids = card_ids(client.get("/quotes", params={"q": "under budget"}).text)
    assert ids == [dated["quotes"][2].uid]
    by_name = card_ids(client.get("/quotes", params={"q": "Vale"}).text)
    assert set(by_name) == {q.uid for q in dated["quotes"] if q.person_id == dated["b"].id}


def test_search_ignores_which_apostrophe_or_quote_mark_was_typed(client, session):
    art = wf.article(session, "T\n\n\u201cWe don\u2019t retreat from the \u2018Patriot\u2019 line,\u201d she said.")
    q = wf.quote(session, art, "We don\u2019t retreat from the \u2018Patriot\u2019 line,")
    other = wf.article(session, 'U\n\n"We do not retreat," he said.')
    wf.quote(session, other, "We do not retreat,")
    for typed in ("don't retreat", "don’t retreat", "'Patriot' line", "DON'T RETREAT"):
        assert card_ids(client.get("/quotes", params={"q": typed}).text) == [q.uid], typed
    for typed in ("d_n't retreat", "d%t retreat"):  # _ and % are not wildcards
        assert card_ids(client.get("/quotes", params={"q": typed}).text) == [], typed


def test_kind_filter(client, session):
    d = wf.sample(session)
    ids = card_ids(client.get("/quotes", params={"kind": "indirect"}).text)
    assert ids == [d["quotes"]["practical"].uid]


@pytest.mark.parametrize(
    "params,name",
    [
        ({"from": "2024-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"kind": "rumour"}, "kind"),
        ({"country": "Lithuania"}, "country"),
        ({"limit": "0"}, "limit"),
        ({"page": "two"}, "page"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "from"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, params, name):
    html = client.get("/quotes", params=params)
    assert html.status_code == 400
    assert f"Bad parameter: {name}" in html.text
    js = client.get("/quotes.json", params=params if name != "limit" else {"limit": "-1"})
    assert js.status_code == 400
    assert js.json()["error"] == f"Bad parameter: {name}"


def test_pagination_complete_and_non_overlapping(client, dated):
    seen = []
    for page in (1, 2, 3):
        seen += card_ids(client.get("/quotes", params={"limit": 2, "page": page}).text)
    assert seen == newest_first(dated)
    assert card_ids(client.get("/quotes", params={"limit": 2, "page": 4}).text) == []
    paged_json = json_ids(client, "/quotes.json?limit=2&page=2")
    assert paged_json == newest_first(dated)[2:4]


def test_next_link_keeps_filters(client, dated):
    html = client.get("/quotes", params={"person": "anna-berg", "limit": 1}).text
    nxt = re.search(r'href="(/quotes\?[^"]*before=[^"]*)"', html)
    assert nxt, "no next-page link"
    link = nxt.group(1).replace("&amp;", "&")
    assert "person=anna-berg" in link and "limit=1" in link


def test_hidden_quotes_never_listed(client, session):
    art = wf.article(session, 'T\n\n"Visible words here," she said. "False words there," she said.')
    shown = wf.quote(session, art, "Visible words here,")
    gone = wf.quote(session, art, "False words there,", hidden=True, reason="not a quote")
    assert card_ids(client.get("/quotes").text) == [shown.uid]
    assert json_ids(client, "/quotes.json") == [shown.uid]
    assert gone.uid not in client.get("/quotes.csv").text
    assert gone.uid not in client.get("/quotes.atom").text
    assert gone.uid not in client.get(f"/articles/{art.uid}").text


def test_unknown_speaker_shown(client, session):
    d = wf.sample(session)
    html = client.get("/quotes", params={"kind": "mixed", "q": "settled"}).text
    assert card_ids(html) == [d["quotes"]["crowd"].uid]
    assert "Unknown speaker" in html


def test_htmx_gets_fragment_and_vary(client, session):
    wf.sample(session)
    full = client.get("/quotes")
    frag = client.get("/quotes", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in frag.text
    assert card_ids(frag.text) == card_ids(full.text)
    for r in (full, frag):
        assert "HX-Request" in r.headers["vary"]


def test_filter_form_is_htmx_and_labelled(client, session):
    wf.sample(session)
    html = client.get("/quotes").text
    form = re.search(r"<form[^>]*class=\"filters\"[^>]*>", html, re.S).group(0)
    assert 'hx-get="/quotes"' in form and 'hx-push-url="true"' in form
    for name in ("person", "country", "from", "to", "q", "kind"):
        field = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)
        assert field, name
        fid = re.search(r'id="([^"]+)"', field.group(0)).group(1)
        assert f'<label for="{fid}"' in html, name


def test_filter_form_keeps_current_values(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"q": "frustration", "from": "2024-01-02"}).text
    assert re.search(r'name="q"[^>]*value="frustration"|value="frustration"[^>]*name="q"', html)
    assert 'value="2024-01-02"' in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"person": "gabrielius-landsbergis"},
        {"country": "LT", "limit": "2"},
        {"q": "Macron"},
        {"from": "2024-04-01"},
        {"kind": "mixed"},
    ],
)
def test_exports_mirror_html_listing(client, dated, session, params):
    wf.sample(session)
    html_ids = card_ids(client.get("/quotes", params=params).text)
    assert json_ids(client, "/quotes.json?" + "&".join(f"{k}={v}" for k, v in params.items())) == html_ids

    r = client.get("/quotes.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][0] == "uid" and "speaker" in rows[0] and "text" in rows[0]
    assert [row[0] for row in rows[1:]] == html_ids

    r = client.get("/quotes.atom", params=params)
    assert r.status_code == 200 and "atom" in r.headers["content-type"]
    feed = ET.fromstring(r.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(html_ids)
    for entry, uid in zip(entries, html_ids, strict=True):
        assert f"/q/{uid}" in entry.find(f"{ATOM}id").text


def test_csv_fields_with_commas_and_quotes_round_trip(client, session):
    art = wf.article(session, 'T\n\n"We said, plainly, ""no"" to that," he said.')
    q = wf.quote(session, art, 'We said, plainly, ""no"" to that,')
    rows = list(csv.DictReader(io.StringIO(client.get("/quotes.csv").text)))
    assert [r["uid"] for r in rows] == [q.uid]
    assert rows[0]["text"] == 'We said, plainly, ""no"" to that,'
    assert rows[0]["speaker"] == ""


def test_unknown_export_format_is_400(client):
    r = client.get("/quotes.xml")
    assert r.status_code in (400, 404)
    assert "xml" in r.text


def test_export_page_without_limit_mirrors_html_page(client, session):
    """`/quotes.json?page=2` is the same page as `/quotes?page=2` (default page size), not every quote again."""
    import hashlib

    uids = []
    for i in range(27):
        words = " ".join(hashlib.sha1(f"{i}-{k}".encode()).hexdigest()[:8] for k in range(5))
        art = wf.article(
            session, f'Story {i}\n\n"{words}," she said.', published=dt.date(2024, 1, 1) + dt.timedelta(days=i)
        )
        uids.append(wf.quote(session, art, f"{words},").uid)
    html_page2 = card_ids(client.get("/quotes", params={"page": 2}).text)
    assert html_page2 == list(reversed(uids))[25:]
    assert json_ids(client, "/quotes.json?page=2") == html_page2
    csv_ids = [r["uid"] for r in csv.DictReader(io.StringIO(client.get("/quotes.csv?page=2").text))]
    assert csv_ids == html_page2
    assert len(json_ids(client, "/quotes.json")) == 27  # no page: every row


@pytest.mark.parametrize("typed", ["Šimonytė", "šimonytė", "ŠIMONYTĖ", "Simonyte", "simonyte", "Shimonite"])
def test_search_finds_speaker_with_or_without_diacritics(client, session, typed):
    d = wf.sample(session)
    assert card_ids(client.get("/quotes", params={"q": typed}).text) == [d["quotes"]["option"].uid]
    slugs = [p["slug"] for p in client.get("/people.json", params={"q": typed}).json()["people"]]
    assert slugs == ["ingrida-simonyte"]


def test_reloaded_filtered_view_keeps_selections_and_title(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"person": "gabrielius-landsbergis", "country": "LT", "kind": "direct"}).text
    assert re.search(r'<input id="f-person"[^>]*value="gabrielius-landsbergis"', html)
    assert re.search(r'<option value="LT" selected', html)
    assert re.search(r'<option value="direct" selected', html)
    assert "Direct quotes by Gabrielius Landsbergis from Lithuania" in re.search(r"<title>(.*?)</title>", html).group(1)


def test_unknown_person_filter_says_so(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"person": "nobody-here"}).text
    assert card_ids(html) == []
    assert "nobody-here" in html and "0 quotes" in html


def test_undated_quotes_come_last_and_drop_out_of_date_filters(client, session, dated):
    art = wf.article(session, 'Undated\n\n"Ferries will run all night," he said.', published=None)
    undated = wf.quote(session, art, "Ferries will run all night,", dated["a"], date=None)
    assert undated.date is None
    ids = card_ids(client.get("/quotes").text)
    assert ids == newest_first(dated) + [undated.uid]
    assert json_ids(client, "/quotes.json") == ids
    assert undated.uid not in card_ids(client.get("/quotes", params={"from": "2000-01-01"}).text)
    assert undated.uid not in card_ids(client.get("/quotes", params={"to": "2100-01-01"}).text)


def test_quote_date_falls_back_to_article_date(client, session):
    art = wf.article(session, 'Dated by article\n\n"Tolls go up in June," he said.', published=dt.date(2023, 6, 1))
    q = wf.quote(session, art, "Tolls go up in June,")
    q.date = None
    session.add(q)
    session.commit()
    assert card_ids(client.get("/quotes", params={"from": "2023-06-01", "to": "2023-06-01"}).text) == [q.uid]
    assert card_ids(client.get("/quotes", params={"to": "2023-05-31"}).text) == []


def test_every_card_links_to_its_highlighted_passage_and_canonical_permalink(client, session):
    wf.sample(session)
    html = client.get("/quotes").text
    cards = re.findall(r'<article class="card[^"]*" id="card-([^"]+)".*?</article>', html, re.S)
    assert len(cards) == 6
    for uid in cards:
        block = re.search(rf'id="card-{uid}".*?</article>', html, re.S).group(0)
        ctx = re.search(rf'href="(/articles/[^"#]+)#q-{uid}"', block)
        assert ctx, uid
        assert re.search(rf'<mark[^>]*id="q-{uid}"', client.get(ctx.group(1)).text), uid
        perma = re.search(rf'href="(/q/{uid}/[^"]+)"', block)
        assert perma, uid
        assert client.get(perma.group(1), follow_redirects=False).status_code == 200, uid


def test_huge_numbers_get_a_true_message(client):
    r = client.get("/quotes.json", params={"limit": "99999999999"})
    assert r.status_code == 400 and "too large" in r.json()["detail"]
    r = client.get("/quotes", params={"page": "123456789012"})
    assert r.status_code == 400 and "too large" in r.text
    r = client.get("/quotes.json", params={"limit": "-3"})
    assert r.status_code == 400 and "not a whole number" in r.json()["detail"]


def test_atom_feed_is_valid_atom_for_a_filtered_listing(client, session):
    d = wf.sample(session)
    r = client.get("/quotes.atom", params={"person": "gabrielius-landsbergis"})
    feed = ET.fromstring(r.content)
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{tag}") is not None and feed.find(f"{ATOM}{tag}").text, tag
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert "person=gabrielius-landsbergis" in links["self"] and "/quotes.atom" in links["self"]
    assert "person=gabrielius-landsbergis" in links["alternate"]
    assert "Gabrielius Landsbergis" in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert e.find(f"{ATOM}{tag}") is not None and e.find(f"{ATOM}{tag}").text, tag
        dt.datetime.fromisoformat(e.find(f"{ATOM}updated").text.replace("Z", "+00:00"))
        assert "Gabrielius Landsbergis" in ET.tostring(e, encoding="unicode")
    assert d["quotes"]["rule"].uid not in r.text


def test_form_submission_with_empty_fields_is_the_unfiltered_listing(client, session):
    """A no-JS form submit (or htmx include) sends every field, empty ones too."""
    wf.sample(session)
    empty = {"person": "", "country": "", "from": "", "to": "", "kind": "", "q": " ", "limit": "", "page": ""}
    r = client.get("/quotes", params=empty)
    assert r.status_code == 200
    assert card_ids(r.text) == card_ids(client.get("/quotes").text)
    assert json_ids(client, "/quotes.json?person=&country=&from=&to=&kind=&q=") == card_ids(r.text)

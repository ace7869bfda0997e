"""Search display: matches marked in cards, a heading and <title> that say what is shown (also after an
htmx swap), and an empty result that offers to widen the search."""

from __future__ import annotations

import datetime as dt
import re

from app.web.highlight import highlight_matches
from app.web.listing import date_range_text
from tests import web_factories as wf

HX = {"HX-Request": "true"}


def test_highlight_marks_words_whatever_their_case_accents_and_spelling():
    out = str(highlight_matches("Air defense for Šimonytė’s organized colour", "AIR defence simonyte's organise color"))
    assert out == (
        '<mark class="hit">Air</mark> <mark class="hit">defense</mark> for <mark class="hit">Šimonytė’s</mark> '
        '<mark class="hit">organize</mark>d <mark class="hit">colour</mark>'
    )


def test_highlight_in_plain_ascii_text_folds_case_and_apostrophes_too():
    assert str(highlight_matches("We DON`T agree, Don't we?", "don’t")) == (
        'We <mark class="hit">DON`T</mark> agree, <mark class="hit">Don&#39;t</mark> we?'
    )


def test_highlight_escapes_the_text_and_the_search():
    out = str(highlight_matches('<script>alert("x")</script> air', "<script> air"))
    assert "<script>" not in out and "&lt;" in out and '<mark class="hit">air</mark>' in out
    assert str(highlight_matches("a < b", None)) == "a &lt; b"


def test_highlight_a_quoted_phrase_as_one_match_and_only_at_word_starts():
    assert (
        str(highlight_matches("the air defence plan", '"air defense"'))
        == 'the <mark class="hit">air defence</mark> plan'
    )
    assert "mark" not in str(highlight_matches("repair", "air"))


def test_cards_mark_what_the_search_found(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"q": "troops"}).text
    assert 'Our <mark class="hit">troops</mark> trained' in html


def test_heading_and_title_say_what_is_shown(client, session):
    wf.sample(session)
    params = {"person": "gabrielius-landsbergis", "from": "2024-05-01", "to": "2024-05-31"}
    html = client.get("/quotes", params=params).text
    assert "<title>Quotes by Gabrielius Landsbergis, May 2024 · Whosaid</title>" in html
    assert '<h1 id="listing-title">Quotes by Gabrielius Landsbergis, May 2024</h1>' in html
    assert "<title>Quotes · Whosaid</title>" in client.get("/quotes").text


def test_an_htmx_swap_brings_the_title_and_heading_along(client, session):
    wf.sample(session)
    frag = client.get("/quotes", params={"kind": "direct", "q": "option"}, headers=HX).text
    assert "<html" not in frag
    assert frag.lstrip().startswith("<title>Direct quotes matching “option” · Whosaid</title>")
    assert '<h1 id="listing-title" hx-swap-oob="true">Direct quotes matching “option”</h1>' in frag
    person = client.get(
        "/people/gabrielius-landsbergis", params={"from": "2024-05-12", "to": "2024-05-12"}, headers=HX
    ).text
    assert '<h2 id="listing-title" hx-swap-oob="true">Quotes by Gabrielius Landsbergis, 12 May 2024</h2>' in person


def test_date_ranges_read_as_people_write_them():
    d = dt.date
    assert date_range_text(d(2024, 5, 1), d(2024, 5, 31)) == "May 2024"
    assert date_range_text(d(2024, 1, 1), d(2024, 12, 31)) == "2024"
    assert date_range_text(d(2024, 5, 12), d(2024, 5, 20)) == "12 to 20 May 2024"
    assert date_range_text(d(2024, 5, 12), None) == "since 12 May 2024"
    assert date_range_text(None, d(2024, 5, 12)) == "until 12 May 2024"


def test_an_empty_result_offers_to_widen_the_search(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"q": "zeppelin", "kind": "direct"}).text
    assert "No quotes match direct quotes matching “zeppelin”" in html
    widen = re.search(r'<ul class="widen">.*?</ul>', html, re.S).group(0)
    links = {label: href for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', widen)}
    assert links["Search all words, not only “zeppelin”"] == "/quotes?kind=direct"
    assert links["Show every kind of quote"] == "/quotes?q=zeppelin"

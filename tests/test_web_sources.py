"""Web: the same words in several outlets show as one card listing every source, whatever the page."""

from __future__ import annotations

import datetime as dt
import re

import web_factories as wf

WORDS = "Our troops trained Ukrainians in Ukraine before the war, and they could do it again"


def card_ids(html: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*" id="card-([^"]+)"', html)


def sources_of(html: str) -> list[str]:
    """Publishers listed under 'Reported by N sources', in order."""
    block = re.search(r"Reported by (\d+) sources[^<]*</(?:summary|h2)>(.*?)</ol>", html, re.S)
    return re.findall(r"</cite>, ([^\n<]+)", block.group(2)) if block else []


def outlets(session):
    """The same words by one speaker in two outlets a day apart, plus look-alikes that must stay apart."""
    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT")
    other = wf.person(session, "Ingrida Šimonytė", role="prime minister", country="LT")
    first = wf.article(
        session, f'Title A\n\n"{WORDS}," Landsbergis said.', publisher="LRT", published=dt.date(2024, 5, 11)
    )
    second = wf.article(
        session,
        f'Title B\n\n"{WORDS.replace(", and", " and")}," he told reporters.',
        publisher="MENAFN",
        published=dt.date(2024, 5, 12),
    )
    q1 = wf.quote(session, first, WORDS, gl)
    q2 = wf.quote(session, second, WORDS.replace(", and", " and"), gl)
    # the same words from someone else, a sentence sharing only a phrase, the same words a year later
    by_other = wf.article(
        session, f'Title C\n\n"{WORDS}," Šimonytė said.', publisher="Delfi", published=dt.date(2024, 5, 12)
    )
    q3 = wf.quote(session, by_other, WORDS, other)
    phrase = wf.article(
        session,
        'Title D\n\n"Our troops trained Ukrainians in Ukraine last winter," he said.',
        publisher="BNS",
        published=dt.date(2024, 5, 12),
    )
    q4 = wf.quote(session, phrase, "Our troops trained Ukrainians in Ukraine last winter,", gl)
    later = wf.article(
        session, f'Title E\n\n"{WORDS}," he said again.', publisher="LRT", published=dt.date(2025, 5, 12)
    )
    q5 = wf.quote(session, later, WORDS, gl)
    return q1, q2, q3, q4, q5


def test_same_words_in_two_outlets_are_one_card_first_publisher_first(client, session):
    q1, q2, *_ = outlets(session)
    html = client.get("/quotes?person=gabrielius-landsbergis").text
    ids = card_ids(html)
    assert q1.uid in ids and q2.uid not in ids  # one card, shown as the first to publish
    assert sources_of(html) == ["LRT", "MENAFN"]


def test_sources_do_not_depend_on_the_page(client, session):
    _q1, _q2, *_ = outlets(session)
    # newest first with one quote per page: the copies land on different pages and each card still lists both
    seen = []
    for page in (1, 2, 3, 4):
        html = client.get(f"/quotes?person=gabrielius-landsbergis&limit=1&page={page}").text
        if sources_of(html):
            seen.append(sources_of(html))
    assert seen.count(["LRT", "MENAFN"]) == 2


def test_look_alikes_stay_apart(client, session):
    _q1, _q2, q3, q4, q5 = outlets(session)
    for q in (q3, q4, q5):  # another speaker, a shared phrase, the same words a year later
        html = client.get(f"/q/{q.uid}", follow_redirects=True).text
        assert "Reported by" not in html, q.text


def test_permalink_lists_every_source_with_links(client, session):
    q1, q2, *_ = outlets(session)
    html = client.get(f"/q/{q2.uid}", follow_redirects=True).text
    assert sources_of(html) == ["LRT", "MENAFN"]
    assert re.search(rf'href="/q/{q1.uid}/[^"]+">permalink</a>', html)
    assert "(this page)" in html and "/articles/" in html


def test_reported_by_counts_articles_and_names_their_publishers(client, session):
    _q1, _q2, *_ = outlets(session)
    html = client.get("/quotes").text
    assert "Reported by 2 sources: LRT, MENAFN</summary>" in html


def test_the_same_words_twice_in_one_article_are_not_two_sources(client, session):
    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT")
    art = wf.article(session, f'Title A\n\n"{WORDS}," Landsbergis said.\n\nHe repeated: "{WORDS}."', publisher="LRT")
    first = wf.quote(session, art, WORDS, gl)
    second = art.text.rindex(WORDS)
    wf.quote(session, art, art.text[second : second + len(WORDS) + 1], gl)
    html = client.get("/quotes").text
    assert "Reported by" not in html
    assert len(card_ids(html)) == 1
    count = re.search(r'<p class="count"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert count.startswith("2 quotes") and "shown as 1 card" in count  # the count says what the list shows
    assert first.uid in card_ids(html)


def test_an_undated_reprint_is_a_source_of_the_dated_quote(client, session):
    """A page reprinting the words without a date is still the same statement, however far the dates run."""
    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT")
    first = wf.article(
        session, f'Title A\n\n"{WORDS}," Landsbergis said.', publisher="LRT", published=dt.date(2024, 5, 11)
    )
    q1 = wf.quote(session, first, WORDS, gl)
    for day in range(1, 4):  # other words of his, on later days
        art = wf.article(
            session,
            f'Title {day}\n\n"Something else entirely, number {day}," he said.',
            publisher="BNS",
            published=dt.date(2024, 6, day),
        )
        wf.quote(session, art, f"Something else entirely, number {day},", gl)
    undated = wf.article(session, f'Title U\n\n"{WORDS}," he said.', publisher="Undated Wire", published=None)
    q2 = wf.quote(session, undated, WORDS, gl)
    html = client.get(f"/q/{q1.uid}", follow_redirects=True).text
    assert "Reported by 2 sources" in html and "Undated Wire" in html
    listing = client.get("/quotes?person=gabrielius-landsbergis&undated=1").text
    assert q1.uid in card_ids(listing) and q2.uid not in card_ids(listing)


def test_a_card_lists_a_new_copy_and_drops_a_hidden_one_on_the_next_view(client, session):
    """The sources a card lists are kept between page views only while the archive is unchanged."""
    from app.corrections.service import hide_quote

    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT")
    first = wf.article(
        session, f'Title A\n\n"{WORDS}," Landsbergis said.', publisher="LRT", published=dt.date(2024, 5, 11)
    )
    q1 = wf.quote(session, first, WORDS, gl)
    assert "Reported by" not in client.get("/quotes?limit=1").text  # nothing else says these words yet

    copy = wf.article(session, f'Title B\n\n"{WORDS}," he said.', publisher="MENAFN", published=dt.date(2024, 5, 12))
    q2 = wf.quote(session, copy, WORDS, gl)
    html = client.get("/quotes?limit=1&page=2").text  # the first quote alone on its page, the copy on page 1
    assert card_ids(html) == [q1.uid] and sources_of(html) == ["LRT", "MENAFN"]

    hide_quote(session, q2, "copied from a wire without credit", wf.editor(session))
    session.commit()
    html = client.get("/quotes?limit=1").text
    assert card_ids(html) == [q1.uid] and "Reported by" not in html

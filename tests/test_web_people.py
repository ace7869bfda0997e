"""Web: /people, /people/{slug} (role, country, variants, timeline, quotes), merges, /countries/{code}, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import web_factories as wf

from app.corrections import service
from app.models import User


def card_ids(html: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*" id="card-([^"]+)"', html)


def test_people_index_lists_speakers_with_counts(client, session):
    wf.sample(session)
    html = client.get("/people").text
    for name in ("Gabrielius Landsbergis", "Ingrida Šimonytė", "Emmanuel Macron"):
        assert name in html
    rows = {p["slug"]: p for p in client.get("/people.json").json()["people"]}
    assert rows["gabrielius-landsbergis"]["quotes"] == 3
    assert rows["emmanuel-macron"]["country"] == "FR"
    csv_rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(client.get("/people.csv").text))}
    assert csv_rows["ingrida-simonyte"]["quotes"] == "1" and csv_rows["ingrida-simonyte"]["role"] == "prime minister"


def test_people_search_by_variant(client, session):
    wf.sample(session)
    slugs = [p["slug"] for p in client.get("/people.json", params={"q": "Shimonite"}).json()["people"]]
    assert slugs == ["ingrida-simonyte"]
    html = client.get("/people", params={"q": "Shimonite"}).text
    assert "Ingrida Šimonytė" in html and "Emmanuel Macron" not in html


def test_person_page(client, session):
    d = wf.sample(session)
    r = client.get("/people/gabrielius-landsbergis")
    assert r.status_code == 200
    html = r.text
    assert "foreign minister" in html and "Lithuania" in html
    assert "<svg" in html and "timeline" in html
    gl = {q.uid for q in d["quotes"].values() if q.person_id == d["people"]["gl"].id}
    assert set(card_ids(html)) == gl
    variants = client.get("/people/ingrida-simonyte").text
    for v in ("Ingrid Šimonite", "Shimonite"):
        assert v in variants
    assert client.get("/people/nobody-at-all").status_code == 404


def test_person_timeline_says_how_many_quotes_it_leaves_out(client, session):
    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT")
    dated = wf.article(session, 'A\n\n"We are ready," Landsbergis said.', published=dt.date(2024, 5, 12))
    undated = wf.article(session, 'B\n\n"We are ready now," Landsbergis said. "And later," he added.', published=None)
    wf.quote(session, dated, "We are ready,", gl)
    wf.quote(session, undated, "We are ready now,", gl)
    wf.quote(session, undated, "And later,", gl)
    html = client.get("/people/gabrielius-landsbergis").text
    assert "<svg" in html and "1 quote in 1 day" in html
    assert "Not in the chart: 2 quotes from articles without a date." in html


def test_person_page_filters_and_exports(client, session):
    d = wf.sample(session)
    html = client.get("/people/gabrielius-landsbergis", params={"kind": "indirect"}).text
    assert card_ids(html) == [d["quotes"]["practical"].uid]
    j = client.get("/people/gabrielius-landsbergis.json").json()
    assert [q["uid"] for q in j["quotes"]] == card_ids(client.get("/people/gabrielius-landsbergis").text)
    rows = list(csv.DictReader(io.StringIO(client.get("/people/gabrielius-landsbergis.csv").text)))
    assert {r["speaker"] for r in rows} == {"Gabrielius Landsbergis"} and len(rows) == 3


def test_merged_person_redirects_to_survivor(client, session):
    d = wf.sample(session)
    dup = wf.person(session, "G. Landsbergis", slug="g-landsbergis")
    art = wf.article(session, 'T2\n\n"Sanctions must stay," G. Landsbergis said.', published=None)
    extra = wf.quote(session, art, "Sanctions must stay,", dup)
    dup.merged_into_id = d["people"]["gl"].id
    session.add(dup)
    session.commit()
    r = client.get("/people/g-landsbergis", params={"kind": "direct"}, follow_redirects=False)
    assert r.status_code == 301
    assert r.headers["location"] == "/people/gabrielius-landsbergis?kind=direct"
    r = client.get("/people/g-landsbergis.json", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == "/people/gabrielius-landsbergis.json"
    # the survivor's page shows the merged person's quotes and names
    html = client.get("/people/gabrielius-landsbergis").text
    assert extra.uid in card_ids(html)
    assert "G. Landsbergis" in html
    # and filtering the listing by the survivor includes them
    assert extra.uid in card_ids(client.get("/quotes", params={"person": "gabrielius-landsbergis"}).text)


def test_country_page(client, session):
    d = wf.sample(session)
    r = client.get("/countries/LT")
    assert r.status_code == 200
    html = r.text
    assert "Lithuania" in html and "Gabrielius Landsbergis" in html and "Ingrida Šimonytė" in html
    lt = {q.uid for q in d["quotes"].values() if q.person_id in (d["people"]["gl"].id, d["people"]["is"].id)}
    assert set(card_ids(html)) == lt
    assert "Emmanuel Macron" not in html.split('<ol class="cards">', 1)[-1]
    low = client.get("/countries/lt", follow_redirects=False)
    assert low.status_code == 301 and low.headers["location"] == "/countries/LT"
    assert client.get("/countries/Lithuania").status_code == 400
    j = client.get("/countries/FR.json").json()
    assert [q["uid"] for q in j["quotes"]] == [d["quotes"]["rule"].uid]
    rows = list(csv.DictReader(io.StringIO(client.get("/countries/FR.csv").text)))
    assert [r["uid"] for r in rows] == [d["quotes"]["rule"].uid]


def _merge_dup(session, d):
    dup = wf.person(session, "G. Landsbergis", slug="g-landsbergis", country="SE")
    art = wf.article(session, 'T2\n\n"Sanctions must stay," G. Landsbergis said.', published=None)
    extra = wf.quote(session, art, "Sanctions must stay,", dup)
    dup.merged_into_id = d["people"]["gl"].id
    session.add(dup)
    session.commit()
    return extra


def test_merged_person_quotes_shown_under_survivor(client, session):
    d = wf.sample(session)
    extra = _merge_dup(session, d)
    card = re.search(rf'id="card-{extra.uid}".*?</article>', client.get("/quotes").text, re.S).group(0)
    assert 'href="/people/gabrielius-landsbergis"' in card and "Gabrielius Landsbergis" in card
    assert "g-landsbergis" not in card
    # the survivor's country, not the merged record's, decides the country filter
    assert extra.uid in card_ids(client.get("/quotes", params={"country": "LT"}).text)
    assert extra.uid not in card_ids(client.get("/quotes", params={"country": "SE"}).text)
    # the old slug still filters to the survivor's quotes
    old = card_ids(client.get("/quotes", params={"person": "g-landsbergis"}).text)
    assert set(old) == set(card_ids(client.get("/quotes", params={"person": "gabrielius-landsbergis"}).text))
    loc = client.get(f"/q/{extra.uid}", follow_redirects=False).headers["location"]
    assert loc == f"/q/{extra.uid}/gabrielius-landsbergis-sanctions-must-stay"
    assert client.get(f"/q/{extra.uid}.json").json()["speaker"]["slug"] == "gabrielius-landsbergis"


def test_person_and_country_pages_answer_htmx_with_fragment(client, session):
    d = wf.sample(session)
    for path in ("/people/gabrielius-landsbergis", "/countries/LT", "/people"):
        full = client.get(path)
        frag = client.get(path, headers={"HX-Request": "true"})
        assert "<html" in full.text and "<html" not in frag.text, path
        assert "HX-Request" in frag.headers["vary"], path
    frag = client.get(
        "/people/gabrielius-landsbergis", params={"kind": "indirect"}, headers={"HX-Request": "true"}
    ).text
    assert card_ids(frag) == [d["quotes"]["practical"].uid]


def test_person_correction_note(client, session):
    wf.sample(session)
    wf.correction(session, "ingrida-simonyte", action="rename", reason="spelling fixed")
    assert "Corrected on" in client.get("/people/ingrida-simonyte").text
    assert "Corrected on" not in client.get("/people/emmanuel-macron").text


def test_person_atom_feed_is_that_person_only_and_advertised(client, session):
    import xml.etree.ElementTree as ET

    d = wf.sample(session)
    html = client.get("/people/gabrielius-landsbergis").text
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*/people/gabrielius-landsbergis\.atom"', html
    )
    feed = ET.fromstring(client.get("/people/gabrielius-landsbergis.atom").content)
    ns = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{ns}entry")
    gl = card_ids(html)
    assert len(entries) == len(gl) == 3
    assert all(f"/q/{uid}" in e.find(f"{ns}id").text for e, uid in zip(entries, gl, strict=True))
    assert d["quotes"]["rule"].uid not in client.get("/people/gabrielius-landsbergis.atom").text


def test_listing_export_links_keep_filters(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"country": "LT", "kind": "direct"}).text
    for fmt in ("csv", "json", "atom"):
        link = re.search(rf'href="(/quotes\.{fmt}\?[^"]*)"', html)
        assert link, fmt
        assert "country=LT" in link.group(1) and "kind=direct" in link.group(1)


def test_old_slug_filter_selects_the_survivor_in_the_form(client, session):
    """Filtering by a merged person's old slug shows the survivor selected, so the next htmx change keeps the filter."""
    d = wf.sample(session)
    _merge_dup(session, d)
    html = client.get("/quotes", params={"person": "g-landsbergis"}).text
    assert re.search(r'<input id="f-person"[^>]*value="gabrielius-landsbergis"', html)


def test_person_page_lists_people_quoted_alongside(client, session):
    wf.sample(session)
    html = client.get("/people/gabrielius-landsbergis").text
    section = re.search(r'<section class="co".*?</section>', html, re.S).group(0)
    assert 'href="/people/ingrida-simonyte"' in section and 'href="/people/emmanuel-macron"' in section
    assert "gabrielius-landsbergis" not in section
    macron = re.search(r'<section class="co".*?</section>', client.get("/people/emmanuel-macron").text, re.S).group(0)
    assert "gabrielius-landsbergis" in macron and "ingrida-simonyte" not in macron


def _co_section(client, slug: str) -> list[tuple[str, int]]:
    section = re.search(r'<section class="co".*?</section>', client.get(f"/people/{slug}").text, re.S).group(0)
    return [
        (s, int(n)) for s, n in re.findall(r'href="/people/([^"]+)">[^<]*</a> <span class="n">\((\d+) article', section)
    ]


def test_people_quoted_alongside_count_shared_articles_under_the_merged_survivor(client, session):
    host = wf.person(session, "Ona Vale")
    rimas, rimas_typo, other = (
        wf.person(session, "Rimas Tal"),
        wf.person(session, "Rimas Tall"),
        wf.person(session, "Eda Lin"),
    )
    for i in range(3):
        art = wf.article(session, f"Ona said yes {i}. Rimas said no {i}. Rimas added maybe {i}. Eda said later {i}.")
        wf.quote(session, art, f"yes {i}", who=host)
        wf.quote(session, art, f"no {i}", who=rimas if i < 2 else rimas_typo)
        wf.quote(session, art, f"maybe {i}", who=rimas_typo)  # the same article twice: counts once
        if i == 0:
            wf.quote(session, art, f"later {i}", who=other)
    assert _co_section(client, "ona-vale") == [("rimas-tall", 3), ("rimas-tal", 2), ("eda-lin", 1)]
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    service.merge_people(session, rimas_typo, rimas, editor)
    session.commit()
    assert _co_section(client, "ona-vale") == [("rimas-tal", 3), ("eda-lin", 1)]
    # a chain: Rimas Tal is later merged into a third entry; everyone lands on the last survivor
    rimas_full = wf.person(session, "Rimas Talas")
    service.merge_people(session, rimas, rimas_full, editor)
    session.commit()
    assert _co_section(client, "ona-vale") == [("rimas-talas", 3), ("eda-lin", 1)]
    assert ("ona-vale", 3) in _co_section(client, "rimas-talas")


def test_hidden_quotes_do_not_count_for_people(client, session):
    d = wf.sample(session)
    art = wf.article(session, 'X\n\n"Withdrawn words here," Macron said.')
    wf.quote(session, art, "Withdrawn words here,", d["people"]["em"], hidden=True, reason="not his")
    rows = {p["slug"]: p["quotes"] for p in client.get("/people.json").json()["people"]}
    assert rows["emmanuel-macron"] == 1
    html = client.get("/people/emmanuel-macron").text
    assert len(card_ids(html)) == 1 and "Withdrawn words" not in html


def test_search_by_a_merged_variant_finds_all_the_survivors_quotes(client, session):
    d = wf.sample(session)
    extra = _merge_dup(session, d)
    everyone = set(card_ids(client.get("/quotes", params={"person": "gabrielius-landsbergis"}).text))
    assert extra.uid in everyone and len(everyone) == 4
    assert set(card_ids(client.get("/quotes", params={"q": "G. Landsbergis"}).text)) == everyone
    assert set(card_ids(client.get("/quotes", params={"q": "Gabrielius"}).text)) == everyone
    # a variant of someone else does not pull in Landsbergis's quotes
    assert set(card_ids(client.get("/quotes", params={"q": "Emanuel"}).text)) == {d["quotes"]["rule"].uid}


def test_country_speakers_follow_corrections_and_new_quotes_at_once(client, session):
    """The speakers box is cached per worker, but a correction or a new quote shows on the next view."""
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    ona, eda = wf.person(session, "Ona Vale", country="LT"), wf.person(session, "Eda Lin", country="LT")
    art = wf.article(session, "Ona said yes. Eda said no.")
    wf.quote(session, art, "yes", who=ona)
    only = wf.quote(session, art, "no", who=eda)

    def speakers() -> list[str]:
        section = re.search(r'<section aria-labelledby="sp-h">.*?</section>', client.get("/countries/LT").text, re.S)
        return re.findall(r'href="/people/([^"]+)"', section.group(0)) if section else []

    assert speakers() == ["eda-lin", "ona-vale"]
    service.hide_quote(session, only, "not a quote", editor)
    session.commit()
    assert speakers() == ["ona-vale"]
    later = wf.article(session, "Mia said maybe.")
    wf.quote(session, later, "maybe", who=wf.person(session, "Mia Stone", country="LT"))
    assert speakers() == ["mia-stone", "ona-vale"]

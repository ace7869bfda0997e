"""Listing at scale, as a reader sees it: cursor pages, bounded counts, search through the full-text
index, the person typeahead and paginated people, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import web_factories as wf

from app.corrections import service
from app.models import Person, User
from app.web import cache, listing_counts, listing_scope, people_queries, queries, urls
from app.web.cursor import decode, encode


def card_ids(html: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*" id="card-([^"]+)"', html)


def _link(html: str, rel: str) -> str | None:
    m = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return m.group(1).replace("&amp;", "&") if m else None


@pytest.fixture
def many(session):
    """Twelve dated quotes by one speaker, one per article and day, plus an undated one."""
    who = wf.person(session, "Rūta Vaitkutė", country="LT", variants=("Ruta Vaitkute",))
    out = []
    topics = [
        "harbour tariffs",
        "winter roads",
        "school meals",
        "border checks",
        "grain prices",
        "rail tickets",
        "forest fires",
        "bank rules",
        "clinic hours",
        "bus drivers",
        "radio licences",
        "city parks",
    ]
    for day, topic in enumerate(topics, 1):
        words = f"We {'must' if day % 2 else 'will'} talk about {topic} on day {day},"
        art = wf.article(
            session, f'Story {day}\n\n"{words}" she said.', title=f"Story {day}", published=dt.date(2024, 3, day)
        )
        out.append(wf.quote(session, art, words, who))
    undated = wf.article(session, 'Undated\n\n"A plan without a date," she said.', published=None)
    out.append(wf.quote(session, undated, "A plan without a date,", who))
    return out


def test_cursor_roundtrip_and_garbage():
    assert decode(encode(123456789012345, 42)) == (123456789012345, 42)
    assert decode("not a cursor") is None and decode("zz.") is None


def test_older_and_newer_links_walk_the_whole_list_once(client, many):
    html = client.get("/quotes?limit=5").text
    seen = card_ids(html)
    assert _link(html, "prev") is None
    while older := _link(html, "next"):
        assert "before=" in older and "page=" not in older
        html = client.get(older).text
        seen += card_ids(html)
    assert len(seen) == len(set(seen)) == 13
    assert seen[-1] == many[-1].uid  # the undated quote comes last
    newer = _link(html, "prev")
    assert newer and "after=" in newer
    assert card_ids(client.get(newer).text) == seen[-8:-3]


def test_a_shared_older_link_still_shows_the_same_slice_after_new_quotes(client, session, many):
    html = client.get("/quotes?limit=5").text
    older = _link(html, "next")
    before = card_ids(client.get(older).text)
    art = wf.article(session, 'Fresh\n\n"Newest words of all," she said.', published=dt.date(2024, 3, 30))
    wf.quote(session, art, "Newest words of all,")
    assert card_ids(client.get(older).text) == before


def test_old_page_numbers_still_work_and_past_the_end_is_404_with_a_link(client, many):
    assert len(card_ids(client.get("/quotes?limit=5&page=3").text)) == 3
    r = client.get("/quotes?limit=5&page=9")
    assert r.status_code == 404
    assert "/quotes?limit=5&amp;page=3" in r.text and "13 quotes" in r.text


def test_a_bad_cursor_is_a_clear_400(client, many):
    r = client.get("/quotes?before=%3Cscript%3E")
    assert r.status_code == 400 and "before" in r.text


def test_counts_are_exact_while_small_and_bounded_past_the_cap(session, many, monkeypatch):
    from app.web.filters import QuoteFilters

    assert listing_counts.count_quotes(session, QuoteFilters()) == listing_counts.Count(13)
    monkeypatch.setattr(listing_counts, "COUNT_CAP", 10)
    cache.clear()  # counts kept under the old cap no longer apply
    count = listing_counts.count_quotes(session, QuoteFilters())
    assert not count.exact and str(count) == "10+"


def test_a_common_word_with_a_filter_is_counted_as_at_least_a_true_lower_bound(session, many, monkeypatch):
    """Past the caps, a word that many quotes share, combined with another filter, shows "N+" with N no
    more than the true count (SQLite: among its newest matches; PostgreSQL: among the newest quotes)."""
    from app.web.filters import QuoteFilters

    every = QuoteFilters(q="talk", country="LT")
    assert listing_counts.count_quotes(session, every) == listing_counts.Count(12)
    monkeypatch.setattr(listing_scope, "SMALL_SET", 5)
    for name, value in (("COUNT_CAP", 5), ("SEARCH_COUNT_SCAN", 8), ("COUNT_WINDOW", 8)):
        monkeypatch.setattr(listing_counts, name, value)
    cache.clear()  # counts kept under the old caps no longer apply
    count = listing_counts.count_quotes(session, every)
    assert not count.exact and 1 <= count.n <= 12
    page = queries.listing_page(session, every, 5)
    assert len(page.rows) == 5 and page.older is not None  # the page itself is whole, newest first
    assert [r.quote.id for r in page.rows] == sorted((r.quote.id for r in page.rows), reverse=True)


def test_date_filters_are_key_ranges_that_leave_out_the_undated(client, many):
    ids = card_ids(client.get("/quotes?from=2024-03-03&to=2024-03-05").text)
    assert ids == [many[4].uid, many[3].uid, many[2].uid]
    assert many[-1].uid not in card_ids(client.get("/quotes?to=2024-12-31&limit=50").text)


def test_search_folds_diacritics_spellings_and_finds_names(client, session, many):
    art = wf.article(session, 'Defence\n\n"Our air defense needs Šiauliai radars," he said.')
    q = wf.quote(session, art, "Our air defense needs Šiauliai radars,")
    for typed in ("air defence", "air defense", "siauliai", "ŠIAULIAI radars", "air def"):
        assert card_ids(client.get("/quotes", params={"q": typed}).text) == [q.uid], typed
    by_name = card_ids(client.get("/quotes", params={"q": "Ruta Vaitkute", "limit": 50}).text)
    assert set(by_name) == {x.uid for x in many}


def test_punctuation_only_search_says_there_is_nothing_to_search(client, many):
    r = client.get("/quotes", params={"q": "'"})
    assert r.status_code == 200 and "no letters or digits to search for" in r.text and card_ids(r.text) == []


def test_country_filter_follows_merges(client, session, many):
    """A merged speaker's quotes count under the country of the person they were merged into."""
    outsider = wf.person(session, "Jan Novak", country="CZ")
    wf.quote(session, wf.article(session, 'Elsewhere\n\n"Other words," he said.'), "Other words,", outsider)
    other = wf.person(session, "R. Vaitkute")
    art = wf.article(session, 'Merged\n\n"Merged words here," she said.')
    q = wf.quote(session, art, "Merged words here,", other)
    assert q.uid not in card_ids(client.get("/quotes?country=LT&limit=50").text)
    other.merged_into_id = many[0].person_id
    session.add(other)
    session.commit()
    shown = card_ids(client.get("/quotes?country=LT&limit=50").text)
    assert q.uid in shown and len(shown) == len(many) + 1  # hers, the merged one's, not the Czech speaker's


def test_country_listings_follow_every_correction_and_its_undo(client, session, many):
    """The country stored on each quote (migration 0011) changes with whatever changes its speaker's country:
    setting it, a merge into someone from elsewhere, a reassigned quote, and the undo of each."""
    editor = User(username="editor", password_hash="x")
    nobody = wf.person(session, "Petra Hollis")  # no country yet
    art = wf.article(session, 'Hollis\n\n"Ports stay open," she said.')
    hers = wf.quote(session, art, "Ports stay open,", nobody)
    session.add(editor)
    session.commit()

    def country_of(uid: str) -> list[str]:
        return [c for c in ("LT", "GB", "CZ") if uid in card_ids(client.get(f"/quotes?country={c}&limit=50").text)]

    assert country_of(hers.uid) == []
    given = service.set_person_fields(session, nobody, editor, country="GB")
    session.commit()
    assert country_of(hers.uid) == ["GB"]
    assert hers.uid in card_ids(client.get("/quotes?country=GB&q=ports").text)  # with a word, too

    moved = service.reassign_quote(session, hers, session.get(Person, many[0].person_id), editor)
    session.commit()
    assert country_of(hers.uid) == ["LT"]
    service.undo(session, moved, editor)
    session.commit()
    assert country_of(hers.uid) == ["GB"]

    czech = wf.person(session, "Jan Dvorak", country="CZ")
    merged = service.merge_people(session, session.get(Person, many[0].person_id), czech, editor)
    session.commit()
    assert country_of(many[0].uid) == ["CZ"] and country_of(hers.uid) == ["GB"]
    assert card_ids(client.get("/quotes?country=LT&limit=50").text) == []
    service.undo(session, merged, editor)
    session.commit()
    assert country_of(many[0].uid) == ["LT"]
    assert len(card_ids(client.get("/quotes?country=LT&limit=50").text)) == len(many)

    service.undo(session, given, editor)
    session.commit()
    assert country_of(hers.uid) == []


def test_person_typeahead_suggests_by_any_name_most_quoted_first(client, session, many):
    few = wf.person(session, "Rudolf Vaitkus")
    art = wf.article(session, 'Rudolf\n\n"One quote only," he said.')
    wf.quote(session, art, "One quote only,", few)
    html = client.get("/suggest/people", params={"person": "vaitk"}).text
    slugs = re.findall(r'<option value="([^"]+)"', html)
    assert slugs == ["rūta-vaitkutė", "rudolf-vaitkus"]
    assert people_queries.suggest(session, "ruta")[0][1] == 13


def test_person_filter_takes_a_typed_name_as_well_as_a_slug(client, many):
    assert len(card_ids(client.get("/quotes", params={"person": "Ruta Vaitkute", "limit": 50}).text)) == 13


def test_people_listing_is_paginated_with_counts(client, session, many):
    for i in range(4):
        p = wf.person(session, f"Person {i}")
        art = wf.article(session, f'P{i}\n\n"Words of person {i}," they said.')
        wf.quote(session, art, f"Words of person {i},", p)
    first = people_queries.people_page(session, per_page=2)
    assert first.count == listing_counts.Count(5) and first.pages == 3 and len(first.rows) == 2
    html = client.get("/people").text
    assert "5 people" in html and "Rūta Vaitkutė" in html
    assert client.get("/people?page=2").status_code == 404
    data = client.get("/people.json?limit=2&page=1").json()
    assert data["total"] == 5 and len(data["people"]) == 2


def test_statistics_refresh_runs_on_both_databases(db_backend):
    from app.db import refresh_statistics

    engine, _url = db_backend
    refresh_statistics(engine)  # PRAGMA optimize / ANALYZE: must not fail on either database
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar() == 1
        else:
            reltuples = "SELECT reltuples FROM pg_class WHERE oid = 'quote'::regclass"  # -1 until analysed
            assert conn.exec_driver_sql(reltuples).scalar() >= 0


def test_statistics_refresh_lets_postgresql_count_from_the_index_alone(session, engine):
    """After an ingest's refresh the new quotes' pages are all-visible: a speaker's timeline and the
    listing counts are index-only scans, not reads of the whole table (seconds at 10M quotes)."""
    from app.db import refresh_statistics

    if engine.dialect.name != "postgresql":
        pytest.skip("the visibility map is PostgreSQL's")
    who = wf.person(session, "Ona Petraitė")
    for n in range(3):
        art = wf.article(session, f'Item {n}\n\n"Roads first, then rail {n}," she said.', title=f"Item {n}")
        wf.quote(session, art, f"Roads first, then rail {n},", who)
    session.commit()
    refresh_statistics(engine)
    with engine.connect() as conn:
        pages, visible = conn.exec_driver_sql(
            "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'quote'::regclass"
        ).one()
        # VACUUM cannot mark rows visible to all while another session of this database holds an older
        # snapshot (a bench's COPY into its own schema, say): then this machine cannot tell, so say so.
        others = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL"
        ).scalar()
    if visible != pages and others:
        pytest.skip(f"{others} other session(s) of this database hold a snapshot: VACUUM cannot mark pages visible")
    assert pages > 0 and visible == pages


def test_date_filters_say_how_many_undated_quotes_they_leave_out_and_can_include_them(client, many):
    html = client.get("/quotes?from=2024-03-01&to=2024-03-31&limit=50").text
    assert len(card_ids(html)) == 12 and many[-1].uid not in card_ids(html)
    assert "leave out 1 undated quote" in html
    link = re.search(r'href="([^"]*undated=1[^"]*)"', html).group(1).replace("&amp;", "&")
    with_undated = card_ids(client.get(link).text)
    assert len(with_undated) == 13 and with_undated[-1] == many[-1].uid  # undated last
    assert "leave out" not in client.get(link).text
    assert "leave out" not in client.get("/quotes?limit=50").text  # no date filter, nothing left out


def test_postgresql_name_searches_read_trigram_indexes_not_every_name(db_backend):
    """A word inside a name ('% isne%') and /people?q= (ILIKE '%…%') are served by pg_trgm's GIN indexes."""
    engine, _url = db_backend
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads its FTS5 name index (migration 0010)")
    probes = {
        "ix_personname_key_trgm": "SELECT person_id FROM personname WHERE key LIKE 'isne%' OR key LIKE '% isne%'",
        "ix_person_name_trgm": "SELECT id FROM person WHERE name ILIKE '%isne%'",
        "ix_person_role_trgm": "SELECT id FROM person WHERE role ILIKE '%minister%'",
        "ix_person_organisation_trgm": "SELECT id FROM person WHERE organisation ILIKE '%bank%'",
    }
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # the plan uses an index only when one serves it
        for index, sql in probes.items():
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql.replace("%", "%%")))
            assert index in plan, plan


def test_name_search_follows_renames_and_their_undo(client, session, many):
    """The name index keeps step with the stored names: a new name is found at once, an undone one no more."""
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    person = session.get(Person, many[0].person_id)
    renamed = service.rename_person(session, person, "Rūta Vaitkutė-Ozola", editor)
    session.commit()
    assert person.slug in client.get("/suggest/people", params={"person": "Ozola"}).text
    assert card_ids(client.get("/quotes", params={"q": "ozol"}).text)  # her quotes, found by her name
    service.undo(session, renamed, editor)
    session.commit()
    assert person.slug not in client.get("/suggest/people", params={"person": "Ozola"}).text
    assert card_ids(client.get("/quotes", params={"q": "ozol"}).text) == []


def test_a_country_count_kept_per_worker_follows_new_quotes_and_corrections(client, session, many):
    """Counts of a country's quotes are cached (app.web.cache) but never outlive an ingest or a correction."""

    def count() -> str:
        return re.search(
            r'<p class="count" role="status">([\d,+]+) quote', client.get("/quotes?country=LT").text
        ).group(1)

    assert count() == "13"
    art = wf.article(session, 'Later\n\n"One more thing," she said.')
    extra = wf.quote(session, art, "One more thing,", session.get(Person, many[0].person_id))
    assert count() == "14"
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    service.hide_quote(session, extra, "a duplicate", editor)
    session.commit()
    assert count() == "13"


def test_people_search_follows_role_and_name_changes_and_their_undo(client, session, many):
    """The people search's indexes (trigrams on SQLite, 0012) keep step: a new role or name is found at once."""
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    person = session.get(Person, many[0].person_id)

    def found(q: str) -> bool:
        return f'href="{urls.person_path(person.slug)}"' in client.get("/people", params={"q": q}).text

    assert not found("ombudswoman")
    role = service.set_person_fields(session, person, editor, role="Seimas ombudswoman")
    session.commit()
    assert found("ombudswoman") and found("BUDSWO") and found("seimas omb")
    service.undo(session, role, editor)
    session.commit()
    assert not found("ombudswoman")
    renamed = service.rename_person(session, person, "Rūta Vaitkutė-Ozola", editor)
    session.commit()
    assert found("itkute-ozo") and found("kutė-Oz")  # the folded name and the display name
    service.undo(session, renamed, editor)
    session.commit()
    assert not found("ozola")


def test_people_search_folds_quote_marks_and_finds_short_pieces(client, session):
    """Quote marks in a search stand for any quote mark; pieces under three characters still match."""
    odonnell = wf.person(session, "Siobhán O’Donnell", role="Taoiseach's adviser")
    wf.quote(session, wf.article(session, 'A\n\n"Words," she said.'), "Words,", odonnell)
    link = f'href="{urls.person_path(odonnell.slug)}"'
    for q in ("O'Donnell", "o’donn", "Taoiseach’s", "n O", "Siobhán", "'"):
        assert link in client.get("/people", params={"q": q}).text, q
    assert link not in client.get("/people", params={"q": "O'Connell"}).text


def test_sqlite_people_search_reads_its_trigram_indexes_not_every_person(db_backend):
    """/people?q= looks its pieces up in person_trgm and personname_trgm (migration 0012) on SQLite."""
    engine, _url = db_backend
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL reads its pg_trgm indexes (migration 0009)")
    with engine.connect() as conn:
        for table in ("person_trgm", "personname_trgm"):
            plan = " ".join(
                str(r)
                for r in conn.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN SELECT rowid FROM {table} WHERE {table} MATCH '\"isne\"'"
                )
            )
            assert "VIRTUAL TABLE INDEX" in plan, plan


def test_a_search_count_kept_per_worker_follows_new_quotes_and_corrections(client, session, many):
    """Every page of a listing shows one count, counted once per archive change: it never goes stale."""

    def count(page: str = "") -> str:
        html = client.get(f"/quotes?q=talk&limit=5{page}").text
        return re.search(r'<p class="count" role="status">([\d,+]+) quote', html).group(1)

    assert count() == count("&page=2") == "12"
    art = wf.article(session, 'Later\n\n"Time to talk about ports," she said.')
    extra = wf.quote(session, art, "Time to talk about ports,", session.get(Person, many[0].person_id))
    assert count("&page=2") == count() == "13"
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    service.hide_quote(session, extra, "a duplicate", editor)
    session.commit()
    assert count("&page=2") == "12"


def test_a_typed_prefix_finds_every_word_it_starts_before_and_after_an_ingest_folds_the_words(client, session, engine):
    """The last word typed also matches as a prefix, whether its words arrived before or after the last fold
    (SQLite keeps the index's words in a table for this, migration 0013)."""
    from app.db import refresh_statistics

    def found(q: str) -> set[str]:
        return set(card_ids(client.get("/quotes", params={"q": q, "limit": 50}).text))

    words = [
        "We will defend the port,",
        "The defenders held the line,",
        "Our defence budget grows,",
        "Air defense is ready,",
        "They deferred the vote,",
    ]
    uids = [wf.quote(session, wf.article(session, f'S{i}\n\n"{w}" she said.'), w).uid for i, w in enumerate(words)]
    assert found("defen") == set(uids[:4]) and found("air defen") == {uids[3]}
    refresh_statistics(engine)  # after an ingest: new words move to the word table
    assert found("defen") == set(uids[:4]) and found("defer") == {uids[4]}
    later = wf.quote(session, wf.article(session, 'Later\n\n"Defensive play wins,", he said.'), "Defensive play wins,")
    assert found("defen") == set(uids[:4]) | {later.uid}
    assert found("defence") == {uids[2], uids[3]}  # a whole word still finds its other spelling


def test_sqlite_prefix_spelt_out_as_words_finds_what_the_prefix_query_finds(session, engine):
    """The spelt-out prefix (the index's words that start with it) and FTS5's own `*` match the same quotes."""
    from sqlalchemy import text as sql

    from app.db import refresh_statistics
    from app.web import search

    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's tsquery prefix reads its GIN index")
    texts = [
        "The theatre was full,",
        "Then they left,",
        "There is a theory,",
        "Thermal vents matter,",
        "Those were days,",
        "Ätherisch, sagte er,",
        "the theme: theft,",
    ]
    for i, t in enumerate(texts):
        wf.quote(session, wf.article(session, f'T{i}\n\n"{t}" she said.'), t)
        if i == 3:
            refresh_statistics(engine)  # some words folded, some still new

    def keys(match: str) -> set[int]:
        return set(session.execute(sql("SELECT rowid FROM quote_fts WHERE quote_fts MATCH :m"), {"m": match}).scalars())

    for q in ("the", "ther", "theo", "athe", "thermal", "then they", "was f", "xyz"):
        ws = search.words(q)
        assert keys(search.fts5_match(session, ws)) == keys(search.fts5_query(ws)), q
    assert "*" not in search.fts5_match(session, search.words("the"))  # spelt out, not merged whole


def test_people_counts_kept_per_worker_follow_new_quotes_and_hidden_ones(client, session, many):
    """The typeahead's and /people's counts are kept between requests, never past an ingest or a correction."""

    def counted() -> int:
        people = client.get("/people.json", params={"q": "Vaitk"}).json()["people"]
        return people[0]["quotes"]

    assert counted() == 13
    extra = wf.quote(
        session,
        wf.article(session, 'More\n\n"One more,", she said.'),
        "One more,",
        session.get(Person, many[0].person_id),
    )
    assert counted() == 14
    editor = User(username="editor", password_hash="x")
    session.add(editor)
    session.commit()
    service.hide_quote(session, extra, "a duplicate", editor)
    session.commit()
    assert counted() == 13


def test_postgresql_sessions_run_without_parallel_workers_or_jit(db_backend):
    """Short index reads must not pay for worker processes and JIT when the planner overestimates them."""
    from app.db import make_engine

    _engine, url = db_backend
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
    engine.dispose()

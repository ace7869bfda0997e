"""Corrections follow their quote when a better extractor moves its spans (and so its uid).

The "new extractor" here is a hand-made Extraction with slightly different spans: a trailing
clause trimmed, a trailing comma dropped, a split quote joined, a quote no longer found.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from app.corrections import auth, service, successors
from app.corrections.apply import unmatched_corrections
from app.corrections.successors import successor_uid
from app.db import make_engine, upgrade
from app.ingest import store
from app.ingest.ids import quote_uid
from app.models import Article, Correction, Person, Quote, User
from app.quotes.types import ExtractedQuote, Extraction, Speaker
from app.sources import ArticleInput

TEXT = (
    "Mayor backs new bridge\n\n"
    '"The bridge will be finished by next summer, and soon," Mayor Anna Berg said on Monday.\n\n'
    '"We have waited long enough for this," said Peter Holm, a local shop owner.\n\n'
    'Berg added that the council "had no other choice at all".\n\n'
    '"Traffic will be a nightmare for months and months," Holm said. "Nobody asked us."\n\n'
    '"It is a good day," said Ona Rute.\n'
)
URL = "https://example.test/bridge"
SPEAKERS = [Speaker("Anna Berg", role="mayor"), Speaker("Peter Holm"), Speaker("Ona Rute")]
PASSWORD = "correct horse battery"


def span(text: str, words: str) -> tuple[int, int]:
    i = text.index(words)
    assert text.count(words) == 1, words
    return (i, i + len(words))


def extraction(text: str, version: str, parts: list[tuple[list[str], int | None]]) -> Extraction:
    quotes = [ExtractedQuote(spans=[span(text, w) for w in words], kind="direct", speaker=who) for words, who in parts]
    return Extraction(quotes=quotes, speakers=SPEAKERS, version=version)


OLD = [  # what the old extractor found
    (["The bridge will be finished by next summer, and soon,"], 0),
    (["We have waited long enough for this,"], 1),
    (["had no other choice at all"], 0),
    (["Traffic will be a nightmare for months and months,"], 1),  # one half of a split quote ...
    (["Nobody asked us."], 1),  # ... and the other, as two quotes
    (["It is a good day,"], 2),
]
NEW = [  # the better one: trailing clause trimmed, comma dropped, split quote joined, one quote gone
    (["The bridge will be finished by next summer"], 0),
    (["We have waited long enough for this"], 1),
    (["Traffic will be a nightmare for months and months,", "Nobody asked us."], 1),
    (["It is a good day"], 2),  # no correction here, but its permalink was shared
]


def quote_at(s: Session, words: str) -> Quote:
    return next(q for q in s.exec(select(Quote)).all() if q.text == words)


@pytest.fixture
def corrected(engine):
    """The article stored by the old extractor, with an editor's corrections on four of its quotes."""
    with Session(engine) as s:
        _, article, n = store.store_article(
            s, ArticleInput(text=TEXT, title="Bridge", canonical_url=URL), extraction(TEXT, "old", OLD)
        )
        assert n == len(OLD)
        editor = User(username="editor", password_hash="x")
        jane = Person(slug="jane-choice", name="Jane Choice")
        s.add_all([editor, jane])
        s.flush()
        bridge = quote_at(s, "The bridge will be finished by next summer, and soon,")
        waited = quote_at(s, "We have waited long enough for this,")
        choice = quote_at(s, "had no other choice at all")
        traffic = quote_at(s, "Traffic will be a nightmare for months and months,")
        service.reassign_quote(s, bridge, jane, editor)  # a misattribution fixed
        service.hide_quote(s, waited, "said off the record", editor)
        service.reassign_quote(s, choice, None, editor)  # to unknown speaker
        service.reassign_quote(s, traffic, jane, editor)
        s.commit()
        good = quote_at(s, "It is a good day,").uid
        return {
            "engine": engine,
            "jane": jane.id,
            "bridge": bridge.uid,
            "waited": waited.uid,
            "good": good,
            "choice": choice.uid,
            "traffic": traffic.uid,
            "article": article.id,
        }


def reextract(s: Session, version: str = "new") -> None:
    article = s.exec(select(Article)).one()
    store.restore_quotes(s, article, extraction(article.text, version, NEW))


def test_corrections_hold_on_successor_quotes_after_reextract(corrected):
    with Session(corrected["engine"]) as s:
        reextract(s)
        bridge = quote_at(s, "The bridge will be finished by next summer")
        waited = quote_at(s, "We have waited long enough for this")
        traffic = quote_at(s, "Traffic will be a nightmare for months and months, … Nobody asked us.")
        assert bridge.uid != corrected["bridge"] and waited.uid != corrected["waited"]
        assert bridge.person_id == corrected["jane"]  # the fixed misattribution did not come back
        assert waited.hidden and waited.hidden_reason == "said off the record"
        assert traffic.person_id == corrected["jane"]  # a joined quote keeps the correction of its larger part
        assert quote_at(s, "It is a good day").person_id != corrected["jane"]  # untouched quotes stay as extracted
        assert not s.exec(select(Quote).where(Quote.text == "had no other choice at all")).first()

        # the corrections now point at the new quotes (so notes and permalinks follow), the old uid kept
        by_old = {
            c.payload["history"][0]["uid"]: c for c in s.exec(select(Correction)).all() if c.payload.get("history")
        }
        assert by_old[corrected["bridge"]].target == bridge.uid
        assert by_old[corrected["waited"]].target == waited.uid
        assert service.quote_corrections(s, [bridge.uid])[bridge.uid][0].action == "reassign"

        # the vanished quote: its correction is kept, not applied anywhere, and reported
        unmatched = unmatched_corrections(s)
        assert [(c.target, missing) for c, missing in unmatched] == [(corrected["choice"], [corrected["choice"]])]
        kept = s.exec(select(Correction).where(Correction.target == corrected["choice"])).one()
        assert kept.undone_at is None and kept.payload["quote"]["text"] == "had no other choice at all"

        # and undo still works on the successor
        c = by_old[corrected["bridge"]]
        service.undo(s, c, s.exec(select(User)).one())
        s.commit()
        assert quote_at(s, "The bridge will be finished by next summer").person_id != corrected["jane"]


def test_corrections_follow_through_reextract_twice_and_reingest_of_edited_text(corrected):
    with Session(corrected["engine"]) as s:
        reextract(s, "new")
        reextract(s, "newer")  # nothing moves: nothing changes
        # the publisher edits the article: a line before the quotes shifts every offset
        edited = TEXT.replace(
            "Mayor backs new bridge\n\n", "Mayor backs new bridge\n\nUpdated: a correction was added.\n\n"
        )
        outcome, _, _ = store.store_article(
            s, ArticleInput(text=edited, title="Bridge", canonical_url=URL), extraction(edited, "newer", NEW)
        )
        assert outcome == store.UPDATED
        bridge = quote_at(s, "The bridge will be finished by next summer")
        assert bridge.uid == quote_uid(s.exec(select(Article)).one().uid, bridge.spans)
        assert bridge.person_id == corrected["jane"]
        assert quote_at(s, "We have waited long enough for this").hidden
        assert successor_uid(s, corrected["bridge"]) == bridge.uid  # the first uid still leads to the quote


def test_split_moves_follow_the_successor_quote(corrected):
    from app.models import PersonName

    with Session(corrected["engine"]) as s:
        ona = s.exec(select(Person).where(Person.name == "Ona Rute")).one()
        variant = PersonName(person_id=ona.id, name="O. Rute", key="o rute")
        s.add(variant)
        s.flush()
        split = service.split_person(
            s, ona, [variant.id], s.exec(select(User)).one(), new_name="Other Rute", quote_uids=[corrected["good"]]
        )
        s.commit()
        reextract(s)
        good = quote_at(s, "It is a good day")
        assert good.uid != corrected["good"]
        assert good.person_id == split.payload["new_person_id"]  # still with the person it was split off to
        s.refresh(split)
        assert split.payload["quotes"] == [good.uid]
        assert [h["uid"] for h in split.payload["history"]] == [corrected["good"]]


def test_old_corrections_without_an_anchor_follow_too(corrected):
    """Rows written before anchors existed: found again from the quote they named, before it is replaced."""
    with Session(corrected["engine"]) as s:
        for c in s.exec(select(Correction)).all():
            c.payload = {k: v for k, v in c.payload.items() if k != "quote"}
            s.add(c)
        s.commit()
        reextract(s)
        assert quote_at(s, "The bridge will be finished by next summer").person_id == corrected["jane"]
        assert quote_at(s, "We have waited long enough for this").hidden
        kept = s.exec(select(Correction).where(Correction.target == corrected["choice"])).one()
        assert kept.payload["quote"]["article_uid"] == s.exec(select(Article)).one().uid  # derived, so it is listed
        assert [c.id for c, _ in unmatched_corrections(s)] == [kept.id]


def test_two_equally_good_successors_means_none(engine):
    text = '"Alpha beta gamma delta, epsilon zeta eta theta," said Anna Berg.\n'
    with Session(engine) as s:
        _, article, _ = store.store_article(
            s,
            ArticleInput(text=text, canonical_url=URL),
            extraction(text, "old", [(["Alpha beta gamma delta, epsilon zeta eta theta,"], 0)]),
        )
        editor = User(username="editor", password_hash="x")
        other = Person(slug="someone-else", name="Someone Else")
        s.add_all([editor, other])
        s.flush()
        old = s.exec(select(Quote)).one()
        service.reassign_quote(s, old, other, editor)
        s.commit()
        # the new extractor cuts it in two halves of the same size: neither is "the" successor
        store.restore_quotes(
            s, article, extraction(text, "new", [(["Alpha beta gamma delta,"], 0), (["epsilon zeta eta theta,"], 0)])
        )
        assert all(q.person_id != other.id for q in s.exec(select(Quote)).all())  # no guess
        assert [c.target for c, _ in unmatched_corrections(s)] == [old.uid]
        assert successor_uid(s, old.uid) is None


def test_reextract_summary_lists_corrections_that_no_longer_match(corrected, db_url, monkeypatch, capsys):
    from app.ingest import pipeline

    monkeypatch.setattr(pipeline, "init_worker", lambda *a: None)
    monkeypatch.setattr(pipeline, "reextract", lambda item: (item[0], extraction(item[1], "new", NEW), None))
    summary = pipeline.run_reextract(mode="all", jobs=1, database_url=db_url, quiet=True)
    assert summary.updated == 1 and not summary.errors
    assert len(summary.unmatched) == 1 and corrected["choice"] in summary.unmatched[0]
    err = capsys.readouterr().err
    assert "corrections that no longer match a quote: 1" in err and "had no other choice at all" in err


def _sign_in(client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login", data={"username": "boss", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303


def test_old_permalink_redirects_to_successor_and_admin_marks_unmatched(corrected, client):
    with Session(corrected["engine"]) as s:
        reextract(s)
        bridge = quote_at(s, "The bridge will be finished by next summer").uid
        auth.add_user(s, "boss", PASSWORD)
        s.commit()
    r = client.get(f"/q/{corrected['bridge']}", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"].startswith(f"/q/{bridge}")
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Jane Choice" in page.text and "finished by next summer" in page.text
    r = client.get(f"/q/{corrected['bridge']}.json", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/q/{bridge}.json"
    good = client.get(f"/q/{corrected['good']}", follow_redirects=False)  # a quote nobody corrected
    assert good.status_code == 301 and "It is a good day" in client.get(good.headers["location"]).text
    hidden = client.get(f"/q/{corrected['waited']}")  # followed to its successor, which the editor hid
    assert hidden.status_code == 410 and "said off the record" in hidden.text
    assert client.get(f"/q/{corrected['choice']}").status_code == 404  # vanished: nothing to send people to
    assert client.get("/q/nosuchquote").status_code == 404

    _sign_in(client)
    page = client.get("/admin/corrections")
    assert page.status_code == 200
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.S)
    flagged = [row for row in rows if "no longer matches a quote" in row]
    assert len(flagged) == 1 and corrected["choice"] in flagged[0]
    assert "Corrections that no longer match a quote: 1" in page.text
    r = client.get(f"/admin/quotes/{corrected['bridge']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/quotes/{bridge}"


def test_an_engine_made_by_the_app_notes_the_quotes_a_flush_deletes(tmp_path):
    """The hook is wired where engines are made (app.db.make_engine), not by importing some module."""
    for name, fn in successors.HOOKS:  # as in a process that has made no engine yet
        if event.contains(OrmSession, name, fn):
            event.remove(OrmSession, name, fn)
    assert not successors.tracks_removed_quotes()
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        art = Article(uid="a1", title="T", text=TEXT, content_hash="h1")
        s.add(art)
        s.flush()
        quote = Quote(uid="q1", article_id=art.id, kind="direct", text="It is a good day,", spans=[[1, 18]])
        s.add(quote)
        s.flush()
        s.delete(quote)
        s.flush()
        assert successors.take_removed(s, art.id) == [{"uid": "q1", "spans": [[1, 18]], "text": "It is a good day,"}]
    engine.dispose()

"""One quote, once: overlapping or nested spans of one article are stored as one quote, old ids redirect."""

from __future__ import annotations

from sqlmodel import select

from app.ingest import store
from app.ingest.ids import quote_uid
from app.models import Article, Quote
from app.quotes.overlap import merge_overlapping
from app.quotes.types import ExtractedQuote, Extraction, Speaker
from app.sources import ArticleInput

TEXT = (
    "Macron keeps options open\n\n"
    "Macron then said that the possibility should not be a priori excluded, recalling that NATO countries "
    "initially ruled out sending tanks and planes to Ukraine.\n\n"
    'He said he was "not afraid" of Russia.'
)
OUTER = "that the possibility should not be a priori excluded, recalling that NATO countries initially ruled out sending tanks and planes to Ukraine"
INNER = "that NATO countries initially ruled out sending tanks and planes to Ukraine"
OTHER = 'he was "not afraid" of Russia'


def span(words: str) -> tuple[int, int]:
    i = TEXT.index(words)
    return (i, i + len(words))


def q(words: str, kind: str = "indirect") -> ExtractedQuote:
    return ExtractedQuote(spans=[span(words)], kind=kind, speaker=0)


def extraction(*quotes: ExtractedQuote) -> Extraction:
    return Extraction(
        quotes=list(quotes), speakers=[Speaker("Emmanuel Macron", role="president", country="FR")], version="t"
    )


def test_nested_quote_merges_into_the_one_holding_it_which_keeps_its_spans():
    kept, gone = merge_overlapping([q(OUTER), q(INNER), q(OTHER, "mixed")], TEXT)
    assert [k.spans for k in kept] == [[span(OUTER)], [span(OTHER)]]
    assert gone == [([span(INNER)], 0)]


def test_partly_overlapping_quotes_become_one_covering_both():
    a, b = "the possibility should not be a priori excluded, recalling", "recalling that NATO countries"
    kept, gone = merge_overlapping([q(a), q(b)], TEXT)
    assert kept[0].spans == [(span(a)[0], span(b)[1])]
    assert sorted(s for s, _ in gone) == [[span(a)], [span(b)]]


def _ingest(session, *quotes):
    inp = ArticleInput(text=TEXT, title="Macron keeps options open", publisher="AFP", canonical_url="https://x.test/m")
    _outcome, article, n = store.store_article(session, inp, extraction(*quotes))
    return article, n


def test_ingest_stores_one_quote_and_the_nested_ones_permalink_redirects(client, session):
    article, n = _ingest(session, q(OUTER), q(INNER), q(OTHER, "mixed"))
    assert n == 2
    uids = session.exec(select(Quote.uid).where(Quote.article_id == article.id)).all()
    inner, outer = quote_uid(article.uid, [span(INNER)]), quote_uid(article.uid, [span(OUTER)])
    assert inner not in uids and outer in uids
    r = client.get(f"/q/{inner}", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"].startswith(f"/q/{outer}/")
    home = client.get("/quotes").text
    assert "2 quotes" in home and home.count('<article class="card') == 2


def test_reextraction_that_finds_the_nested_quote_again_keeps_old_permalinks_working(client, session):
    article, _ = _ingest(session, q(INNER))  # an older extractor found only the inner clause
    inner = quote_uid(article.uid, [span(INNER)])
    stored = session.exec(select(Article).where(Article.id == article.id)).one()
    store.restore_quotes(session, stored, extraction(q(OUTER), q(INNER)))
    r = client.get(f"/q/{inner}", follow_redirects=False)
    assert r.status_code == 301 and f"/q/{quote_uid(article.uid, [span(OUTER)])}/" in r.headers["location"]

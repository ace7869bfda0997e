"""Dates, honestly: the article's date, else a date the text attaches to the statement, else "undated"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import select

from app.ingest import store
from app.models import Quote
from app.quotes.dating import statement_date
from app.quotes.types import ExtractedQuote, Extraction, Speaker
from app.sharing.image import card_for_quote
from app.sources import ArticleInput

TEXT = (
    "Lithuania ready to send soldiers\n\n"
    "Lithuanian Prime Minister Ingrida Šimonytė said in May 2024 that the country is ready to send soldiers.\n\n"
    "At the end of May, Le Monde reported that Macron was seeking a coalition.\n\n"
    '"We are ready," she said on 14 June 2024.\n\n'
    "She said the troops sent in 2022 had come back."
)


def span(words: str) -> list[int]:
    i = TEXT.index(words)
    return [i, i + len(words)]


def cue_after(words: str, cue: str) -> list[int]:
    i = TEXT.index(cue, TEXT.index(words))
    return [i, i + len(cue)]


@pytest.mark.parametrize(
    "content, cue, expected",
    [
        ("that the country is ready to send soldiers", "said", (dt.date(2024, 5, 1), "month")),
        ('"We are ready,"', "said", (dt.date(2024, 6, 14), "day")),
        ("that Macron was seeking a coalition", "reported", None),  # "the end of May": no year, no guess
        ("the troops sent in 2022 had come back", "said", None),  # a date inside the content dates something else
    ],
)
def test_only_a_date_attached_to_the_cue_dates_the_statement(content, cue, expected):
    start = TEXT.index(content)
    cue_at = TEXT.rindex(cue, 0, start) if TEXT.rfind(cue, 0, start) > TEXT.rfind("\n", 0, start) else None
    cue_span = [cue_at, cue_at + len(cue)] if cue_at is not None else cue_after(content, cue)
    assert statement_date(TEXT, [span(content)], cue_span) == expected


def test_day_and_month_first_forms():
    text = "X said on May 12, 2024 that y. X said on Sunday, 12 May 2024, that y. X said in 2024 that y."
    at = [m.end() for m in re.finditer("said", text)]
    assert statement_date(text, [[at[0] + 20, at[0] + 30]], [at[0] - 4, at[0]]) == (dt.date(2024, 5, 12), "day")
    assert statement_date(text, [[at[1] + 30, at[1] + 35]], [at[1] - 4, at[1]]) == (dt.date(2024, 5, 12), "day")
    assert statement_date(text, [[at[2] + 14, at[2] + 20]], [at[2] - 4, at[2]]) is None  # a bare year is too vague


def _ingest(session, published=None):
    quotes = [
        ExtractedQuote(
            spans=[tuple(span("that the country is ready to send soldiers"))],
            kind="indirect",
            speaker=0,
            speaker_span=tuple(span("Lithuanian Prime Minister Ingrida Šimonytė")),
            cue_span=tuple(cue_after("Ingrida Šimonytė", "said")),
        ),
        ExtractedQuote(
            spans=[tuple(span("the troops sent in 2022 had come back"))],
            kind="indirect",
            speaker=0,
            cue_span=tuple(cue_after("She said the troops", "said")),
        ),
    ]
    inp = ArticleInput(
        text=TEXT,
        title="Lithuania ready",
        publisher="LRT",
        published=published,
        canonical_url="https://lrt.example/ready",
    )
    ex = Extraction(
        quotes=quotes, speakers=[Speaker("Ingrida Šimonytė", role="prime minister", country="LT")], version="t"
    )
    return store.store_article(session, inp, ex)[1]


def test_a_month_in_the_attribution_dates_the_quote_at_month_precision(client, session):
    _ingest(session)
    stored = {q.text[:12]: q for q in session.exec(select(Quote)).all()}
    month = stored["that the cou"]
    assert (month.date, month.date_precision) == (dt.date(2024, 5, 1), "month")
    assert stored["the troops s"].date is None
    html = client.get("/quotes").text
    assert '<time datetime="2024-05">May 2024</time>' in html
    assert "1 May 2024" not in html  # no invented day
    undated = re.search(rf'id="card-{stored["the troops s"].uid}".*?</article>', html, re.S).group(0)
    assert '<span class="undated"' in undated and ">undated</span>" in undated
    page = client.get(f"/q/{month.uid}", follow_redirects=True).text
    cite = re.search(r'<textarea id="copy-citation"[^>]*>([^<]*)</textarea>', page).group(1)
    assert "as reported by LRT, May 2024, https://lrt.example/ready" in cite
    page = client.get(f"/q/{stored['the troops s'].uid}", follow_redirects=True).text
    cite = re.search(r'<textarea id="copy-citation"[^>]*>([^<]*)</textarea>', page).group(1)
    assert cite.endswith("as reported by LRT, undated, https://lrt.example/ready")
    embed = re.search(r'<textarea id="copy-embed"[^>]*>([^<]*)</textarea>', page).group(1)
    assert "LRT, undated." in embed
    # the share card says it too
    assert card_for_quote(session, month).date_text == "May 2024"
    assert card_for_quote(session, stored["the troops s"]).date_text == "undated"


def test_the_article_date_dates_quotes_the_text_does_not(session):
    _ingest(session, published=dt.date(2024, 6, 20))
    dates = sorted((q.date, q.date_precision) for q in session.exec(select(Quote)).all())
    assert dates == [(dt.date(2024, 5, 1), "month"), (dt.date(2024, 6, 20), "day")]

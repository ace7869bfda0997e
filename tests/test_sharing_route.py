"""GET /q/{uid}.png: the share image of a quote, with ETag caching; 404 unknown, 410 removed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from app.config import get_settings
from app.models import Article, Person, Quote

TEXT = 'Šimonytė replied: "There is such an option." Then the meeting ended.'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(get_settings(), "cache_dir", str(tmp_path))
    return tmp_path / "share"


@pytest.fixture
def quote(session):
    article = Article(
        uid="art1",
        title="Lithuania weighs options",
        publisher="LRT",
        text=TEXT,
        content_hash="c" * 64,
        published=dt.date(2024, 5, 12),
    )
    person = Person(slug="ingrida-simonyte", name="Ingrida Šimonytė", role="prime minister", country="LT")
    session.add(article)
    session.add(person)
    session.commit()
    start = TEXT.index("There")
    q = Quote(
        uid="q1share",
        article_id=article.id,
        person_id=person.id,
        kind="direct",
        text="There is such an option.",
        spans=[[start, start + 24]],
        date=dt.date(2024, 5, 12),
    )
    session.add(q)
    session.commit()
    return q


def test_share_png_route_serves_a_1200x630_png_with_etag(client, quote, cache):
    r = client.get("/q/q1share.png")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(r.content))
    assert img.format == "PNG" and img.size == (1200, 630)
    etag = r.headers["etag"]
    assert etag and "max-age" in r.headers["cache-control"]
    assert len(list(cache.glob("*.png"))) == 1
    again = client.get("/q/q1share.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/q/q1share.png")  # link-preview crawlers ask HEAD first
    assert head.status_code == 200 and head.headers["content-type"] == "image/png" and head.content == b""


def test_share_png_changes_when_the_card_changes(client, quote, session, cache):
    first = client.get("/q/q1share.png").headers["etag"]
    person = session.get(Person, quote.person_id)
    person.role = "former prime minister"
    session.add(person)
    session.commit()
    second = client.get("/q/q1share.png")
    assert second.status_code == 200 and second.headers["etag"] != first
    assert len(list(cache.glob("*.png"))) == 2


def test_share_png_unknown_quote_is_404(client, cache):
    assert client.get("/q/nosuchquote.png").status_code == 404


def test_share_png_hidden_quote_is_410(client, quote, session, cache):
    quote.hidden = True
    quote.hidden_reason = "not said by her"
    session.add(quote)
    session.commit()
    r = client.get("/q/q1share.png")
    assert r.status_code == 410
    assert "not said by her" in r.text
    assert not cache.exists() or not list(cache.glob("*.png"))


def test_share_png_for_an_unknown_speaker(client, quote, session, cache):
    quote.person_id = None
    session.add(quote)
    session.commit()
    r = client.get("/q/q1share.png")
    assert r.status_code == 200 and Image.open(io.BytesIO(r.content)).size == (1200, 630)


def test_card_follows_a_merged_person(session, quote):
    from app.sharing.image import card_for_quote

    survivor = Person(
        slug="ingrida-simonyte-2", name="Ingrida Šimonytė (canonical)", role="prime minister", country="LT"
    )
    session.add(survivor)
    session.commit()
    old = session.get(Person, quote.person_id)
    old.merged_into_id = survivor.id
    session.add(old)
    session.commit()
    card = card_for_quote(session, quote)
    assert card.speaker == "Ingrida Šimonytė (canonical)"
    assert card.country_name == "Lithuania" and card.source == "LRT" and card.date_text == "12 May 2024"

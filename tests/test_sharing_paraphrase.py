"""The one rule: only verbatim words inside quotation marks, on every surface, for each kind of quote.

Surfaces: the listing card, the permalink page (body, <title>, OpenGraph and Twitter descriptions,
image alt), the share PNG (the text drawn), the embed snippet, the citation and the Atom entry.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.sharing.image import ShareCard, card_for_quote, layout_card, render_share_image
from app.sharing.speech import speech
from tests import web_factories as wf

FIXTURES = Path(__file__).parent / "fixtures" / "share"
OPENERS = '“"„«'
TEXT = (
    "NATO Rules Out Troops\n\n"
    "NATO Secretary-General Jens Stoltenberg clarified that the military bloc currently has no plans to deploy "
    "forces to Ukraine.\n\n"
    'Landsbergis said the proposal is "more practical" than training abroad.\n\n'
    '"There is a need," Landsbergis said.'
)
PARAPHRASE = "that the military bloc currently has no plans"
MIXED_OUTSIDE = "the proposal is"


def _setup(session):
    art = wf.article(
        session,
        TEXT,
        title="NATO Rules Out Troops",
        publisher="MENAFN",
        published=dt.date(2024, 5, 12),
        url="https://menafn.example/nato",
    )
    js = wf.person(session, "Jens Stoltenberg", role="secretary-general", organisation="NATO")
    gl = wf.person(session, "Gabrielius Landsbergis", role="foreign minister", country="LT", variants=("Landsbergis",))
    return {
        "indirect": wf.quote(
            session,
            art,
            "that the military bloc currently has no plans to deploy forces to Ukraine",
            js,
            kind="indirect",
            speaker="NATO Secretary-General Jens Stoltenberg",
            cue="clarified",
        ),
        "mixed": wf.quote(
            session,
            art,
            'the proposal is "more practical" than training abroad',
            gl,
            kind="mixed",
            speaker="Landsbergis",
            cue="said",
        ),
        "direct": wf.quote(session, art, '"There is a need,"', gl, speaker="Landsbergis", cue="said"),
    }


def _plain(markup: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", markup))


def _surfaces(client, session, q) -> dict[str, str]:
    """Every text a reader or a link unfurler sees for quote q, as plain text."""
    page = client.get(f"/q/{q.uid}", follow_redirects=True).text
    card = re.search(rf'<article class="card[^"]*" id="card-{q.uid}".*?</article>', client.get("/quotes").text, re.S)
    metas = {
        m.group(1): htmllib.unescape(m.group(2))
        for m in re.finditer(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page)
    }
    feed = client.get("/quotes.atom").text
    entry = next(e for e in re.findall(r"<entry>.*?</entry>", feed, re.S) if q.uid in e)
    textarea = dict(re.findall(r'<textarea id="copy-(\w+)"[^>]*>([^<]*)</textarea>', page))
    layout = layout_card(card_for_quote(session, q))
    return {
        "card": _plain(card.group(0)),
        "permalink": _plain(re.search(r'<figure class="big-quote">.*?</figure>', page, re.S).group(0)),
        "title": _plain(re.search(r"<title>(.*?)</title>", page, re.S).group(1)),
        "og:description": metas["og:description"],
        "twitter:description": metas["twitter:description"],
        "og:image:alt": metas["og:image:alt"],
        "png": " ".join(i.text for i in layout.items),
        "embed": _plain(htmllib.unescape(textarea["embed"])),
        "citation": htmllib.unescape(textarea["citation"]),
        "atom": htmllib.unescape(re.sub(r"<[^>]+>", " ", entry)),
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_reported_speech_is_never_inside_quote_marks_and_starts_with_the_speaker(client, session):
    q = _setup(session)["indirect"]
    for surface, text in _surfaces(client, session, q).items():
        text = _squash(text)
        at = text.find("the military bloc currently")
        assert at > 0, surface
        assert not re.search(rf"[{OPENERS}]\s*(that )?the military bloc", text), surface
        assert "Jens Stoltenberg clarified that the military bloc" in text, surface
        if surface != "png":  # the image carries its label as its own text item
            assert "paraphrase" in text.lower(), surface
    assert "PARAPHRASE" in _surfaces(client, session, q)["png"]


def test_mixed_quote_keeps_marks_only_around_its_quoted_words(client, session):
    q = _setup(session)["mixed"]
    for surface, text in _surfaces(client, session, q).items():
        text = _squash(text)
        assert "“more practical”" in text, surface
        assert not re.search(rf"[{OPENERS}]\s*the proposal is", text), surface
        assert "Gabrielius Landsbergis said the proposal is “more practical” than training abroad" in text, surface


def test_direct_quote_is_its_words_inside_marks(client, session):
    q = _setup(session)["direct"]
    for surface, text in _surfaces(client, session, q).items():
        text = _squash(text)
        assert "“There is a need" in text, surface
        assert "paraphrase" not in text.lower(), surface


def _render_fixture_card() -> bytes:
    words = speech(
        "that the military bloc currently has no plans to deploy forces to Ukraine",
        "indirect",
        "Jens Stoltenberg",
        "clarified",
    )
    return render_share_image(
        ShareCard(
            words.line(), "Jens Stoltenberg", "secretary-general, NATO", None, "MENAFN", "12 May 2024", paraphrase=True
        )
    )


def test_share_png_of_reported_speech_matches_the_reviewed_rendering():
    """tests/fixtures/share/paraphrase.png was looked at: no quote marks, "PARAPHRASE" top right."""
    expected = json.loads((FIXTURES / "paraphrase.json").read_text(encoding="utf-8"))
    words = speech(
        "that the military bloc currently has no plans to deploy forces to Ukraine",
        "indirect",
        "Jens Stoltenberg",
        "clarified",
    )
    layout = layout_card(
        ShareCard(
            words.line(), "Jens Stoltenberg", "secretary-general, NATO", None, "MENAFN", "12 May 2024", paraphrase=True
        )
    )
    drawn = [[i.role, i.text] for i in layout.items]
    assert list(layout.image.size) == expected["size"]
    assert drawn == expected["drawn"]
    assert not any(ch in " ".join(layout.quote_lines) for ch in '“”"')
    now = Image.open(io.BytesIO(_render_fixture_card())).convert("RGB")
    reviewed = Image.open(FIXTURES / "paraphrase.png").convert("RGB")
    assert now.size == reviewed.size
    diff = ImageChops.difference(now, reviewed).convert("L")
    changed = sum(diff.histogram()[65:])
    assert changed < 0.01 * now.size[0] * now.size[1]  # same picture (font hinting may move a few pixels)


@pytest.mark.parametrize("kind", ["indirect", "mixed"])
def test_share_card_of_reported_speech_is_flagged_and_drawn_without_added_marks(session, kind):
    q = _setup(session)[kind]
    card = card_for_quote(session, q)
    assert card.paraphrase and card.quote_text.startswith(
        "Jens Stoltenberg clarified" if kind == "indirect" else "Gabrielius Landsbergis said"
    )
    assert not layout_card(card).quote_lines[0].startswith("“")

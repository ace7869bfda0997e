"""Titles of shows, books and films in quote marks are not part of anyone's quote."""

import pytest

from app.quotes.pipeline import extract

CASES = [
    (
        "\u201cWe will win,\u201d Tom Hale said on Fox News Channel\u2019s \u201cHannity.\u201d",
        "We will win",
        "Hannity",
    ),
    (
        "\u201cWe had no choice but to stay,\u201d Mr. Hale said in his 2012 book, \u201cAn American Son.\u201d",
        "no choice",
        "American Son",
    ),
]


@pytest.mark.parametrize("text,said,title", CASES)
def test_title_after_a_quote_is_not_quoted(text, said, title, nlp):
    ex = extract(text, nlp)
    quoted = [q.text(text) for q in ex.quotes]
    assert any(said in t for t in quoted), quoted
    assert not any(title in t for t in quoted), quoted

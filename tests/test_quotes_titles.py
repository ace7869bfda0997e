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
    (
        "Candidate talks jobs.\n\n\u201cJobs, jobs, jobs,\u201d Senator Ann Hale said on \u201cThe Late Show With"
        " Stephen Colbert\u201d last month when asked about the economy.",
        "Jobs, jobs",
        "Late Show",
    ),
]


def test_a_clause_whose_only_quote_marks_hold_a_title_is_not_verbatim(nlp):
    text = (
        "Senator backs the plan.\n\n\u201cWe are going back to the voters,\u201d Senator Ann Hale said in an interview with"
        " Gloria Borger aired Monday on \u201cNew Day.\u201d \u201cNo money in the campaign, no volunteers.\u201d"
    )
    ex = extract(text, nlp)
    assert [q.kind for q in ex.quotes if "New Day" in q.text(text)] in ([], ["indirect"])


def test_a_title_before_a_role_noun_is_no_quote(nlp):
    text = (
        "Actor explains.\n\nAfter the news went viral, the \u201cAvatar\u201d star posted a lengthy message on her"
        " Facebook about why no one should be surprised."
    )
    ex = extract(text, nlp)
    quoted = [q.text(text) for q in ex.quotes]
    assert not any("Avatar" in t for t in quoted), quoted


@pytest.mark.parametrize("text,said,title", CASES)
def test_title_after_a_quote_is_not_quoted(text, said, title, nlp):
    ex = extract(text, nlp)
    quoted = [q.text(text) for q in ex.quotes]
    assert any(said in t for t in quoted), quoted
    assert not any(title in t for t in quoted), quoted

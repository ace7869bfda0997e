"""A quote's words on cards, citations and share images: the article's own marks removed once."""

from app.sharing.citation import citation
from app.sharing.words import quote_words


def test_split_direct_quote_loses_each_parts_marks_and_dangling_comma():
    stored = '"Our troops trained Ukrainians, feasible," … "This could be the first step."'
    assert quote_words(stored) == "Our troops trained Ukrainians, feasible … This could be the first step."


def test_paragraphs_that_reopen_the_quote_read_as_one_passage():
    stored = '"The Ukrainians make it clear.\n\n"It\'s impossible to make it clearer,"'
    assert quote_words(stored) == "The Ukrainians make it clear. It's impossible to make it clearer"


def test_apostrophes_and_single_quote_marks():
    assert quote_words('"the players\' union"') == "the players' union"
    assert quote_words("‘We will not back down,’") == "We will not back down"


def test_closing_mark_without_opening_mark():
    assert quote_words("We were among those countries,”") == "We were among those countries"


def test_reported_speech_keeps_the_reporters_marks_and_is_never_cited_as_a_quote():
    mixed = 'Still … "there is a lot of frustration" in Ukraine.'
    assert quote_words(mixed, "mixed") == mixed
    cited = citation(
        "Gabrielius Landsbergis",
        "foreign minister",
        "The Guardian",
        None,
        text="that all resources are in Ukraine",
        kind="indirect",
    )
    assert "“" not in cited and cited.startswith("Paraphrase: Gabrielius Landsbergis said that all resources")
    assert citation("Ann Roe", None, None, None, text="We will win").startswith("“We will win” — Ann Roe")

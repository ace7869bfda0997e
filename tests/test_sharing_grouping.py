"""The same words in many outlets: trimmed or re-punctuated copies group; shared phrases do not."""

from __future__ import annotations

import datetime as dt

from app.sharing.grouping import group_quotes, normalise_quote, quote_fingerprint, same_quote

FULL = (
    "We will not allow Russia to win this war, and Europe must understand that this is about its own "
    "security and its own future."
)


def q(text, day, speaker=1, outlet="x"):
    return {"text": text, "date": dt.date(2024, 5, day), "speaker": speaker, "outlet": outlet}


def test_repunctuated_and_requoted_copies_have_one_fingerprint():
    a = "“We will not allow Russia to win this war,” he said"
    b = '"We will NOT allow Russia to win this war" he said!'
    c = "We will not allow Russia to win this war - he said…"
    assert normalise_quote(a) == "we will not allow russia to win this war he said"
    assert quote_fingerprint(a) == quote_fingerprint(b) == quote_fingerprint(c)
    assert len(quote_fingerprint(a)) == 32
    assert quote_fingerprint(a) != quote_fingerprint("We will allow Russia to win this war, he said")


def test_trimmed_and_repunctuated_copies_group_first_publisher_first():
    items = [
        q(FULL, 14, outlet="late"),
        q("Europe must understand that this is about its own security and its own future", 12, outlet="trimmed"),
        q(
            "We will not allow Russia to win this war — and Europe must understand, that this is about its own "
            "security, and its own future!",
            10,
            outlet="first",
        ),
        q("Our partners know this. " + FULL[:-1] + " " + "Nobody should doubt it.", 11, outlet="longer"),
    ]
    groups = group_quotes(items, key=lambda i: (i["text"], i["date"], i["speaker"]))
    assert len(groups) == 1
    assert [i["outlet"] for i in groups[0].items] == ["first", "longer", "trimmed", "late"]
    assert groups[0].first["outlet"] == "first" and groups[0].count == 4


def test_a_one_word_edit_still_groups():
    edited = FULL.replace("this war", "the war")
    assert same_quote(FULL, edited)


def test_different_sentences_sharing_a_five_word_phrase_stay_apart():
    a = "The alliance will stand with Ukraine for as long as it takes, whatever the cost to us."
    b = "Nobody in Kyiv doubts that for as long as it takes is a promise we can keep this winter."
    assert "for as long as it takes" in normalise_quote(a) and "for as long as it takes" in normalise_quote(b)
    assert not same_quote(a, b)
    assert len(group_quotes([q(a, 1), q(b, 2)])) == 2


def test_a_short_partial_quote_does_not_swallow_the_long_one():
    assert not same_quote("more practical", "Landsbergis said we should be more practical about Europe")
    assert not same_quote("for Ukraine", "We will do everything for Ukraine")


def test_same_words_by_different_speakers_do_not_merge():
    groups = group_quotes([q(FULL, 1, speaker=1), q(FULL, 2, speaker=2), q(FULL, 3, speaker=None)])
    assert len(groups) == 3


def test_groups_keep_the_listing_order_and_undated_go_last():
    other = "The French president's comments had already had an impact on the debate in Vilnius."
    items = [q(other, 20), q(FULL, 18), {"text": other, "date": None, "speaker": 1}, q(other, 2)]
    groups = group_quotes(items)
    assert [g.first["text"] for g in groups] == [other, FULL]
    assert [i["date"] for i in groups[0].items] == [dt.date(2024, 5, 2), dt.date(2024, 5, 20), None]


def test_rows_with_quote_article_person_are_grouped_by_default():
    from types import SimpleNamespace as NS  # noqa: N814 - short for the many namespaces below

    def row(text, day, pid):
        quote = NS(text=text, date=None, spans=[[0, 1]])
        return NS(
            quote=quote, article=NS(published=dt.date(2024, 1, day)), person=NS(id=pid), date=dt.date(2024, 1, day)
        )

    groups = group_quotes([row(FULL, 5, 7), row(FULL.upper(), 3, 7), row(FULL, 4, 8)])
    assert [len(g) for g in groups] == [2, 1]
    assert groups[0].first.date == dt.date(2024, 1, 3)

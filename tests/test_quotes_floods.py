"""Quote-mark floods: hostile articles give bounded, sane output, and real quotes around them are still found."""

import pytest

from app.quotes import pipeline
from app.quotes.bench import FLOOD_SHAPES, flood_text
from app.quotes.floods import REASON, flood_spans, mask_floods
from app.quotes.marks import scan
from app.quotes.pipeline import EXTRACTION_FAILED, extract, extract_many

REAL = '"We will not close the harbour this winter," Mayor Ilze Ozola said on Tuesday.'
LATER = '"The ferries still run twice a day," she said.'


def quotes_of(text):
    ex = extract(text)
    return ex, [(q.text(text), ex.speaker_of(q).name if ex.speaker_of(q) else None) for q in ex.quotes]


@pytest.mark.parametrize("shape", [s for s in FLOOD_SHAPES if "run of" not in s and "between spaces" not in s])
def test_each_flood_shape_is_skipped_with_its_reason_and_gives_no_quotes(shape):
    text = flood_text(shape, 10_000)
    ex = extract(text)
    assert ex.quotes == [] and ex.speakers == []
    assert {s.reason for s in ex.skipped} == {REASON}
    assert sum(s.end - s.start for s in ex.skipped) > 0.99 * len(text)


@pytest.mark.parametrize("shape", ["word before each mark", "straight/curly in turn", "a mark per paragraph"])
def test_real_quotes_in_their_own_paragraphs_between_floods_keep_their_speakers(shape):
    flood = flood_text(shape, 2_000)
    text = f"{REAL}\n\n{flood}\n\n{LATER}\n\n{flood}\n"
    ex, quotes = quotes_of(text)
    assert quotes == [
        ('"We will not close the harbour this winter,"', "Ilze Ozola"),
        ('"The ferries still run twice a day,"', "Ilze Ozola"),
    ]
    assert len(ex.skipped) == 2


def test_a_real_quote_inside_a_flooded_paragraph_is_still_found():
    flood = 'a" ' * 2_000
    text = f"{flood}{REAL} {flood}\n\n{LATER} {flood}\n"
    _, quotes = quotes_of(text)
    assert quotes == [
        ('"We will not close the harbour this winter,"', "Ilze Ozola"),
        ('"The ferries still run twice a day,"', "Ilze Ozola"),
    ]


def test_the_mark_of_a_quote_touching_a_flood_is_not_masked():
    for text in [
        "“a” " * 100 + '"Closing the harbour would cost jobs," she said.',
        '"Closing the harbour would cost jobs," ' + "“a” " * 100,
    ]:
        masked, spans = mask_floods(text)
        assert len(spans) == 1
        assert [q.inner(masked) for q in scan(masked)] == ['"Closing the harbour would cost jobs,"']


def test_masking_keeps_length_and_every_character_outside_the_flood():
    text = "Intro line.\n" + 'a" ' * 100 + "\nOutro line."
    masked, [s] = mask_floods(text)
    assert len(masked) == len(text)
    assert masked[: s.start] == text[: s.start] and masked[s.end :] == text[s.end :]
    assert masked[s.start : s.end].strip() == ""


def test_real_prose_dense_in_marks_is_no_flood():
    scare = ", ".join(
        f'"{w}"' for w in ["lazy", "weak", "slow", "rude", "odd", "bad", "sad", "mad", "old", "cold", "cruel"]
    )
    texts = [
        f"He called the plan {scare} and worse, the mayor said.",
        "It's the workers' money and we don't waste it, she's sure; they're right, it isn't Bob's. " * 20,
        '"Yes," he said. "No," she said. "Maybe," he said. "Never," she said. "Fine," he said.',
        "“‘We stay,’ he said,” she said. " * 5,
    ]
    for text in texts:
        assert flood_spans(text) == [] and mask_floods(text) == (text, [])


def test_a_flood_longer_than_the_parsers_length_limit_extracts_without_error():
    text = REAL + "\n\n" + 'a" ' * 400_000 + "\n\n" + LATER  # 1.2 MB, past spaCy's 1,000,000 characters
    ex, quotes = quotes_of(text)
    assert [q for q, _ in quotes] == [
        '"We will not close the harbour this winter,"',
        '"The ferries still run twice a day,"',
    ]
    assert len(ex.skipped) == 1


def test_an_article_the_parser_cannot_take_fails_alone_and_the_batch_goes_on(monkeypatch):
    """When the parser raises on one article of a batch (spaCy's E088 on a paragraph past its length
    limit, say), that article alone is kept without quotes; the others are extracted as usual."""
    real = pipeline.parse

    def picky(nlp, prepared):
        if any("POISON" in m for m, *_ in prepared):
            raise ValueError("[E088] Text of length 1080000 exceeds maximum of 1000000.")
        return real(nlp, prepared)

    monkeypatch.setattr(pipeline, "parse", picky)
    good = '"We will build the bridge this year," said Mayor Ona Vale.'
    out = list(extract_many([good, "POISON " + good, good], batch_size=8))
    assert [len(x.quotes) for x in out] == [1, 0, 1]
    assert out[0].speakers and out[0].speakers[0].name == "Ona Vale"
    assert out[1].version == EXTRACTION_FAILED and out[0].version != EXTRACTION_FAILED

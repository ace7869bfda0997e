"""The parser runs only on the sentences that can hold a quote; offsets and attributions stay exact."""

from app.quotes import pipeline
from app.quotes.pipeline import extract

TEXT = (
    "Harbour director Karl Novak walked into the old harbour hall. The room was cold and half empty. "
    '"We will build the new quay. It will open in May," said Gov. Anna Berzina. The crowd clapped.\n\n'
    "Nobody in the hall asked about money. The vote is on Friday."
)


def test_sentences_without_quote_or_cue_skip_the_parser_and_offsets_stay_exact(nlp):
    masked, paras, todo, _ = pipeline.prepare(TEXT)
    pipeline.parse(nlp, [(masked, paras, todo)])
    for p in paras:
        assert p.doc.text == masked[p.start : p.end]
    doc = paras[0].doc
    tagged = {t.text for t in doc if t.pos_}
    assert "said" in tagged and "quay" in tagged  # the quote and its attribution are parsed
    assert not any(t.pos_ for t in doc if t.text in ("cold", "clapped"))  # plain sentences are not
    sents = [s.text for s in doc.sents]
    assert "The room was cold and half empty." in sents


def test_windows_never_cut_inside_a_quote_or_after_a_title_abbreviation():
    masked, _paras, todo, _ = pipeline.prepare(TEXT)
    wins = pipeline.plan(masked, todo)[0][0][1]
    cuts = [a for a, _, _ in wins]
    q0 = TEXT.index('"We will')
    q1 = TEXT.index('May,"') + 5
    assert not any(q0 < c < q1 for c in cuts)
    assert TEXT.index("Anna Berzina") not in cuts


def test_attribution_is_the_same_with_parsed_windows(nlp):
    ex = extract(TEXT, nlp)
    q = next(q for q in ex.quotes if "new quay" in q.text(TEXT))
    assert ex.speaker_of(q).name == "Anna Berzina"
    assert TEXT[q.speaker_span[0] : q.speaker_span[1]].endswith("Anna Berzina")


QUOTED = (
    'Lithuanian Foreign Minister Gabrielius Landsbergis said on Monday: "I spoke with Emmanuel Macron in Paris '
    'and with Olaf Scholz in Berlin." Ingrida Šimonytė did not comment.'
)


def test_entities_come_from_outside_quotations_with_exact_offsets(nlp):
    masked, paras, todo, _ = pipeline.prepare(QUOTED)
    pipeline.parse(nlp, [(masked, paras, todo)])
    doc = paras[0].doc
    people = [(e.text, e.start_char) for e in doc.ents if e.label_ == "PERSON"]
    assert ("Gabrielius Landsbergis", QUOTED.index("Gabrielius")) in people
    inside = (QUOTED.index('"I spoke'), QUOTED.index('Berlin."'))
    assert not [
        e for e in doc.ents if inside[0] < e.start_char < inside[1]
    ]  # names inside the quote are no one's mention
    ex = extract(QUOTED, nlp)
    q = next(q for q in ex.quotes if "Macron" in q.text(QUOTED))
    assert ex.speaker_of(q).name == "Gabrielius Landsbergis"


def test_part_of_speech_by_table_equals_the_pipelines_attribute_ruler(nlp, seed_texts):
    from app.quotes.postags import pos_table

    texts = list(seed_texts.values()) + [TEXT, QUOTED, "There is no plan, but there are two ideas. They can't agree."]
    with nlp.select_pipes(disable=["ner"]):
        stock = list(nlp.pipe(texts))
        with nlp.select_pipes(disable=["attribute_ruler"]):
            fast = [pos_table(nlp)(d) for d in nlp.pipe(texts)]
    for a, b in zip(stock, fast, strict=True):
        assert [(t.text, t.pos_, t.dep_) for t in a] == [(t.text, t.pos_, t.dep_) for t in b]


def test_part_of_speech_table_does_not_grow_with_the_vocabulary(nlp):
    """A long-running ingest worker reads millions of distinct words; the table's memory must not follow them."""
    from app.quotes.postags import pos_table

    table = pos_table(nlp)
    with nlp.select_pipes(disable=["ner", "attribute_ruler"]):
        table(nlp("The mayor of Riga said the bridge was costly."))
        before = len(table._memo)
        words = " ".join(f"Zorbel{i} quaffed frumious{i} vorpals{i}." for i in range(300))
        table(nlp(words))
    assert len(table._memo) < before + 30

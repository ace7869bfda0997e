"""Attribution structures and speaker resolution, on hand-written news sentences."""

from __future__ import annotations

import pytest

from app.quotes.pipeline import extract


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text):
        ex = extract(text, nlp)
        return text, ex

    return _run


def quote_with(text, ex, snippet):
    hits = [q for q in ex.quotes if snippet in q.text(text)]
    assert hits, f"no quote with {snippet!r}: {[q.text(text) for q in ex.quotes]}"
    return hits[0]


def who(text, ex, snippet):
    sp = ex.speaker_of(quote_with(text, ex, snippet))
    return sp.name if sp else None


def test_speaker_after_the_quote(run):
    text, ex = run('"We will build the bridge next year," Anna Berzina said.')
    q = quote_with(text, ex, "We will build the bridge")
    assert q.kind == "direct" and ex.speaker_of(q).name == "Anna Berzina"
    assert text[q.cue_span[0] : q.cue_span[1]] == "said"
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "Anna Berzina"
    assert text[q.spans[0][0]] == '"' and text[q.spans[0][1] - 1] == '"'


def test_speaker_before_with_colon(run):
    text, ex = run(
        'Transport Minister Anna Berzina spoke on Monday. Berzina replied: "The bridge will be ready in May."'
    )
    assert who(text, ex, "The bridge will be ready") == "Anna Berzina"


def test_split_quote_is_one_quote_with_two_spans(run):
    text, ex = run('Anna Berzina opened the bridge. "We built it together," she said, "and we will look after it."')
    q = quote_with(text, ex, "We built it together")
    assert len(q.spans) == 2 and "we will look after it" in q.text(text)
    assert ex.speaker_of(q).name == "Anna Berzina"


def test_inverted_attribution_with_honorific(run):
    text, ex = run('"The vote is a mistake," said Mr. Tomas Ozols, the mayor of Riga.')
    assert who(text, ex, "The vote is a mistake") == "Tomas Ozols"


def test_inverted_description_resolves_to_the_introduced_person(run):
    text, ex = run(
        "Latvian Prime Minister Evika Silina visited Vilnius on Tuesday.\n\n"
        '"Our borders are safe," added the Latvian prime minister.'
    )
    q = quote_with(text, ex, "Our borders are safe")
    sp = ex.speaker_of(q)
    assert sp.name == "Evika Silina" and sp.role == "prime minister" and sp.country == "LV"
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "the Latvian prime minister"


def test_reported_speech_with_and_without_that(run):
    text, ex = run("Anna Berzina said that the bridge would open in May. Tomas Ozols said the cost had doubled.")
    q1 = quote_with(text, ex, "the bridge would open in May")
    q2 = quote_with(text, ex, "the cost had doubled")
    assert q1.kind == q2.kind == "indirect"
    assert ex.speaker_of(q1).name == "Anna Berzina" and ex.speaker_of(q2).name == "Tomas Ozols"


def test_participle_takes_the_main_subject(run):
    text, ex = run("Tomas Ozols criticised the plan, arguing that the city could not afford it.")
    assert who(text, ex, "the city could not afford it") == "Tomas Ozols"


def test_passive_agent_is_the_speaker(run):
    text, ex = run("The army will stay until spring. This was stated by Defence Minister Andris Spruds on Friday.")
    q = quote_with(text, ex, "The army will stay until spring")
    assert ex.speaker_of(q).name == "Andris Spruds"


def test_according_to(run):
    text, ex = run("Anna Berzina is the transport minister. According to her, the bridge will cost twice as much.")
    q = quote_with(text, ex, "the bridge will cost twice as much")
    assert "According" not in q.text(text)
    assert ex.speaker_of(q).name == "Anna Berzina"
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "her"


def test_partial_quote_in_reported_speech_is_one_mixed_quote(run):
    text, ex = run('Tomas Ozols said the new bridge was "a waste of public money" and should be stopped.')
    mixed = [q for q in ex.quotes if q.kind == "mixed"]
    assert len(mixed) == 1 and len(ex.quotes) == 1
    assert "a waste of public money" in mixed[0].text(text) and "the new bridge" in mixed[0].text(text)
    assert ex.speaker_of(mixed[0]).name == "Tomas Ozols"


def test_floating_quote_paragraph_goes_to_the_previous_speaker(run):
    text, ex = run(
        '"We will not raise taxes this year," Finance Minister Arvils Aseradens said.\n\n'
        '"The budget is balanced and the deficit is falling."'
    )
    assert who(text, ex, "The budget is balanced") == "Arvils Aseradens"


def test_organisation_speaker(run):
    text, ex = run("The Kremlin said in a statement that the talks had been useful.")
    q = quote_with(text, ex, "the talks had been useful")
    sp = ex.speaker_of(q)
    assert sp.kind == "organisation" and "Kremlin" in sp.name


def test_apposition_with_relative_clause(run):
    text, ex = run("Sir Vince Cable, who replaced Tim Farron as leader, said the party would fight on.")
    assert who(text, ex, "the party would fight on") == "Vince Cable"


def test_pronoun_across_paragraphs_by_gender(run):
    text, ex = run(
        "Tom Baker, the mayor, met Maria Lopez, the governor, on Monday. Lopez spoke about the budget.\n\n"
        '"We cannot pay for another bridge," she said.'
    )
    q = quote_with(text, ex, "We cannot pay for another bridge")
    assert ex.speaker_of(q).name == "Maria Lopez"
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "she"


def test_first_person_inside_a_quote_is_never_the_speaker(run):
    _text, ex = run('"I said we would win and I told everyone so," Tom Baker said.')
    assert len(ex.quotes) == 1
    assert ex.speaker_of(ex.quotes[0]).name == "Tom Baker"


def test_pronoun_without_antecedent_is_unknown(run):
    text, ex = run('"The election is over and we have to move on," he said.')
    q = quote_with(text, ex, "The election is over")
    assert ex.speaker_of(q) is None
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "he"


def test_scare_quotes_and_titles_are_not_quotes(run):
    _text, ex = run('The so-called "Patriot" batteries arrived. Tom Baker watched "The Long Goodbye" twice.')
    assert ex.quotes == []


def test_question_mark_attribution(run):
    text, ex = run('Maria Lopez visited the plant. "What do you do when the factory burns down?" she asked.')
    assert who(text, ex, "What do you do") == "Maria Lopez"


def test_eval_record_format(run):
    text, ex = run('"We will build the bridge next year," Anna Berzina said.')
    rec = ex.to_eval_record("a1")
    assert rec["article"] == "a1"
    q = rec["quotes"][0]
    assert q["kind"] == "direct" and q["speaker"] == "Anna Berzina"
    assert text[q["source"][0] : q["source"][1]] == "Anna Berzina"


def test_object_cue_content(run):
    text, ex = run("Maria Lopez criticized the new tax on small shops as unfair to families.")
    q = quote_with(text, ex, "the new tax on small shops")
    assert q.kind == "indirect" and ex.speaker_of(q).name == "Maria Lopez"
    assert text[q.cue_span[0] : q.cue_span[1]] == "criticized"


def test_cue_verbs_come_from_the_data_file():
    from app.quotes.cues import DATA, load_cues

    lines = DATA.read_text(encoding="utf-8")
    cues = load_cues()
    assert "tweeted" in lines and cues.lemma("tweeted") == "tweet"
    assert ("according", "to") in cues.phrases and ("in", "a", "statement") in cues.phrases
    assert cues.is_strong("said") and not cues.is_strong("believed")
    assert "~ refuse refused" in lines and {"refused", "declined"} <= cues.learnt <= cues.objects


def test_speaker_in_the_next_sentence(run):
    text, ex = run('Maria Lopez left the meeting early. "We are done here." Lopez told reporters outside.')
    assert who(text, ex, "We are done here") == "Maria Lopez"


def test_a_new_statement_in_the_next_sentence_is_not_the_speaker_of_the_quote(run):
    text, ex = run('"We are done here." Tom Baker said that the talks would resume on Friday.')
    q = quote_with(text, ex, "the talks would resume")
    assert ex.speaker_of(q).name == "Tom Baker"
    assert not any("We are done here" in x.text(text) and ex.speaker_of(x) for x in ex.quotes)


def test_unmatched_mark_keeps_later_quotes(run):
    text, ex = run('Tom Baker said "the plan is dead and buried.\n\n"We will try again next year," Maria Lopez said.')
    assert who(text, ex, "We will try again next year") == "Maria Lopez"


def test_nyt_double_apostrophe_quotes(run):
    text, ex = run("''We will not back down,'' Mr. Baker said on Tuesday.")
    q = quote_with(text, ex, "We will not back down")
    assert q.kind == "direct" and ex.speaker_of(q).name == "Baker"


def test_extract_many_keeps_order_with_two_processes():
    from app.quotes.pipeline import extract_many

    texts = [f'"Plan number {i} is ready for the vote," Maria Lopez said.' for i in range(6)]
    out = list(extract_many(texts, n_process=2, batch_size=2))
    assert [f"Plan number {i}" in out[i].quotes[0].text(texts[i]) for i in range(6)] == [True] * 6


@pytest.mark.parametrize("odd", ["", "\n\n", '"""“”«»', "''", "“", "Said.", "He said: “"])
def test_odd_input_gives_no_quote_and_no_error(run, odd):
    _text, ex = run(odd)
    assert ex.quotes == [] and ex.version


def test_inverted_cue_before_colon(run):
    text, ex = run('Tax experts disagree. Said Ryan Ellis: "Nobody here is interested in tax reform at all."')
    q = quote_with(text, ex, "Nobody here is interested")
    assert ex.speaker_of(q).name == "Ryan Ellis"
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "Ryan Ellis"


def test_colon_at_the_end_of_the_previous_paragraph(run):
    text, ex = run(
        'Maria Lopez spoke last.\n\nShe said:\n\n"We will keep the harbour open all winter, whatever it costs."'
    )
    q = quote_with(text, ex, "We will keep the harbour open")
    assert ex.speaker_of(q).name == "Maria Lopez"


def test_relative_pronoun_speaker_keeps_its_mention(run):
    text, ex = run("The plan was opposed by Maria Lopez, who said the harbour would stay open all winter.")
    q = quote_with(text, ex, "the harbour would stay open")
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "who"
    assert ex.speaker_of(q).name == "Maria Lopez"


def test_transcript_turns_and_titled_claims(run):
    text, ex = run(
        "Tom Baker: Harbour Will Stay Open All Winter.\n\n"
        "WALLACE: Governor, will you keep the harbour open all winter?\n\n"
        "BAKER: Yes, we will keep it open, whatever the weather does.\n\n"
        "WASHINGTON: The senate voted on the harbour bill today."
    )
    assert who(text, ex, "Harbour Will Stay Open") == "Tom Baker"
    assert who(text, ex, "we will keep it open") == "Tom Baker"
    assert who(text, ex, "will you keep the harbour open") == "Wallace"
    assert not any("The senate voted" in q.text(text) for q in ex.quotes)


def test_headline_words_before_a_full_name_are_not_the_name():
    from app.quotes.entities import _headline_name, _title_case

    assert _title_case("Black Lawmakers Rip Donald Trump Over Birther Claims.")
    assert not _title_case("Lawmakers said on Friday that Donald Trump was wrong.")
    assert _headline_name("Rip Donald Trump") == "Donald Trump"
    assert _headline_name("Pat Caddell") == "Pat Caddell"  # an unlisted first name stays


def test_pronoun_after_an_unnamed_person_shows_the_description(run):
    text, ex = run(
        'Tom Baker runs the firm. "We will grow," Baker said. A company spokesman said the plan '
        'was sound. "It is ready," he said.'
    )
    q = quote_with(text, ex, "It is ready")
    assert ex.speaker_of(q) is None and q.speaker_description == "A company spokesman"
    assert ex.to_eval_record("a")["quotes"][-1]["speaker_description"] == "A company spokesman"
    # the named person before the description keeps their own quote
    assert ex.speaker_of(quote_with(text, ex, "We will grow")).name == "Tom Baker"


def test_it_is_an_organisation_only_when_it_speaks(run):
    text, ex = run("Globex Corp released a video on Monday. It shows that the old plant runs through the night.")
    q = quote_with(text, ex, "the old plant runs")
    assert ex.speaker_of(q) is None  # the video shows it; Globex did not say it
    text, ex = run("Globex Corp released its results on Monday. It said that the old plant runs through the night.")
    assert ex.speaker_of(quote_with(text, ex, "the old plant runs")).name == "Globex Corp"


def test_cues_learnt_from_train_take_their_object(run):
    text, ex = run("Senator Ann Lee on Monday denounced the new tariffs on steel imports.")
    q = quote_with(text, ex, "the new tariffs on steel imports")
    assert q.kind == "indirect" and ex.speaker_of(q).name == "Ann Lee"


def test_a_film_title_before_the_speaker_is_no_part_of_the_quote(run):
    text, ex = run("The film opened on Friday. \"It was a hard shoot,\" 'Midnight Train' director Lee Park said.")
    assert [q.text(text) for q in ex.quotes] == ['"It was a hard shoot,"']
    assert ex.speaker_of(ex.quotes[0]).name == "Lee Park"


def test_a_reported_clause_with_quoted_words_stops_at_a_dash_after_them(run):
    text, ex = run('Senator Ann Lee said the town was in the "suburbs of the capital" — a remark her rivals mocked.')
    q = quote_with(text, ex, "suburbs of the capital")
    assert q.kind == "mixed" and q.text(text).endswith('"suburbs of the capital"')


def test_an_organisation_the_parser_cut_off_as_a_second_subject_stays_the_speakers(nlp):
    text = (
        "Outage hearing set.\n\nIn a letter calling for the meeting, CPUC President Marybel Batjer said that"
        " \u201clack of service is not a mere inconvenience\u2014 it endangers lives.\u201d"
    )
    ex = extract(text, nlp)
    sp = ex.speaker_of(ex.quotes[0])
    assert (sp.name, sp.role, sp.organisation) == ("Marybel Batjer", "president", "CPUC")

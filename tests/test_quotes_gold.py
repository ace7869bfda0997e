"""Hand-written gold cases (tests/gold/cases.json): one phenomenon each, speaker or unknown;
"content", when given, is the whole content the quote must have (its boundaries)."""

import json
from pathlib import Path

import pytest

from app.quotes.pipeline import extract

CASES = json.loads((Path(__file__).parent / "gold" / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_gold_case(case, nlp):
    text = case["text"]
    ex = extract(text, nlp)
    if case["quote"] is None:
        assert ex.quotes == []
        return
    hits = [q for q in ex.quotes if case["quote"] in q.text(text)]
    assert len(hits) == 1, [q.text(text) for q in ex.quotes]
    q = hits[0]
    if "content" in case:  # where the content starts and stops
        assert q.text(text) == case["content"]
    assert q.kind == case["kind"]
    sp = ex.speaker_of(q)
    assert (sp.name if sp else None) == case["speaker"]

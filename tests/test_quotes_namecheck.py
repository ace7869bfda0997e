"""The name-level measure of `make eval` (app.quotes.namecheck): whom a matched quote is filed under."""

import json
import textwrap
from pathlib import Path

from app.quotes import namecheck
from app.quotes.namecheck import gold_name, same_person, unnamed

# A stand-in for the shared scorer with the functions namecheck uses (same contract).
SCORER = textwrap.dedent("""
    def parse_ann(path):
        spans, rel = {}, []
        for line in open(path, encoding="utf-8"):
            f = line.rstrip("\\n").split("\\t")
            if f[0].startswith("T"):
                spans[f[0]] = [tuple(map(int, p.split())) for p in f[1].split(" ", 1)[1].split(";")]
            elif f[0].startswith("E"):
                roles = {}
                for a in f[1].split():
                    k, _, v = a.partition(":")
                    roles.setdefault(k, []).append(v)
                rel.append(roles)
        return spans, rel

    def char_set(text, spans):
        return {i for s, e in spans for i in range(s, e) if not text[i].isspace()}

    def is_direct(text):
        return '"' in text

    def match(golds, preds):
        out, used = [], set()
        for gi, g in enumerate(golds):
            for pi, p in enumerate(preds):
                ov = len(g["content"] & p["content"])
                if pi not in used and ov * 2 >= len(g["content"]) and ov * 2 >= len(p["content"]):
                    out.append((gi, pi))
                    used.add(pi)
                    break
        return out
""")


def test_gold_name_takes_the_name_of_the_head_phrase():
    assert gold_name("Clinton campaign manager Robby Mook") == "Robby Mook"
    assert gold_name("Rep. Ann Smith (D-N.Y.), head of the caucus") == "Ann Smith"
    assert gold_name("Secretary of State Lee Park") == "Lee Park"
    assert gold_name("Mr. King, 82,") == "King"
    assert gold_name("The Republican nominee") is None
    assert gold_name("she") is None
    assert gold_name("Dean, a medical doctor,") == "Dean"
    assert gold_name("His surrogates") is None


def test_gold_name_prefers_the_appositive_to_the_place_of_a_description():
    assert gold_name("his best friend at Acme, Bruce Tarry,") == "Bruce Tarry"
    assert gold_name("The leader of the Harbor League, Jon Green,") == "Jon Green"
    assert gold_name("Ann Lee of the Harbor League") == "Ann Lee"
    assert gold_name("Her campaign manager, Tomas Berg,") == "Tomas Berg"
    assert gold_name("The county party chairman, Ray Holt, who spoke first") == "Ray Holt"
    assert gold_name("The senator, a Democrat,") is None


def test_unnamed_descriptions():
    assert unnamed("a company spokesman")
    assert unnamed("officials")
    assert not unnamed("Sanders")
    assert not unnamed("the senator")
    assert not unnamed("A senior adviser, Nora Vance,")
    assert not unnamed("A tearful Kemper")
    assert unnamed("A spokeswoman for Calder")
    assert not unnamed("another leading court advocate, Andrew J. Pincus of the law firm Harbor Brown")


def test_same_person():
    assert same_person("Ann Smith", "Ann Smith")
    assert same_person("Smith", "Ann Smith")
    assert same_person("State Lee Park", "Lee Park")
    assert same_person("International Energy Agency", "IEA")
    assert not same_person("Ann Smith", "Bob Jones")


def _write(tmp_path: Path, text: str, ann: str) -> Path:
    gold = tmp_path / "gold"
    (gold / "text").mkdir(parents=True)
    (gold / "attributions").mkdir()
    (gold / "text" / "a1.txt").write_text(text, encoding="utf-8")
    (gold / "attributions" / "a1_x.ann").write_text(ann, encoding="utf-8")
    (tmp_path / "scorer.py").write_text(SCORER, encoding="utf-8")
    return gold


def test_report_counts_right_wrong_and_unknown(tmp_path):
    text = (
        'Ann Smith spoke first. "We will win," Ann Smith said. "We will build," she said. '
        '"Taxes fall," a spokesman said.'
    )
    q1, q2, q3 = (text.index(s) for s in ('"We will win,"', '"We will build,"', '"Taxes fall,"'))
    s1, s2, s3 = text.index("Ann Smith said"), text.index("she said"), text.index("a spokesman")
    ann = "\n".join(
        [
            f"T1\tContent {q1} {q1 + 14}\tx",
            f"T2\tSource {s1} {s1 + 9}\tAnn Smith",
            f"T3\tContent {q2} {q2 + 16}\tx",
            f"T4\tSource {s2} {s2 + 3}\tshe",
            f"T5\tContent {q3} {q3 + 14}\tx",
            f"T6\tSource {s3} {s3 + 11}\ta spokesman",
            "E1\tAttribution:T0 Content:T1 Source:T2",
            "E2\tAttribution:T0 Content:T3 Source:T4",
            "E3\tAttribution:T0 Content:T5 Source:T6",
            "",
        ]
    )
    gold = _write(tmp_path, text, ann)
    preds = {
        "article": "a1",
        "quotes": [
            {"content": [[q1, q1 + 14]], "kind": "direct", "speaker": "Ann Smith"},  # right
            {"content": [[q2, q2 + 16]], "kind": "direct", "speaker": None},  # unknown: she is Ann Smith
            {"content": [[q3, q3 + 14]], "kind": "direct", "speaker": "Ann Smith"},  # wrong: a spokesman is not her
        ],
    }
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(preds) + "\n", encoding="utf-8")
    with open(tmp_path / "out.txt", "w") as out:
        res = namecheck.report(tmp_path / "scorer.py", gold, pred, out=out)
    assert (res["DIRECT"]["right"], res["DIRECT"]["wrong"], res["DIRECT"]["unknown"]) == (1, 1, 1)

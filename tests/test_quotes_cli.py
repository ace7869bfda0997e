"""`whosaid extract DIR --jsonl OUT`: one JSON line per article in the evaluation format."""

import json
import re

from app.cli import main


def test_extract_writes_one_line_per_article_and_names_bad_files(tmp_path, capsys):
    src = tmp_path / "articles"
    src.mkdir()
    (src / "a1.txt").write_text('"We will build the bridge next year," Anna Berzina said.\n', encoding="utf-8")
    (src / "a2.txt").write_text("Nothing quoted here at all.\n", encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8 \xc3")
    out = tmp_path / "preds.jsonl"
    assert main(["extract", str(src), "--jsonl", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["article"] for r in lines] == ["a1", "a2"]
    text = (src / "a1.txt").read_text(encoding="utf-8")
    q = lines[0]["quotes"][0]
    assert q["speaker"] == "Anna Berzina" and q["kind"] == "direct"
    s, e = q["content"][0]
    assert text[s:e].startswith('"We will build')
    assert text[q["cue"][0] : q["cue"][1]] == "said"
    assert lines[1]["quotes"] == []
    err = capsys.readouterr().err
    assert "broken.txt" in err and "2 articles" in err


def test_extract_names_the_article_whose_quote_mark_flood_was_not_read(tmp_path, capsys):
    src = tmp_path / "articles"
    src.mkdir()
    (src / "flooded.txt").write_text(
        '"We will build the bridge next year," Anna Berzina said.\n\n' + 'a" ' * 1000, encoding="utf-8"
    )
    out = tmp_path / "preds.jsonl"
    assert main(["extract", str(src), "--jsonl", str(out)]) == 0
    [line] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [q["speaker"] for q in line["quotes"]] == ["Anna Berzina"]
    err = capsys.readouterr().err
    assert re.search(r"warning: flooded: 2,99\d characters not read \(quote-mark flood\)", err), err

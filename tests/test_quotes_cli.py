"""`whosaid extract DIR --jsonl OUT`: one JSON line per article in the evaluation format."""
import json

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
    assert text[q["cue"][0]:q["cue"][1]] == "said"
    assert lines[1]["quotes"] == []
    err = capsys.readouterr().err
    assert "broken.txt" in err and "2 articles" in err

"""Learning cue words with counts from an annotated corpus (app.quotes.cuelearn), on an invented one."""

from app.quotes import cuelearn
from app.quotes.cuelearn import cue_head


def test_cue_head_skips_auxiliaries_adverbs_and_phrase_nouns():
    assert cue_head("has also said") == "said"
    assert cue_head("told reporters") == "told"
    assert cue_head("according to") == "according"
    assert cue_head("said in a statement") == "said"
    assert cue_head("repeatedly denounced") == "denounced"


def test_counts_come_from_the_first_annotator(tmp_path, capsys):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Ann Lee mocked the plan. Ann Lee said it was bad.", encoding="utf-8")
    (tmp_path / "attributions" / "a_x.ann").write_text("T1\tCue 8 14\tmocked\nT2\tCue 33 37\tsaid\n", encoding="utf-8")
    (tmp_path / "attributions" / "a_y.ann").write_text("T1\tCue 8 14\tmocked\n", encoding="utf-8")
    assert cuelearn.main([str(tmp_path), "--min", "1"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    assert sorted(r[0] for r in rows) == ["mocked", "said"]
    assert all(r[1] == "1" and r[2] == "1" for r in rows)

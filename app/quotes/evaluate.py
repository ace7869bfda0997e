"""`make eval`: the project's gold tests, then PolNeAR dev with the shared scorer when it is there."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from app.config import ROOT, eval_dir
from app.quotes import namecheck


def run_gold_tests() -> int:
    """pytest on tests/test_quotes_*.py and tests/test_text_*.py; returns its exit status."""
    tests = sorted(str(p) for p in (ROOT / "tests").glob("test_quotes_*.py"))
    tests += sorted(str(p) for p in (ROOT / "tests").glob("test_text_*.py"))
    if not tests:
        print("no project gold tests found")
        return 1
    return subprocess.call([sys.executable, "-m", "pytest", "-q", *tests], cwd=ROOT)


def run_polnear(jobs: int = 2, split: str = "dev") -> int:
    """Extract a PolNeAR split and print the scorer's table (ALL and DIRECT), then the name-level measure
    (app.quotes.namecheck: of matched quotes, the share filed under the right person, a wrong one, or unknown)."""
    gold = eval_dir() / f"polnear-{split}"
    scorer = eval_dir() / "score_attributions.py"
    if not gold.is_dir() or not scorer.exists():
        print(f"{gold} not found: skipping the PolNeAR evaluation (WHOSAID_EVAL_DIR names the folder)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "preds.jsonl"
        cmd = [
            sys.executable,
            "-m",
            "app.cli",
            "extract",
            str(gold / "text"),
            "--jsonl",
            str(pred),
            "--jobs",
            str(jobs),
        ]
        rc = subprocess.call(cmd, cwd=ROOT)
        if rc:
            return rc
        print(f"PolNeAR {split} ({gold}):")
        rc = subprocess.call([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred)])
        sys.stdout.flush()
        namecheck.report(scorer, gold, pred)
        return rc


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rc = 0
    if "--no-tests" not in argv:
        rc = run_gold_tests()
    split = argv[argv.index("--split") + 1] if "--split" in argv else "dev"
    rc2 = run_polnear(split=split)
    return rc or rc2


if __name__ == "__main__":
    sys.exit(main())

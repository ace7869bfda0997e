"""`make eval-html`: the project's HTML path (`parse_html`) on the shared article-extraction set, scored.

Reads `<eval dir>/article-extraction/html/<id>.html.gz` (real saved pages) and its
`ground-truth.json`, extracts every page with `parse_html` (the text ingest would store), writes
the predictions, and runs the set's own scorer (`score_bodies.py`: 4-word shingles, per-page
precision and recall averaged over pages). Prints F1, precision, recall and the pages whose body
was lost (recall under 0.5). `--failures` also prints the pages `parse_html` refused.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.config import eval_dir
from app.sources import SourceError
from app.sources.html import parse_html

SET = "article-extraction"  # the folder in the shared evaluation data (app.config.eval_dir)


def predictions(folder: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """({id: {"articleBody": text}}, {id: reason}) for every page of folder/html."""
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pred: dict[str, dict] = {}
    failed: dict[str, str] = {}
    for page_id, row in sorted(gold.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        try:
            html = gzip.decompress(path.read_bytes())
        except OSError as exc:
            failed[page_id] = f"cannot read {path} ({exc})"
            continue
        try:
            inp = parse_html(html, page_id, url=row.get("url"))
        except SourceError as exc:
            failed[page_id] = str(exc)
            pred[page_id] = {"articleBody": ""}
            continue
        pred[page_id] = {"articleBody": inp.text}
    return pred, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=None, help=f"the eval set (default {eval_dir() / SET})")
    ap.add_argument("--pred", type=Path, default=None, help="also keep the predictions in this JSON file")
    ap.add_argument("--failures", action="store_true", help="print the pages parse_html refused and why")
    args = ap.parse_args(argv)
    folder: Path = args.dir or eval_dir() / SET
    if not (folder / "ground-truth.json").is_file() or not (folder / "score_bodies.py").is_file():
        print(f"eval-html: no article-extraction set at {folder} (set WHOSAID_EVAL_DIR)", file=sys.stderr)
        return 2
    started = time.monotonic()
    pred, failed = predictions(folder)
    seconds = time.monotonic() - started
    with tempfile.TemporaryDirectory() as tmp:
        out = args.pred or Path(tmp) / "pred.json"
        out.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
        scored = subprocess.run(
            [
                sys.executable,
                str(folder / "score_bodies.py"),
                "--gold",
                str(folder / "ground-truth.json"),
                "--pred",
                str(out),
            ],
            check=False,
            capture_output=True,
            text=True,
        )
    sys.stdout.write(scored.stdout)
    sys.stderr.write(scored.stderr)
    print(f"parse_html refused {len(failed)} page(s); {len(pred)} pages in {seconds:.1f} s")
    if args.failures:
        for reason in failed.values():
            print(f"  refused: {reason}")
    return scored.returncode


if __name__ == "__main__":
    sys.exit(main())

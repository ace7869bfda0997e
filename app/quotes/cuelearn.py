"""Which words act as attribution cues in an annotated corpus, with counts (PolNeAR layout, BRAT .ann).

`python -m app.quotes.cuelearn ../shared/eval/polnear-train > app/quotes/data/cue_counts.tsv` writes
one line per cue word: the word (lower case), how often annotators marked it as (the head of) a Cue,
how often it occurs in the texts at all, and whether data/cues.txt knows it. Only words and counts
leave the corpus (its texts may not go into the project). The head of a cue span is its last word
that is not an auxiliary, adverb, particle or punctuation ("has also said" → "said", "told reporters"
→ "told", "according to" → "according").
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from app.datafiles import read_lines
from app.quotes.cues import load_cues

SKIP = Path(__file__).with_name("data") / "cue_head_skip.txt"
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")


def cue_head(span: str) -> str | None:
    """The word of a cue span that carries it ("has also said" → "said"; "told reporters" → "told")."""
    words = _WORD.findall(span.lower())
    if not words:
        return None
    if words[0] in ("according", "told"):
        return words[0]
    heads = [w for w in words if w not in _skip() and not w.endswith("ly")]
    return heads[0] if heads else None


@lru_cache(maxsize=1)
def _skip() -> frozenset[str]:
    return frozenset(read_lines(SKIP))


def count(gold_dir: Path) -> tuple[Counter, Counter]:
    """(cue head counts, word counts in the texts) over the first annotator of each article."""
    cues: Counter[str] = Counter()
    words: Counter[str] = Counter()
    seen: set[str] = set()
    for ann in sorted(glob.glob(os.path.join(gold_dir, "attributions", "*.ann"))):
        art = os.path.basename(ann)[:-4].rsplit("_", 1)[0]
        if art in seen:
            continue
        seen.add(art)
        words.update(_WORD.findall((gold_dir / "text" / f"{art}.txt").read_text(encoding="utf-8").lower()))
        for line in Path(ann).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].startswith("Cue "):
                head = cue_head(parts[2])
                if head:
                    cues[head] += 1
    return cues, words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", help="folder with text/ and attributions/ (PolNeAR layout)")
    ap.add_argument("--min", type=int, default=3, help="leave out words marked fewer times (default 3)")
    a = ap.parse_args(argv)
    cues, words = count(Path(a.gold))
    known = load_cues().words()
    print(f"# Cue words learnt from {Path(a.gold).name} by app/quotes/cuelearn.py: word, times marked as a cue,")
    print("# times in the texts, known (1 when data/cues.txt has the word). Counts only, no text.")
    for w, n in sorted(cues.items(), key=lambda x: (-x[1], x[0])):
        if n >= a.min:
            print(f"{w}\t{n}\t{words[w]}\t{int(w in known)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

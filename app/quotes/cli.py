"""Subcommands of app.quotes: `whosaid extract DIR --jsonl OUT`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.quotes.pipeline import extract_many


def _extract(args: argparse.Namespace) -> int:
    src = Path(args.dir)
    if not src.is_dir():
        print(f"error: {src} is not a directory", file=sys.stderr)
        return 2
    paths = sorted(src.glob("*.txt"))
    texts: list[str] = []
    stems: list[str] = []
    errors = 0
    for p in paths:
        try:
            texts.append(p.read_text(encoding="utf-8"))
            stems.append(p.stem)
        except (OSError, UnicodeDecodeError) as exc:
            errors += 1
            print(f"error: {p}: {exc}", file=sys.stderr)
    out = open(args.jsonl, "w", encoding="utf-8") if args.jsonl != "-" else sys.stdout  # noqa: SIM115 - or stdout: closed in the finally below
    n_quotes = 0
    try:
        for stem, ex in zip(stems, extract_many(texts, n_process=max(1, args.jobs)), strict=True):
            rec = ex.to_eval_record(stem)
            n_quotes += len(rec["quotes"])
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            for reason in sorted({s.reason for s in ex.skipped}):
                chars = sum(s.end - s.start for s in ex.skipped if s.reason == reason)
                print(f"warning: {stem}: {chars:,} characters not read ({reason})", file=sys.stderr)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{len(stems)} articles, {n_quotes} quotes, {errors} errors", file=sys.stderr)
    return 0 if stems or not paths else 1


def register(sub) -> None:
    """Add this package's subcommands."""
    p = sub.add_parser("extract", help="extract quotes from every *.txt in DIR to JSON Lines (no database)")
    p.add_argument("dir", help="folder of UTF-8 .txt articles")
    p.add_argument("--jsonl", required=True, help="output file ('-' for stdout)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.set_defaults(func=_extract)

"""`make bench-extract`: extraction speed and memory vs the plain spaCy pipeline on generated articles.

Generates N articles (default 500) of 500–800 words from templates, then, each in a fresh process,
times plain `nlp.pipe` over the full texts (spaCy batches of 8) and `extract_many` over the same
texts (its default chunks of 32 articles) with 1 and 2 processes. `--dir DIR` times real articles instead. Prints articles/s, words/s, peak RSS (MB) and the extraction/plain speed ratio.
Then (alone with `--flood`) the hostile inputs: texts made of quote marks in each shape of FLOOD_SHAPES, at
10,000 and 100,000 marks and cut at 1 MB, timed for pairing (scan) and for the whole extraction.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from app.quotes.marks import scan
from app.quotes.pipeline import extract, extract_many, load_nlp

FIRST = ["Anna", "Tomas", "Maria", "Jonas", "Evika", "Arvils", "Laura", "Peter", "Ingrid", "Marek", "Sofia", "Karl"]
LAST = ["Berzina", "Ozols", "Lopez", "Petraitis", "Silina", "Kalnins", "Novak", "Hansen", "Virtanen", "Kowalski"]
ROLES = ["Finance Minister", "Mayor", "Senator", "Defence Minister", "Governor", "Prime Minister", "spokeswoman"]
PLACES = ["Riga", "Vilnius", "Tallinn", "Warsaw", "Helsinki", "Oslo", "Gdansk", "Kaunas"]
TOPICS = [
    "the bridge",
    "the budget",
    "the new railway",
    "energy prices",
    "the border",
    "the harbour",
    "school reform",
    "the election",
    "the hospital",
    "public transport",
    "tax policy",
    "housing",
]
NOUNS = ["plan", "project", "report", "proposal", "contract", "programme", "study", "agreement", "debate", "vote"]
ADJ = ["costly", "necessary", "delayed", "popular", "ambitious", "controversial", "modest", "urgent", "complex"]
VERBS = ["cost", "change", "improve", "affect", "delay", "support", "replace", "extend", "reduce", "double"]


def _sentence(r: random.Random) -> str:
    return r.choice(
        [
            f"The {r.choice(NOUNS)} on {r.choice(TOPICS)} was {r.choice(ADJ)} and could {r.choice(VERBS)} {r.choice(TOPICS)} in {r.choice(PLACES)}.",
            f"Officials in {r.choice(PLACES)} expect the {r.choice(NOUNS)} to {r.choice(VERBS)} {r.choice(TOPICS)} by next year.",
            f"Critics have called the {r.choice(NOUNS)} {r.choice(ADJ)}, pointing to {r.choice(TOPICS)} and {r.choice(TOPICS)}.",
            f"In {r.choice(PLACES)}, residents waited for news about {r.choice(TOPICS)} as the {r.choice(NOUNS)} moved ahead.",
            f"The {r.choice(ADJ)} {r.choice(NOUNS)} will {r.choice(VERBS)} {r.choice(TOPICS)} for thousands of families.",
        ]
    )


def _paragraph(r: random.Random, people: list[tuple[str, str]]) -> str:
    role, name = r.choice(people)
    sur = name.split()[-1]
    kind = r.random()
    if kind < 0.25:
        return f'"{_sentence(r)} {_sentence(r)}" {sur} said. "{_sentence(r)}"'
    if kind < 0.4:
        return f"{role} {name} said that {_sentence(r)[0].lower()}{_sentence(r)[1:]} {_sentence(r)}"
    if kind < 0.5:
        return f"{_sentence(r)} According to {sur}, {_sentence(r)[0].lower()}{_sentence(r)[1:]}"
    if kind < 0.6:
        return f'"{_sentence(r)}," she said, "and {_sentence(r)[0].lower()}{_sentence(r)[1:]}"'
    return " ".join(_sentence(r) for _ in range(r.randint(2, 4)))


def make_corpus(n: int = 500, seed: int = 7) -> list[str]:
    """n synthetic news articles of 500–800 words."""
    r = random.Random(seed)
    out = []
    for _ in range(n):
        people = [(r.choice(ROLES), f"{r.choice(FIRST)} {r.choice(LAST)}") for _ in range(3)]
        target = r.randint(500, 800)
        paras = [f"{r.choice(TOPICS).title()} In {r.choice(PLACES)}", "", f"by {r.choice(FIRST)} {r.choice(LAST)}", ""]
        words = 0
        while words < target:
            p = _paragraph(r, people)
            words += len(p.split())
            paras.append(p)
            paras.append("")
        out.append("\n".join(paras))
    return out


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024.0


def _texts(n: int, folder: str | None) -> list[str]:
    """The generated corpus, or every *.txt of folder (real articles) when given."""
    if folder:
        return [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
    return make_corpus(n)


def _one(mode: str, procs: int, n: int, folder: str | None = None) -> dict:
    texts = _texts(n, folder)
    n = len(texts)
    words = sum(len(t.split()) for t in texts)
    nlp = load_nlp()
    t0 = time.perf_counter()
    if mode == "plain":
        for _ in nlp.pipe(texts, batch_size=8, n_process=procs):
            pass
        quotes = None
    else:
        quotes = sum(len(ex.quotes) for ex in extract_many(texts, n_process=procs))
    dt = time.perf_counter() - t0
    return {
        "mode": mode,
        "procs": procs,
        "articles": n,
        "words": words,
        "seconds": round(dt, 2),
        "articles_s": round(n / dt, 1),
        "words_s": round(words / dt),
        "peak_mb": round(_peak_mb()),
        "quotes": quotes,
    }


FLOOD_SHAPES = {  # name: (text of n marks). Every shape is one the pipeline must skip, not parse.
    "run of straight marks": lambda n: '"' * n,
    "run of curly marks": lambda n: "“" * n,
    "marks between spaces": lambda n: '" ' * n,
    "a word before every mark": lambda n: " ".join('"' if i % 3 else 'word "' for i in range(n)),
    "word before each mark": lambda n: 'a" ' * n,
    "word after each mark": lambda n: '"a ' * n,
    "two words per mark": lambda n: 'a b" ' * n,
    "three words per mark": lambda n: 'a b c" ' * n,
    "straight/curly in turn": lambda n: '“a" ' * (n // 2),
    "mixed ’ and ”": lambda n: "a’ a” " * (n // 2) + "a’ " * (n % 2),
    "nested singles": lambda n: "“" + "‘a ‘b’ c’ " * ((n - 2) // 4) + "‘a’ " * ((n - 2) % 4 // 2) + "”",
    "a mark per paragraph": lambda n: 'a "\n\n' * n,
}
FLOOD_SIZES = (10_000, 100_000, None)  # marks; None: the shape repeated to 1 MB (1,000,000 characters)
MEGABYTE = 1_000_000


def flood_text(shape: str, n: int | None) -> str:
    """The hostile text of shape with n marks, or (n None) cut at 1 MB."""
    make = FLOOD_SHAPES[shape]
    if n is not None:
        return make(n)
    unit = make(1_000)
    return (unit * (MEGABYTE // len(unit) + 1))[:MEGABYTE]


def flood() -> list[dict]:
    """Hostile inputs: CPU seconds (this process; fair on a busy machine) to pair the marks (scan) and to extract
    a whole text made of quote-mark floods, and the characters extraction skipped as floods."""
    extract("Warm-up: the model loads once.")
    rows = []
    for shape in FLOOD_SHAPES:
        for n in FLOOD_SIZES:
            text = flood_text(shape, n)
            t0 = time.process_time()
            scan(text)
            t1 = time.process_time()
            ex = extract(text)
            seconds = round(time.process_time() - t1, 2)
            rows.append(
                {
                    "shape": shape,
                    "marks": "1 MB" if n is None else f"{n:,}",
                    "chars": len(text),
                    "scan_s": round(t1 - t0, 3),
                    "extract_s": seconds,
                    "quotes": len(ex.quotes),
                    "skipped": sum(s.end - s.start for s in ex.skipped),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--one", choices=["plain", "extract"])
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--dir", help="time these *.txt articles instead of the generated corpus")
    ap.add_argument("--flood", action="store_true", help="only the quote-mark flood table")
    args = ap.parse_args(argv)
    if args.flood or args.one == "flood":
        print("quote-mark floods (hostile input): pairing (scan) and whole extraction, CPU seconds;")
        print("skipped: characters extraction masked as floods")
        print(f"{'shape':<26}{'marks':>9}{'chars':>11}{'scan s':>9}{'extract s':>11}{'quotes':>8}{'skipped':>11}")
        for r in flood():
            print(
                f"{r['shape']:<26}{r['marks']:>9}{r['chars']:>11,}{r['scan_s']:>9}{r['extract_s']:>11}"
                f"{r['quotes']:>8}{r['skipped']:>11,}"
            )
        return 0
    if args.one:
        print(json.dumps(_one(args.one, args.procs, args.articles, args.dir)))
        return 0
    rows = []
    for procs in (1, 2):
        for mode in ("plain", "extract"):
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app.quotes.bench",
                    "--one",
                    mode,
                    "--procs",
                    str(procs),
                    "--articles",
                    str(args.articles),
                    *(["--dir", args.dir] if args.dir else []),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{args.dir or 'generated corpus'}: {rows[0]['articles']} articles, {rows[0]['words']} words")
    print(f"{'run':<22}{'articles/s':>12}{'words/s':>10}{'peak MB':>10}{'quotes':>8}")
    for r in rows:
        name = f"{'plain nlp.pipe' if r['mode'] == 'plain' else 'extract_many'} x{r['procs']}"
        print(
            f"{name:<22}{r['articles_s']:>12}{r['words_s']:>10}{r['peak_mb']:>10}{r['quotes'] if r['quotes'] is not None else '-':>8}"
        )
    for procs in (1, 2):
        p = next(r for r in rows if r["mode"] == "plain" and r["procs"] == procs)
        e = next(r for r in rows if r["mode"] == "extract" and r["procs"] == procs)
        print(f"extraction / plain speed, {procs} process(es): {e['articles_s'] / p['articles_s']:.2f}x")
    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, "-m", "app.quotes.bench", "--flood"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

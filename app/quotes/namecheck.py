"""Name-level measure for `make eval`: whom a matched quote is filed under, not only which span was its source.

The shared scorer (../shared/eval/score_attributions.py) counts an attribution right when the predicted
source span overlaps the gold Source. A journalist sees the *speaker name* instead. For every content-matched
DIRECT gold item (the scorer's one-to-one matching) this finds the gold person:

- the gold Source when it names someone ("Sen. Ann Smith", "the Acme Corp", "Smith");
- an indefinite or plural description ("a company spokesman", "officials", "some voters") names nobody:
  the right answer is no name (Unknown speaker, showing the description);
- otherwise (a pronoun, "the senator") the nearest earlier gold Source in the article that names someone.

and compares it with the predicted speaker name: right (same person), wrong (someone else, or a name where
the gold is unnamed) or unknown (no name given where the gold names someone). Gold items without a Source
are left out. Run: `python -m app.quotes.namecheck --gold DIR --pred preds.jsonl [--show wrong|unknown]`.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from app.people.matching import is_compatible
from app.people.mentions import gender_hint
from app.people.names import fold, is_honorific, is_title_word
from app.people.titles import describes_person

PRONOUNS = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "him",
    "her",
    "them",
    "us",
    "me",
    "who",
    "which",
    "that",
    "his",
    "hers",
    "their",
    "its",
    "this",
    "these",
    "those",
    "our",
    "my",
    "your",
}
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
UNNAMED_LEADS = {
    "a",
    "an",
    "another",
    "one",
    "some",
    "many",
    "several",
    "two",
    "three",
    "four",
    "most",
    "few",
    "other",
    "others",
    "both",
    "all",
    "any",
    "unnamed",
    "anonymous",
}
_LINKS = {"of", "for", "at", "in", "from", "to", "with", "by", "on", "and", "or"}
_CAP = re.compile(r"[A-Z][\w.’'-]*")


def load_scorer(path: Path):
    """The shared scorer as a module (its parse_ann, char_set, match, is_direct)."""
    spec = importlib.util.spec_from_file_location("score_attributions", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"no scorer module at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_name(source: str) -> str | None:
    """The name a gold Source text gives, or None. Only the head phrase counts (before a comma, a
    parenthesis or "who"), and it names someone when its last word is capitalised: "Clinton campaign
    manager Robby Mook" → "Robby Mook"; "Rep. Ann Smith (D-N.Y.), head of …" → "Ann Smith"; "Mr. King, 82,"
    → "King"; "The Republican nominee" and "the Clinton campaign" → None."""
    head = re.split(r",|\(|\swho\s|\s[-–—]+\s", source.strip(), maxsplit=1)[0]
    if _CAP.fullmatch(head.strip('.;:"“”')) and head.lower() not in PRONOUNS:
        return head.strip('.;:"“”')  # "Dean, a medical doctor,": a lone capitalised word is a name
    name = _head_name(head)
    if name and re.search(rf"\s(?:of|from|at|in|for)\s+(?:the\s+)?{re.escape(name)}\W*$", head):
        # "his best friend at Lehigh, Bruce Turry", "The leader of the League, Jon Green": the head ends on
        # where the person is, and the name in apposition is theirs
        return _appositive(source) or name
    return name or _appositive(source)


def _appositive(source: str) -> str | None:
    """The name in apposition right after a description: "Her campaign manager, Tomas Berg," → "Tomas Berg"."""
    parts = source.split(",")
    words = re.split(r"\s(?:of|from)\s", parts[1])[0].split() if len(parts) > 1 else []  # "…, Ann Hale of Acme"
    if (
        0 < len(words) <= 4
        and all(_CAP.fullmatch(w) and w.lower() not in PRONOUNS for w in words)
        and not is_title_word(words[-1])
    ):
        return " ".join(words)
    return None


def _head_name(head: str) -> str | None:
    """The name at the end of a head phrase ("Clinton campaign manager Robby Mook" → "Robby Mook")."""
    for chunk in re.split(r"\s(?:of|from|at|in|for)\s", head):
        words = [w.strip('.;:"“”') for w in chunk.replace("’s", "").replace("'s", "").split()]
        words = [w for w in words if w]
        if not words or not _CAP.fullmatch(words[-1]) or words[-1].lower() in PRONOUNS:
            continue
        if is_title_word(words[-1]) and (
            len(words) == 1
            or not _CAP.fullmatch(words[-2])
            or (is_title_word(words[-2]) and not is_honorific(words[-2]))
        ):
            continue  # "Secretary of State …": a title, not the surname King of "Mr. King"
        run: list[str] = []
        for k, w in enumerate(reversed(words)):
            if (
                not _CAP.fullmatch(w)
                or w.lower() in PRONOUNS
                or (is_title_word(w) and run)
                or (k == len(words) - 1 and w.lower() in ("the", "a", "an"))
            ):
                break
            run.insert(0, w)
        return " ".join(run) or None
    return None


def unnamed(source: str) -> bool:
    """An indefinite or plural description that names no one ("a spokesman", "officials", "some voters")."""
    words = source.lower().split()
    if not words:
        return True
    if _appositive(source):
        return False  # "A senior adviser, Nora Vance,": named after all
    raw = source.split()
    if (
        len(raw) >= 3
        and all(w[:1].islower() and not describes_person(w) and w not in _LINKS for w in raw[1:-1])
        and _CAP.fullmatch(raw[-1].strip(".,;:"))
    ):
        return False  # "A tearful Kemper": a named person, described
    if words[0] in UNNAMED_LEADS:
        return True
    return len(words) == 1 and source.strip()[:1].islower() and words[0].endswith("s") and words[0] != "his"


def same_person(gold: str, pred: str) -> bool:
    """True when a predicted speaker name denotes the gold name (name rules, or one's words inside the other's)."""
    g, p = set(fold(gold).split()), set(fold(pred).split())
    if not g or not p:
        return False
    initials = "".join(w[0] for w in gold.split() if w[:1].isupper())
    return g <= p or p <= g or is_compatible(gold, pred) or (len(initials) > 1 and pred.replace(".", "") == initials)


@dataclass
class Item:
    article: str
    start: int  # gold Source start
    source: str
    content: str
    person: str | None  # gold person name, None when unnamed
    how: str  # named | unnamed | antecedent
    pred: str | None = None
    verdict: str = ""


def gold_items(scorer, gold_dir: Path) -> dict[str, tuple[str, list[dict]]]:
    """{article: (text, items)} in the scorer's order, each item with content set, source text and start."""
    out: dict[str, tuple[str, list[dict]]] = {}
    for ann in sorted(glob.glob(os.path.join(gold_dir, "attributions", "*.ann"))):
        art = os.path.basename(ann)[:-4].rsplit("_", 1)[0]
        if art in out:
            continue
        text = Path(gold_dir, "text", art + ".txt").read_text(encoding="utf-8")
        spans, relations = scorer.parse_ann(ann)
        items = []
        for roles in relations:
            if "Content" not in roles:
                continue
            cspans = [sp for t in roles["Content"] for sp in spans[t]]
            ctext = "".join(text[s:e] for s, e in cspans)
            src = start = None
            if "Source" in roles:
                sspans = [sp for t in roles["Source"] for sp in spans[t]]
                src = " ".join(text[s:e] for s, e in sspans)
                start = min(s for s, _ in sspans)
            items.append(
                {
                    "content": scorer.char_set(text, cspans),
                    "ctext": ctext,
                    "source": src,
                    "start": start,
                    "direct": scorer.is_direct(ctext),
                }
            )
        out[art] = (text, items)
    return out


def judge(scorer, gold: dict, preds: dict[str, list[dict]], direct_only: bool = True) -> list[Item]:
    """Every matched gold item that has a Source, with its gold person and verdict."""
    result: list[Item] = []
    for art, (text, items) in gold.items():
        named = sorted(
            (g["start"], n) for g in items if g["source"] and not unnamed(g["source"]) and (n := gold_name(g["source"]))
        )
        gs = [g for g in items if g["direct"] or not direct_only]
        ps = [p for p in preds.get(art, []) if p["kind"] in ("direct", "mixed") or not direct_only]
        pc = [{"content": scorer.char_set(text, p["content"])} for p in ps]
        for gi, pi in scorer.match(gs, pc):
            g = gs[gi]
            if g["source"] is None:
                continue
            if unnamed(g["source"]):
                person, how = None, "unnamed"
            elif (n := gold_name(g["source"])) is not None:
                person, how = n, "named"
            else:
                g_want = PRONOUN_GENDER.get(g["source"].strip().lower())
                before = [
                    n for s, n in named if s < g["start"] and (g_want is None or gender_hint(n) in (None, g_want))
                ]
                person, how = (before[-1] if before else None), "antecedent"
            it = Item(art, g["start"], g["source"], g["ctext"][:80], person, how, ps[pi].get("speaker"))
            if it.pred is None:
                it.verdict = "right" if person is None else "unknown"
            elif person is None:
                it.verdict = "wrong"
            else:
                it.verdict = "right" if same_person(person, it.pred) else "wrong"
            result.append(it)
    return result


def load_preds(path: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["article"]] = [
                {"content": [tuple(s) for s in q["content"]], "kind": q["kind"], "speaker": q.get("speaker")}
                for q in rec.get("quotes") or []
            ]
    return out


def summary(items: list[Item]) -> dict[str, float | int]:
    n = len(items)
    counts = {v: sum(i.verdict == v for i in items) for v in ("right", "wrong", "unknown")}
    return {"matched": n, **counts, **{f"{v}_share": round(c / n, 4) if n else 0.0 for v, c in counts.items()}}


def report(scorer_path: Path, gold_dir: Path, pred: Path, show: str | None = None, out=sys.stdout) -> dict:
    scorer = load_scorer(scorer_path)
    gold = gold_items(scorer, gold_dir)
    preds = load_preds(pred)
    res = {}
    for view, direct in (("DIRECT", True), ("ALL", False)):
        items = judge(scorer, gold, preds, direct_only=direct)
        s = summary(items)
        res[view] = s
        print(
            f"names  {view:<7} matched with a gold source {s['matched']:>5} | right {s['right_share']:.3f}"
            f"  wrong {s['wrong_share']:.3f}  unknown {s['unknown_share']:.3f}"
            f"  ({s['right']}/{s['wrong']}/{s['unknown']})",
            file=out,
        )
        if show and direct:
            for it in items:
                if it.verdict == show:
                    print(
                        f"  [{it.how}] {it.article} @{it.start} gold={it.person!r} ({it.source!r}) "
                        f"pred={it.pred!r} :: {it.content!r}",
                        file=out,
                    )
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="name-level attribution measure (right / wrong / unknown)")
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--scorer", default=None, help="score_attributions.py (default: next to the gold folder)")
    ap.add_argument("--show", choices=("right", "wrong", "unknown"), default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    gold = Path(a.gold)
    scorer = Path(a.scorer) if a.scorer else gold.parent / "score_attributions.py"
    res = report(scorer, gold, Path(a.pred), a.show, out=sys.stderr if a.json else sys.stdout)
    if a.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())

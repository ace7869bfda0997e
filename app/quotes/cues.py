"""Reporting cues (verbs in every form, multiword phrases) read from data/cues.txt."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "cues.txt"
ROLES = Path(__file__).with_name("data") / "cue_roles.txt"


@dataclass(frozen=True)
class Cues:
    """form -> lemma for strong verbs (direct quotes and reported speech) and weak ones (clauses only)."""

    strong: dict[str, str]
    weak: dict[str, str]
    phrases: tuple[tuple[str, ...], ...]
    objects: frozenset[str] = frozenset()  # verbs whose object is the content ("criticized the plan")
    learnt: frozenset[str] = frozenset()  # object cues learnt from annotated news ("~" lines), also in objects
    plain: frozenset[str] = frozenset()  # learnt forms for plain reported speech only ("%" lines), also in learnt

    def lemma(self, word: str) -> str | None:
        w = word.lower()
        return self.strong.get(w) or self.weak.get(w)

    def is_strong(self, word: str) -> bool:
        return word.lower() in self.strong

    def words(self) -> set[str]:
        """Every lower-case form (for a cheap "may hold a quote" pre-filter)."""
        out = set(self.strong) | set(self.weak) | set(self.objects)
        for p in self.phrases:
            out.update(p)
        return out


@lru_cache(maxsize=1)
def load_cues(path: Path = DATA) -> Cues:
    """Parse the cue file; each verb line is `lemma[*] form form ...`; "+" lines are phrases, "@" lines
    object cues written by hand and "~" lines object cues learnt from annotated news (their counts in a
    comment): for both, the object, the infinitive or the "to"/"of" phrase after the verb is the content.
    "%" lines are learnt verb forms like "~" ones, for plain reported speech only: a content with quoted words
    under them is left to the other passes."""
    strong: dict[str, str] = {}
    weak: dict[str, str] = {}
    phrases: list[tuple[str, ...]] = []
    objects: set[str] = set()
    learnt: set[str] = set()
    plain: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            phrases.append(tuple(line[1:].lower().split()))
            continue
        if line.startswith("@"):
            objects.update(line[1:].lower().split())
            continue
        if line.startswith("~"):
            learnt.update(line[1:].lower().split())
            continue
        if line.startswith("%"):
            plain.update(line[1:].lower().split())
            continue
        words = line.lower().split()
        lemma = words[0]
        target = strong
        if lemma.endswith("*"):
            lemma = lemma[:-1]
            target = weak
        for form in [lemma, *words[1:]]:
            if form not in strong:
                target[form] = lemma
    return Cues(
        strong=strong,
        weak=weak,
        phrases=tuple(phrases),
        objects=frozenset(objects | learnt | plain),
        learnt=frozenset(learnt | plain),
        plain=frozenset(plain),
    )


@lru_cache(maxsize=1)
def cue_roles(path: Path = ROLES) -> dict[str, frozenset[str]]:
    """Named word sets of data/cue_roles.txt ("listener", "refusal", "open_question")."""
    out: dict[str, frozenset[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].split()
        if line:
            out[line[0]] = frozenset(w.lower() for w in line[1:])
    return out

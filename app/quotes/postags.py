"""Coarse part-of-speech from the tagger's fine tags by table lookup: the stock attribute_ruler's POS, faster.

The English pipeline's attribute_ruler runs a Matcher of single-token patterns (TAG, LOWER, DEP) over
every token; of what it sets, extraction reads only `Token.pos_` (and the dep of whitespace tokens). This
module reads the ruler's own patterns once and applies them by memoised lookup, later patterns winning as
in the ruler. MORPH and LEMMA, which extraction does not read, are not set.
"""

from __future__ import annotations

from functools import lru_cache

_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes the ruler's POS/DEP patterns test


def _test(spec):
    """A predicate for one token attribute of a Matcher pattern: a value, {"IN": [...]} or {"NOT_IN": [...]}."""
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(spec["IN"])
            return lambda v: v in allowed
        if set(spec) == {"NOT_IN"}:
            barred = frozenset(spec["NOT_IN"])
            return lambda v: v not in barred
        raise ValueError(f"attribute_ruler predicate not supported by PosTable: {spec}")
    return lambda v: v == spec


def _words(spec) -> set[str]:
    """The words a LOWER test names: its value, or its IN / NOT_IN list."""
    if isinstance(spec, dict):
        return {w for values in spec.values() for w in values}
    return {spec}


class PosTable:
    """The AttributeRuler's POS- and DEP-setting patterns, applied by lookup instead of a Matcher."""

    def __init__(self, ruler) -> None:
        self.single: list[tuple[int, list, str | None, str | None]] = []  # (order, tests, POS, DEP)
        self.multi: list[tuple[int, list[list], int, str | None, str | None]] = []  # (order, tests per token, index, …)
        # A word no LOWER test names passes and fails the same tests as any other such word, so keys hold it
        # as None: the memo then holds tag x dep combinations, not every word of the archive.
        self._named: set[str] = set()
        for order, entry in enumerate(ruler.patterns):
            pos, dep = entry["attrs"].get("POS"), entry["attrs"].get("DEP")
            if pos is None and dep is None:
                continue  # MORPH and LEMMA only: extraction reads neither
            for pattern in entry["patterns"]:
                if not all(set(tok) <= set(_KEYS) for tok in pattern):
                    raise ValueError(f"attribute_ruler pattern not supported by PosTable: {pattern}")
                self._named |= {w for tok in pattern if "LOWER" in tok for w in _words(tok["LOWER"])}
                tests = [[(_KEYS.index(k), _test(v)) for k, v in tok.items()] for tok in pattern]
                if len(pattern) == 1:
                    self.single.append((order, tests[0], pos, dep))
                else:
                    self.multi.append((order, tests, entry.get("index", 0) % len(pattern), pos, dep))
        self._memo: dict[tuple, tuple] = {}

    def _attrs(self, t) -> tuple:
        lower = t.lower_
        return (t.tag_, lower if lower in self._named else None, t.dep_, t.is_space)

    def _lookup(self, key: tuple) -> tuple:
        """((order, POS), (order, DEP)) of the last single-token patterns that match key; order -1 if none."""
        if key not in self._memo:
            pos: tuple[int, str | None] = (-1, None)
            dep: tuple[int, str | None] = (-1, None)
            for order, tests, p, d in self.single:
                if all(test(key[i]) for i, test in tests):
                    pos = (order, p) if p is not None else pos
                    dep = (order, d) if d is not None else dep
            self._memo[key] = (pos, dep)
        return self._memo[key]

    def __call__(self, doc):
        """Set what the ruler sets that extraction reads (Token.pos_, the dep of whitespace) on a parsed Doc."""
        keys = [self._attrs(t) for t in doc]  # patterns match the parser's values, before anything is set
        found = [self._lookup(k) for k in keys]
        for order, tests, index, p, d in self.multi:
            n = len(tests)
            for i in range(len(keys) - n + 1):
                if all(all(test(keys[i + j][a]) for a, test in tok) for j, tok in enumerate(tests)):
                    (op, pos), (od, dep) = found[i + index]
                    found[i + index] = (
                        (order, p) if p is not None and order > op else (op, pos),
                        (order, d) if d is not None and order > od else (od, dep),
                    )
        for t, ((_, pos), (_, dep)) in zip(doc, found, strict=True):
            if pos is not None:
                t.pos_ = pos
            if dep is not None:
                t.dep_ = dep
        return doc


@lru_cache(maxsize=4)
def pos_table(nlp) -> PosTable | None:
    """The table for nlp's attribute_ruler, or None when the pipeline has none."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    return PosTable(nlp.get_pipe("attribute_ruler"))

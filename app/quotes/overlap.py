"""One quote, once: quotes of one article whose spans overlap or nest become one quote.

The extractor can find the same words twice (a reported clause inside a longer one: "Macron said that
the possibility should not be excluded, recalling that NATO countries initially ruled out …" and
"that NATO countries initially ruled out …"). Listing both counts one statement twice and makes one
article look like two sources. merge_overlapping keeps the quote covering the most characters:
- when it contains every other member, it keeps its own spans, so its id does not change;
- when members only overlap, the kept quote's spans become the union of theirs.
The ids of the quotes merged away are returned, so their permalinks can redirect (QuoteSuccessor).
"""

from __future__ import annotations

from dataclasses import replace

from app.quotes.types import ExtractedQuote, Span


def _chars(spans: list[Span], text: str) -> set[int]:
    """Offsets covered by spans, whitespace excluded."""
    out: set[int] = set()
    for s, e in spans:
        out.update(i for i in range(max(0, s), min(len(text), e)) if not text[i].isspace())
    return out


def _union(spans: list[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def merge_overlapping(
    quotes: list[ExtractedQuote], text: str
) -> tuple[list[ExtractedQuote], list[tuple[list[Span], int]]]:
    """(quotes with overlapping ones merged, in input order; [(spans of a quote merged away, index of its
    keeper in the returned list)])."""
    covered = [_chars(list(q.spans), text) for q in quotes]
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if covered[i] & covered[j]:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)

    groups: dict[int, list[int]] = {}
    for i in range(len(quotes)):
        groups.setdefault(find(i), []).append(i)
    keepers: dict[int, ExtractedQuote] = {}
    absorbed: list[tuple[list[Span], int]] = []
    for members in groups.values():
        best = max(members, key=lambda i: (len(covered[i]), -i))
        keeper = quotes[best]
        union = set().union(*(covered[i] for i in members))
        if len(members) > 1 and union != covered[best]:
            keeper = replace(keeper, spans=_union([s for i in members for s in quotes[i].spans]))
        keepers[best] = keeper
        for i in members:
            if i != best or keeper is not quotes[best]:
                absorbed.append((list(quotes[i].spans), best))
    kept_order = sorted(keepers)
    position = {i: k for k, i in enumerate(kept_order)}
    return [keepers[i] for i in kept_order], [(spans, position[best]) for spans, best in absorbed]

